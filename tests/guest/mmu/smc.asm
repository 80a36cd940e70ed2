; mmu/smc.asm — self-modifying code. An emulator that caches decoded instructions must notice
; writes to code. SDM Vol.3A 11.6: a write to code invalidates the cached copy (checked by physical
; address) and, on P6 and later processors, a write that hits an already prefetched instruction at
; the same linear address is noticed too; the portable way (used for the alias case below) is a
; jump or a serializing instruction between the store and the modified code.
;   real mode:  patching a routine between calls; patching the very next instruction in a loop
;   64-bit:     the same two, with RIP-relative stores
;   cross-page: an instruction straddling two 4 KiB pages that map to non-adjacent frames, patched
;               through the same linear address and through another mapping of the second frame
;
; expect-output: mmu/smc: PASS

%define TEST_NAME "mmu/smc"
%include "pvxtest.inc"

RM_CODE equ 0x7000              ; real-mode code in RAM (segment 0)
RM_CODE2 equ 0x7100
LM_CODE equ 0x100000            ; 64-bit code in RAM
LM_CODE2 equ 0x100100
PT_X    equ 0x23000             ; 4 KiB page table for 16 MiB
V_X     equ 0x1000000           ; two virtual pages: V_X -> FRAME_A, V_X + 0x1000 -> FRAME_B
FRAME_A equ 0x3005000
FRAME_B equ 0x3003000           ; (below FRAME_A: not adjacent, and in the other order)
X_INSN  equ V_X + 0xFFE         ; B8 at 0xFFE, imm32 at 0xFFF..0x1002, C3 at 0x1003

; COPY16 src_label, end_label, dst (real mode, ES = 0)
%macro COPY16 3
        push ds
        push cs
        pop ds
        mov si, R(%1)
        mov di, %3
        mov cx, %2 - %1
        rep movsb
        pop ds
%endmacro

test_main:
        ; ---------------- real mode: patch a routine between calls ----------------
        COPY16 rm_add, rm_add_end, RM_CODE
        xor ax, ax
        mov dx, 1
.rm1:   mov [RM_CODE + 1], dx           ; immediate of "add ax, imm16" (05 iw)
        call 0x0000:RM_CODE
        inc dx
        cmp dx, 100
        jbe .rm1
        movzx eax, ax
        CHECK_EQ 5050, "real mode: routine patched before each call (1+...+100)"
        ; ---------------- real mode: patch the next instruction ----------------
        COPY16 rm_next, rm_next_end, RM_CODE2
        xor bx, bx
        mov cx, 100
        call 0x0000:RM_CODE2
        movzx eax, bx
        CHECK_EQ 5050, "real mode: loop patching the instruction that follows the store"

        ENTER_PM32
        ENTER_LONG64
        ; ---------------- 64-bit: patch a routine between calls ----------------
        mov rsi, lm_ret_imm
        mov rdi, LM_CODE
        mov ecx, lm_ret_imm_end - lm_ret_imm
        rep movsb
        xor ebx, ebx
        mov edx, 1
.lm1:   mov [LM_CODE + 1], edx          ; immediate of "mov eax, imm32" (B8 id)
        mov rax, LM_CODE
        call rax
        add ebx, eax
        inc edx
        cmp edx, 100
        jbe .lm1
        mov eax, ebx
        CHECK_EQ 5050, "64-bit: routine patched before each call"
        ; ---------------- 64-bit: patch the next instruction ----------------
        mov rsi, lm_next
        mov rdi, LM_CODE2
        mov ecx, lm_next_end - lm_next
        rep movsb
        xor ebx, ebx
        mov ecx, 100
        mov rax, LM_CODE2
        call rax
        mov eax, ebx
        CHECK_EQ 5050, "64-bit: loop patching the next instruction (RIP-relative store)"

        ; ---------------- an instruction across a page boundary ----------------
        mov rdi, PT_X
        mov ecx, 512
        xor eax, eax
        rep stosq
        mov qword [PT_X], FRAME_A | 3
        mov qword [PT_X + 8], FRAME_B | 3
        mov qword [PVX_PT64 + 0x2000 + 8 * 8], PT_X | 3         ; PD entry for 16 MiB
        mov rax, cr3
        mov cr3, rax
        mov byte [X_INSN], 0xB8                                 ; mov eax, 0x11223344
        mov dword [X_INSN + 1], 0x11223344
        mov byte [X_INSN + 5], 0xC3                             ; ret
        mov eax, [FRAME_B]
        CHECK_EQ 0xC3112233, "the second page's bytes sit at the start of FRAME_B"
        mov rax, X_INSN
        call rax
        CHECK_EQ 0x11223344, "mov eax, imm32 straddling two pages in non-adjacent frames"
        mov byte [V_X + 0x1002], 0x55   ; patch the imm's top byte through the same address
        mov rax, X_INSN
        call rax
        CHECK_EQ 0x55223344, "patched in the second page (same linear address)"
        mov word [FRAME_B], 0x6666      ; through the identity mapping of FRAME_B
        mov eax, 0
        cpuid                           ; serializing, as the SDM asks for this case
        mov rax, X_INSN
        call rax
        CHECK_EQ 0x55666644, "patched through another mapping of the frame"
        mov byte [V_X + 0xFFF], 0x77    ; the byte in the first page
        mov rax, X_INSN
        call rax
        CHECK_EQ 0x55666677, "patched in the first page"
        PASS

; ------------------------------------------------------------- code that is copied to RAM
bits 16
rm_add: add ax, strict word 0           ; 05 iw: the immediate is at +1
        retf
rm_add_end:

rm_next:                                ; CX = count, BX += CX + (CX-1) + ... + 1
.l:     mov [cs:RM_CODE2 + (.imm - rm_next) + 1], cx    ; store into the next instruction
.imm:   mov ax, strict word 0           ; B8 iw
        add bx, ax
        loop .l
        retf
rm_next_end:

bits 64
lm_ret_imm:
        mov eax, strict dword 0         ; B8 id: the immediate is at +1
        ret
lm_ret_imm_end:

lm_next:                                ; ECX = count, EBX += ECX + ... + 1
.l:     mov [rel .imm + 1], ecx         ; store into the next instruction
.imm:   mov eax, strict dword 0
        add ebx, eax
        loop .l
        ret
lm_next_end:
