; cpu/icebp.asm — INT1 (ICEBP, opcode F1): a #DB trap delivered through a DPL 0 gate even from
; CPL 3, because it is a privileged software exception rather than INT n (SDM Vol.3A 6.4.2,
; Vol.2 "INT n/INTO/INT3/INT1"), saving the next instruction's EIP.
;
; expect-output: cpu/icebp: PASS
; qemu-skip: QEMU 7.2's TCG raises #UD for F1 (ICEBP), which the SDM defines as #DB

%define TEST_NAME "cpu/icebp"
%include "pvxtest.inc"

STEP_COUNT equ PVX_USER + 0x00
STEP_LAST  equ PVX_USER + 0x04

test_main:
        ENTER_PM32
        IDT32_GATE 0x41, int41_handler, 0xEE
        ; ---------------- INT1 (ICEBP) from CPL 3 through a DPL 0 gate ----------------
        call pvx_tss32_setup
        IDT32_GATE 1, icebp_handler, 0x8E   ; DPL 0: INT 1 (CD 01) from CPL 3 would be #GP
        mov dword [STEP_COUNT], 0
        push dword SEL_UDATA | 3
        push dword PVX_STACK3
        push dword 0x202
        push dword SEL_UCODE32 | 3
        push dword user_code
        iretd
user_code:
        db 0xF1                         ; ICEBP
icebp_next:
        int 0x41                        ; back to ring 0 (a DPL 3 gate)
back_in_ring0:
        mov eax, [STEP_COUNT]
        CHECK_EQ 1, "ICEBP from CPL 3: delivered through the DPL 0 gate"
        mov eax, [STEP_LAST]
        CHECK_EQ icebp_next, "ICEBP: the saved EIP is the next instruction"
        PASS

; #DB handler for ICEBP: count and remember the saved EIP, return to ring 3.
icebp_handler:                          ; DS is null here (IRET to ring 3 cleared it): use SS
        push eax
        inc dword [ss:STEP_COUNT]
        mov eax, [esp + 4]
        mov [ss:STEP_LAST], eax
        pop eax
        iretd

; Ring-3 exit: INT 0x41 lands here at CPL 0; drop the ring-3 frame and continue.
int41_handler:
        add esp, 20
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        jmp back_in_ring0
