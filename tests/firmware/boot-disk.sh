#!/usr/bin/env bash
# Boots a disk image through a BIOS and checks the expectations written in the boot guest's
# source header (same format as tests/guest/run-guest.sh, plus the disk fields):
#   ; expect-exit: N          exit status (isa-debug-exit gives (v << 1) | 1; default 1, i.e. v=0)
#   ; expect-exit: halt       the guest or the firmware stops for good (cli; hlt) without exiting:
#                             pvx must end with status 6, QEMU is stopped after halt-timeout
#   ; halt-timeout: S         seconds QEMU gets before a halted run is stopped (default 10)
#   ; expect-output: TEXT     a line that must appear on the 0xE9 console (may repeat)
#   ; expect-serial: TEXT     a line that must appear on COM1 (carriage returns removed)
#   ; disk-size: SIZE         disk image size, bytes or with K/M/G suffix (default 2M)
#   ; disk: none              boot without any disk attached
#   ; pvx-args: ARGS          extra pvx arguments
#   ; qemu-args: ARGS         extra qemu arguments
#   ; qemu-skip: REASON       do not run under QEMU (say why)
# The disk: the assembled guest at LBA 0 (at most 64 sectors), then a pattern in which every
# dword of sector N holds N (low 32 bits), for LBA 64..16383 (within the disk) and for the last
# 64 sectors; everything else is zero (the image is sparse).
# usage: boot-disk.sh qemu|pvx EMULATOR BIOS_IMAGE SOURCE
set -u
if [ $# -ne 4 ]; then
  echo "usage: $0 qemu|pvx EMULATOR BIOS_IMAGE BOOTSECTOR_SOURCE" >&2
  exit 2
fi
kind=$1 emu=$2 bios=$3 src=$4
nasm=${NASM:-nasm}
field() { sed -n "s/^; $1: //p" "$src"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/e9.txt serial=$work/serial.txt img=$work/disk.img
: >"$out"; : >"$serial"

if [ "$kind" = qemu ]; then
  reason=$(field qemu-skip | head -1)
  if [ -n "$reason" ]; then echo "not run under qemu: $reason"; exit 0; fi
fi

# --- the disk image ----------------------------------------------------------------------------
incdir=$(cd "$(dirname "$src")" && pwd)
if ! "$nasm" -f bin -I"$incdir/" -o "$work/guest.bin" "$src"; then
  echo "FAIL: cannot assemble $src"; exit 1
fi
guest_size=$(stat -c %s "$work/guest.bin")
if [ $((guest_size % 512)) -ne 0 ] || [ "$guest_size" -gt $((64 * 512)) ]; then
  echo "FAIL: the guest must be whole sectors and at most 64 of them (it is $guest_size bytes)"; exit 1
fi
disk=$(field disk | head -1)
size=$(field disk-size | head -1)
size=$(numfmt --from=iec "${size:-2M}")
sectors=$((size / 512))
# pattern: nasm writes N sectors starting at LBA S
pattern() {  # start count file
  printf '%%assign k %d\n%%rep %d\n times 128 dd k\n %%assign k k+1\n%%endrep\n' "$1" "$2" >"$work/pat.asm"
  "$nasm" -f bin -o "$3" "$work/pat.asm"
}
if [ "$disk" != none ]; then
  truncate -s "$size" "$img"
  dd if="$work/guest.bin" of="$img" conv=notrunc status=none
  first_end=$((sectors < 16384 ? sectors : 16384))
  if [ "$first_end" -gt 64 ]; then
    pattern 64 $((first_end - 64)) "$work/p1.bin"
    dd if="$work/p1.bin" of="$img" bs=512 seek=64 conv=notrunc status=none
  fi
  if [ "$sectors" -gt 16384 ]; then
    tail_start=$((sectors - 64))
    [ "$tail_start" -lt 16384 ] && tail_start=16384
    pattern "$tail_start" $((sectors - tail_start)) "$work/p2.bin"
    dd if="$work/p2.bin" of="$img" bs=512 seek="$tail_start" conv=notrunc status=none
  fi
fi

# --- run -------------------------------------------------------------------------------------
expect_exit=$(field expect-exit | head -1); expect_exit=${expect_exit:-1}
halt_timeout=$(field halt-timeout | head -1); halt_timeout=${halt_timeout:-10}
if [ "$kind" = qemu ]; then
  drive=()
  [ "$disk" != none ] && drive=(-drive "file=$img,format=raw,if=ide")
  limit=60
  [ "$expect_exit" = halt ] && limit=$halt_timeout
  # shellcheck disable=SC2046
  timeout "$limit" "$emu" -nodefaults -machine pc -m 64 -bios "$bios" -display none \
    -serial "file:$serial" -debugcon "file:$out" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${drive[@]}" $(field qemu-args) </dev/null
  status=$?
  [ "$expect_exit" = halt ] && [ "$status" = 124 ] && status=halt
else
  drive=()
  [ "$disk" != none ] && drive=(--disk "$img")
  # shellcheck disable=SC2046
  timeout 120 "$emu" --bios "$bios" "${drive[@]}" --serial "file:$serial" --debug-exit \
    --debugcon "file:$out" --max-insns 3000000000 $(field pvx-args) </dev/null
  status=$?
  [ "$expect_exit" = halt ] && [ "$status" = 6 ] && status=halt
fi

cat "$out"
ok=1
if [ "$status" != "$expect_exit" ]; then
  echo "FAIL: exit status $status, expected $expect_exit"; ok=0
fi
while IFS= read -r line; do
  [ -z "$line" ] && continue
  grep -qxF -- "$line" "$out" || { echo "FAIL: missing output line: $line"; ok=0; }
done < <(field expect-output)
tr -d '\r' <"$serial" >"$serial.lf"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  grep -qxF -- "$line" "$serial.lf" || { echo "FAIL: missing serial line: $line"; ok=0; }
done < <(field expect-serial)
if [ $ok = 1 ]; then echo "PASS ($kind)"; else echo "--- COM1:"; cat "$serial.lf"; fi
[ $ok = 1 ]
