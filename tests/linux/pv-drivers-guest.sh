#!/bin/sh
# Runs inside the Linux guest of tests/linux/pv-drivers.sh (copied into the initramfs as
# /bin/pvx-test.sh; the initramfs's /init has already tried to insmod the pvx modules):
#   pvx-test.sh on|off
# Prints "pvxtest: ..." lines the host script checks; it decides pass or fail, not this script.
mode=$1
echo "pvxtest: loaded:$(grep -o '^pvx[a-z]*' /proc/modules | sort | tr '\n' ' ' | sed 's/^/ /')"
if [ "$mode" = off ]; then
  [ -e /dev/pvxblk0 ] && echo "pvxtest: /dev/pvxblk0 exists" || echo "pvxtest: no /dev/pvxblk0"
  [ -e /dev/hvc0 ] && echo "pvxtest: /dev/hvc0 exists" || echo "pvxtest: no /dev/hvc0"
  # A second attempt by hand: the module must refuse again, cleanly.
  insmod /lib/modules/pvxblk.ko 2>&1 | sed 's/^/pvxtest: insmod again: /'
  echo "pvxtest: done"
  exit 0
fi

# The block device: present, the size of sda, the same bytes.
[ -b /dev/pvxblk0 ] && echo "pvxtest: /dev/pvxblk0 is a block device"
echo "pvxtest: sectors sda=$(cat /sys/block/sda/size) pvxblk0=$(cat /sys/block/pvxblk0/size)"
echo "pvxtest: md5 sda $(dd if=/dev/sda bs=1M count=8 2>/dev/null | md5sum | cut -d' ' -f1)"
echo "pvxtest: md5 pvxblk0 $(dd if=/dev/pvxblk0 bs=1M count=8 2>/dev/null | md5sum | cut -d' ' -f1)"
echo "pvxtest: md5 pvxblk0 direct $(dd if=/dev/pvxblk0 bs=64k count=128 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"

# Writes: 2 MiB copied from sda's start to pvxblk0 at 8 MiB through the page cache (writeback
# builds merged requests), and one sector at LBA 30000 with a marker; fsync sends the flush.
dd if=/dev/sda of=/dev/pvxblk0 bs=64k count=32 seek=128 conv=fsync 2>/dev/null && echo "pvxtest: copy written"
printf 'pvxblk-marker-%s' "$((6 * 7))" | dd of=/dev/pvxblk0 bs=512 seek=30000 conv=sync,fsync 2>/dev/null && echo "pvxtest: marker written"
echo 3 > /proc/sys/vm/drop_caches
echo "pvxtest: sda reads back $(dd if=/dev/sda bs=512 skip=30000 count=1 2>/dev/null | head -c 16)"
echo "pvxtest: md5 copy via sda $(dd if=/dev/sda bs=64k skip=128 count=32 2>/dev/null | md5sum | cut -d' ' -f1)"

# The PV console: a line only the escape can have delivered to the host.
echo "pvxcon-line-$((6 * 7))" > /dev/hvc0 && echo "pvxtest: hvc0 written"

# The clocksource: listed, selectable, and time goes on while it is the current one.
cs=/sys/devices/system/clocksource/clocksource0
echo "pvxtest: available: $(cat $cs/available_clocksource)"
echo pvxclock > $cs/current_clocksource
echo "pvxtest: current: $(cat $cs/current_clocksource)"
u0=$(cut -d. -f1 /proc/uptime)
sleep 2
u1=$(cut -d. -f1 /proc/uptime)
[ $((u1 - u0)) -ge 1 ] && echo "pvxtest: uptime advanced on pvxclock"
echo tsc > $cs/current_clocksource

# pvx's counters from pvxinfo: nine numbers, instructions first, host CPU time last.
set -- $(cat /sys/kernel/pvx/stats)
[ $# = 9 ] && [ "$1" -gt 0 ] && [ "$9" -gt 0 ] && echo "pvxtest: stats has 9 counters"

# Bounds: reloaded with 8 sectors announced past the end, an O_DIRECT read there reaches pvx,
# fails its LBA check and comes back as an I/O error; a read inside the disk still works.
# (4 KiB blocks: busybox dd's 512-byte buffer is not 512-aligned, and on EINVAL it quietly drops
# O_DIRECT; its 4 KiB buffer is page-aligned.)
size=$(cat /sys/block/pvxblk0/size)
rmmod pvxblk && insmod /lib/modules/pvxblk.ko extra_sectors=8 && echo "pvxtest: reloaded with extra_sectors=8"
echo "pvxtest: announced $(cat /sys/block/pvxblk0/size) sectors"
if dd if=/dev/pvxblk0 of=/dev/null bs=4k skip=$((size / 8)) count=1 iflag=direct 2>/tmp/dd.err; then
  echo "pvxtest: past-end read succeeded"
else
  echo "pvxtest: past-end read failed: $(grep -o 'Input/output error' /tmp/dd.err | head -1)"
fi
dd if=/dev/pvxblk0 of=/dev/null bs=4k skip=$((size / 8 - 1)) count=1 iflag=direct 2>/dev/null && echo "pvxtest: last block read"
dmesg | grep -o 'pvxblk0: read of sectors [0-9+]* failed: pvx status -22' | sed 's/^/pvxtest: dmesg: /'
dmesg | grep -q 'Buffer I/O error on dev pvxblk0' && echo "pvxtest: a buffered read failed too"
echo "pvxtest: done"
