; A 1 GiB disk: more than 1024 cylinders, so INT 13h uses LBA-assisted translation (64 heads,
; 63 sectors, 520 cylinders). CHS addressing with a cylinder above 255 is checked by writing
; through CHS and reading back by LBA; the last sector is read by LBA.
; disk-size: 1G
; expect-output: boot/bigdisk: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/bigdisk"
%include "boot.inc"

TOTAL   equ 2097152
DAP     equ 0x0700

test_main:
        mov ah, 0x08
        mov dl, 0x80
        int 0x13
        CHECK nc, "08h: CF clear"
        movzx eax, dh
        CHECK_EQ 63, "08h: 64 heads"
        movzx eax, cl
        and eax, 0x3F
        CHECK_EQ 63, "08h: 63 sectors per track"
        movzx eax, cl
        shl eax, 2
        and eax, 0x300
        mov al, ch
        CHECK_EQ 519, "08h: 520 cylinders"
        mov word [0x600], 0x1A
        mov ah, 0x48
        mov dl, 0x80
        mov si, 0x600
        int 0x13
        mov eax, [0x610]
        CHECK_EQ TOTAL, "48h: 2097152 sectors"

        ; CHS (cylinder 3, head 5, sector 7) = LBA (3 * 64 + 5) * 63 + 6 = 12417: in the pattern
        mov ax, 0x0201
        mov cx, 0x0307
        mov dx, 0x0580
        mov bx, 0x1000
        mov es, bx
        xor bx, bx
        int 0x13
        CHECK nc, "02h: C/H/S 3/5/7"
        xor di, di
        mov eax, 12417
        call bt_check_pattern
        CHECK e, "02h: C/H/S 3/5/7 is LBA 12417"

        ; write C/H/S 300/10/20 (LBA (300 * 64 + 10) * 63 + 19 = 1210249), read it by LBA
        mov ax, 0x1000
        mov es, ax
        xor di, di
        mov eax, 0x5EC70000
        mov cx, 128
.f:     stosd
        inc eax
        loop .f
        mov ax, 0x0301
        mov cx, (300 & 0xFF) << 8 | ((300 >> 8) << 6) | 20
        mov dx, 0x0A80
        xor bx, bx
        int 0x13
        CHECK nc, "03h: C/H/S 300/10/20"
        push ds
        pop es
        mov dword [DAP], 0x00010010
        mov dword [DAP + 4], 0x20000000
        mov dword [DAP + 8], 1210249
        mov dword [DAP + 12], 0
        mov ah, 0x42
        mov dl, 0x80
        mov si, DAP
        int 0x13
        CHECK nc, "42h: LBA 1210249"
        push ds
        push es
        mov ax, 0x1000
        mov ds, ax
        mov ax, 0x2000
        mov es, ax
        xor si, si
        xor di, di
        mov cx, 128
        repe cmpsd
        pop es
        pop ds
        CHECK e, "cylinder 300 by CHS is LBA 1210249"

        ; the last sector
        mov dword [DAP], 0x00010010
        mov dword [DAP + 4], 0x20000000
        mov dword [DAP + 8], TOTAL - 1
        mov dword [DAP + 12], 0
        mov ah, 0x42
        mov dl, 0x80
        mov si, DAP
        int 0x13
        CHECK nc, "42h: the last sector"
        mov ax, 0x2000
        mov es, ax
        xor di, di
        mov eax, TOTAL - 1
        call bt_check_pattern
        CHECK e, "42h: the last sector's pattern"
        PASS

        BOOT_END
