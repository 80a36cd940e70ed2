#!/usr/bin/env bash
# Runs one test guest ROM and checks the expectations written in its source header:
#   ; expect-exit: N          exit status (isa-debug-exit gives (v << 1) | 1; default 1, i.e. v=0)
#   ; expect-output: TEXT     a line that must appear on the 0xE9 console (may repeat)
#   ; pvx-args: ARGS          extra pvx arguments
#   ; qemu-args: ARGS         extra qemu arguments
#   ; qemu-skip: REASON       do not cross-check under QEMU (say why: pvx-only feature)
#   ; kind: multiboot|bzimage the image is a kernel (--kernel / -kernel, -m 64), not a ROM
# In args, @SRC@ stands for the guest's source file, @DISK@ for a scratch copy of the image (a
# writable disk whose contents the guest knows: its own ROM).
# usage: run-guest.sh pvx|qemu EMULATOR IMAGE SOURCE
set -u
kind=$1 emu=$2 image=$3 src=$4
out=$(mktemp); disk="$out.disk"; trap 'rm -f "$out" "$disk"' EXIT
field() { sed -n "s/^; $1: //p" "$src" | sed "s|@SRC@|$src|g; s|@DISK@|$disk|g"; }
grep -q '@DISK@' "$src" && cp "$image" "$disk"
kind_img=$(field kind | head -1)
expect_exit=$(field expect-exit | head -1); expect_exit=${expect_exit:-1}
if [ "$kind" = qemu ]; then
  reason=$(field qemu-skip | head -1)
  if [ -n "$reason" ]; then echo "not run under qemu: $reason"; exit 0; fi
  # shellcheck disable=SC2046
  if [ -n "$kind_img" ]; then boot=(-kernel "$image"); else boot=(-bios "$image"); fi
  timeout 60 "$emu" -nodefaults -display none -machine pc -m 64 "${boot[@]}" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon "file:$out" $(field qemu-args) </dev/null
  status=$?
else
  # shellcheck disable=SC2046
  if [ -n "$kind_img" ]; then boot=(--kernel "$image" -m 64); else boot=(--bios "$image"); fi
  timeout 60 "$emu" "${boot[@]}" --debug-exit --debugcon "file:$out" --max-insns 2000000000 $(field pvx-args) </dev/null
  status=$?
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
[ $ok = 1 ] && echo "PASS ($kind)"
[ $ok = 1 ]
