; INT 10h (mode, cursor, teletype and strings mirrored to COM1), 11h/12h, 15h (E820, E801, 88h,
; A20, 86h wait, 87h block move, C0h, C1h), 16h (buffer functions), 1Ah (ticks, RTC).
; expect-output: boot/services: PASS
; expect-serial: INT 10h teletype reaches COM1
; expect-serial: INT 10h string too
; pvx-args: -m 64
%define TEST_NAME "boot/services"
%include "boot.inc"

E820BUF equ 0x0600
GDTBUF  equ 0x0800

test_main:
        ; ---------------- INT 10h
        mov ah, 0x0F
        int 0x10
        movzx eax, al
        CHECK_EQ 3, "10h/0Fh: mode 03h"
        mov ah, 0x0F
        int 0x10
        movzx eax, ah
        CHECK_EQ 80, "10h/0Fh: 80 columns"
        mov ah, 0x02
        mov bh, 0
        mov dx, 0x050A
        int 0x10
        mov ah, 0x03
        mov bh, 0
        int 0x10
        movzx eax, dx
        CHECK_EQ 0x050A, "10h/03h: cursor where 02h put it"
        movzx eax, cx
        CHECK_EQ 0x0607, "10h/03h: cursor shape"
        mov si, tty_msg
.tty:   lodsb
        test al, al
        jz .ttyd
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        jmp .tty
.ttyd:  mov ah, 0x03
        mov bh, 0
        int 0x10
        movzx eax, dx
        CHECK_EQ 0x0600, "10h/0Eh: CR LF moved the cursor to the next line"
        mov ax, 0x1301                  ; write string, move the cursor
        mov bx, 0x001F
        mov cx, str_msg_len
        mov dx, 0x0A00
        push ds
        pop es
        mov bp, str_msg
        int 0x10
        mov ah, 0x03
        mov bh, 0
        int 0x10
        movzx eax, dx
        CHECK_EQ 0x0B00, "10h/13h: cursor after the string"
        mov ax, 0x0601                  ; scroll the whole screen up one line
        mov bh, 0x07
        xor cx, cx
        mov dx, 0x184F
        int 0x10
        mov ax, 0x0700
        mov bh, 0x07
        mov cx, 0x0101
        mov dx, 0x0505
        int 0x10
        mov ax, 0x1A00
        int 0x10
        movzx eax, al
        CHECK_EQ 0x1A, "10h/1Ah: display combination supported"

        ; ---------------- INT 11h / 12h
        int 0x12
        movzx eax, ax
        CHECK_EQ 639, "12h: 639 KiB"
        int 0x11
        movzx eax, ax
        and eax, 0x0E02
        CHECK_EQ 0x0202, "11h: FPU, one serial port"

        ; ---------------- INT 15h E820
        xor ebx, ebx
        mov di, E820BUF
        xor bp, bp                      ; entries
.e820:  mov eax, 0xE820
        mov edx, 0x534D4150
        mov ecx, 24
        push ds
        pop es
        int 0x15
        jc .e820err
        cmp eax, 0x534D4150
        jne .e820err
        cmp ecx, 20
        jne .e820err
        PRINT "e820: "
        push edx
        mov edx, [di + 4]
        mov eax, [di]
        PRINT_HEX64
        PRINT " "
        mov edx, [di + 12]
        mov eax, [di + 8]
        PRINT_HEX64
        pop edx
        PRINT " "
        mov eax, [di + 16]
        PRINT_DEC
        PRINTLN ""
        inc bp
        add di, 20
        test ebx, ebx
        jz .e820d
        cmp bp, 20
        jb .e820
.e820err:
        FAIL "E820 call failed or returned garbage"
