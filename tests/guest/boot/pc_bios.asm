; What any PC BIOS gives a boot sector, checked only where BIOSes agree (pvx's BIOS and SeaBIOS
; both run it, under pvx and under QEMU): INT 12h base memory, an INT 15h E820 map with RAM at 0
; and at 1 MiB, INT 13h extensions and an extended read of the disk pattern, the PCI BIOS
; finding the PIIX IDE function, INT 1Ah time of day, an empty keyboard buffer.
; bios: any
; expect-output: boot/pc_bios: PASS
; disk-size: 2M
; pvx-args: -m 64
%define TEST_NAME "boot/pc_bios"
%include "boot.inc"

DAP     equ 0x0700
E820BUF equ 0x0600
BUF     equ 0x1000                      ; 0x10000, one sector

test_main:
        ; --- INT 12h: conventional memory in KiB (639 or 640 less an EBDA)
        int 0x12
        movzx eax, ax
        cmp eax, 600
        CHECK ae, "12h: at least 600 KiB of base memory"
        cmp eax, 640
        CHECK be, "12h: at most 640 KiB"

        ; --- INT 15h E820: RAM from 0 (>= 600 KiB) and from 1 MiB (>= 60 MiB of the 64)
        xor ebx, ebx
        xor si, si                      ; entries
        xor bp, bp                      ; bit 0 low RAM, bit 1 RAM at 1 MiB
.e820:  mov eax, 0xE820
        mov edx, 0x534D4150
        mov ecx, 20
        mov di, E820BUF
        int 0x15
        jc .e820_end
        cmp eax, 0x534D4150
        jne .e820_end
        inc si
        cmp dword [E820BUF + 16], 1
        jne .next
        cmp dword [E820BUF + 4], 0
        jne .next
        cmp dword [E820BUF + 12], 0
        jne .big                        ; a length above 4 GiB is surely enough
        cmp dword [E820BUF], 0
        jne .hi
        cmp dword [E820BUF + 8], 600 << 10
        jb .next
        or bp, 1
        jmp .next
.hi:    cmp dword [E820BUF], 0x100000
        jne .next
        cmp dword [E820BUF + 8], 60 << 20
        jb .next
.big:   cmp dword [E820BUF], 0x100000
        jne .next
        or bp, 2
.next:  test ebx, ebx
        jz .e820_end
        cmp si, 64
        jb .e820
.e820_end:
        movzx eax, si
        cmp eax, 3
        CHECK ae, "E820: at least 3 entries"
        movzx eax, bp
        CHECK_EQ 3, "E820: RAM at 0 and at 1 MiB"

        ; --- INT 13h: extensions, then an extended read of LBA 100 (pattern: every dword = 100)
        mov ah, 0x41
        mov bx, 0x55AA
        mov dl, [boot_drive]
        int 0x13
        CHECK nc, "13h/41h: extensions present"
        movzx eax, bx
        CHECK_EQ 0xAA55, "13h/41h: BX = AA55h"
        mov byte [DAP], 16
        mov byte [DAP + 1], 0
        mov word [DAP + 2], 1
        mov word [DAP + 4], 0
        mov word [DAP + 6], BUF
        mov dword [DAP + 8], 100
        mov dword [DAP + 12], 0
        mov ah, 0x42
        mov dl, [boot_drive]
        mov si, DAP
        int 0x13
        CHECK nc, "13h/42h: extended read"
        push es
        mov ax, BUF
        mov es, ax
        mov eax, [es:0]
        mov edx, [es:508]
        pop es
        CHECK_EQ 100, "13h/42h: first dword of LBA 100"
        mov eax, edx
        CHECK_EQ 100, "13h/42h: last dword of LBA 100"

        ; --- INT 1Ah PCI BIOS: installation check, then the PIIX IDE function (8086:7010) at 00:01.1
        mov ax, 0xB101
        xor edi, edi
        int 0x1A
        CHECK nc, "1Ah/B101h: PCI BIOS present"
        cmp edx, 0x20494350             ; "PCI "
        CHECK e, "1Ah/B101h: EDX = 'PCI '"
        mov ax, 0xB102
        mov cx, 0x7010
        mov dx, 0x8086
        xor si, si
        int 0x1A
        CHECK nc, "1Ah/B102h: finds 8086:7010"
        movzx eax, bx
        CHECK_EQ 0x0009, "1Ah/B102h: bus 0, device 1, function 1"

        ; --- INT 1Ah AH=02h: RTC time, BCD
        mov ah, 0x02
        int 0x1A
        CHECK nc, "1Ah/02h: RTC time read"
        cmp ch, 0x23
        CHECK be, "1Ah/02h: hour is BCD 00-23"

        ; --- INT 16h AH=01h: nothing typed
        mov ah, 0x01
        int 0x16
        CHECK z, "16h/01h: keyboard buffer empty"
        PASS

        BOOT_END
