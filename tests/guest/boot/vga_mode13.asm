; INT 10h mode 13h: AX=0013h programs the VGA for 320x200x256 (misc output 63h, chain-4, the
; 256-colour shift), AH=0Fh reports it, pixels at A0000h are bytes, the DAC holds the grey ramp
; and colour cube; back in mode 03h the font is reloaded into plane 2 (chain-4 writes wiped it).
; The guest ends in mode 13h with pixel (17, 10) = colour D7h; tests/display/check_screenshot.py
; checks that pixel in pvx's --screenshot.
; qemu-args: -device VGA
; expect-output: boot/vga_mode13: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/vga_mode13"
%include "boot.inc"

test_main:
        mov ax, 0x0013
        int 0x10
        mov ah, 0x0F
        int 0x10
        movzx eax, ax
        CHECK_EQ 0x2813, "0Fh: mode 13h, 40 columns"
        mov dx, 0x3CC
        in al, dx
        movzx eax, al
        CHECK_EQ 0x63, "misc output 63h"
        mov dx, 0x3C4
        mov al, 4
        out dx, al
        inc dx
        in al, dx
        movzx eax, al
        CHECK_EQ 0x0E, "SR04: chain-4"
        mov dx, 0x3CE
        mov al, 5
        out dx, al
        inc dx
        in al, dx
        movzx eax, al
        CHECK_EQ 0x40, "GR05: 256-colour shift"
        push es
        mov ax, 0xA000
        mov es, ax
        mov byte [es:10 * 320 + 17], 0x2B
        mov byte [es:10 * 320 + 18], 0x2C
        movzx eax, word [es:10 * 320 + 17]
        pop es
        CHECK_EQ 0x2C2B, "pixels read back as bytes"
        mov al, 0x14
        call dac_read
        CHECK_EQ 0x0E0E0E, "DAC 14h: grey"
        mov al, 0xD7                    ; 20h + 5*36 + 0*6 + 3
        call dac_read
        CHECK_EQ 0x3F0026, "DAC D7h: the cube's red 5, green 0, blue 3"
        mov al, 0x04
        call dac_read
        CHECK_EQ 0x2A0000, "DAC 04h: red, as in text mode"
        ; back to text: the font in plane 2 matches the 1130h font again
        mov ax, 0x0003
        int 0x10
        mov al, 'A'
        call vga_glyph_check
        movzx eax, bh
        CHECK_EQ 0, "mode 03h again: plane 2 holds the font's 'A'"
        ; end in mode 13h with one known pixel for the screenshot
        mov ax, 0x0013
        int 0x10
        push es
        mov ax, 0xA000
        mov es, ax
        mov byte [es:10 * 320 + 17], 0xD7
        pop es
        PASS

; dac_read: AL = DAC entry -> EAX = red << 16 | green << 8 | blue (6-bit values)
dac_read:
        push dx
        mov dx, 0x3C7
        out dx, al
        add dx, 2
        xor eax, eax
        in al, dx
        shl eax, 8
        in al, dx
        shl eax, 8
        in al, dx
        pop dx
        ret

%include "vga_font.inc"

        BOOT_END
