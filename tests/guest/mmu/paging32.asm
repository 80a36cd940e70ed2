; mmu/paging32.asm — 32-bit paging (CR4.PAE = 0): 4 KiB pages and 4 MiB pages (CR4.PSE), the
; #PF error code (P, W/R, U/S) and CR2 for not-present, read-only and supervisor pages, the U/S and
; R/W bits of the PDE combining with the PTE's, CR0.WP for supervisor writes, and the accessed and
; dirty bits (a read sets A only, a write sets D).
;
; expect-output: mmu/paging32: PASS

%define TEST_NAME "mmu/paging32"
%include "pvxtest.inc"

PD      equ 0x20000             ; page directory
PT0     equ 0x21000             ; identity map of 0-4 MiB, user/writable
PT1     equ 0x22000             ; the test pages at 4 MiB
PT2     equ 0x23000             ; behind a supervisor-only PDE
PT3     equ 0x24000             ; behind a read-only PDE

P       equ 1
RW      equ 2
US      equ 4
ACC     equ 0x20
DIRTY   equ 0x40
PS      equ 0x80

V_RO_USER equ 0x400000          ; user, read-only           -> phys 0x100000
V_SUP     equ 0x401000          ; supervisor, writable      -> phys 0x101000
V_NP      equ 0x402000          ; not present
V_RW_USER equ 0x403000          ; user, writable            -> phys 0x102000
V_RO_SUP  equ 0x404000          ; supervisor, read-only     -> phys 0x103000
V_BIG     equ 0x800000          ; 4 MiB page                -> phys 0xC00000
V_BIGID   equ 0xC00000          ; 4 MiB page, identity
V_SUPPDE  equ 0x1000000         ; PDE U/S = 0, PTE U/S = 1  -> phys 0x104000
V_ROPDE   equ 0x1400000         ; PDE R/W = 0, PTE R/W = 1  -> phys 0x105000

; CHECK_PF error_code, fault_label, cr2, "text": CHECK_EXC for a #PF, then CR2
%macro CHECK_PF 4
        CHECK_EXC 14, %1, %2, %4
        mov eax, [PVX_EXC_CR2]
        CHECK_EQ %3, "  ... CR2"
%endmacro

test_main:
        ENTER_PM32
        call pvx_tss32_setup
        IDT32_GATE 0x81, to_ring0, 0xEE
        ; clear the paging structures
        mov edi, PD
        mov ecx, 5 * 4096 / 4
        xor eax, eax
        rep stosd
        ; PT0: identity map 0-4 MiB, P | RW | US
        mov edi, PT0
        mov eax, P | RW | US
        mov ecx, 1024
.pt0:   stosd
        add eax, 0x1000
        loop .pt0
        mov dword [PT1 + 0 * 4], 0x100000 | P | US
        mov dword [PT1 + 1 * 4], 0x101000 | P | RW
        mov dword [PT1 + 2 * 4], 0
        mov dword [PT1 + 3 * 4], 0x102000 | P | RW | US
        mov dword [PT1 + 4 * 4], 0x103000 | P
        mov dword [PT2], 0x104000 | P | RW | US
        mov dword [PT3], 0x105000 | P | RW | US
        mov dword [PD + 0 * 4], PT0 | P | RW | US
        mov dword [PD + 1 * 4], PT1 | P | RW | US
        mov dword [PD + 2 * 4], 0xC00000 | P | RW | US | PS
        mov dword [PD + 3 * 4], 0xC00000 | P | RW | US | PS
        mov dword [PD + 4 * 4], PT2 | P | RW             ; supervisor only
        mov dword [PD + 5 * 4], PT3 | P | US             ; read-only
        ; contents of the physical pages (paging is still off)
        mov dword [0x100000], 0x0A0A0A0A
        mov dword [0x101000], 0x50505050
        mov dword [0x102000], 0
        mov dword [0x103000], 0x0B0B0B0B
        mov dword [0x104000], 0x04040404
        mov dword [0x105000], 0x05050505
        mov dword [0xC00000], 0x106000 | P | RW | US     ; also a PTE when PSE is off
        mov dword [0xC00010], 0xB16B16
        mov dword [0x106000], 0x5A11
        ; paging on
        mov eax, cr4
        or eax, 1 << 4                  ; CR4.PSE
        mov cr4, eax
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31                 ; CR0.PG (CR0.WP is 0 after reset)
        and eax, ~(1 << 16)
        mov cr0, eax

        ; ---------------- translation ----------------
        mov eax, [V_RO_USER]
        CHECK_EQ 0x0A0A0A0A, "4 KiB page 0x400000 -> phys 0x100000"
        mov eax, [V_BIG + 0x10]
        CHECK_EQ 0xB16B16, "4 MiB page 0x800000 -> phys 0xC00000"
        mov dword [V_BIGID + 0x20], 0x77
        mov eax, [V_BIG + 0x20]
        CHECK_EQ 0x77, "two 4 MiB mappings of one frame see the same data"

        ; ---------------- supervisor faults ----------------
        EXPECT_EXC .r1
.f1:    mov eax, [V_NP + 0x10]
.r1:    CHECK_PF 0, .f1, V_NP + 0x10, "read of a not-present page -> #PF(0)"
        EXPECT_EXC .r2
.f2:    mov dword [V_NP + 0x24], 1
.r2:    CHECK_PF 2, .f2, V_NP + 0x24, "write to a not-present page -> #PF(W)"

        ; ---------------- CR0.WP ----------------
        EXPECT_EXC .r3
        mov dword [V_RO_SUP], 0x1234    ; WP = 0: supervisor writes ignore R/W
        mov dword [V_RO_USER + 4], 0x4321
