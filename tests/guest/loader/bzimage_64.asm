; Linux boot protocol, entry 64: a tiny bzImage (bzimage.inc) checks what the loader handed it.
; kind: bzimage
; pvx-args: --kernel-entry 64 --append bztest=1,two --initrd @SRC@
; qemu-skip: QEMU's -kernel always enters a bzImage through its real-mode setup (entry 16)
; expect-output: bzimage: entry 64 PASS
%define BZ_ENTRY 64
%define BZ_ENTRY_STR "64"
%include "bzimage.inc"