.e820d: movzx eax, bp
        CHECK_EQ 6, "E820: 6 entries with 64 MiB"
        mov eax, [E820BUF + 8]
        CHECK_EQ 0x9FC00, "E820: low RAM up to the EBDA"
        mov eax, [E820BUF + 16]
        CHECK_EQ 1, "E820: low RAM is type 1"
        mov eax, [E820BUF + 20]
        CHECK_EQ 0x9FC00, "E820: reserved from the EBDA"
        mov eax, [E820BUF + 28]
        CHECK_EQ 0x60400, "E820: reserved up to 1 MiB"
        mov eax, [E820BUF + 40]
        CHECK_EQ 0x100000, "E820: RAM from 1 MiB"
        mov eax, [E820BUF + 48]
        CHECK_EQ 63 << 20, "E820: 63 MiB above 1 MiB"
        mov eax, [E820BUF + 56]
        CHECK_EQ 1, "E820: extended RAM is type 1"
        mov eax, 0xE820
        xor ebx, ebx
        mov edx, 0x12345678
        mov ecx, 20
        mov di, E820BUF
        int 0x15
        CHECK c, "E820 without 'SMAP' fails"

        mov ax, 0xE801
        int 0x15
        CHECK nc, "E801: CF clear"
        movzx eax, ax
        CHECK_EQ 15 * 1024, "E801: AX = 15 MiB between 1 and 16 MiB"
        movzx eax, cx
        CHECK_EQ 15 * 1024, "E801: CX = AX"
        movzx eax, bx
        CHECK_EQ 768, "E801: BX = 48 MiB in 64 KiB blocks"
        movzx eax, dx
        CHECK_EQ 768, "E801: DX = BX"
        mov ah, 0x88
        int 0x15
        movzx eax, ax
        CHECK_EQ 63 * 1024, "88h: 63 MiB above 1 MiB"

        mov ah, 0xC0
        int 0x15
        CHECK nc, "C0h: CF clear"
        movzx eax, word [es:bx]
        CHECK_EQ 8, "C0h: table size 8"
        movzx eax, byte [es:bx + 2]
        CHECK_EQ 0xFC, "C0h: model FCh"
        mov ah, 0xC1
        int 0x15
        CHECK nc, "C1h: CF clear"
        mov ax, es
        movzx eax, ax
        CHECK_EQ 0x9FC0, "C1h: EBDA segment"
        push ds
        pop es
        mov ah, 0x53
        xor bx, bx
        mov al, 0
        int 0x15
        CHECK c, "53h (APM): not supported"

        ; A20 through port 92h (the memory wrap itself: a20.asm)
        mov ax, 0x2403
        int 0x15
        CHECK nc, "2403h: CF clear"
        movzx eax, bx
        and eax, 2
        CHECK_EQ 2, "2403h: port 92h supported"
        mov ax, 0x2400
        int 0x15
        CHECK nc, "2400h: disable A20"
        mov ax, 0x2402
        int 0x15
        movzx eax, al
        CHECK_EQ 0, "2402h: A20 off"
        mov ax, 0x2401
        int 0x15
        CHECK nc, "2401h: enable A20"
        mov ax, 0x2402
        int 0x15
        movzx eax, al
        CHECK_EQ 1, "2402h: A20 on"

        ; 86h: wait 100 ms -> 1 to 3 BIOS ticks (55 ms each)
        mov ebx, [0x46C]
        mov ah, 0x86
        mov cx, 0x0001
        mov dx, 0x86A0
        int 0x15
        CHECK nc, "86h: CF clear"
        mov eax, [0x46C]
        sub eax, ebx
        cmp eax, 1
        CHECK ae, "86h: at least one tick passed in 100 ms"
        cmp eax, 3
        CHECK be, "86h: at most three ticks passed in 100 ms"

        ; 87h: copy 16 bytes 0x20000 -> 0x200000 -> 0x21000
        mov ax, 0x2000
        mov es, ax
        xor di, di
        mov eax, 0x87878787
        mov cx, 4
