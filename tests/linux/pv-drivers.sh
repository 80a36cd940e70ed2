#!/usr/bin/env bash
# pvx's Linux PV drivers (guest-drivers/linux) in Debian's stock kernel (issue 9):
#   pv-drivers.sh PVX on|off MODULE-DIR
# MODULE-DIR holds pvxblk.ko, pvxcon.ko, pvxclock.ko and pvxinfo.ko (tests/linux/pv-modules.sh
# builds them, the ctest fixture linux.pv_modules). The initramfs loads them at boot and runs
# tests/linux/pv-drivers-guest.sh; this script checks what it printed, pvx's counters and the
# disk image after pvx exited.
#   on:  /dev/pvxblk0 has sda's size and bytes (md5 of 8 MiB, buffered and O_DIRECT, equal to the
#        host's md5 of the image); 2 MiB copied and a marker sector written through pvxblk0 are
#        in the image file after pvx exits and read back through sda; the fsync reached pvx as a
#        FLUSH; a line written to /dev/hvc0 reaches the host through CONSOLE_WRITE; pvxclock is
#        listed and works as the current clocksource; /sys/kernel/pvx/stats has pvx's counters;
#        a read past the disk's end (pvxblk reloaded with extra_sectors=8) is an I/O error.
#   off: with `pvx --pv off` every module refuses to load with -ENODEV and says why; no device.
# Both: no kernel warning or oops, and pvx exits 0 through ACPI power-off.
# Outside CI a missing kernel, busybox or module skips (77); in CI (CI=true) it fails.
set -u
pvx=$1 mode=$2 mods=$3
kernel=
. "$(dirname "$0")/common.sh"
for m in pvxinfo pvxclock pvxcon pvxblk; do
  [ -f "$mods/$m.ko" ] || missing "no $mods/$m.ko: the linux.pv_modules test builds it (needs linux-headers-amd64)"
done

PVX_INITRAMFS_KO="$mods/pvxinfo.ko $mods/pvxclock.ko $mods/pvxcon.ko $mods/pvxblk.ko" \
PVX_INITRAMFS_FILES="$here/pv-drivers-guest.sh:/bin/pvx-test.sh" \
  "$here/../../scripts/linux-initramfs" "$work/initramfs.cpio.gz" "$kver" >/dev/null || exit 1
# 16 MiB of random bytes: the md5 comparisons mean something, and an all-zero write would not.
head -c 16M /dev/urandom >"$work/disk.img"
cp "$work/disk.img" "$work/orig.img"

"$pvx" --kernel "$kernel" --initrd "$work/initramfs.cpio.gz" -m 512 --disk "$work/disk.img" --pv "$mode" \
  --serial "file:$work/serial.txt" --stats "$work/stats.json" --timeout 900 \
  --append "console=ttyS0 panic=-1 pvx.run=/bin/pvx-test.sh+$mode" </dev/null
status=$?
cat "$work/serial.txt"
ok=1
fail() { echo "FAIL: $1"; ok=0; }
expect() { grep -qF -- "$1" "$work/serial.txt" || fail "missing output: $1"; }
stat() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pv'][sys.argv[2]][sys.argv[3]])" "$work/stats.json" "$1" "$2"; }
expect "pvx-linux: userland up"
expect "pvxtest: done"
expect "pvx-linux: done (status 0)"

if [ "$mode" = on ]; then
  md5() { dd if="$1" bs=1M skip="$2" count="$3" 2>/dev/null | md5sum | cut -d' ' -f1; }
  want=$(md5 "$work/orig.img" 0 8)
  expect "pvxtest: loaded: pvxblk pvxclock pvxcon pvxinfo"
  expect "pvxtest: /dev/pvxblk0 is a block device"
  expect "pvxtest: sectors sda=32768 pvxblk0=32768"
  expect "pvxtest: md5 sda $want"
  expect "pvxtest: md5 pvxblk0 $want"
  expect "pvxtest: md5 pvxblk0 direct $want"
  expect "pvxtest: copy written"
  expect "pvxtest: marker written"
  expect "pvxtest: sda reads back pvxblk-marker-42"
  expect "pvxtest: md5 copy via sda $(md5 "$work/orig.img" 0 2)"
  expect "pvxcon-line-42"
  expect "pvxtest: hvc0 written"
  grep -q "^pvxtest: available: .*pvxclock" "$work/serial.txt" || fail "pvxclock not in available_clocksource"
  expect "pvxtest: current: pvxclock"
  expect "pvxtest: uptime advanced on pvxclock"
  expect "pvxtest: stats has 9 counters"
  expect "pvxtest: reloaded with extra_sectors=8"
  expect "pvxtest: past-end read failed: Input/output error"
  expect "pvxtest: announced 32776 sectors"
  expect "pvxtest: last block read"
  # exactly the O_DIRECT read's request, and nothing through the page cache
  [ "$(grep -c '^pvxtest: dmesg: ' "$work/serial.txt")" = 1 ] || fail "expected one pvxblk error line"
  expect "pvxtest: dmesg: pvxblk0: read of sectors 32768+8 failed: pvx status -22"
  grep -q "^pvxtest: a buffered read failed too" "$work/serial.txt" && fail "the past-end read went through the page cache"
  # After pvx exited: the host's image holds what the guest wrote through pvxblk0.
  [ "$(md5 "$work/disk.img" 8 2)" = "$(md5 "$work/orig.img" 0 2)" ] || fail "the 2 MiB copy is not in the image file"
  [ "$(dd if="$work/disk.img" bs=512 skip=30000 count=1 2>/dev/null | head -c 16)" = pvxblk-marker-42 ] ||
    fail "the marker sector is not in the image file"
  [ "$(md5 "$work/disk.img" 0 8)" = "$want" ] || fail "the first 8 MiB of the image changed"
  flushes=$(stat block flushes)
  [ "${flushes:-0}" -ge 2 ] || fail "pvx saw $flushes PV block flushes, expected one per fsync (2)"
  written=$(stat console bytes_written)
  [ "${written:-0}" -ge 16 ] || fail "pvx's console service wrote $written bytes, expected the hvc0 line"
else
  expect "pvxtest: loaded:"
  grep -q "^pvxtest: loaded: pvx" "$work/serial.txt" && fail "a pvx module loaded with --pv off"
  for m in pvxinfo pvxclock pvxcon pvxblk; do
    expect "$m: not running on pvx (no \"pvxPVXpvxPVX\" signature at CPUID 0x40000000; pvx --pv off?): not loading"
    expect "can't insert '/lib/modules/$m.ko': No such device"
  done
  expect "pvxtest: no /dev/pvxblk0"
  expect "pvxtest: no /dev/hvc0"
  expect "pvxtest: insmod again: insmod: can't insert '/lib/modules/pvxblk.ko': No such device"
  calls=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['exits']['pv'])" "$work/stats.json")
  [ "$calls" = 0 ] || fail "$calls escapes with --pv off"
fi
if grep -nE "WARNING:|BUG:|Oops|Call Trace|Kernel panic|invalid opcode" "$work/serial.txt"; then fail "kernel warning above"; fi
[ "$status" = 0 ] || fail "pvx exit status $status, expected 0 (ACPI power off)"
[ $ok = 1 ] && echo PASS
[ $ok = 1 ]
