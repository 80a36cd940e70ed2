; cpu/v8086.asm — virtual-8086 mode under a small 32-bit monitor: entering it with IRETD (VM=1),
; real-mode-style addressing with CR0.PE still set, INT n through a DPL3 gate (the V86 frame with
; the data segment registers, which the CPU clears for the handler), and with IOPL < 3 the
; IOPL-sensitive instructions (INT n, CLI, PUSHF, POPF) raising #GP(0) to the monitor, the I/O
; bitmap deciding IN/OUT, and the return to protected mode.
;
; expect-output: cpu/v8086: PASS

%define TEST_NAME "cpu/v8086"
%include "pvxtest.inc"

EFL_VM          equ 0x20000
EFL_IOPL3       equ 0x3000
V86_SP          equ 0xE000          ; V86 stack: SS = 0, SP = 0xE000
CONT            equ PVX_USER        ; where v86_exit continues in protected mode
F30             equ PVX_USER + 0x10 ; the frame int30_handler found: 9 dwords
F30_ESP         equ PVX_USER + 0x40 ; handler's ESP on entry
F30_DS          equ PVX_USER + 0x44 ; handler's DS on entry
SLOTS           equ 0x5200          ; stage 2 results: 16 bytes per instruction
MARK            equ 0x6010

; SAVE_EXC n (V86 code, DS = 0): copy the exception record into slot n
%macro SAVE_EXC 1
        mov eax, [PVX_EXC_COUNT]
        mov [SLOTS + (%1) * 16], eax
        mov eax, [PVX_EXC_VEC]
        mov [SLOTS + (%1) * 16 + 4], eax
        mov eax, [PVX_EXC_ERR]
        mov [SLOTS + (%1) * 16 + 8], eax
        mov eax, [PVX_EXC_RIP]
        mov [SLOTS + (%1) * 16 + 12], eax
        mov dword [PVX_EXC_RESUME], 0   ; disarm (the handler did so if it ran)
%endmacro

; CHECK_SLOT n, count, vector, error, ip_label, "text" (protected mode)
%macro CHECK_SLOT 6
        mov eax, [SLOTS + (%1) * 16]
        shl eax, 8
        or eax, [SLOTS + (%1) * 16 + 4]
        CHECK_EQ ((%2) << 8) | (%3), %6
        mov eax, [SLOTS + (%1) * 16 + 8]
        CHECK_EQ %4, "  ... error code"
        mov eax, [SLOTS + (%1) * 16 + 12]
        CHECK_EQ R(%5), "  ... saved IP"
%endmacro

; ENTER_V86 eflags, ip_label: IRETD to V86 at F000:ip with SS:SP = 0:V86_SP, DS=ES=FS=GS=0
%macro ENTER_V86 2
        push dword 0                    ; GS
        push dword 0                    ; FS
        push dword 0                    ; DS
        push dword 0                    ; ES
        push dword 0                    ; SS
        push dword V86_SP               ; ESP
        push dword (%1) | EFL_VM | 2    ; EFLAGS
        push dword 0xF000               ; CS
        push dword R(%2)                ; EIP
        iretd
%endmacro

test_main:
        mov byte [MARK], 0x5C           ; real mode: linear 0x6010
        ENTER_PM32
        call pvx_tss32_setup            ; ring-0 stack for V86 interrupts, ports E9/F4 open
        IDT32_GATE 13, gp_monitor, 0x8E
        IDT32_GATE 0x30, int30_handler, 0xEE    ; DPL3: V86 code may INT 0x30
        IDT32_GATE 0x21, v86_exit, 0xEE         ; "back to protected mode"
        mov dword [CONT], pm_stage2
        mov edi, SLOTS
        mov ecx, 16 * 16 / 4
        mov eax, 0xDEADDEAD
        rep stosd

        ; ---------------- stage 1: IOPL 3 ----------------
        ENTER_V86 EFL_IOPL3, v86_stage1
bits 16
v86_stage1:
        mov ax, cs
        movzx eax, ax
        CHECK_EQ 0xF000, "IRETD with VM=1: CS = 0xF000"
        smsw ax                         ; CR0 low word: PE is still 1 in V86 mode
        and eax, 1
        CHECK_EQ 1, "V86 mode runs with CR0.PE = 1"
        mov ax, 0x0600
        mov es, ax                      ; a V86 segment load: base = 0x6000, no descriptor
        movzx eax, byte [es:0x0010]
        CHECK_EQ 0x5C, "0600:0010 is linear 0x6010, as in real mode"
        xor ax, ax
        mov es, ax
        pushf
        pop ax
        and eax, 0x3000
        CHECK_EQ 0x3000, "pushf in V86 shows IOPL 3"
        mov eax, esp
        CHECK_EQ V86_SP, "V86 stack from the IRETD frame"
        ; INT n with IOPL 3 goes through the IDT to ring 0
        mov ax, 0x1234
        mov ds, ax                      ; make the pushed DS recognizable
        mov ax, 0x2345
        mov fs, ax
        int 0x30
