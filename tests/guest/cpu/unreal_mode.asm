; cpu/unreal_mode.asm — "unreal" (big real) mode: the segment descriptor cache survives the
; switch back to real mode. Loading a segment register in real mode changes only its selector and
; base (base = selector * 16); the limit loaded in protected mode stays. So after loading DS/ES/FS/
; GS with a 4 GiB data segment in protected mode and clearing CR0.PE, real-mode code can address
; all of memory with 32-bit offsets.
;
; expect-output: cpu/unreal_mode: PASS

%define TEST_NAME "cpu/unreal_mode"
%include "pvxtest.inc"

HIGH    equ 0x200000            ; 2 MiB: far above what real mode can normally reach
HIGH2   equ 0x3F00000           ; 63 MiB: near the top of the guest's 64 MiB

test_main:
        ; A20 must be on (pvx_start enabled it): FFFF:0510 is linear 0x100500, not 0x500.
        mov ax, 0xFFFF
        mov fs, ax
        mov byte [0x0500], 0x11
        mov byte [fs:0x0510], 0x22
        movzx eax, byte [0x0500]
        CHECK_EQ 0x11, "A20 enabled: 0x100500 does not alias 0x500"
        movzx eax, byte [fs:0x0510]
        CHECK_EQ 0x22, "FFFF:0510 reaches 1 MiB + 0x500"

        ; Into protected mode: DS/ES/FS/GS get flat 4 GiB descriptors (SEL_DATA32).
        ENTER_PM32
        mov dword [HIGH], 0             ; clear what we are going to look at later
        mov dword [HIGH2], 0
        mov dword [HIGH + 0x10000], 0
        ; Back to real mode keeping the 4 GiB limits in DS/ES/FS/GS; SS gets a 64 KiB 16-bit
        ; segment so that real-mode stack operations use SP (SS.B would otherwise stay 1).
        jmp SEL_CODE16:R(.p16)
bits 16
.p16:   mov ax, SEL_DATA16
        mov ss, ax
        mov eax, cr0
        and al, 0xFE                    ; CR0.PE = 0
        mov cr0, eax
        jmp 0xF000:R(.rm)
.rm:    xor ax, ax
        mov ds, ax                      ; real-mode loads: base = 0, limit stays 4 GiB
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov sp, PVX_RM_STACK
        o32 lidt [cs:R(pvx_ivtr)]
        mov eax, cr0
        and eax, 1
        CHECK_EQ 0, "back in real mode (CR0.PE = 0)"

        ; 32-bit addressing above 1 MiB through each segment register
        mov ebx, HIGH
        mov dword [ebx], 0xA5A55A5A
        mov eax, [ebx]
        CHECK_EQ 0xA5A55A5A, "DS: write and read at 2 MiB"
        mov eax, [es:dword HIGH]
        CHECK_EQ 0xA5A55A5A, "ES: the same dword at 2 MiB"
        mov edi, HIGH2
        mov dword [fs:edi], 0x600DF00D
        mov eax, [gs:edi]
        CHECK_EQ 0x600DF00D, "FS/GS: 63 MiB"
        ; a real-mode segment load changes the base but keeps the big limit
        mov ax, 0x1000                  ; base 0x10000
        mov es, ax
        mov dword [es:dword HIGH], 0x12345678 ; linear 0x210000
        xor ax, ax
        mov es, ax
        mov eax, [es:dword HIGH + 0x10000]
        CHECK_EQ 0x12345678, "ES reloaded in real mode: new base, limit still 4 GiB"
        ; string instructions with 32-bit addresses (a32 rep movsb copies 2 MiB -> 2 MiB + 16)
        mov esi, HIGH
        mov edi, HIGH + 16
        mov ecx, 4
        a32 rep movsb
        mov eax, [dword HIGH + 16]
        CHECK_EQ 0xA5A55A5A, "a32 rep movsb above 1 MiB"
        mov eax, esi
        CHECK_EQ HIGH + 4, "a32 rep movsb advanced ESI"
        ; real-mode interrupts still go through the IVT
        EXPECT_EXC .int3r
        int3
.int3r: CHECK_EXC 3, 0, .int3r, "int3 through the IVT in unreal mode"

        ; Prove the writes really went to those physical addresses: look from protected mode.
        ENTER_PM32
        mov eax, [HIGH]
        CHECK_EQ 0xA5A55A5A, "protected mode sees 0xA5A55A5A at 2 MiB"
        mov eax, [HIGH2]
        CHECK_EQ 0x600DF00D, "protected mode sees 0x600DF00D at 63 MiB"
        mov eax, [HIGH + 0x10000]
        CHECK_EQ 0x12345678, "protected mode sees the ES-relative write at 0x210000"
        ENTER_REAL16
        mov ax, 0x0050                  ; real-mode segment load: base = 0x500
        mov ds, ax
        movzx eax, byte [0]
        xor bx, bx
        mov ds, bx
        CHECK_EQ 0x11, "real mode again: 0050:0000 is linear 0x500"
        PASS
