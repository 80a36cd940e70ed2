#!/usr/bin/env bash
# The CPU benchmark guest (bench/cpu/cpubench.asm) prints a checksum after every loop, x87 and
# SSE ones included; pvx must print exactly what qemu-system-x86_64 prints for the same image.
#   cpubench-checksums.sh PVX QEMU CPUBENCH_ELF
set -u
pvx=$1 qemu=$2 elf=$3
ours=$("$pvx" --kernel "$elf" -m 64 --debugcon stdio --debug-exit </dev/null | grep '^checksum')
theirs=$(timeout 300 "$qemu" -nodefaults -display none -m 64 -kernel "$elf" -cpu max \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio </dev/null | grep '^checksum')
echo "pvx:  $(echo $ours)"
echo "qemu: $(echo $theirs)"
[ "$(echo "$ours" | wc -l)" -ge 9 ] || { echo "FAIL: pvx printed too few checksums"; exit 1; }
[ "$ours" = "$theirs" ] || { echo "FAIL: checksums differ"; exit 1; }
echo PASS
