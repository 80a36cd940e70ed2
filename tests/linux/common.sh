# Sourced by the Linux boot tests (tests/linux/*.sh) after they set `kernel` (or leave it empty
# for the newest /boot/vmlinuz-*): checks that Debian's kernel and busybox are installed, and
# sets kver, here (this directory) and work (a scratch directory removed at exit).
# missing MESSAGE: the test cannot run here -- skip (77) outside CI, fail in CI (CI=true), since
# scripts/setup installs everything these tests need.
missing() {
  echo "$1"
  [ "${CI:-}" = true ] && exit 1
  exit 77
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernel=${kernel:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)}
[ -n "$kernel" ] && [ -r "$kernel" ] || missing "no kernel: apt-get install linux-image-amd64"
[ -x /bin/busybox ] || missing "no /bin/busybox: apt-get install busybox-static"
kver=${kernel##*/vmlinuz-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
