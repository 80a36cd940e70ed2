; cpu/privilege.asm — protection rings in 32-bit protected mode: IRET to ring 3 (with the data
; segment registers a DPL0 segment cannot stay in), INT from ring 3 through a DPL3 interrupt gate
; with the stack switch to the TSS's SS0:ESP0, a DPL0 gate refusing ring 3, a far CALL through a
; call gate (with parameter copying) and RETF back, privileged instructions and IOPL at CPL3, the
; TSS I/O permission bitmap, and SYSENTER/SYSEXIT.
;
; expect-output: cpu/privilege: PASS

%define TEST_NAME "cpu/privilege"
%include "pvxtest.inc"

SEL_GATE        equ 0x68                ; call gate, DPL3, 2 parameters -> gate_target (ring 0)
SEL_GATE3       equ SEL_GATE | 3
SYSENTER_STACK  equ PVX_STACK0 - 0x1000 ; IA32_SYSENTER_ESP: a different ring-0 stack than ESP0
MSR_SYSENTER_CS  equ 0x174
MSR_SYSENTER_ESP equ 0x175
MSR_SYSENTER_EIP equ 0x176

; what the ring-0 side saw, written by the handlers
V_ESP   equ PVX_USER + 0x00             ; ESP on entry to the ring-0 code
V_EIP   equ PVX_USER + 0x04             ; the frame it found
V_CS    equ PVX_USER + 0x08
V_FL    equ PVX_USER + 0x0C
V_OESP  equ PVX_USER + 0x10
V_OSS   equ PVX_USER + 0x14
V_P1    equ PVX_USER + 0x18             ; call gate parameters as copied to the ring-0 stack
V_P2    equ PVX_USER + 0x1C
V_SS    equ PVX_USER + 0x20             ; SS / CS in the ring-0 code
V_CS0   equ PVX_USER + 0x24
V_MARK  equ PVX_USER + 0x28

%macro USER_SEGS 0                      ; selectors ring 3 can use
        mov ax, SEL_UDATA | 3
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
%endmacro

test_main:
        ENTER_PM32
        mov al, 0xFF                    ; mask the PICs (IF is set once below)
        out 0x21, al
        out 0xA1, al
        call pvx_tss32_setup            ; SS0:ESP0 = SEL_DATA32:PVX_STACK0, ports E9/F4 open
        IDT32_GATE 0x80, int80_handler, 0xEE    ; interrupt gate, DPL3: ring 3 may INT 0x80
        IDT32_GATE 0x81, int80_handler, 0x8E    ; DPL0: ring 3 may not
        IDT32_GATE 0x82, back_to_ring0, 0xEE    ; ends the ring-3 part
        ; call gate: offset gate_target, selector SEL_CODE32, P, DPL3, type 0xC, 2 dwords
        mov dword [PVX_GDT + SEL_GATE], (SEL_CODE32 << 16) | (ABS(gate_target) & 0xFFFF)
        mov dword [PVX_GDT + SEL_GATE + 4], (ABS(gate_target) & 0xFFFF0000) | 0xEC00 | 2
        ; SYSENTER MSRs
        mov ecx, MSR_SYSENTER_CS
        mov eax, SEL_CODE32
        xor edx, edx
        wrmsr
        mov ecx, MSR_SYSENTER_ESP
        mov eax, SYSENTER_STACK
        wrmsr
        mov ecx, MSR_SYSENTER_EIP
        mov eax, sysenter_target
        wrmsr
        mov eax, 1
        cpuid
        and edx, 1 << 11
        mov eax, edx
        CHECK_EQ 1 << 11, "CPUID.1:EDX.SEP (SYSENTER/SYSEXIT present)"

        ; ---------------- IRET to ring 3 ----------------
        push dword SEL_UDATA | 3        ; SS
        push dword PVX_STACK3           ; ESP
        push dword 0x00000002           ; EFLAGS: IOPL 0, IF 0
        push dword SEL_UCODE32 | 3      ; CS
        push dword ring3                ; EIP
        iretd

ring3:  mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_UCODE32 | 3, "IRET: CS = user code, RPL 3"
        mov ax, ss
        movzx eax, ax
        CHECK_EQ SEL_UDATA | 3, "IRET: SS = user data"
        mov eax, esp
        CHECK_EQ PVX_STACK3, "IRET: ESP from the frame"
        mov ax, ds                      ; DS held DPL0 SEL_DATA32: IRET to ring 3 nulls it
        movzx eax, ax
        CHECK_EQ 0, "IRET to an outer ring nulls DS that held a DPL0 segment"
        mov ax, fs
        movzx eax, ax
        CHECK_EQ 0, "... and FS"
        USER_SEGS

        ; ---------------- INT 0x80 through a DPL3 gate: stack switch ----------------
        mov ebx, esp
        mov eax, 0x1234
        int 0x80
.ret80: cmp eax, 0x80801234             ; the handler ORs in 0x80800000
        CHECK e, "int 0x80 ran the ring-0 handler and returned"
        cmp ebx, esp
        CHECK e, "ring-3 ESP intact after IRET"
        mov eax, [V_ESP]
        CHECK_EQ PVX_STACK0 - 20, "handler ran on ESP0 with a 5-dword frame"
        mov eax, [V_SS]
        CHECK_EQ SEL_DATA32, "handler's SS = SS0 from the TSS"
        mov eax, [V_CS]
        CHECK_EQ SEL_UCODE32 | 3, "frame: CS with RPL 3"
        mov eax, [V_EIP]
        CHECK_EQ .ret80, "frame: EIP after the INT"
        mov eax, [V_OSS]
        CHECK_EQ SEL_UDATA | 3, "frame: ring-3 SS"
        cmp ebx, [V_OESP]
        CHECK e, "frame: ring-3 ESP"
        mov eax, [V_CS0]
        CHECK_EQ SEL_CODE32, "handler's CS = the gate's selector"
        EXPECT_EXC .r81
.f81:   int 0x81                        ; gate DPL0 < CPL3
.r81:   CHECK_EXC 13, 0x81 * 8 + 2, .f81, "int through a DPL0 gate from ring 3 -> #GP(0x40A)"
        mov eax, [PVX_EXC_SS]
        CHECK_EQ SEL_UDATA | 3, "#GP frame from ring 3 includes SS"

        ; ---------------- call gate ----------------
        mov ebx, esp
        push dword 0x11111111
        push dword 0x22222222
        call SEL_GATE3:0                ; the offset is ignored: the gate supplies it
.cgret: cmp ebx, esp
        CHECK e, "retf 8 popped the parameters from the ring-3 stack too"
        cmp eax, 0xCA116A7E
        CHECK e, "call gate reached ring 0 and returned"
        mov eax, [V_CS]
        CHECK_EQ SEL_UCODE32 | 3, "call gate: pushed CS has RPL 3"
        mov eax, [V_EIP]
        CHECK_EQ .cgret, "call gate: return EIP"
        mov eax, [V_P1]
        CHECK_EQ 0x22222222, "call gate: parameter at the caller's ESP copied first"
        mov eax, [V_P2]
        CHECK_EQ 0x11111111, "call gate: second parameter copied"
        lea eax, [ebx - 8]
        cmp eax, [V_OESP]
        CHECK e, "call gate: caller ESP (pointing at the parameters) pushed"
        mov eax, [V_ESP]
        CHECK_EQ PVX_STACK0 - 24, "call gate: ring-0 stack = ESP0 - (SS, ESP, 2 params, CS, EIP)"
        EXPECT_EXC .rcg
.fcg:   call SEL_CODE32:gate_target     ; a direct far call to ring-0 code is refused
.rcg:   CHECK_EXC 13, SEL_CODE32, .fcg, "far call from ring 3 straight to DPL0 code -> #GP(sel)"

        ; ---------------- privileged instructions, IOPL 0 ----------------
        EXPECT_EXC .rh
.fh:    hlt
.rh:    CHECK_EXC 13, 0, .fh, "hlt at CPL3 -> #GP(0)"
        EXPECT_EXC .rc
.fc:    cli
.rc:    CHECK_EXC 13, 0, .fc, "cli at CPL3 with IOPL 0 -> #GP(0)"
        EXPECT_EXC .rs
.fs:    sti
.rs:    CHECK_EXC 13, 0, .fs, "sti at CPL3 with IOPL 0 -> #GP(0)"
        EXPECT_EXC .rcr
.fcr:   mov eax, cr0
.rcr:   CHECK_EXC 13, 0, .fcr, "mov eax, cr0 at CPL3 -> #GP(0)"
        EXPECT_EXC .rlg
.flg:   lgdt [pvx_gdtr]
.rlg:   CHECK_EXC 13, 0, .flg, "lgdt at CPL3 -> #GP(0)"
        EXPECT_EXC .rds
        mov ax, SEL_DATA32
.fds:   mov es, ax
.rds:   CHECK_EXC 13, SEL_DATA32, .fds, "load of a DPL0 data segment at CPL3 -> #GP(sel)"
        EXPECT_EXC .rpf
        pushfd
        or dword [esp], 0x200 | 0x3000  ; try to set IF and IOPL 3
        popfd                           ; CPL3, IOPL0: both silently stay unchanged
        pushfd
        pop eax
.rpf:   CHECK_NO_EXC "popf at CPL3 does not fault"
        and eax, 0x3200
        CHECK_EQ 0, "popf at CPL3 changes neither IF nor IOPL"

        ; ---------------- I/O permission bitmap ----------------
        EXPECT_EXC .rio1
        mov al, '>'
        out 0xE9, al                    ; port 0xE9 is open in the bitmap
        mov al, 10
        out 0xE9, al
.rio1:  CHECK_NO_EXC "out to a port open in the I/O bitmap (0xE9)"
        EXPECT_EXC .rio2
.fio2:  in al, 0x80                     ; bit set in the bitmap
.rio2:  CHECK_EXC 13, 0, .fio2, "in from a port closed in the I/O bitmap (0x80) -> #GP(0)"
        EXPECT_EXC .rio3
        mov dx, 0x3F8                   ; beyond the bitmap (the TSS limit): closed
