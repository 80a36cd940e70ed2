; cpu/sdm_strict.asm — details the SDM states plainly but QEMU 7.2's TCG does differently, kept
; apart so the other guests can still be cross-checked under QEMU. Verified under Bochs 2.7.
;   - loading CS sets the descriptor's accessed bit (SDM Vol.3A 3.4.5.1; QEMU sets it only for
;     data segments)
;   - INT n through an IDT entry whose type is not a gate: #GP(vector*8+2), checked before P
;     (SDM Vol.2A INT n; QEMU raises #NP)
;   - a #PF caused by a reserved bit has P=1 as well as RSVD=1 in its error code (SDM Vol.3A 4.7:
;     "bit 3 of the error code can be set only if bit 0 is also set"; QEMU leaves P clear), for
;     PAE and for 4-level paging
;   - WRMSR of a non-canonical address to IA32_FS_BASE: #GP(0) (SDM Vol.4 / WRMSR; QEMU accepts it)
;
; qemu-skip: checks where QEMU 7.2 TCG deviates from the SDM (CS accessed bit, non-gate IDT type, RSVD page-fault error code, WRMSR canonical check); verified under Bochs
; expect-output: cpu/sdm_strict: PASS

%define TEST_NAME "cpu/sdm_strict"
%include "pvxtest.inc"

SEL_FRESH_CODE  equ 0x68        ; flat 32-bit code with the accessed bit clear
PDPT    equ 0x20000
PD0     equ 0x21000
V_RSVD  equ 0x200000            ; PAE: 2 MiB PDE with reserved bit 13
V_RSVD64 equ 0x1000000          ; 4-level: 2 MiB PDE (16 MiB) with reserved bit 13

test_main:
        ENTER_PM32
        ; ---------------- accessed bit of a code segment ----------------
        GDT_SET SEL_FRESH_CODE, 0, 0xFFFFF, ACC_CODE, FLG_G | FLG_DB    ; type 0xA: A = 0
        jmp SEL_FRESH_CODE:.fresh
.fresh: mov eax, [PVX_GDT + SEL_FRESH_CODE + 4]
        and eax, 0x100
        CHECK_EQ 0x100, "far jmp set the accessed bit of the new CS descriptor"
        jmp SEL_CODE32:.flat
.flat:
        ; ---------------- IDT entry that is not a gate ----------------
        EXPECT_EXC .r1
.f1:    int 0x60                        ; entry 0x60 is all zeros: type 0 is not a gate
.r1:    CHECK_EXC 13, 0x60 * 8 + 2, .f1, "int n through a type-0 IDT entry -> #GP(0x302), not #NP"

        ; ---------------- RSVD page faults under PAE ----------------
        mov edi, PDPT
        mov ecx, 2 * 4096 / 4
        xor eax, eax
        rep stosd
        mov dword [PDPT], PD0 | 1
        mov dword [PD0], 0 | 0x87                       ; 0-2 MiB identity, P|RW|US|PS
        mov dword [PD0 + 8], 0x200000 | 0x87 | (1 << 13)
        mov eax, cr4
        or eax, 1 << 5
        mov cr4, eax
        mov eax, PDPT
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31
        mov cr0, eax
        EXPECT_EXC .r2
.f2:    mov eax, [V_RSVD]
.r2:    CHECK_EXC 14, 9, .f2, "PAE: reserved bit -> #PF(P|RSVD) = 9 on a read"
        EXPECT_EXC .r3
.f3:    mov dword [V_RSVD + 4], 0
.r3:    CHECK_EXC 14, 11, .f3, "PAE: reserved bit -> #PF(P|W|RSVD) = 0xB on a write"
        mov eax, cr0
        and eax, ~(1 << 31)
        mov cr0, eax

        ; ---------------- 4-level paging ----------------
        ENTER_LONG64
        or qword [PVX_PT64 + 0x2000 + 8 * 8], 1 << 13  ; PDE for 16 MiB
        invlpg [V_RSVD64]
        EXPECT_EXC .r4
.f4:    mov eax, [V_RSVD64]
.r4:    CHECK_EXC 14, 9, .f4, "4-level: reserved bit in a 2 MiB PDE -> #PF(P|RSVD) = 9"
        and qword [PVX_PT64 + 0x2000 + 8 * 8], ~(1 << 13)
        invlpg [V_RSVD64]

        ; ---------------- WRMSR canonical check ----------------
        mov ecx, 0xC0000100             ; IA32_FS_BASE
        xor eax, eax
        mov edx, 0x80000000             ; 0x8000000000000000: not canonical
        EXPECT_EXC .r5
.f5:    wrmsr
.r5:    CHECK_EXC 13, 0, .f5, "wrmsr IA32_FS_BASE with a non-canonical address -> #GP(0)"
        PASS
