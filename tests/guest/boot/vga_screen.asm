; INT 10h on the VGA: after a mode 03h set, AH=13h writes "pvx" in yellow on blue at row 5,
; column 10, and the VGA registers hold what the BIOS programmed: misc output 67h, the CRTC
; cursor location, attribute mode control 0Ch, the EGA colour in DAC entry 14h (brown); AX=1130h
; returns a 16-byte-per-character font whose glyphs are the ones in plane 2.
; tests/display/check_screenshot.py boots this guest with --screenshot and checks the pixels.
; qemu-args: -device VGA
; expect-output: boot/vga_screen: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/vga_screen"
%include "boot.inc"

test_main:
        mov ax, 0x0003
        int 0x10
        mov ax, 0x1301                  ; string, attribute in BL, move the cursor
        mov bx, 0x001E
        mov cx, 3
        mov dx, 0x050A
        mov bp, msg
        int 0x10
        mov ah, 0x03
        mov bh, 0
        int 0x10
        movzx eax, dx
        CHECK_EQ 0x050D, "13h: cursor after the string"
        mov dx, 0x3D4
        mov al, 0x0E
        out dx, al
        inc dx
        in al, dx
        mov ah, al
        dec dx
        mov al, 0x0F
        out dx, al
        inc dx
        in al, dx
        movzx eax, ax
        CHECK_EQ 5 * 80 + 13, "CRTC cursor location follows the BIOS cursor"
        mov dx, 0x3CC
        in al, dx
        movzx eax, al
        CHECK_EQ 0x67, "misc output: colour I/O, mode 03h clock"
        mov dx, 0x3DA
        in al, dx                       ; attribute flip-flop -> index
        mov dx, 0x3C0
        mov al, 0x30                    ; AR10, display kept on (PAS)
        out dx, al
        inc dx
        in al, dx
        movzx eax, al
        CHECK_EQ 0x0C, "attribute mode control: text, line graphics, blink"
        mov dx, 0x3DA
        in al, dx
        mov dx, 0x3C7
        mov al, 0x14
        out dx, al
        add dx, 2
        xor eax, eax
        in al, dx
        shl eax, 8
        in al, dx
        shl eax, 8
        in al, dx
        CHECK_EQ 0x2A1500, "DAC entry 14h: brown"
        push es
        mov ax, 0x1130
        mov bh, 0x06
        int 0x10
        movzx eax, cx
        CHECK_EQ 16, "1130h: 16 bytes per character"
        movzx eax, dl
        CHECK_EQ 24, "1130h: 25 rows"
        pop es
        mov al, 'p'
        call vga_glyph_check
        movzx eax, bh
        CHECK_EQ 0, "plane 2 holds the 1130h font's 'p'"
        movzx eax, bl
        test eax, eax
        CHECK nz, "the glyph for 'p' is not blank"
        mov ah, 0x01                    ; cursor off, so the screenshot does not depend on it
        mov cx, 0x2000
        int 0x10
        PASS

msg:    db "pvx"
%include "vga_font.inc"

        BOOT_END
