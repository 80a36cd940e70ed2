; mmu/pae.asm — PAE paging (32-bit mode, CR4.PAE = 1): 4 KiB and 2 MiB pages, the execute-
; disable bit with EFER.NXE (instruction fetch from an XD page -> #PF with I/D set, at the PTE and
; at the PDE level), and reserved bits (#PF with RSVD): a physical-address bit at or above
; MAXPHYADDR, bits 20:13 of a 2 MiB PDE, and XD while EFER.NXE = 0.
;
; expect-output: mmu/pae: PASS

%define TEST_NAME "mmu/pae"
%include "pvxtest.inc"

PDPT    equ 0x20000             ; 4 entries (32-byte aligned)
PD0     equ 0x21000             ; 0-1 GiB
PT1     equ 0x22000             ; 4 KiB pages at 2 MiB
PT5     equ 0x23000             ; 4 KiB pages under an XD PDE at 10 MiB

P       equ 1
RW      equ 2
US      equ 4
ACC     equ 0x20
DIRTY   equ 0x40
PS      equ 0x80
XD_HI   equ 0x80000000          ; bit 63, in the high dword

PF_P    equ 1
PF_W    equ 2
PF_RSVD equ 8
PF_ID   equ 0x10

V_NX4K  equ 0x200000            ; PTE XD            -> phys 0x300000
V_X4K   equ 0x201000            ; PTE executable    -> phys 0x301000
V_RSVD  equ 0x202000            ; PTE with bit MAXPHYADDR set
V_NP    equ 0x203000            ; not present
V_NX2M  equ 0x400000            ; 2 MiB page, XD    -> phys 0x400000
V_RSVD2M equ 0x800000           ; 2 MiB PDE with bit 13 set
V_NXPDE equ 0xA00000            ; PDE XD, PTE executable -> phys 0x303000

MAXPHY  equ PVX_USER            ; MAXPHYADDR from CPUID

; SET_PTE table, index, low dword, high dword
%macro SET_PTE 4
        mov dword [(%1) + (%2) * 8], %3
        mov dword [(%1) + (%2) * 8 + 4], %4
%endmacro

%macro CHECK_PF 4               ; error code, fault label, cr2, "text"
        CHECK_EXC 14, %1, %2, %4
        mov eax, [PVX_EXC_CR2]
        CHECK_EQ %3, "  ... CR2"
%endmacro

; CHECK_PF_RSVD: the same for reserved-bit faults, ignoring the P bit of the error code. The SDM
; (Vol.3A 4.7) says P is 1 whenever RSVD is (reserved bits are only checked in present entries),
; but QEMU 7.2's TCG reports RSVD faults with P = 0; cpu/sdm_strict.asm checks P strictly.
%macro CHECK_PF_RSVD 4
        and dword [PVX_EXC_ERR], ~PF_P
        CHECK_PF (%1) & ~PF_P, %2, %3, %4
%endmacro

test_main:
        ENTER_PM32
        mov eax, 1
        cpuid
        mov eax, edx
        and eax, 1 << 6
        CHECK_EQ 1 << 6, "CPUID.1:EDX.PAE"
        mov eax, 0x80000001
        cpuid
        mov eax, edx
        and eax, 1 << 20
        CHECK_EQ 1 << 20, "CPUID.80000001h:EDX.NX"
        mov eax, 0x80000008
        cpuid
        movzx eax, al
        mov [MAXPHY], eax
        cmp eax, 52
        CHECK b, "MAXPHYADDR < 52: bit MAXPHYADDR of an entry is reserved"

        mov edi, PDPT
        mov ecx, 4 * 4096 / 4
        xor eax, eax
        rep stosd
        SET_PTE PDPT, 0, PD0 | P, 0     ; PDPTEs have no R/W or U/S bits
        SET_PTE PD0, 0, 0 | P | RW | US | PS, 0                 ; 0-2 MiB identity (2 MiB page)
        SET_PTE PD0, 1, PT1 | P | RW | US, 0
        SET_PTE PD0, 2, 0x400000 | P | RW | US | PS, XD_HI      ; 2 MiB, XD
        SET_PTE PD0, 4, 0x800000 | P | RW | US | PS | (1 << 13), 0  ; reserved bit 13
        SET_PTE PD0, 5, PT5 | P | RW | US, XD_HI                ; XD at the PDE level
        SET_PTE PD0, 6, 0xC00000 | P | RW | US | PS, 0          ; identity, to see the frames
        SET_PTE PT1, 0, 0x300000 | P | RW | US, XD_HI
        SET_PTE PT1, 1, 0x301000 | P | RW | US, 0
        SET_PTE PT1, 2, 0x302000 | P | RW | US, 0               ; + bit MAXPHYADDR below
        SET_PTE PT5, 0, 0x303000 | P | RW | US, 0
        ; bit MAXPHYADDR: in the low dword if < 32, else in the high dword
        mov ecx, [MAXPHY]
        mov eax, 1
        cmp ecx, 32
        jae .hi
        shl eax, cl
        or [PT1 + 2 * 8], eax
        jmp .bits
.hi:    sub ecx, 32
        shl eax, cl
        or [PT1 + 2 * 8 + 4], eax
.bits:
        ; code for the fetch tests: "mov eax, 0x600D / ret" in each frame
        mov edi, 0x300000
        call put_code
        mov edi, 0x301000
        call put_code
        mov edi, 0x303000
        call put_code
        mov edi, 0x400000
        call put_code
        ; paging on: CR4.PAE, CR3 = PDPT, CR0.PG
        mov eax, cr4
        or eax, 1 << 5
        mov cr4, eax
        mov eax, PDPT
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31
        mov cr0, eax

        ; ---------------- translation ----------------
        mov eax, [V_X4K]
        CHECK_EQ 0x00600DB8, "PAE 4 KiB page 0x201000 -> phys 0x301000"
        mov dword [0xC00040], 0x2A2A
        mov eax, [0xC00040]
        CHECK_EQ 0x2A2A, "PAE 2 MiB page (identity at 12 MiB)"
        and dword [PD0 + 6 * 8], ~(ACC | DIRTY)
        invlpg [0xC00000]
        mov eax, [0xC00044]
        mov eax, [PD0 + 6 * 8]
        and eax, ACC | DIRTY
        CHECK_EQ ACC, "2 MiB page: a read sets A, not D"
        mov dword [0xC00044], 1
        mov eax, [PD0 + 6 * 8]
        and eax, ACC | DIRTY
        CHECK_EQ ACC | DIRTY, "2 MiB page: a write sets D"

        ; ---------------- reserved bits (EFER.NXE = 0) ----------------
        EXPECT_EXC .r1
.f1:    mov eax, [V_NX4K]
.r1:    CHECK_PF_RSVD PF_P | PF_RSVD, .f1, V_NX4K, "EFER.NXE=0: XD set in a PTE is reserved -> #PF(P|RSVD)"
        EXPECT_EXC .r2
.f2:    mov eax, [V_RSVD + 0x10]
.r2:    CHECK_PF_RSVD PF_P | PF_RSVD, .f2, V_RSVD + 0x10, "PTE bit MAXPHYADDR set -> #PF(P|RSVD) on a read"
        EXPECT_EXC .r3
.f3:    mov dword [V_RSVD + 0x20], 0
.r3:    CHECK_PF_RSVD PF_P | PF_W | PF_RSVD, .f3, V_RSVD + 0x20, "  ... #PF(P|W|RSVD) on a write"
        EXPECT_EXC .r4
.f4:    mov eax, [V_RSVD2M + 0x1234]
.r4:    CHECK_PF_RSVD PF_P | PF_RSVD, .f4, V_RSVD2M + 0x1234, "2 MiB PDE with bit 13 set -> #PF(P|RSVD)"

        ; ---------------- execute-disable (EFER.NXE = 1) ----------------
        mov ecx, 0xC0000080
        rdmsr
        or eax, 1 << 11                 ; EFER.NXE
        wrmsr
        mov eax, cr3                    ; flush
        mov cr3, eax
        EXPECT_EXC .r5
        mov eax, [V_NX4K]
        mov dword [V_NX4K + 0x100], 5
.r5:    CHECK_NO_EXC "EFER.NXE=1: an XD page is readable and writable"
        mov eax, V_X4K
        call eax
        CHECK_EQ 0x600D, "code on an executable 4 KiB page runs"
        EXPECT_EXC .r6
        mov eax, V_NX4K
.f6:    jmp eax
.r6:    CHECK_PF PF_P | PF_ID, V_NX4K, V_NX4K, "fetch from an XD 4 KiB page -> #PF(P|I/D) at the target"
        EXPECT_EXC .r7
        mov eax, V_NX2M
.f7:    jmp eax
.r7:    CHECK_PF PF_P | PF_ID, V_NX2M, V_NX2M, "fetch from an XD 2 MiB page -> #PF(P|I/D)"
        EXPECT_EXC .r8
        mov eax, V_NXPDE
.f8:    jmp eax
.r8:    CHECK_PF PF_P | PF_ID, V_NXPDE, V_NXPDE, "XD in the PDE covers an executable PTE -> #PF(P|I/D)"
        EXPECT_EXC .r9
        mov eax, V_NP
.f9:    jmp eax
.r9:    CHECK_PF PF_ID, V_NP, V_NP, "fetch from a not-present page -> #PF(I/D)"
        EXPECT_EXC .r10
.f10:   mov eax, [V_RSVD]
.r10:   CHECK_PF_RSVD PF_P | PF_RSVD, .f10, V_RSVD, "reserved bit still faults with NXE=1"
        PASS

put_code:                               ; EDI: mov eax, 0x600D / ret
        mov dword [edi], 0x00600DB8
        mov word [edi + 4], 0xC300
        ret
