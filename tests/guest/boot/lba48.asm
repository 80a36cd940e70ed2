; A 200 GiB (sparse) disk: sectors beyond 2^28 need LBA48 commands; INT 13h CHS is capped at
; 1024 cylinders of 255 heads.
; disk-size: 200G
; expect-output: boot/lba48: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/lba48"
%include "boot.inc"

TOTAL   equ 419430400
DAP     equ 0x0700

test_main:
        mov word [0x600], 0x1A
        mov ah, 0x48
        mov dl, 0x80
        mov si, 0x600
        int 0x13
        CHECK nc, "48h: CF clear"
        mov eax, [0x610]
        CHECK_EQ TOTAL, "48h: 419430400 sectors"
        mov ah, 0x08
        mov dl, 0x80
        int 0x13
        movzx eax, dh
        CHECK_EQ 254, "08h: 255 heads"
        movzx eax, cl
        shl eax, 2
        and eax, 0x300
        mov al, ch
        CHECK_EQ 1023, "08h: 1024 cylinders"
        ; read the last 4 sectors (a 48-bit command) and one sector just below 2^28
        mov eax, TOTAL - 4
        mov cx, 4
        call rd
        CHECK nc, "42h: the last 4 sectors"
        mov eax, TOTAL - 4
        mov bx, 4
        call chk
        CHECK e, "42h: their pattern"
        ; write across the 2^28 boundary (28-bit and 48-bit in one request), read back
        mov ax, 0x3000
        mov es, ax
        xor di, di
        mov eax, 0x48480000
        mov cx, 512
.f:     stosd
        inc eax
        loop .f
        push ds
        pop es
        mov dword [DAP], 0x00040010
        mov dword [DAP + 4], 0x30000000
        mov dword [DAP + 8], 0x10000000 - 2
        mov dword [DAP + 12], 0
        mov ah, 0x43
        mov dl, 0x80
        mov si, DAP
        int 0x13
        CHECK nc, "43h: 4 sectors across LBA 2^28"
        mov eax, 0x10000000 - 2
        mov cx, 4
        call rd
        CHECK nc, "42h: read them back"
        push ds
        mov ax, 0x3000
        mov ds, ax
        mov ax, 0x5000
        mov es, ax
        xor si, si
        xor di, di
        mov cx, 512
        repe cmpsd
        pop ds
        CHECK e, "data across LBA 2^28 survives"
        PASS

; rd: EAX = LBA, CX = count -> 5000:0000 (CF from the BIOS)
rd:     push ds
        pop es
        mov word [DAP], 0x0010
        mov [DAP + 2], cx
        mov dword [DAP + 4], 0x50000000
        mov [DAP + 8], eax
        mov dword [DAP + 12], 0
        mov ah, 0x42
        mov dl, 0x80
        mov si, DAP
        int 0x13
        ret

; chk: EAX = first LBA, BX = sectors at 5000:0000 -> ZF if all match the pattern
chk:    mov dx, 0x5000
.n:     mov es, dx
        xor di, di
        call bt_check_pattern
        jne .d
        inc eax
        add dx, 0x20
        dec bx
        jnz .n
.d:     ret

        BOOT_END
