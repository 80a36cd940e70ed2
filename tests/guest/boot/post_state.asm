; POST state at boot: entry registers, BDA, IVT, PIC masks, the BIOS tick, the banner.
; expect-output: pvx BIOS 0.1
; expect-output: Booting from disk 0x80
; expect-output: boot/post_state: PASS
; expect-serial: pvx BIOS 0.1
; pvx-args: -m 64
%define TEST_NAME "boot/post_state"
%include "boot.inc"

test_main:
        movzx eax, byte [boot_drive]
        CHECK_EQ 0x80, "DL = 80h at boot"
        movzx eax, word [0x40E]
        CHECK_EQ 0x9FC0, "EBDA segment in the BDA"
        movzx eax, word [0x413]
        CHECK_EQ 639, "base memory 639 KiB"
        push es
        mov ax, 0x9FC0
        mov es, ax
        movzx eax, word [es:0]
        pop es
        CHECK_EQ 1, "EBDA size 1 KiB"
        movzx eax, word [0x400]
        CHECK_EQ 0x3F8, "COM1 at 3F8h"
        movzx eax, word [0x410]
        and eax, 0x0030
        CHECK_EQ 0x0020, "equipment: 80x25 colour"
        movzx eax, byte [0x475]
        CHECK_EQ 1, "one hard disk"
        movzx eax, byte [0x449]
        CHECK_EQ 3, "video mode 03h"
        movzx eax, word [0x44A]
        CHECK_EQ 80, "80 columns"
        movzx eax, word [0x41A]
        CHECK_EQ 0x1E, "keyboard buffer head"
        movzx eax, word [0x41C]
        CHECK_EQ 0x1E, "keyboard buffer empty"
        movzx eax, word [0x480]
        CHECK_EQ 0x1E, "keyboard buffer start"
        movzx eax, word [0x482]
        CHECK_EQ 0x3E, "keyboard buffer end"

        ; IVT: the services live in segment F000
        mov si, .vectors
.vec:   movzx bx, byte [si]
        inc si
        test bx, bx
        jz .vdone
        shl bx, 2
        movzx eax, word [bx + 2]
        cmp eax, 0xF000
        jne .vbad
        jmp .vec
.vbad:  FAIL "a BIOS service vector does not point into F000"
.vdone: mov eax, 0xF000
        CHECK_EQ 0xF000, "vectors 08-1Ah point into the BIOS"
        mov ax, [0x41 * 4]
        mov dx, [0x41 * 4 + 2]
        movzx eax, dx
        CHECK_EQ 0x9FC0, "INT 41h -> fixed disk parameter table in the EBDA"

        int 0x12
        movzx eax, ax
        CHECK_EQ 639, "INT 12h"
        int 0x11
        cmp ax, [0x410]
        CHECK e, "INT 11h = BDA equipment word"

        in al, 0x21
        movzx eax, al
        CHECK_EQ 0xF8, "master PIC: IRQ0, 1, 2 unmasked"
        in al, 0xA1
        movzx eax, al
        CHECK_EQ 0xFF, "slave PIC masked"

        ; the BIOS tick runs (IRQ0 -> INT 08h -> BDA 46Ch)
        mov ebx, [0x46C]
        mov cx, 200
.tick:  sti
        hlt
        cmp ebx, [0x46C]
        jne .ticked
        loop .tick
.ticked:
        CHECK ne, "BIOS tick count advances"

        ; the top of the ROM
        push ds
        mov ax, 0xF000
        mov ds, ax
        movzx eax, byte [0xFFF0]
        pop ds
        CHECK_EQ 0xEA, "reset vector: far jump"
        push ds
        mov ax, 0xF000
        mov ds, ax
        movzx eax, byte [0xFFFE]
        pop ds
        CHECK_EQ 0xFC, "model byte FCh"
        PASS

.vectors:
        db 0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0

        BOOT_END
