#!/usr/bin/env bash
# Boots a Linux kernel from a disk through a BIOS, the way a PC does: the BIOS loads the SYSLINUX
# boot sector (INT 13h, EDD), SYSLINUX loads the kernel (and optional initrd) through INT 13h, and
# Linux then reads the E820 map, ACPI (MADT, FADT, DSDT with PCI0/_PRT), SMBIOS and PCI. Without
# an initrd the kernel must get as far as failing to mount its root file system; with one, the
# initramfs must find the ATA disk.
#   usage: linux-smoke.sh qemu|pvx EMULATOR BIOS_IMAGE [KERNEL [INITRD]]
# KERNEL defaults to the newest /boot/vmlinuz-*. Needs syslinux, mtools and mkfs.vfat (Debian:
# syslinux syslinux-common mtools dosfstools); exits 77 (skipped) when something is missing.
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 qemu|pvx EMULATOR BIOS_IMAGE [KERNEL [INITRD]]" >&2
  exit 2
fi
kind=$1 emu=$2 bios=$3
kernel=${4:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)}
initrd=${5:-}
for tool in syslinux mcopy mkfs.vfat; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not installed"; exit 77; }
done
[ -n "$kernel" ] && [ -r "$kernel" ] || { echo "skipped: no kernel (give one or install linux-image-amd64)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img=$work/disk.img serial=$work/serial.txt
mkfs.vfat -C "$img" 131072 >/dev/null || exit 1
cp "$kernel" "$work/vmlinuz"
{
  echo "DEFAULT linux"
  echo "PROMPT 0"
  echo "TIMEOUT 0"
  echo "LABEL linux"
  echo "  KERNEL vmlinuz"
  [ -n "$initrd" ] && echo "  INITRD initrd.img"
  echo "  APPEND console=ttyS0,115200 root=/dev/sda9 rootdelay=3 panic=-1 loglevel=7"
} >"$work/syslinux.cfg"
files=("$work/vmlinuz" "$work/syslinux.cfg")
if [ -n "$initrd" ]; then cp "$initrd" "$work/initrd.img"; files+=("$work/initrd.img"); fi
mcopy -i "$img" "${files[@]}" :: && syslinux --install "$img" || exit 1

: >"$serial"
if [ "$kind" = qemu ]; then
  timeout 300 "$emu" -nodefaults -machine pc -m 512 -bios "$bios" -display none \
    -serial "file:$serial" -drive "file=$img,format=raw,if=ide" -no-reboot </dev/null
else
  timeout 600 "$emu" -m 512 --bios "$bios" --disk "$img" --serial "file:$serial" \
    --max-insns 100000000000 </dev/null
fi
status=$?
tr -d '\r' <"$serial" >"$serial.lf"
ok=1
need() { grep -qF -- "$1" "$serial.lf" || { echo "FAIL: no '$1' on COM1"; ok=0; }; }
need "pvx BIOS"
need "BIOS-e820: [mem 0x0000000000100000-"
need "DMI: pvx pvx PC"
need "ACPI: PCI Root Bridge [PCI0]"
need "pci 0000:00:01.1: [8086:7010]"
if [ -n "$initrd" ]; then
  need "[sda] Attached SCSI disk"
else
  need "VFS: Unable to mount root fs"
fi
grep -iE "firmware bug|ACPI (BIOS )?(Error|Warning)|ACPI Exception" "$serial.lf" && { echo "FAIL: firmware complaints above"; ok=0; }
if [ $ok = 1 ]; then echo "PASS ($kind, emulator status $status)"; else tail -40 "$serial.lf"; fi
[ $ok = 1 ]
