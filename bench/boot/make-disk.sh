#!/bin/sh
# make-disk.sh BOOT_SECTOR KERNEL OUT SIZE: a raw disk with the boot sector at LBA 0, the kernel
# from LBA 1 (at most 127 sectors: what mbdisk.asm reads) and zeros up to SIZE bytes.
set -e
[ "$(stat -c %s "$1")" -eq 512 ] || { echo "make-disk.sh: $1 is not one 512-byte sector" >&2; exit 1; }
[ "$(stat -c %s "$2")" -le $((127 * 512)) ] || { echo "make-disk.sh: $2 is larger than 127 sectors" >&2; exit 1; }
cat "$1" "$2" > "$3.tmp"
truncate -s "$4" "$3.tmp"
mv "$3.tmp" "$3"
