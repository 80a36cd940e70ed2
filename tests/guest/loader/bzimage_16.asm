; Linux boot protocol, entry 16: a tiny bzImage (bzimage.inc) checks what the loader handed it.
; kind: bzimage
; pvx-args: --kernel-entry 16 --append bztest=1,two --initrd @SRC@
; qemu-args: -append bztest=1,two -initrd @SRC@
; expect-output: bzimage: entry 16 PASS
%define BZ_ENTRY 16
%define BZ_ENTRY_STR "16"
%include "bzimage.inc"