.pat:   stosd
        add eax, 0x01010101
        loop .pat
        push ds
        pop es
        mov eax, 0x020000
        mov ebx, 0x200000
        call block_move
        CHECK nc, "87h: to 2 MiB"
        mov eax, 0x200000
        mov ebx, 0x021000
        call block_move
        CHECK nc, "87h: back below 1 MiB"
        push ds
        push es
        mov ax, 0x2000
        mov ds, ax
        mov ax, 0x2100
        mov es, ax
        xor si, si
        xor di, di
        mov cx, 4
        repe cmpsd
        pop es
        pop ds
        CHECK e, "87h: the data made the round trip"

        ; ---------------- INT 16h
        mov ah, 0x01
        int 0x16
        CHECK z, "16h/01h: no key"
        mov ah, 0x05
        mov cx, 0x1E61
        int 0x16
        movzx eax, al
        CHECK_EQ 0, "16h/05h: key stored"
        mov ah, 0x01
        int 0x16
        CHECK nz, "16h/01h: a key is waiting"
        movzx eax, ax
        CHECK_EQ 0x1E61, "16h/01h: it is 'a'"
        mov ah, 0x11
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x1E61, "16h/11h: same key"
        mov ah, 0x00
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x1E61, "16h/00h: read it"
        mov ah, 0x01
        int 0x16
        CHECK z, "16h/01h: buffer empty again"
        mov cx, 0x0231                  ; 15 keys fit, the 16th does not
        mov bx, 15
.st:    mov ah, 0x05
        int 0x16
        test al, al
        jnz .stf
        inc cx
        dec bx
        jnz .st
        mov ah, 0x05
        int 0x16
        movzx eax, al
        CHECK_EQ 1, "16h/05h: the 16th key does not fit"
        jmp .rd
.stf:   FAIL "16h/05h: buffer full too early"
.rd:    mov cx, 0x0231
        mov bx, 15
.rl:    mov ah, 0x10
        int 0x16
        cmp ax, cx
        jne .rbad
        inc cx
        dec bx
        jnz .rl
        mov ah, 0x11
        int 0x16
        CHECK z, "16h/10h: 15 keys read back in order"
        jmp .shf
.rbad:  FAIL "16h/10h: keys out of order"
.shf:   mov ah, 0x02
        int 0x16
        movzx eax, al
        and eax, 0x0F
        CHECK_EQ 0, "16h/02h: no shift keys held"

        ; ---------------- INT 1Ah
        mov ah, 0x01
        mov cx, 0x0001
        mov dx, 0x2345
        int 0x1A
        mov ah, 0x00
        int 0x1A
        mov ax, cx
        shl eax, 16
        mov ax, dx
        sub eax, 0x12345
        cmp eax, 5
        CHECK b, "1Ah/00h: tick count as set by 01h"
        mov ah, 0x02
        int 0x1A
        CHECK nc, "1Ah/02h: RTC time"
        cmp ch, 0x23
        CHECK be, "1Ah/02h: hours in BCD"
        cmp cl, 0x59
        CHECK be, "1Ah/02h: minutes in BCD"
        mov ah, 0x04
        int 0x1A
        CHECK nc, "1Ah/04h: RTC date"
        movzx eax, ch
        CHECK_EQ 0x20, "1Ah/04h: century 20"
        cmp dh, 0x12
        CHECK be, "1Ah/04h: month in BCD"
        PASS

; block_move: EAX = source, EBX = target (linear, < 16 MiB): INT 15h AH=87h, 8 words
block_move:
        push es
        push ds
        pop es
        mov di, GDTBUF
        push eax
        xor eax, eax
        mov cx, 48 / 4
        rep stosd
        pop eax
        mov word [GDTBUF + 0x10], 0xFFFF
        mov [GDTBUF + 0x12], eax
        mov byte [GDTBUF + 0x15], 0x93
        mov word [GDTBUF + 0x18], 0xFFFF
        mov [GDTBUF + 0x1A], ebx
        mov byte [GDTBUF + 0x1D], 0x93
        mov ah, 0x87
        mov cx, 8
        mov si, GDTBUF
        int 0x15
        pop es
        ret

tty_msg: db "INT 10h teletype reaches COM1", 13, 10, 0
str_msg: db "INT 10h string too", 13, 10
str_msg_len equ $ - str_msg

        BOOT_END
