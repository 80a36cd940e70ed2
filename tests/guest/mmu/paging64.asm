; mmu/paging64.asm — 4-level paging in long mode: 4 KiB, 2 MiB and 1 GiB pages; demand paging
; (a #PF handler maps the missing page and IRETQ restarts the access); TLB maintenance with only
; what the SDM guarantees (Vol.3A 4.10): INVLPG makes a changed 4 KiB or 2 MiB mapping visible,
; MOV CR3 does so for non-global pages, toggling CR4.PGE does so for global pages, and a P=0 -> 1
; change needs no invalidation. What is seen *before* an invalidation is never asserted: stale and
; fresh are both legal.
;
; qemu-args: -cpu qemu64,+pdpe1gb
; expect-output: mmu/paging64: PASS

%define TEST_NAME "mmu/paging64"
%include "pvxtest.inc"

PML4    equ 0x20000
PDPT0   equ 0x21000             ; 0-512 GiB
PD0     equ 0x22000             ; 0-1 GiB: 2 MiB identity pages, except:
PT_A    equ 0x23000             ;   16 MiB: 4 KiB pages for the remap tests
PT_D    equ 0x24000             ;   18 MiB: demand-paged region, all PTEs start not present

P       equ 1
RW      equ 2
US      equ 4
ACC     equ 0x20
DIRTY   equ 0x40
PS      equ 0x80
PG_G  equ 0x100

V_A     equ 0x1000000           ; PT_A[0]: non-global, remapped F1 -> F2 -> F3
V_G     equ 0x1001000           ; PT_A[1]: global
DEMAND  equ 0x1200000           ; PT_D
V_2M    equ 0x1400000           ; PD0[10]: 2 MiB page, remapped
V_1G    equ 0x200000000         ; PDPT0[8]: 1 GiB page -> phys 0
V_1GRSV equ 0x240000000         ; PDPT0[9]: 1 GiB page with reserved bit 13
V_NP64  equ 0x280000000         ; PDPT0[10]: not present
F1      equ 0x3000000
F2      equ 0x3001000
F3      equ 0x3002000
BIG1    equ 0x3200000           ; 2 MiB frames
BIG2    equ 0x3400000
POOL    equ 0x2000000           ; demand paging takes frames from here

NEXT_FRAME equ PVX_USER         ; qword
D_FAULTS   equ PVX_USER + 8     ; dword
D_ERR      equ PVX_USER + 16    ; qword: last demand fault's error code
D_CR2      equ PVX_USER + 24

test_main:
        ENTER_PM32
        mov eax, 0x80000001
        cpuid
        mov eax, edx
        and eax, 1 << 26
        CHECK_EQ 1 << 26, "CPUID.80000001h:EDX.Page1GB"
        ENTER_LONG64
        ; build our own tables
        mov rdi, PML4
        mov ecx, 5 * 4096 / 8
        xor eax, eax
        rep stosq
        mov qword [PML4], PDPT0 | P | RW | US
        mov qword [PDPT0], PD0 | P | RW | US
        mov rax, 0 | P | RW | US | PS
        mov qword [PDPT0 + 8 * 8], rax                  ; 1 GiB page at 8 GiB -> 0
        mov rax, 0x40000000 | P | RW | US | PS | (1 << 13)
        mov qword [PDPT0 + 9 * 8], rax                  ; reserved bit 13 (bits 29:13)
        mov rdi, PD0
        mov rax, P | RW | US | PS
        mov ecx, 512
.pd:    mov [rdi], rax
        add rax, 0x200000
        add rdi, 8
        loop .pd
        mov qword [PD0 + 8 * 8], PT_A | P | RW | US
        mov qword [PD0 + 9 * 8], PT_D | P | RW | US
        mov qword [PD0 + 10 * 8], BIG1 | P | RW | US | PS
        mov qword [PT_A], F1 | P | RW
        mov qword [PT_A + 8], F1 | P | RW | PG_G
        mov qword [F1], 0x1111
        mov qword [F2], 0x2222
        mov qword [F3], 0x3333
        mov qword [BIG1 + 0x1000], 0xB1
        mov qword [BIG2 + 0x1000], 0xB2
        mov qword [0x5000], 0x1D1D1D
        mov rax, cr4
        or eax, 1 << 7                  ; CR4.PGE
        mov cr4, rax
        mov rax, PML4
        mov cr3, rax
        IDT64_GATE 14, demand_pf, 0x8E, 0

        ; ---------------- page sizes ----------------
        mov rax, [V_2M + 0x1000]
        CHECK_EQ 0xB1, "2 MiB page"
        mov rax, V_1G + 0x5000
        mov rax, [rax]
        CHECK_EQ 0x1D1D1D, "1 GiB page at 8 GiB -> phys 0"
        mov rax, [PDPT0 + 8 * 8]
        and eax, ACC | DIRTY
        CHECK_EQ ACC, "1 GiB page: a read sets A, not D"
        mov rax, V_1G + 0x5008
        mov qword [rax], 7
        mov rax, [PDPT0 + 8 * 8]
        and eax, ACC | DIRTY
        CHECK_EQ ACC | DIRTY, "1 GiB page: a write sets D"
        mov rax, [PML4]
        and eax, ACC
        CHECK_EQ ACC, "PML4E accessed bit set by the walks"
        mov rbx, V_1GRSV + 0x10
        EXPECT_EXC .r1
.f1:    mov rax, [rbx]
.r1:    and dword [PVX_EXC_ERR], ~P     ; (see mmu/pae.asm: QEMU leaves P clear; SDM sets it)
        CHECK_EXC 14, 8, .f1, "1 GiB PDPTE with bit 13 set -> #PF(RSVD)"
        mov rbx, V_NP64 + 0x123
        EXPECT_EXC .r2
.f2:    mov byte [rbx], 1
.r2:    CHECK_EXC 14, 2, .f2, "write to a not-present PDPTE -> #PF(W)"
        mov rax, [PVX_EXC_CR2]
        CHECK_EQ V_NP64 + 0x123, "  ... CR2 holds the full 64-bit address"

        ; ---------------- demand paging ----------------
        mov qword [NEXT_FRAME], POOL
        mov dword [D_FAULTS], 0
        mov qword [DEMAND + 0x10], 0xDE11A4D
        mov eax, [D_FAULTS]
        CHECK_EQ 1, "first touch of a demand page faults once"
        mov rax, [D_ERR]
        CHECK_EQ 2, "  ... with #PF(W), not present"
        mov rax, [D_CR2]
        CHECK_EQ DEMAND + 0x10, "  ... CR2"
        mov rax, [DEMAND + 0x10]
        CHECK_EQ 0xDE11A4D, "the restarted store landed"
        mov rax, [POOL + 0x10]
        CHECK_EQ 0xDE11A4D, "  ... in the frame the handler mapped"
        mov qword [DEMAND + 0x18], 1
        mov eax, [D_FAULTS]
        CHECK_EQ 1, "second touch: no fault"
        ; a string copy across two more pages is restarted mid-way, once per page
        mov rsi, rip_pattern
        mov rdi, DEMAND + 0x2000 - 8
        mov ecx, 16
        rep movsb                       ; 8 bytes in page 1, 8 in page 2
        mov eax, [D_FAULTS]
        CHECK_EQ 3, "rep movsb across two demand pages: two more faults"
        mov rax, [DEMAND + 0x2000 - 8]
        CHECK_EQ 0x0706050403020100, "  ... first half copied"
        mov rax, [DEMAND + 0x2000]
        CHECK_EQ 0x0F0E0D0C0B0A0908, "  ... second half copied"
        mov rax, rcx
        CHECK_EQ 0, "  ... RCX ran down to 0"
        mov rax, [D_ERR]
        CHECK_EQ 2, "  ... the faults were writes"
        mov eax, [DEMAND + 0x3000]      ; a read fault maps a zeroed page
        mov eax, [D_FAULTS]
        CHECK_EQ 4, "a read of a fresh demand page faults too"
        mov rax, [D_ERR]
        CHECK_EQ 0, "  ... with #PF(R), not present"
        mov rax, [DEMAND + 0x3000]
        CHECK_EQ 0, "  ... and sees the zeroed frame"

        ; ---------------- INVLPG and MOV CR3 (non-global page) ----------------
        mov rax, [V_A]
        CHECK_EQ 0x1111, "V_A -> F1"
        mov qword [PT_A], F2 | P | RW
        invlpg [V_A]
        mov rax, [V_A]
        CHECK_EQ 0x2222, "remap to F2 + INVLPG: the new frame"
        mov qword [PT_A], F3 | P | RW
        mov rax, cr3
        mov cr3, rax
        mov rax, [V_A]
        CHECK_EQ 0x3333, "remap to F3 + MOV CR3: the new frame"
        mov qword [PT_A], F1 | P | RW
        invlpg [V_A + 0x800]            ; any address in the page
        mov rax, [V_A]
        CHECK_EQ 0x1111, "INVLPG of another byte of the page works too"
        ; 2 MiB page
        mov qword [PD0 + 10 * 8], BIG2 | P | RW | US | PS
        invlpg [V_2M + 0x1F0000]
        mov rax, [V_2M + 0x1000]
        CHECK_EQ 0xB2, "2 MiB page remapped + INVLPG of any address in it"
        ; P 0 -> 1 needs no invalidation (nothing was cached for a non-present entry)
        mov qword [PT_A + 2 * 8], 0
        mov rbx, V_A + 0x2000
        EXPECT_EXC .r3
.f3:    mov rax, [rbx]
.r3:    CHECK_EXC 14, 0, .f3, "not-present 4 KiB page -> #PF"
        mov qword [PT_A + 2 * 8], F3 | P | RW
        mov rax, [rbx]
        CHECK_EQ 0x3333, "P 0 -> 1 is seen without any invalidation"

        ; ---------------- global pages ----------------
        mov rax, [V_G]
        CHECK_EQ 0x1111, "global page V_G -> F1"
        mov qword [PT_A + 8], F2 | P | RW | PG_G
        mov rax, cr3                    ; may or may not drop the global translation:
        mov cr3, rax                    ; nothing is asserted here
        mov rax, cr4
        and eax, ~(1 << 7)              ; CR4.PGE 1 -> 0 flushes everything, global too
        mov cr4, rax
        or eax, 1 << 7
        mov cr4, rax
        mov rax, [V_G]
        CHECK_EQ 0x2222, "global page remapped + CR4.PGE toggle: the new frame"
        mov qword [PT_A + 8], F3 | P | RW | PG_G
        invlpg [V_G]                    ; INVLPG drops global translations too
        mov rax, [V_G]
        CHECK_EQ 0x3333, "global page remapped + INVLPG: the new frame"
        PASS

; #PF handler: maps a fresh zeroed frame for faults in [DEMAND, DEMAND + 2 MiB), restarts the
; instruction; any other #PF goes to the recording handler.
demand_pf:                              ; [rsp] error code, RIP, CS, RFLAGS, RSP, SS
        push rax
        push rbx
        push rcx
        push rdi
        mov rax, cr2
        mov rbx, rax
        sub rbx, DEMAND
        cmp rbx, 0x200000
        jae .other
        mov [D_CR2], rax
        mov rax, [rsp + 32]
        mov [D_ERR], rax
        inc dword [D_FAULTS]
        shr rbx, 12                     ; PTE index
        mov rdi, [NEXT_FRAME]
        add qword [NEXT_FRAME], 0x1000
        push rdi
        mov ecx, 4096 / 8
        xor eax, eax
        rep stosq                       ; zero the frame (identity-mapped)
        pop rdi
        or rdi, P | RW
        mov [PT_D + rbx * 8], rdi       ; P 0 -> 1: no INVLPG needed
        pop rdi
        pop rcx
        pop rbx
        pop rax
        add rsp, 8                      ; error code
        iretq
.other: pop rdi
        pop rcx
        pop rbx
        pop rax
        jmp pvx_stub64_14

        align 8
rip_pattern:
        db 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
