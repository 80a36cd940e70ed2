; 5 GiB of RAM: part of it lies above 4 GiB (CMOS 5Bh-5Dh). E820 reports it as a 7th entry at
; 4 GiB, the RAM below 4 GiB ends below the PCI hole, and all RAM ranges add up to 5 GiB minus
; the EBDA and the 640 KiB-1 MiB hole.
; expect-output: boot/highmem: PASS
; qemu-args: -m 5G
; pvx-args: -m 5120
%define TEST_NAME "boot/highmem"
%include "boot.inc"

BUF     equ 0x0600

test_main:
        xor ebx, ebx
        mov di, BUF
        xor bp, bp
        xor esi, esi                    ; RAM total in KiB
.e:     mov eax, 0xE820
        mov edx, 0x534D4150
        mov ecx, 20
        int 0x15
        jc .err
        cmp dword [di + 16], 1
        jne .n
        mov eax, [di + 8]
        mov edx, [di + 12]
        shrd eax, edx, 10
        add esi, eax
.n:     inc bp
        add di, 20
        test ebx, ebx
        jz .d
        cmp bp, 20
        jb .e
.err:   FAIL "E820 failed"
.d:     movzx eax, bp
        CHECK_EQ 7, "E820: 7 entries"
        mov eax, [BUF + 6 * 20 + 4]
        CHECK_EQ 1, "E820: the last entry starts at 4 GiB"
        mov eax, [BUF + 6 * 20]
        CHECK_EQ 0, "E820: the last entry starts at 4 GiB (low dword)"
        mov eax, [BUF + 6 * 20 + 16]
        CHECK_EQ 1, "E820: it is RAM"
        mov eax, [BUF + 2 * 20 + 8]     ; RAM below 4 GiB ends at or below E0000000h
        add eax, 0x100000
        cmp eax, 0xE0000000
        CHECK be, "E820: RAM below 4 GiB ends below the PCI window"
        mov eax, esi
        CHECK_EQ 5 * 1024 * 1024 - 385, "E820: RAM adds up to 5 GiB - 385 KiB"
        mov ax, 0xE801
        int 0x15
        movzx eax, ax
        CHECK_EQ 15 * 1024, "E801: 15 MiB below 16 MiB"
        PASS

        BOOT_END
