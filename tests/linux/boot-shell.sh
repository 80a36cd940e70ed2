#!/usr/bin/env bash
# Boots Debian's stock kernel (linux-image-amd64) with the busybox initramfs of
# scripts/linux-initramfs under pvx, runs a command in the userland and powers off (issue 9):
#   boot-shell.sh PVX [direct|direct32|direct64|syslinux] [KERNEL]
# direct: `pvx --kernel/--initrd/--append` (pvx loads the bzImage, its BIOS enters the real-mode
# setup code); direct32/direct64: the same with `--kernel-entry 32|64` (the boot protocol's
# protected-/long-mode entry, no BIOS code after the kernel starts);
# syslinux: the way a PC boots, from a FAT disk image whose SYSLINUX boot loader (Debian's
# syslinux package) reads kernel and initramfs through the BIOS's INT 13h.
# Passes when the shell ran the command (it lists the ATA disk the kernel's ata_piix found), the
# kernel printed no warning/oops, and pvx exited 0 through ACPI S5. Outside CI a missing kernel
# or busybox skips (77); in CI (CI=true) that is a failure, as scripts/setup installs both.
set -u
pvx=$1
how=${2:-direct}
kernel=${3:-}
. "$(dirname "$0")/common.sh"
"$here/../../scripts/linux-initramfs" "$work/initramfs.cpio.gz" "$kver" >/dev/null || exit 1
append="console=ttyS0 panic=-1 pvx.run=ls+/sys/block;cat+/proc/cpuinfo|grep+flags|head+-1"
start=$(date +%s.%N)
if [ "$how" = syslinux ]; then
  for tool in syslinux mcopy mkfs.vfat; do command -v "$tool" >/dev/null 2>&1 || missing "no $tool: apt-get install syslinux mtools dosfstools"; done
  # The boot disk is also the disk the kernel finds as sda.
  mkfs.vfat -C "$work/disk.img" 65536 >/dev/null || exit 1
  cp "$kernel" "$work/vmlinuz"
  printf 'DEFAULT linux\nPROMPT 0\nTIMEOUT 0\nLABEL linux\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND %s\n' "$append" >"$work/syslinux.cfg"
  cp "$work/initramfs.cpio.gz" "$work/initrd.img"
  mcopy -i "$work/disk.img" "$work/vmlinuz" "$work/initrd.img" "$work/syslinux.cfg" :: && syslinux --install "$work/disk.img" || exit 1
  "$pvx" -m 512 --disk "$work/disk.img" --serial "file:$work/serial.txt" --timeout 900 --stats "$work/stats.json" </dev/null
else
  entry=16
  case "$how" in direct32) entry=32 ;; direct64) entry=64 ;; esac
  truncate -s 8M "$work/disk.img"  # the ATA disk ata_piix must find
  "$pvx" --kernel "$kernel" --kernel-entry "$entry" --initrd "$work/initramfs.cpio.gz" -m 512 --serial "file:$work/serial.txt" --disk "$work/disk.img" \
    --append "$append" --timeout 900 --stats "$work/stats.json" </dev/null
fi
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
