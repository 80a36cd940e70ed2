; Hardware task switches in 32-bit protected mode (SDM Vol.3A chapter 7): CALL to a TSS, IRET
; back through the link (NT), JMP through a task gate and back to a TSS, INT n and an exception
; through IDT task gates (the error code on the new task's stack), the busy bits, CR0.TS, the
; state saved in the old TSS, and #GP for a JMP to a busy task.
; expect-output: cpu/task_switch: PASS
%define TEST_NAME "cpu/task_switch"
%include "pvxtest.inc"

SEL_TSS_B       equ SEL_FREE            ; task B's TSS descriptor
SEL_GATE_B      equ SEL_FREE + 8        ; a task gate (GDT) naming task B
TSS_B           equ 0x5000
STACK_B         equ 0x9000
B_RUNS          equ PVX_USER            ; how many times task B ran
B_EAX           equ PVX_USER + 4
B_FLAGS1        equ PVX_USER + 8        ; EFLAGS in B after CALL, JMP, INT n
B_FLAGS2        equ PVX_USER + 12
B_FLAGS3        equ PVX_USER + 16
B_TR            equ PVX_USER + 20
B_CR0           equ PVX_USER + 24
B_ERR           equ PVX_USER + 28
B_LINK          equ PVX_USER + 32
NT              equ 1 << 14
BUSY_A          equ PVX_GDT + SEL_TSS + 5
BUSY_B          equ PVX_GDT + SEL_TSS_B + 5

test_main:
        ENTER_PM32
        call pvx_tss32_setup            ; task A: this code, TR = SEL_TSS
        ; Task B: a 32-bit TSS whose state starts at task_b with EAX = 11111111h.
        mov edi, TSS_B
        mov ecx, 104 / 4
        xor eax, eax
        rep stosd
        mov dword [TSS_B + 0x20], task_b        ; EIP
        mov dword [TSS_B + 0x24], 0x2           ; EFLAGS
        mov dword [TSS_B + 0x28], 0x11111111    ; EAX
        mov dword [TSS_B + 0x38], STACK_B       ; ESP
        mov dword [TSS_B + 0x48], SEL_DATA32    ; ES
        mov dword [TSS_B + 0x4C], SEL_CODE32    ; CS
        mov dword [TSS_B + 0x50], SEL_DATA32    ; SS
        mov dword [TSS_B + 0x54], SEL_DATA32    ; DS
        mov word [TSS_B + 0x66], 104            ; no I/O bitmap
        GDT_SET SEL_TSS_B, TSS_B, 103, 0x89, 0  ; available 32-bit TSS, DPL0
        GDT_SET SEL_GATE_B, SEL_TSS_B, 0, 0x85, 0 ; task gate: TSS selector in bits 31:16
        mov dword [B_RUNS], 0

        ; --- CALL to the TSS: B runs nested (NT, link = A), IRET comes back.
        mov eax, 0xA0A0A0A0
        call SEL_TSS_B:0
        CHECK_EQ 0xA0A0A0A0, "CALL/IRET: A's EAX restored from its TSS"
        mov eax, [B_RUNS]
        CHECK_EQ 1, "CALL: task B ran"
        mov eax, [B_EAX]
        CHECK_EQ 0x11111111, "CALL: B started with the registers of its TSS"
        mov eax, [B_FLAGS1]
        and eax, NT
        CHECK_EQ NT, "CALL: B runs with NT set"
        movzx eax, word [B_TR]
        CHECK_EQ SEL_TSS_B, "CALL: TR = B's TSS inside B"
        mov eax, [B_CR0]
        and eax, 8
        CHECK_EQ 8, "task switch sets CR0.TS"
        movzx eax, word [B_LINK]
        CHECK_EQ SEL_TSS, "CALL: B's link field = A"
        str ax
        movzx eax, ax
        CHECK_EQ SEL_TSS, "IRET: TR = A again"
        pushfd
        pop eax
        and eax, NT
        CHECK_EQ 0, "IRET: A runs without NT"
        movzx eax, byte [BUSY_B]
        CHECK_EQ 0x89, "IRET: B's descriptor is available again"
        movzx eax, byte [BUSY_A]
        CHECK_EQ 0x8B, "A stays busy"
        mov eax, [TSS_B + 0x20]
        CHECK_EQ task_b.part2, "B's TSS saved EIP after its IRET"

        ; --- JMP through the task gate: B resumes after its IRET; it JMPs back to A's TSS.
        mov eax, 0xA0A0A0A0
        mov ebx, 0xB0B0B0B0
        jmp SEL_GATE_B:0
.after_jmp:
        CHECK_EQ 0xA0A0A0A0, "JMP back: A's EAX restored"
        mov eax, ebx
        CHECK_EQ 0xB0B0B0B0, "JMP back: A's EBX restored"
        mov eax, [B_RUNS]
        CHECK_EQ 2, "JMP: task B ran again"
        mov eax, [B_FLAGS2]
        and eax, NT
        CHECK_EQ 0, "JMP: B runs without NT"
        movzx eax, byte [BUSY_B]
        CHECK_EQ 0x89, "JMP away: B's descriptor available"
        mov eax, [PVX_TSS + 0x20]
        CHECK_EQ .after_jmp, "A's TSS saved the EIP after its JMP"

        ; --- INT 40h through an IDT task gate: B nests, IRET returns.
        mov dword [PVX_IDT + 0x40 * 8], SEL_TSS_B << 16
        mov dword [PVX_IDT + 0x40 * 8 + 4], 0x8500      ; present, DPL0, task gate
        int 0x40
        mov eax, [B_RUNS]
        CHECK_EQ 3, "INT 40h: task B ran through the task gate"
        mov eax, [B_FLAGS3]
        and eax, NT
        CHECK_EQ NT, "INT 40h: B runs with NT set"

        ; --- #GP through a task gate: the error code lands on B's stack; B skips the faulting
        ;     instruction by editing A's saved EIP, then IRETs.
        mov dword [PVX_IDT + 13 * 8], SEL_TSS_B << 16
        mov dword [PVX_IDT + 13 * 8 + 4], 0x8500
        mov ax, 0xFFF8                  ; beyond the GDT limit
.fault: mov ds, ax                      ; #GP(FFF8h) -> task B
        mov ax, ds
        movzx eax, ax
        CHECK_EQ SEL_DATA32, "#GP task: A resumes after the faulting MOV, DS untouched"
        mov eax, [B_RUNS]
        CHECK_EQ 4, "#GP: task B ran"
        mov eax, [B_ERR]
        CHECK_EQ 0xFFF8, "#GP: error code pushed on B's stack"
        IDT32_GATE 13, pvx_stub32_13, 0x8E      ; the recording handler again

        ; --- JMP to a busy TSS (A itself) is #GP(selector).
        EXPECT_EXC .resume
.busy:  jmp SEL_TSS:0
.resume:
        CHECK_EXC 13, SEL_TSS, .busy, "JMP to a busy TSS -> #GP(sel)"
        PASS

; Task B. Each entry resumes where its previous run left off (the EIP its TSS saved).
task_b:
        mov [B_EAX], eax
        pushfd
        pop eax
        mov [B_FLAGS1], eax
        str ax
        mov [B_TR], ax
        mov eax, cr0
        mov [B_CR0], eax
        mov ax, [TSS_B]
        mov [B_LINK], ax
        inc dword [B_RUNS]
        iret                            ; NT: back to the task in the link field
.part2:                                 ; entered by JMP through the task gate
        inc dword [B_RUNS]
        pushfd
        pop eax
        mov [B_FLAGS2], eax
        jmp SEL_TSS:0                   ; back to A (available again after its JMP)
.part3:                                 ; entered by INT 40h
        inc dword [B_RUNS]
        pushfd
        pop eax
        mov [B_FLAGS3], eax
        iret
.part4:                                 ; entered by #GP: the error code is on this stack
        inc dword [B_RUNS]
        pop eax
        mov [B_ERR], eax
        add dword [PVX_TSS + 0x20], 2   ; A's saved EIP: past `mov ds, ax`
        iret
