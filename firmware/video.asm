; video.asm — INT 10h on the std VGA (PCI 1234:1111 or any VGA): an 80x25 colour text console
; at 0xB8000 (mode 03h, 8 pages of 4 KiB), and mode 13h (320x200x256) on request. POST and every mode set program the VGA registers
; for mode 03h (the standard values of the IBM VGA Technical Reference's mode tables), load the
; 64-colour EGA palette into the DAC and the 8x16 font into plane 2.
; Teletype output (AH=0Eh) and strings (AH=13h) are mirrored to COM1 so a machine without a
; display still shows what firmware and boot loaders print.

VID_SEG         equ 0xB800
VID_COLS        equ 80
VID_ROWS        equ 25
VID_PAGESZ      equ 0x1000
VGA_MISC_W      equ 0x3C2
VGA_SEQ         equ 0x3C4
VGA_GC          equ 0x3CE
VGA_AC          equ 0x3C0
VGA_DAC_W       equ 0x3C8
VGA_STATUS1     equ 0x3DA

; video_init: BDA video state for mode 03h, screen cleared, cursor home
video_init:
        mov ax, BDA_SEG
        mov ds, ax
        xor ax, ax
        mov es, ax
        mov word [es:0x43 * 4], vga_font_8x16   ; INT 43h: the character table of this mode
        mov word [es:0x43 * 4 + 2], BIOS_SEG
        xor al, al
        jmp vid_set_mode3

; Mode register tables (the standard values of the IBM VGA Technical Reference's mode tables):
; misc output, SR01-SR04, CR00-CR18, GR00-GR08, AR00-AR14.
; Mode 03h: 720x400, 9-dot characters 16 lines high, odd/even text memory at B8000h, attribute
; palette onto DAC entries 00h-3Fh.
vga_mode3_regs:
        db 0x67
        db 0x00, 0x03, 0x00, 0x02
        db 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF
vga_m3_ac:
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B
        db 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00
; Mode 13h: 320x200, 256 colours, chain-4 at A0000h, each pixel row scanned twice.
vga_mode13_regs:
        db 0x63
        db 0x01, 0x0F, 0x00, 0x0E
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B
        db 0x0C, 0x0D, 0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00, 0x00
; mode 13h DAC 10h-1Fh: a grey ramp; 20h-F7h: a 6x6x6 colour cube of these levels
vga_grey_ramp:  db 0, 5, 8, 11, 14, 17, 20, 24, 28, 32, 36, 40, 45, 50, 56, 63
vga_cube_level: db 0, 12, 25, 38, 51, 63

; vga_regs_out: DX = index port, CS:SI = values for indexes 0..CX-1. Clobbers AX, CX; SI moves on.
vga_regs_out:
        xor al, al
.l:     mov ah, [cs:si]
        out dx, ax
        inc si
        inc al
        loop .l
        ret

; vga_set_regs: CS:SI = a mode register table (above). Preserves all registers.
vga_set_regs:
        pusha
        mov dx, VGA_MISC_W
        mov al, [cs:si]
        out dx, al
        inc si
        mov dx, VGA_SEQ
        mov ax, 0x0100                  ; synchronous reset while the clocking changes
        out dx, ax
        mov cx, 4
        mov al, 1
.seq:   mov ah, [cs:si]
        out dx, ax
        inc si
        inc al
        loop .seq
        mov ax, 0x0300                  ; end of reset
        out dx, ax
        mov dx, CRTC_PORT
        mov ax, 0x0E11                  ; CR11 bit 7 off: CR00-CR07 writable
        out dx, ax
        mov cx, 0x19
        call vga_regs_out
        mov dx, VGA_GC
        mov cx, 9
        call vga_regs_out
        mov dx, VGA_STATUS1
        in al, dx                       ; attribute flip-flop -> index
        mov dx, VGA_AC
        xor ah, ah
.ac:    mov al, ah
        out dx, al
        mov al, [cs:si]
        out dx, al
        inc si
        inc ah
        cmp ah, 0x15
        jb .ac
        mov al, 0x20                    ; palette address source: display on
        out dx, al
        mov dx, 0x3C6
        mov al, 0xFF                    ; pel mask
        out dx, al
        popa
        ret

; vga_dac_ega: BL = an EGA colour rgbRGB -> its three DAC components out to DX (3C9h), each
; 2/3 for the high bit plus 1/3 for the low bit. Clobbers AX, CL.
vga_dac_ega:
        mov cl, 2                       ; red: bits 2 and 5
        call .comp
        mov cl, 1                       ; green: bits 1 and 4
        call .comp
        mov cl, 0                       ; blue: bits 0 and 3
.comp:  mov ah, bl
        shr ah, cl
        xor al, al
        test ah, 1
        jz .nohi
        add al, 0x2A
.nohi:  test ah, 8
        jz .nolo
        add al, 0x15
.nolo:  out dx, al
        ret

; vga_program_mode3: every VGA register for mode 03h, DAC 00h-3Fh the EGA colours, and the font.
; Preserves all registers.
vga_program_mode3:
        pusha
        push ds
        push es
        mov si, vga_mode3_regs
        call vga_set_regs
        mov dx, VGA_DAC_W
        xor al, al
        out dx, al
        inc dx                          ; 3C9h
        xor bx, bx
.dac:   call vga_dac_ega
        inc bx
        cmp bx, 64
        jb .dac
        call vga_load_font
        pop es
        pop ds
        popa
        ret

; vga_program_mode13: every VGA register for mode 13h and its 256-colour DAC: 00h-0Fh the 16
; text colours, 10h-1Fh grey, 20h-F7h a colour cube, F8h-FFh black. AL bit 7 clear: the screen
; is cleared. Preserves all registers.
vga_program_mode13:
        pusha
        push es
        push ax
        mov si, vga_mode13_regs
        call vga_set_regs
        mov dx, VGA_DAC_W
        xor al, al
        out dx, al
        inc dx
        xor si, si
.text:  mov bl, [cs:vga_m3_ac + si]
        call vga_dac_ega
        inc si
        cmp si, 16
        jb .text
        xor si, si
.grey:  mov al, [cs:vga_grey_ramp + si]
        out dx, al
        out dx, al
        out dx, al
        inc si
        cmp si, 16
        jb .grey
        xor bx, bx                      ; BH = red, BL = green, SI = blue level index
.cube:  xor si, si
.blue:  movzx di, bh
        mov al, [cs:vga_cube_level + di]
        out dx, al
        movzx di, bl
        mov al, [cs:vga_cube_level + di]
        out dx, al
        mov al, [cs:vga_cube_level + si]
        out dx, al
        inc si
        cmp si, 6
        jb .blue
        inc bl
        cmp bl, 6
        jb .cube
        xor bl, bl
        inc bh
        cmp bh, 6
        jb .cube
        mov cx, 8 * 3
        xor al, al
.black: out dx, al
        loop .black
        pop ax
        test al, 0x80
        jnz .keep
        mov ax, 0xA000
        mov es, ax
        xor di, di
        xor ax, ax
        mov cx, 320 * 200 / 2
        rep stosw
.keep:  pop es
        popa
        ret

; vga_load_font: the 8x16 font into plane 2, character map 0 (32 bytes per character), then the
; text-mode memory layout back. Clobbers AX, CX, DX, SI, DI, DS, ES.
vga_load_font:
        mov dx, VGA_SEQ
        mov ax, 0x0402                  ; write plane 2 only
        out dx, ax
        mov ax, 0x0704                  ; sequential addressing, no odd/even
        out dx, ax
        mov dx, VGA_GC
        mov ax, 0x0204                  ; read map 2
        out dx, ax
        mov ax, 0x0005                  ; write mode 0, no odd/even
        out dx, ax
        mov ax, 0x0406                  ; A0000h-AFFFFh, text
        out dx, ax
        mov ax, 0xA000
        mov es, ax
        mov ax, cs
        mov ds, ax
        mov si, vga_font_8x16
        xor di, di
        mov dx, 256
.ch:    mov cx, 8
        rep movsw
        add di, 16
        dec dx
        jnz .ch
        mov dx, VGA_SEQ
        mov ax, 0x0302                  ; planes 0 and 1
        out dx, ax
        mov ax, 0x0204                  ; odd/even
        out dx, ax
        mov dx, VGA_GC
        mov ax, 0x0004
        out dx, ax
        mov ax, 0x1005
        out dx, ax
        mov ax, 0x0E06                  ; B8000h-BFFFFh
        out dx, ax
        ret

; vid_set_mode3: DS = BDA; AL bit 7 set: keep the screen contents
vid_set_mode3:
        push ax
        mov byte [BDA_VMODE], 0x03
        mov word [BDA_VCOLS], VID_COLS
        mov word [BDA_VPAGESZ], VID_PAGESZ
        mov word [BDA_VPAGEOFF], 0
        mov byte [BDA_VPAGE], 0
        mov word [BDA_CRTC], CRTC_PORT
        mov byte [BDA_VMODECTL], 0x29
        mov byte [BDA_VPALETTE], 0x30
        mov byte [BDA_VROWS], VID_ROWS - 1
        mov word [BDA_VCHARH], 16
        mov byte [BDA_VCTL], 0x60
        mov byte [BDA_VSWITCH], 0xF9
        mov byte [BDA_VMODESET], 0x51
        mov byte [BDA_VDCC], 0x08
        mov word [BDA_CURSHAPE], 0x0607
        xor ax, ax
        mov di, BDA_CURPOS
        mov cx, 8
.cur:   mov [di], ax
        add di, 2
        loop .cur
        call vga_program_mode3
        pop ax
        test al, 0x80
        jnz .noclear
        mov ax, VID_SEG
        mov es, ax
        xor di, di
        mov ax, 0x0720
        mov cx, 8 * VID_PAGESZ / 2
        rep stosw
.noclear:
        ; CRTC: display start 0, cursor shape, cursor position
        mov dx, CRTC_PORT
        mov ax, 0x000C
        call crtc_write
        mov ax, 0x000D
        call crtc_write
        mov ax, 0x0D0A                  ; cursor lines 13-14 of 16
        call crtc_write
        mov ax, 0x0E0B
        call crtc_write
        jmp vid_hw_cursor

; crtc_write: AL = register, AH = value
crtc_write:
        push dx
        mov dx, CRTC_PORT
        out dx, al
        inc dx
        xchg al, ah
        out dx, al
        xchg al, ah
        pop dx
        ret

; vid_hw_cursor: program the CRTC cursor from the active page's BDA position. DS = BDA.
vid_hw_cursor:
        push ax
        push bx
        push dx
        movzx bx, byte [BDA_VPAGE]
        and bx, 7
        shl bx, 1
        mov dx, [BDA_CURPOS + bx]
        mov al, dh
        mov ah, VID_COLS
        mul ah
        xor dh, dh
        add ax, dx
        mov bx, [BDA_VPAGEOFF]
        shr bx, 1
        add bx, ax
        mov al, 0x0E
        mov ah, bh
        call crtc_write
        mov al, 0x0F
        mov ah, bl
        call crtc_write
        pop dx
        pop bx
        pop ax
        ret

; vid_get_cursor: BH = page -> DX = position (DL column, DH row). DS = BDA.
vid_get_cursor:
        push bx
        movzx bx, bh
        and bx, 7
        shl bx, 1
        mov dx, [BDA_CURPOS + bx]
        pop bx
        ret

; vid_set_cursor: BH = page, DX = position. DS = BDA.
vid_set_cursor:
        push bx
        movzx bx, bh
        and bx, 7
        shl bx, 1
        mov [BDA_CURPOS + bx], dx
        pop bx
        cmp bh, [BDA_VPAGE]
        jne .done
        call vid_hw_cursor
.done:  ret

; vid_cell: BH = page, DX = position -> ES:DI = its cell. DS = BDA.
vid_cell:
        push ax
        mov al, dh
        mov ah, VID_COLS
        mul ah
        add al, dl
        adc ah, 0
        shl ax, 1
        mov di, ax
        movzx ax, bh
        and al, 7
        shl ax, 12
        add di, ax
        mov ax, VID_SEG
        mov es, ax
        pop ax
        ret

; vid_scroll_up1: scroll the whole page BH up one line, blank bottom line. DS = BDA.
vid_scroll_up1:
        push ds
        push es
        pusha
        movzx di, bh
        and di, 7
        shl di, 12
        mov ax, VID_SEG
        mov ds, ax
        mov es, ax
        lea si, [di + VID_COLS * 2]
        mov cx, VID_COLS * (VID_ROWS - 1)
        rep movsw
        mov ax, 0x0720
        mov cx, VID_COLS
        rep stosw
        popa
        pop es
        pop ds
        ret

; vid_tty_active: AL -> teletype on the active page, mirrored to COM1. Preserves all registers.
vid_tty_active:
        push ds
        push es
        pusha
        call serial_putc
        mov bx, BDA_SEG
        mov ds, bx
        mov bh, [BDA_VPAGE]
        xor bl, bl
        call vid_put
        popa
        pop es
        pop ds
        ret

; vid_put: AL = character, AH = attribute, BH = page, BL = 1 to write the attribute too (0: keep
; the cell's). BEL, BS, LF and CR act as controls; the cursor advances, wraps and the page
; scrolls. DS = BDA. Clobbers AX, CX, DX, DI, ES.
vid_put:
        call vid_get_cursor
        cmp al, 13
        je .cr
        cmp al, 10
        je .lf
        cmp al, 8
        je .bs
        cmp al, 7
        je .done
        call vid_cell
        test bl, bl
        jz .charonly
        mov [es:di], ax
        jmp .adv
.charonly:
        mov [es:di], al
.adv:   inc dl
        cmp dl, VID_COLS
        jb .set
        xor dl, dl
.lf:    inc dh
        jmp .set
.cr:    xor dl, dl
        jmp .set
.bs:    test dl, dl
        jz .set
        dec dl
.set:   cmp dh, VID_ROWS - 1
        jbe .pos
        mov dh, VID_ROWS - 1
        call vid_scroll_up1
.pos:   call vid_set_cursor
.done:  ret

; vid_scroll: AH = 06h (up) or 07h (down), AL = lines (0: clear), BH = fill attribute,
; CH/CL = top row/left column, DH/DL = bottom row/right column; active page. DS = BDA.
vid_scroll:
        push bp
        mov bp, sp
        sub sp, 8
        cmp dh, VID_ROWS - 1
        jbe .r
        mov dh, VID_ROWS - 1
.r:     cmp dl, VID_COLS - 1
        jbe .c
        mov dl, VID_COLS - 1
.c:     cmp ch, dh
        ja .ret
        cmp cl, dl
        ja .ret
        mov [bp - 1], ah                ; direction
        mov [bp - 2], bh                ; attribute
        mov bl, dl
        sub bl, cl
        inc bl
        mov [bp - 3], bl                ; width
        mov bl, dh
        sub bl, ch
        inc bl
        mov [bp - 4], bl                ; height
        test al, al
        jz .all
        cmp al, bl
        jb .lok
.all:   mov al, bl
.lok:   mov [bp - 5], al                ; lines
        mov bx, [BDA_VPAGEOFF]
        push ds
        mov ax, VID_SEG
        mov ds, ax
        mov es, ax
        cmp byte [bp - 1], 7
        je .down
        ; up: rows ch+lines..dh move to ch..
        mov al, ch
        call .rowaddr                   ; DI
        movzx ax, byte [bp - 5]
        imul ax, ax, VID_COLS * 2
        mov si, di
        add si, ax
        mov dx, VID_COLS * 2            ; step
        jmp .move
.down:  mov al, dh
        call .rowaddr
        movzx ax, byte [bp - 5]
        imul ax, ax, VID_COLS * 2
        mov si, di
        sub si, ax
        mov dx, -VID_COLS * 2
.move:  mov bl, [bp - 4]
        sub bl, [bp - 5]                ; rows to copy
        jz .fill
.mv:    push si
        push di
        movzx cx, byte [bp - 3]
        rep movsw
        pop di
        pop si
        add di, dx
        add si, dx
        dec bl
        jnz .mv
.fill:  mov bl, [bp - 5]
        mov ah, [bp - 2]
        mov al, ' '
.fl:    push di
        movzx cx, byte [bp - 3]
        rep stosw
        pop di
        add di, dx
        dec bl
        jnz .fl
        pop ds
.ret:   mov sp, bp
        pop bp
        ret
; DI = BX (page offset) + AL * 160 + CL * 2
.rowaddr:
        push ax
        mov ah, VID_COLS * 2
        mul ah
        add ax, bx
        movzx di, cl
        shl di, 1
        add di, ax
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 10h
; ---------------------------------------------------------------------------------------------
int10_handler:
        sti
        cld
        ENTER_FRAME
        mov bx, BDA_SEG
        mov ds, bx
        mov ax, [bp + F_AX]
        mov bx, [bp + F_BX]
        mov cx, [bp + F_CX]
        mov dx, [bp + F_DX]
        cmp ah, 0x13
        ja .high
        movzx si, ah
        shl si, 1
        call [cs:int10_table + si]
        LEAVE_FRAME
.high:  cmp ah, 0x1A
        jne .not1a
        call v_dcc
        LEAVE_FRAME
.not1a: cmp ah, 0x4F
        jne .ret
        mov word [bp + F_AX], 0x0100    ; VBE: not supported
.ret:   LEAVE_FRAME

int10_table:
        dw v_setmode, v_shape, v_setcur, v_getcur, v_nop, v_page, v_scroll, v_scroll
        dw v_readca, v_writeca, v_writec, v_nop, v_nop, v_readpix, v_tty, v_getmode
        dw v_nop, v_font, v_altsel, v_string

v_nop:  ret

; AL = mode (bit 7: keep the screen): 13h is mode 13h, every other mode is served as 03h.
v_setmode:
        mov ah, al
        and ah, 0x7F
        cmp ah, 0x13
        je vid_set_mode13
        jmp vid_set_mode3

; vid_set_mode13: DS = BDA; AL bit 7 set: keep the screen contents. Text output (teletype) in
; this mode reaches only COM1: the BIOS draws no characters in graphics.
vid_set_mode13:
        mov byte [BDA_VMODE], 0x13
        mov word [BDA_VCOLS], 40
        mov word [BDA_VPAGESZ], 0xFA00
        mov word [BDA_VPAGEOFF], 0
        mov byte [BDA_VPAGE], 0
        mov byte [BDA_VROWS], VID_ROWS - 1
        mov word [BDA_VCHARH], 8
        push ax
        xor ax, ax
        mov di, BDA_CURPOS
        mov cx, 8
.cur:   mov [di], ax
        add di, 2
        loop .cur
        pop ax
        jmp vga_program_mode13

v_shape:
        mov [BDA_CURSHAPE], cx
        mov al, 0x0A
        mov ah, ch
        call vid_cursor_line
        call crtc_write
        mov al, 0x0B
        mov ah, cl
        call vid_cursor_line
        jmp crtc_write

; vid_cursor_line: AH = a cursor line in the CGA's 8-line cell (as programs pass it to AH=01h)
; -> the line in the 16-line cell (0-3 -> 0-6, 4-7 -> 11-14); bit 5 (cursor off) is kept.
vid_cursor_line:
        push bx
        mov bl, ah
        and bl, 0x1F
        cmp bl, 7
        ja .keep
        cmp bl, 4
        jb .dbl
        add bl, 7
        jmp .set
.dbl:   shl bl, 1
.set:   and ah, 0xE0
        or ah, bl
.keep:  pop bx
        ret

v_setcur:
        jmp vid_set_cursor

v_getcur:
        call vid_get_cursor
        mov [bp + F_DX], dx
        mov ax, [BDA_CURSHAPE]
        mov [bp + F_CX], ax
        ret

v_page:
        and al, 7
        mov [BDA_VPAGE], al
        movzx ax, al
        shl ax, 12
        mov [BDA_VPAGEOFF], ax
        shr ax, 1
        mov bx, ax
        mov al, 0x0C
        mov ah, bh
        call crtc_write
        mov al, 0x0D
        mov ah, bl
        call crtc_write
        jmp vid_hw_cursor

v_scroll:
        jmp vid_scroll

v_readca:
        call vid_get_cursor
        call vid_cell
        mov ax, [es:di]
        mov [bp + F_AX], ax
        ret

v_writeca:
        call vid_get_cursor
        call vid_cell
        mov ah, bl
        rep stosw
        ret

v_writec:
        call vid_get_cursor
        call vid_cell
        jcxz .done
.l:     mov [es:di], al
        add di, 2
        loop .l
.done:  ret

v_readpix:
        mov byte [bp + F_AL], 0
        ret

v_tty:
        jmp vid_tty_active

v_getmode:
        mov al, [BDA_VMODE]
        mov ah, [BDA_VCOLS]
        mov [bp + F_AX], ax
        mov al, [BDA_VPAGE]
        mov [bp + F_BH], al
        ret

; AX=1130h: font information. BH = 00h/01h: the INT 1Fh/43h vectors; any other (06h is the
; 8x16 font) -> the 8x16 font, the only one this BIOS has. CX = bytes per character, DL = rows - 1.
v_font:
        cmp al, 0x30
        jne .done
        mov word [bp + F_CX], 16
        mov byte [bp + F_DL], VID_ROWS - 1
        mov ax, BIOS_SEG
        mov si, vga_font_8x16
        cmp bh, 1
        ja .set
        push es
        xor ax, ax
        mov es, ax
        mov si, 0x1F * 4
        test bh, bh
        jz .vec
        mov si, 0x43 * 4
.vec:   mov ax, [es:si + 2]
        mov si, [es:si]
        pop es
.set:   mov [bp + F_ES], ax
        mov [bp + F_BP], si
.done:  ret

v_altsel:
        cmp bl, 0x10
        jne .done
        mov word [bp + F_BX], 0x0003    ; colour, 256 KiB
        mov word [bp + F_CX], 0x0009
.done:  ret

v_dcc:
        test al, al
        jnz .done
        mov byte [bp + F_AL], 0x1A
        mov word [bp + F_BX], 0x0008    ; VGA colour
.done:  ret

; AH=13h: AL = mode (bit 0 move cursor, bit 1 attributes in string), BH = page, BL = attribute,
; CX = length, DH/DL = position, ES:BP = string
v_string:
        push word [bp + F_ES]
        pop fs
        mov si, [bp + F_BP]
        push dx
        call vid_get_cursor
        mov di, dx                      ; old position
        pop dx
        call vid_set_cursor
        jcxz .end
.next:  mov al, [fs:si]
        inc si
        test byte [bp + F_AL], 2
        jz .noattr
        mov bl, [fs:si]
        inc si
.noattr:
        call serial_putc
        push cx
        push di
        push es
        mov ah, bl
        push bx
        mov bl, 1
        call vid_put
        pop bx
        pop es
        pop di
        pop cx
        loop .next
.end:   test byte [bp + F_AL], 1
        jnz .done
        mov dx, di
        call vid_set_cursor
.done:  ret

%include "vga_font.inc"
