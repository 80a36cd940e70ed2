#!/usr/bin/env bash
# Boots Debian's stock kernel under pvx with its own virtio drivers (issue 12): the disk only as
# virtio-blk (`--disk FILE,if=virtio`, PCI 00:03.0), plus --virtio-console and --virtio-rng.
#   virtio-blk.sh PVX [KERNEL]
# The userland (scripts/linux-initramfs with PVX_INITRAMFS_MODULES="virtio_pci virtio_blk
# virtio_console virtio_rng") reads a known pattern from /dev/vda, writes a line to sector 100
# with fsync (a virtio-blk OUT and FLUSH), writes to /dev/hvc0 (virtio-console; its output shares
# COM1's backend, the serial log) and names the current hw_random source. Passes when all of
# that shows, the image holds the line afterwards, no kernel warning appeared, and pvx exited 0
# through ACPI S5. Missing kernel or busybox: skip (77) outside CI, failure in CI.
set -u
pvx=$1
kernel=${2:-}
. "$(dirname "$0")/common.sh"
PVX_INITRAMFS_MODULES="virtio_pci virtio_blk virtio_console virtio_rng" \
  "$here/../../scripts/linux-initramfs" "$work/initramfs.cpio.gz" "$kver" >/dev/null || exit 1
# 8 MiB image: sector 0 starts with a marker the guest prints.
truncate -s 8M "$work/disk.img"
printf 'pvx-virtio-blk-marker-5a17\n' | dd of="$work/disk.img" conv=notrunc status=none
run="cat+/sys/block/vda/size;head+-c+26+/dev/vda;echo;echo+written-by-linux|dd+of=/dev/vda+bs=512+seek=100+conv=sync,fsync"
run="$run;echo+hello-from-hvc0>/dev/hvc0;cat+/sys/class/misc/hw_random/rng_current"
append="console=ttyS0 panic=-1 pvx.run=$run"
"$pvx" --kernel "$kernel" --initrd "$work/initramfs.cpio.gz" -m 512 --serial "file:$work/serial.txt" \
  --disk "$work/disk.img,if=virtio" --virtio-console --virtio-rng \
  --append "$append" --timeout 900 --stats "$work/stats.json" </dev/null
status=$?
cat "$work/serial.txt"
ok=1
tr -d '\r' <"$work/serial.txt" >"$work/lines.txt"
# Whole lines, so that the kernel's echo of its command line cannot satisfy them.
expect() { grep -qxF -- "$1" "$work/lines.txt" || { echo "FAIL: missing output line: $1"; ok=0; }; }
expect "16384"                        # /sys/block/vda/size: 8 MiB in sectors
expect "pvx-virtio-blk-marker-5a17"   # the first bytes of /dev/vda
expect "hello-from-hvc0"              # written to /dev/hvc0
expect "virtio_rng.0"                 # the current hw_random source
expect "pvx-linux: done (status 0)"
grep -qF "pvx-linux: userland up" "$work/lines.txt" || { echo "FAIL: no userland"; ok=0; }
if grep -nE "WARNING:|BUG:|Oops|Call Trace|Kernel panic" "$work/serial.txt"; then echo "FAIL: kernel warning above"; ok=0; fi
written=$(dd if="$work/disk.img" bs=512 skip=100 count=1 status=none | head -c 16)
[ "$written" = "written-by-linux" ] || { echo "FAIL: sector 100 holds '$written'"; ok=0; }
[ "$status" = 0 ] || { echo "FAIL: pvx exit status $status, expected 0 (ACPI power off)"; ok=0; }
# The work went through the virtio devices: pvx's counters.
python3 - "$work/stats.json" <<'PY' || ok=0
import json, sys
flat = {}
def walk(node, path):
    if isinstance(node, dict):
        for k, v in node.items(): walk(v, path + [k])
    elif any("virtio" in p for p in path): flat[".".join(path)] = node
walk(json.load(open(sys.argv[1])), [])
for k in sorted(flat): print(k, flat[k])
def at_least(suffix, n):
    v = [val for key, val in flat.items() if key.endswith(suffix)]
    if not v or v[0] < n: sys.exit("FAIL: %s = %s, expected >= %d" % (suffix, v, n))
at_least("virtio_blk.sectors_read", 1)
at_least("virtio_blk.sectors_written", 1)
at_least("virtio_blk.flushes", 1)
at_least("virtio_console.bytes_out", 16)
at_least("virtio_rng.bytes_out", 1)
for k, v in flat.items():
    if k.endswith("queue_errors") and v: sys.exit("FAIL: %s = %d" % (k, v))
PY
[ $ok = 1 ] && echo PASS
[ $ok = 1 ]