.fio3:  in al, dx
.rio3:  CHECK_EXC 13, 0, .fio3, "port beyond the end of the bitmap -> #GP(0)"
        EXPECT_EXC .rio4
        mov dx, 0xE9
        mov ax, 0x0A0A
.fio4:  out dx, ax                      ; 16-bit access: ports 0xE9 and 0xEA, 0xEA closed
.rio4:  CHECK_EXC 13, 0, .fio4, "word out at 0xE9 needs 0xEA open too -> #GP(0)"

        ; ---------------- SYSENTER / SYSEXIT ----------------
        mov ecx, esp                    ; SYSEXIT: ESP = ECX, EIP = EDX
        mov edx, .sysret
        mov ebx, esp
        mov eax, 0x5E
        sysenter
.sysret:
        cmp ebx, esp
        CHECK e, "sysexit: ESP = ECX"
        cmp eax, 0x5E5E
        CHECK e, "sysenter reached the ring-0 target"
        mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_CODE32 + 16 | 3, "sysexit: CS = SYSENTER_CS + 16, RPL 3"
        mov ax, ss
        movzx eax, ax
        CHECK_EQ SEL_CODE32 + 24 | 3, "sysexit: SS = SYSENTER_CS + 24, RPL 3"
        mov eax, [V_ESP]
        CHECK_EQ SYSENTER_STACK, "sysenter: ESP = IA32_SYSENTER_ESP"
        mov eax, [V_CS0]
        CHECK_EQ SEL_CODE32, "sysenter: CS = IA32_SYSENTER_CS"
        mov eax, [V_SS]
        CHECK_EQ SEL_CODE32 + 8, "sysenter: SS = IA32_SYSENTER_CS + 8"
        EXPECT_EXC .rsx
.fsx:   sysexit                         ; privileged
.rsx:   CHECK_EXC 13, 0, .fsx, "sysexit at CPL3 -> #GP(0)"

        ; ---------------- IOPL 3 lets ring 3 use CLI/STI ----------------
        xor ebx, ebx
        int 0x82                        ; to ring 0, which comes back with IOPL 3

ring0_again:                            ; (ring 0, from back_to_ring0)
        mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_CODE32, "back in ring 0"
        push dword SEL_UDATA | 3
        push dword PVX_STACK3
        push dword 0x3002               ; IOPL 3
        push dword SEL_UCODE32 | 3
        push dword ring3_iopl3
        iretd
ring3_iopl3:
        EXPECT_EXC .riopl
        cli
        pushfd
        pop eax
.riopl: CHECK_NO_EXC "cli at CPL3 with IOPL 3 is allowed"
        and eax, 0x3000
        CHECK_EQ 0x3000, "IOPL 3 in ring 3"
        EXPECT_EXC .rio5
        in al, 0x80                     ; CPL <= IOPL: the bitmap is not consulted
.rio5:  CHECK_NO_EXC "with IOPL 3 a port closed in the bitmap is allowed"
        mov ebx, 1
        int 0x82

ring0_done:
        PASS

; ------------------------------------------------------------------- ring-0 code
int80_handler:                          ; [esp] EIP, CS, EFLAGS, ESP, SS
        mov [ss:V_ESP], esp
        push eax
        mov eax, [esp + 4]
        mov [ss:V_EIP], eax
        mov eax, [esp + 8]
        mov [ss:V_CS], eax
        mov eax, [esp + 12]
        mov [ss:V_FL], eax
        mov eax, [esp + 16]
        mov [ss:V_OESP], eax
        mov eax, [esp + 20]
        mov [ss:V_OSS], eax
        mov ax, ss
        movzx eax, ax
        mov [ss:V_SS], eax
        mov ax, cs
        movzx eax, ax
        mov [ss:V_CS0], eax
        pop eax
        or eax, 0x80800000
        iretd

gate_target:                            ; [esp] EIP, CS, param (caller's [esp]), param, ESP, SS
        mov [ss:V_ESP], esp
        push eax
        mov eax, [esp + 4]
        mov [ss:V_EIP], eax
        mov eax, [esp + 8]
        mov [ss:V_CS], eax
        mov eax, [esp + 12]
        mov [ss:V_P1], eax
        mov eax, [esp + 16]
        mov [ss:V_P2], eax
        mov eax, [esp + 20]
        mov [ss:V_OESP], eax
        pop eax
        mov eax, 0xCA116A7E
        retf 8                          ; pops the 2 parameters on both stacks

sysenter_target:
        mov [ss:V_ESP], esp
        push eax
        mov ax, ss
        movzx eax, ax
        mov [ss:V_SS], eax
        mov ax, cs
        movzx eax, ax
        mov [ss:V_CS0], eax
        pop eax
        or eax, 0x5E00
        sysexit                         ; ECX, EDX from ring 3

back_to_ring0:                          ; int 0x82: EBX = 0 first time, 1 the second
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, PVX_STACK0
        test ebx, ebx
        jz ring0_again
        jmp ring0_done
