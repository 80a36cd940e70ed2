#!/usr/bin/env bash
# Builds pvx's Linux kernel modules (pvxblk, pvxcon, pvxclock, pvxinfo) out of tree with the
# kernel's own kbuild, against Debian's linux-headers for the kernel the guest boots:
#   guest-drivers/linux/build.sh OUTDIR [KERNEL-VERSION]
# KERNEL-VERSION defaults to the newest /boot/vmlinuz-* (the kernel the Linux tests boot); its
# headers are /lib/modules/VERSION/build (apt-get install linux-headers-amd64, or
# linux-headers-VERSION when the meta-package points at a newer kernel). kbuild writes its
# objects next to the sources, so the sources are copied into OUTDIR and built there; the .ko
# files end up in OUTDIR. Re-running only rebuilds what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR [KERNEL-VERSION]}
kver=${2:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1 | sed 's|.*/vmlinuz-||')}
[ -n "$kver" ] || { echo "pvx-linux-modules: no /boot/vmlinuz-*: apt-get install linux-image-amd64" >&2; exit 1; }
kdir=/lib/modules/$kver/build
[ -f "$kdir/Makefile" ] || {
  echo "pvx-linux-modules: no kernel headers for $kver in $kdir: apt-get install linux-headers-$kver (scripts/setup installs linux-headers-amd64)" >&2
  exit 1
}
mkdir -p "$out"
out=$(cd "$out" && pwd)
for f in Kbuild pvx_linux.h pvxblk.c pvxcon.c pvxclock.c pvxinfo.c; do
  cmp -s "$here/$f" "$out/$f" || cp "$here/$f" "$out/$f"  # keep mtimes: make rebuilds only changes
done
# kbuild's own messages (minus its note that BTF needs a vmlinux the headers do not ship)
if ! make -s -C "$kdir" M="$out" PVX_ABI_INCLUDE="$(cd "$here/../../src/pvabi/include" && pwd)" modules >"$out/kbuild.log" 2>&1; then
  cat "$out/kbuild.log" >&2
  echo "pvx-linux-modules: kbuild failed" >&2
  exit 1
fi
grep -v '^Skipping BTF generation' "$out/kbuild.log" >&2 || true
for m in pvxblk pvxcon pvxclock pvxinfo; do
  [ -f "$out/$m.ko" ] || { echo "pvx-linux-modules: $m.ko was not built" >&2; exit 1; }
done
echo "pvx-linux-modules: $out/{pvxblk,pvxcon,pvxclock,pvxinfo}.ko for kernel $kver"
