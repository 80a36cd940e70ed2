; INT 15h AH=2400h/2401h gate address line 20 through port 92h: with A20 off, FFFF:0510 is
; 0000:0500 (the 8086 wrap); with it on, it is 0x100500.
; bios: any
; expect-output: boot/a20: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/a20"
%include "boot.inc"

test_main:
        mov ax, 0x2400
        int 0x15
        CHECK nc, "2400h: disable A20"
        mov word [0x500], 0x1111
        push ds
        mov ax, 0xFFFF
        mov ds, ax
        mov word [0x510], 0x2222
        pop ds
        movzx eax, word [0x500]
        CHECK_EQ 0x2222, "A20 off: memory wraps at 1 MiB"
        mov ax, 0x2401
        int 0x15
        CHECK nc, "2401h: enable A20"
        mov word [0x500], 0x1111
        push ds
        mov ax, 0xFFFF
        mov ds, ax
        mov word [0x510], 0x3333
        pop ds
        movzx eax, word [0x500]
        CHECK_EQ 0x1111, "A20 on: no wrap at 1 MiB"
        PASS

        BOOT_END
