; INT 10h text memory: write char/attribute (09h), char only (0Ah), read back (08h), teletype
; into 0xB8000, scrolling windows (06h/07h), mode set clearing the screen.
; The guest first sets the VGA sequencer and graphics controller to the text-mode memory layout
; (odd/even planes 0-1 at B8000h), which QEMU's VGA needs since no VGA BIOS ran.
; qemu-args: -device VGA
; expect-output: boot/video: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/video"
%include "boot.inc"

test_main:
        mov dx, 0x3C4
        mov ax, 0x0302                  ; SR2: planes 0 and 1
        out dx, ax
        mov ax, 0x0204                  ; SR4: odd/even
        out dx, ax
        mov dx, 0x3CE
        mov ax, 0x1005                  ; GR5: odd/even
        out dx, ax
        mov ax, 0x0E06                  ; GR6: B8000h-BFFFFh, chained
        out dx, ax
        mov ax, 0x0004                  ; GR4: read map 0
        out dx, ax
        mov ax, 0x0003                  ; mode 03h: cleared to 0720h
        int 0x10
        push es
        mov ax, 0xB800
        mov es, ax
        movzx eax, word [es:2 * 1000]
        pop es
        CHECK_EQ 0x0720, "00h: screen cleared to grey blanks"
        mov ah, 0x02
        mov bh, 0
        mov dx, 0x0203
        int 0x10
        mov ax, 0x0958                  ; 'X' x3, attribute 1Eh
        mov bx, 0x001E
        mov cx, 3
        int 0x10
        mov ah, 0x08
        mov bh, 0
        int 0x10
        movzx eax, ax
        CHECK_EQ 0x1E58, "08h reads what 09h wrote"
        call cell_2_5
        CHECK_EQ 0x1E58, "09h: count 3 reaches column 5"
        mov ax, 0x0A59                  ; 'Y' keeps the attribute
        mov cx, 1
        mov bh, 0
        int 0x10
        mov ah, 0x08
        mov bh, 0
        int 0x10
        movzx eax, ax
        CHECK_EQ 0x1E59, "0Ah: character only"
        mov ah, 0x03
        mov bh, 0
        int 0x10
        movzx eax, dx
        CHECK_EQ 0x0203, "09h/0Ah do not move the cursor"
        mov ax, 0x0E5A                  ; teletype 'Z' at 2/3, cursor to 2/4
        int 0x10
        mov ah, 0x08
        mov bh, 0
        mov dx, 0x0203
        mov ah, 0x02
        int 0x10
        mov ah, 0x08
        int 0x10
        movzx eax, ax
        CHECK_EQ 0x1E5A, "0Eh: keeps the cell's attribute"
        ; scroll rows 0-4, columns 0-9 up by one: row 2 moves to row 1
        mov ax, 0x0601
        mov bh, 0x70
        mov cx, 0x0000
        mov dx, 0x0409
        int 0x10
        push es
        mov ax, 0xB800
        mov es, ax
        movzx eax, word [es:(1 * 80 + 5) * 2]
        pop es
        CHECK_EQ 0x1E58, "06h: row 2 moved up to row 1"
        push es
        mov ax, 0xB800
        mov es, ax
        movzx eax, word [es:(4 * 80 + 0) * 2]
        pop es
        CHECK_EQ 0x7020, "06h: bottom row of the window blanked with attribute 70h"
        push es
        mov ax, 0xB800
        mov es, ax
        movzx eax, word [es:(2 * 80 + 10) * 2]
        pop es
        CHECK_EQ 0x0720, "06h: outside the window untouched"
        mov ax, 0x0701                  ; and back down
        mov bh, 0x07
        mov cx, 0x0000
        mov dx, 0x0409
        int 0x10
        call cell_2_5
        CHECK_EQ 0x1E58, "07h: row 1 moved back down to row 2"
        PASS

cell_2_5:
        push es
        mov ax, 0xB800
        mov es, ax
        movzx eax, word [es:(2 * 80 + 5) * 2]
        pop es
        ret

        BOOT_END