.r30:   xor ax, ax
        mov ds, ax
        mov fs, ax
        mov eax, [F30_ESP]
        CHECK_EQ PVX_STACK0 - 36, "int 0x30: handler on ESP0 with the 9-dword V86 frame"
        mov eax, [F30]
        CHECK_EQ R(.r30), "V86 frame: IP after the INT"
        mov eax, [F30 + 4]
        CHECK_EQ 0xF000, "V86 frame: CS"
        mov eax, [F30 + 8]
        and eax, EFL_VM
        CHECK_EQ EFL_VM, "V86 frame: EFLAGS.VM = 1"
        mov eax, [F30 + 12]
        CHECK_EQ V86_SP, "V86 frame: SP"
        mov eax, [F30 + 16]
        CHECK_EQ 0, "V86 frame: SS"
        mov eax, [F30 + 24]
        CHECK_EQ 0x1234, "V86 frame: DS"
        mov eax, [F30 + 28]
        CHECK_EQ 0x2345, "V86 frame: FS"
        mov eax, [F30_DS]
        CHECK_EQ 0, "the CPU cleared DS for the ring-0 handler"
        ; privileged instructions fault to the monitor, which records and resumes
        EXPECT_EXC .rcr
.fcr:   mov eax, cr0
.rcr:   CHECK_EXC 13, 0, .fcr, "mov eax, cr0 in V86 -> #GP(0)"
        EXPECT_EXC .rcli
        cli                             ; IOPL 3: allowed
        sti
        cli
.rcli:  CHECK_NO_EXC "cli/sti in V86 with IOPL 3"
        int 0x21                        ; leave V86 mode

bits 32
pm_stage2:
        mov dword [CONT], pm_done
        ; ---------------- stage 2: IOPL 0 ----------------
        ENTER_V86 0, v86_stage2
bits 16
v86_stage2:                             ; no PUSHF here: the CHECK macros cannot run
        EXPECT_EXC .r0
.f0:    int 0x30
.r0:    SAVE_EXC 0
        EXPECT_EXC .r1
.f1:    cli
.r1:    SAVE_EXC 1
        EXPECT_EXC .r2
.f2:    pushf
.r2:    SAVE_EXC 2
        EXPECT_EXC .r3
.f3:    popf
.r3:    SAVE_EXC 3
        EXPECT_EXC .r4
.f4:    in al, 0x80                     ; closed in the I/O bitmap
.r4:    SAVE_EXC 4
        EXPECT_EXC .r5
        mov al, 10
        out 0xE9, al                    ; open in the bitmap (prints an empty line)
.r5:    SAVE_EXC 5
        EXPECT_EXC .r6
.f6:    int3                            ; not IOPL-sensitive, but gate 3 has DPL0
.r6:    SAVE_EXC 6
        EXPECT_EXC .r7
.f7:    hlt
.r7:    SAVE_EXC 7
        int 0x21                        ; IOPL 0: #GP, and the monitor sees CD 21

bits 32
pm_done:
        mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_CODE32, "back in protected mode"
        CHECK_SLOT 0, 1, 13, 0, v86_stage2.f0, "IOPL 0: int 0x30 -> #GP(0) to the monitor"
        CHECK_SLOT 1, 1, 13, 0, v86_stage2.f1, "IOPL 0: cli -> #GP(0)"
        CHECK_SLOT 2, 1, 13, 0, v86_stage2.f2, "IOPL 0: pushf -> #GP(0)"
        CHECK_SLOT 3, 1, 13, 0, v86_stage2.f3, "IOPL 0: popf -> #GP(0)"
        CHECK_SLOT 4, 1, 13, 0, v86_stage2.f4, "in from a closed port -> #GP(0)"
        mov eax, [SLOTS + 5 * 16]
        CHECK_EQ 0, "out to an open port works in V86 with IOPL 0"
        CHECK_SLOT 6, 1, 13, 3 * 8 + 2, v86_stage2.f6, "int3 -> #GP(0x1A): gate 3 DPL0 < CPL 3"
        CHECK_SLOT 7, 1, 13, 0, v86_stage2.f7, "hlt -> #GP(0)"
        PASS

; ---------------------------------------------------------------- the monitor (ring 0)
; #GP: from V86 mode, "int 0x21" means "return to protected mode"; everything else goes to the
; recording handler of pvxtest.inc (which resumes at the armed label).
gp_monitor:                             ; [esp] error, EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS
        test dword [ss:esp + 12], EFL_VM
        jz pvx_stub32_13
        push eax
        push ebx
        movzx eax, word [ss:esp + 8 + 8]        ; CS
        shl eax, 4
        movzx ebx, word [ss:esp + 8 + 4]        ; IP
        add eax, ebx
        cmp word [ss:eax], 0x21CD               ; CD 21 = int 0x21
        pop ebx
        pop eax
        jne pvx_stub32_13
v86_exit:                               ; also reached directly through gate 0x21 (IOPL 3)
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, PVX_STACK0
        jmp [CONT]

int30_handler:                          ; V86 frame: EIP CS EFLAGS ESP SS ES DS FS GS
        mov [ss:F30_ESP], esp
        push eax
        mov ax, ds
        movzx eax, ax
        mov [ss:F30_DS], eax
        push ecx
        push esi
        push edi
        lea esi, [esp + 16]
        mov edi, F30
        mov ecx, 9
.copy:  mov eax, [ss:esi]
        mov [ss:edi], eax
        add esi, 4
        add edi, 4
        loop .copy
        pop edi
        pop esi
        pop ecx
        pop eax
        iretd
