; Linux boot protocol, entry 32: a tiny bzImage (bzimage.inc) checks what the loader handed it.
; kind: bzimage
; pvx-args: --kernel-entry 32 --append bztest=1,two --initrd @SRC@
; qemu-skip: QEMU's -kernel always enters a bzImage through its real-mode setup (entry 16)
; expect-output: bzimage: entry 32 PASS
%define BZ_ENTRY 32
%define BZ_ENTRY_STR "32"
%include "bzimage.inc"