.r3:    CHECK_NO_EXC "CR0.WP=0: supervisor writes to read-only pages succeed"
        mov eax, [0x103000]
        CHECK_EQ 0x1234, "  ... the write reached the frame"
        mov eax, cr0
        or eax, 1 << 16                 ; CR0.WP
        mov cr0, eax
        EXPECT_EXC .r4
.f4:    mov dword [V_RO_SUP], 0x5678
.r4:    CHECK_PF P | RW, .f4, V_RO_SUP, "CR0.WP=1: supervisor write to a read-only page -> #PF(P|W)"
        EXPECT_EXC .r5
.f5:    mov dword [V_RO_USER + 4], 0x5678
.r5:    CHECK_PF P | RW, .f5, V_RO_USER + 4, "CR0.WP=1: supervisor write to a read-only user page -> #PF(P|W)"
        mov eax, [0x103000]
        CHECK_EQ 0x1234, "  ... the faulting write changed nothing"

        ; ---------------- accessed and dirty bits ----------------
        and dword [PT1 + 3 * 4], ~(ACC | DIRTY)
        and dword [PD + 1 * 4], ~ACC
        invlpg [V_RW_USER]
        mov eax, [V_RW_USER]            ; read
        mov eax, [PT1 + 3 * 4]
        and eax, ACC | DIRTY
        CHECK_EQ ACC, "a read sets the PTE's A bit, not D"
        mov eax, [PD + 1 * 4]
        and eax, ACC
        CHECK_EQ ACC, "  ... and the PDE's A bit"
        mov dword [V_RW_USER], 1        ; write
        mov eax, [PT1 + 3 * 4]
        and eax, ACC | DIRTY
        CHECK_EQ ACC | DIRTY, "a write sets D"
        and dword [PD + 2 * 4], ~(ACC | DIRTY)
        invlpg [V_BIG]
        mov eax, [V_BIG + 0x100]
        mov eax, [PD + 2 * 4]
        and eax, ACC | DIRTY
        CHECK_EQ ACC, "4 MiB page: a read sets A in the PDE, not D"
        mov dword [V_BIG + 0x100], 2
        mov eax, [PD + 2 * 4]
        and eax, ACC | DIRTY
        CHECK_EQ ACC | DIRTY, "4 MiB page: a write sets D in the PDE"

        ; ---------------- CR4.PSE = 0: the PS bit is ignored ----------------
        mov eax, cr4
        and eax, ~(1 << 4)              ; (a CR4.PSE change flushes the TLB)
        mov cr4, eax
        mov eax, [V_BIG]                ; PD[2] now names a page table at 0xC00000
        CHECK_EQ 0x5A11, "CR4.PSE=0: PDE bit 7 ignored, 0xC00000 used as a page table"
        mov eax, cr4
        or eax, 1 << 4
        mov cr4, eax
        mov eax, [V_BIG]
        CHECK_EQ 0x106000 | P | RW | US | ACC, "CR4.PSE=1 again: a 4 MiB page"

        ; ---------------- user-mode faults ----------------
        push dword SEL_UDATA | 3
        push dword PVX_STACK3
        push dword 2
        push dword SEL_UCODE32 | 3
        push dword ring3
        iretd
ring3:  mov ax, SEL_UDATA | 3
        mov ds, ax
        mov es, ax
        EXPECT_EXC .u0
        mov eax, [V_RO_USER]
        mov eax, [V_RW_USER]
        mov dword [V_RW_USER], 3
.u0:    CHECK_NO_EXC "ring 3: user pages readable, user-writable page writable"
        EXPECT_EXC .u1
.fu1:   mov dword [V_RO_USER], 1
.u1:    CHECK_PF P | RW | US, .fu1, V_RO_USER, "ring 3: write to a read-only user page -> #PF(P|W|U)"
        EXPECT_EXC .u2
.fu2:   mov eax, [V_SUP + 8]
.u2:    CHECK_PF P | US, .fu2, V_SUP + 8, "ring 3: read of a supervisor page -> #PF(P|U)"
        EXPECT_EXC .u3
.fu3:   mov eax, [V_NP]
.u3:    CHECK_PF US, .fu3, V_NP, "ring 3: read of a not-present page -> #PF(U)"
        EXPECT_EXC .u4
.fu4:   mov eax, [V_SUPPDE]
.u4:    CHECK_PF P | US, .fu4, V_SUPPDE, "ring 3: PDE U/S=0 overrides PTE U/S=1 -> #PF(P|U)"
        EXPECT_EXC .u5
        mov eax, [V_ROPDE]
.u5:    CHECK_NO_EXC "ring 3: read under a read-only PDE"
        EXPECT_EXC .u6
.fu6:   mov dword [V_ROPDE], 1
.u6:    CHECK_PF P | RW | US, .fu6, V_ROPDE, "ring 3: PDE R/W=0 overrides PTE R/W=1 -> #PF(P|W|U)"
        EXPECT_EXC .u7
        mov eax, V_SUP
        mov ebx, esp
.fu7:   jmp eax                         ; fetch from a supervisor page
.u7:    CHECK_PF P | US, V_SUP, V_SUP, "ring 3: fetch from a supervisor page -> #PF(P|U) at the target"
        cmp ebx, esp
        CHECK e, "  ... ESP unchanged"
        int 0x81

ring0:  mov eax, [0x105000]
        CHECK_EQ 0x05050505, "the refused user writes changed nothing"
        PASS

to_ring0:
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov esp, PVX_STACK0
        jmp ring0
