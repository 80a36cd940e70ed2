#!/usr/bin/env bash
# Builds pvx's Linux modules for the tests (the ctest fixture linux.pv_modules):
#   pv-modules.sh OUTDIR
# guest-drivers/linux/build.sh does the work with kbuild against linux-headers for the kernel
# the tests boot. Outside CI missing kernel headers skip (77); in CI (CI=true) they are a
# failure: scripts/setup installs linux-headers-amd64.
set -u
out=$1
here=$(cd "$(dirname "$0")" && pwd)
kernel=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)
kver=${kernel##*/vmlinuz-}
if [ -z "$kernel" ] || [ ! -f "/lib/modules/$kver/build/Makefile" ]; then
  echo "no kernel or no headers for it: apt-get install linux-image-amd64 linux-headers-amd64"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
rm -f "$out"/*.ko
"$here/../../guest-drivers/linux/build.sh" "$out" "$kver"
