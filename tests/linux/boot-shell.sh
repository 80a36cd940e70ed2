#!/usr/bin/env bash
# Boots Debian's stock kernel (linux-image-amd64) with the busybox initramfs of
# scripts/linux-initramfs under pvx, runs a command in the userland and powers off (issue 9):
#   boot-shell.sh PVX [KERNEL]
# Passes when the shell ran the command (it lists the ATA disk the kernel's ata_piix found), the
# kernel printed no warning/oops, and pvx exited 0 through ACPI S5. Outside CI a missing kernel
# or busybox skips (77); in CI (CI=true) that is a failure, as scripts/setup installs both.
set -u
pvx=$1
kernel=${2:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)}
here=$(cd "$(dirname "$0")" && pwd)
missing() {
  echo "$1"
  [ "${CI:-}" = true ] && exit 1
  exit 77
}
[ -n "$kernel" ] && [ -r "$kernel" ] || missing "no kernel: apt-get install linux-image-amd64"
[ -x /bin/busybox ] || missing "no /bin/busybox: apt-get install busybox-static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kver=$(basename "$kernel" | sed 's/^vmlinuz-//')
"$here/../../scripts/linux-initramfs" "$work/initramfs.cpio.gz" "$kver" >/dev/null || exit 1
truncate -s 8M "$work/disk.img"  # the ATA disk ata_piix must find
start=$(date +%s.%N)
"$pvx" --kernel "$kernel" --initrd "$work/initramfs.cpio.gz" -m 512 --serial "file:$work/serial.txt" --disk "$work/disk.img" \
  --append "console=ttyS0 panic=-1 pvx.run=ls+/sys/block;cat+/proc/cpuinfo|grep+flags|head+-1" \
  --timeout 900 --stats "$work/stats.json" </dev/null
status=$?
end=$(date +%s.%N)
cat "$work/serial.txt"
ok=1
expect() { grep -qF -- "$1" "$work/serial.txt" || { echo "FAIL: missing output: $1"; ok=0; }; }
expect "pvx-linux: userland up"
expect "sda"
expect "sse4_2"
expect "pvx-linux: done (status 0)"
if grep -nE "WARNING:|BUG:|Oops|Call Trace|Kernel panic" "$work/serial.txt"; then echo "FAIL: kernel warning above"; ok=0; fi
[ "$status" = 0 ] || { echo "FAIL: pvx exit status $status, expected 0 (ACPI power off)"; ok=0; }
python3 - "$work/stats.json" "$start" "$end" <<'PY' || true
import json, sys
s = json.load(open(sys.argv[1]))
secs = float(sys.argv[3]) - float(sys.argv[2])
print(f"linux boot: {secs:.1f} s host, {s['instructions']:,} guest instructions, {s['mips']:.0f} MIPS")
PY
[ $ok = 1 ] && echo PASS
[ $ok = 1 ]
