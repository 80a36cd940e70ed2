#!/usr/bin/env bash
# Boots a guest-drivers guest under QEMU or pvx with a fresh 64 MiB scratch disk and checks it:
#   guest-drivers/run.sh qemu qemu-system-x86_64 build/release/guest-drivers/drivers_test.elf
#   guest-drivers/run.sh pvx  build/release/pvx   build/release/guest-drivers/bench.elf "disk=16"
# Prints the 0xE9 console. Passes when the guest printed "drivers: PASS" (drivers_test) or
# "@bench done" without "@bench fail" (bench), and exited through isa-debug-exit with 0
# (emulator status 1). KEEP=1 keeps the scratch directory (disk, COM1 and 0xE9 output).
# PVX_ARGS adds pvx options (e.g. "--pv off"); EXPECT_LINE adds a console line that must appear.
# DISK_IF=all shows the scratch disk as virtio-blk too (pvx --disk FILE,if=all; QEMU a second
# drive on the same file, virtio-blk-pci, with file locking off).
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 qemu|pvx EMULATOR IMAGE [GUEST-COMMAND-LINE]" >&2
  exit 2
fi
kind=$1 emu=$2 image=$3 append=${4:-}
tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "run.sh: keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi
truncate -s 64M "$tmp/disk.img"
: > "$tmp/e9.txt"
pvx_if= virtio_qemu=()
if [ "${DISK_IF:-ide}" = all ]; then
  pvx_if=,if=all
  virtio_qemu=(-drive "file=$tmp/disk.img,format=raw,if=none,id=vd0,file.locking=off" -device virtio-blk-pci,drive=vd0)
fi
case $kind in
  qemu)
    timeout "${TIMEOUT:-600}" "$emu" -nodefaults -machine pc -m 512 -display none -kernel "$image" -append "$append" \
      -drive "file=$tmp/disk.img,format=raw,if=ide,file.locking=off" ${virtio_qemu[@]+"${virtio_qemu[@]}"} -serial "file:$tmp/com1.txt" -debugcon "file:$tmp/e9.txt" \
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
    status=$? ;;
  pvx)
    timeout "${TIMEOUT:-600}" "$emu" -m 512 --kernel "$image" --append "$append" --disk "$tmp/disk.img${pvx_if}" \
      --serial "file:$tmp/com1.txt" --debugcon "file:$tmp/e9.txt" --debug-exit ${PVX_ARGS:-} </dev/null
    status=$? ;;
  *)
    echo "run.sh: unknown emulator kind '$kind' (qemu or pvx)" >&2
    exit 2 ;;
esac
cat "$tmp/e9.txt"
ok=1
if [ "$status" != 1 ]; then echo "run.sh: FAIL: exit status $status, expected 1 (isa-debug-exit 0)"; ok=0; fi
if grep -q "^@bench fail" "$tmp/e9.txt"; then echo "run.sh: FAIL: the benchmark reported a failure"; ok=0; fi
if ! grep -qx -e "drivers: PASS" -e "@bench done" "$tmp/e9.txt"; then echo "run.sh: FAIL: no PASS / done line"; ok=0; fi
if [ -n "${EXPECT_LINE:-}" ] && ! grep -qF -- "$EXPECT_LINE" "$tmp/e9.txt"; then
  echo "run.sh: FAIL: missing line: $EXPECT_LINE"; ok=0
fi
[ $ok = 1 ] && echo "run.sh: PASS ($kind)"
[ $ok = 1 ]
