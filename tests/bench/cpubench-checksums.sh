#!/usr/bin/env bash
# The CPU benchmark guest (bench/cpu/cpubench.asm) prints a checksum after every loop, x87 and
# SSE ones included; pvx must print exactly what qemu-system-x86_64 prints for the same image.
#   cpubench-checksums.sh PVX QEMU CPUBENCH_ELF [CPUBENCH_IMG SEABIOS]
# With the disk image (bench/boot/mbdisk.asm + the kernel), the kernel boots from it through a
# BIOS instead: pvx's own under pvx, SeaBIOS under pvx, and QEMU's, and all must agree with
# `pvx --kernel`.
set -u
pvx=$1 qemu=$2 elf=$3 img=${4:-} seabios=${5:-}
ours=$("$pvx" --kernel "$elf" -m 64 --debugcon stdio --debug-exit </dev/null | grep '^checksum')
if [ -n "$img" ]; then
  disk=$(mktemp); trap 'rm -f "$disk"' EXIT
  cp "$img" "$disk"
  frombios=$("$pvx" --disk "$disk" -m 64 --debugcon stdio --debug-exit </dev/null | grep '^checksum')
  fromsea=$("$pvx" --bios "$seabios" --disk "$disk" -m 64 --debugcon stdio --debug-exit </dev/null | grep '^checksum')
  echo "pvx BIOS: $(echo $frombios)"
  echo "SeaBIOS:  $(echo $fromsea)"
  [ "$frombios" = "$ours" ] || { echo "FAIL: booted from disk through pvx's BIOS, the checksums differ"; exit 1; }
  [ "$fromsea" = "$ours" ] || { echo "FAIL: booted from disk through SeaBIOS, the checksums differ"; exit 1; }
  boot=(-drive "file=$disk,format=raw,if=ide")
else
  boot=(-kernel "$elf")
fi
theirs=$(timeout 300 "$qemu" -nodefaults -display none -m 64 "${boot[@]}" -cpu max \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio </dev/null | grep '^checksum')
echo "pvx:  $(echo $ours)"
echo "qemu: $(echo $theirs)"
[ "$(echo "$ours" | wc -l)" -ge 9 ] || { echo "FAIL: pvx printed too few checksums"; exit 1; }
[ "$ours" = "$theirs" ] || { echo "FAIL: checksums differ"; exit 1; }
echo PASS
