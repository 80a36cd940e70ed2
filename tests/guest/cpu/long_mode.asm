; cpu/long_mode.asm — IA-32e mode: entering it (EFER.LMA), 64-bit ALU with REX registers and the
; zero-extension rules, RIP-relative addressing, CMPXCHG16B, FS/GS bases and SWAPGS, the
; canonical-address #GP, compatibility mode (a 32-bit code segment inside long mode) and back,
; IRETQ to ring 3, interrupt gates with and without IST, and SYSCALL/SYSRET with STAR/LSTAR/SFMASK.
;
; expect-output: cpu/long_mode: PASS

%define TEST_NAME "cpu/long_mode"
%include "pvxtest.inc"

MSR_EFER        equ 0xC0000080
MSR_STAR        equ 0xC0000081
MSR_LSTAR       equ 0xC0000082
MSR_SFMASK      equ 0xC0000084
MSR_FS_BASE     equ 0xC0000100
MSR_GS_BASE     equ 0xC0000101
MSR_KGS_BASE    equ 0xC0000102

RFL_DF  equ 0x400
RFL_AC  equ 0x40000

; what the ring-0 side saw
V_RSP   equ PVX_USER + 0x00
V_RIP   equ PVX_USER + 0x08
V_CS    equ PVX_USER + 0x10
V_RFL   equ PVX_USER + 0x18
V_ORSP  equ PVX_USER + 0x20
V_OSS   equ PVX_USER + 0x28
V_RCX   equ PVX_USER + 0x30
V_R11   equ PVX_USER + 0x38
V_SCS   equ PVX_USER + 0x40             ; CS and SS inside the SYSCALL target
V_SSS   equ PVX_USER + 0x48
DATA    equ 0x5000                      ; scratch

; WRMSR64 msr, value (clobbers RAX, RCX, RDX)
%macro WRMSR64 2
        mov ecx, %1
        mov rax, %2
        mov rdx, rax
        shr rdx, 32
        wrmsr
%endmacro
; RDMSR64 msr -> RAX (clobbers RCX, RDX)
%macro RDMSR64 1
        mov ecx, %1
        rdmsr
        shl rdx, 32
        or rax, rdx
%endmacro

test_main:
        ENTER_PM32
        mov eax, 0x80000001
        cpuid
        mov eax, edx
        and eax, 1 << 29
        CHECK_EQ 1 << 29, "CPUID.80000001h:EDX.LM"
        ENTER_LONG64
        call pvx_tss64_setup
        RDMSR64 MSR_EFER
        and eax, (1 << 10) | (1 << 8)
        CHECK_EQ (1 << 10) | (1 << 8), "EFER.LMA and LME set"

        ; ---------------- 64-bit ALU, REX registers ----------------
        mov r8, 0xFFFFFFFFFFFFFFFF
        mov r9, 1
        add r8, r9
        CHECK c, "add r8, r9: 64-bit carry out"
        mov rax, r8
        CHECK_EQ 0, "add r8, r9 wraps to 0"
        mov r15, 0x1122334455667788
        mov r15d, 0xFFFFFFFF            ; a 32-bit write zero-extends
        mov rax, r15
        CHECK_EQ 0x00000000FFFFFFFF, "mov r15d zero-extends into r15"
        mov r14, 0x1122334455667788
        mov r14w, 0xAAAA                ; 16- and 8-bit writes merge
        mov r14b, 0xBB
        mov rax, r14
        CHECK_EQ 0x112233445566AABB, "mov r14w / r14b keep the upper bits"
        mov rsi, 0x1234
        mov sil, 0x99                   ; REX form: SIL, not DH
        mov rax, rsi
        CHECK_EQ 0x1299, "sil (REX byte register)"
        mov rax, 0x0000000100000000
        mov rcx, 0x0000000100000000
        mul rcx                         ; 2^64 in RDX:RAX
        mov rax, rdx
        CHECK_EQ 1, "mul r64: high half in RDX"
        mov rdx, 1
        xor eax, eax                    ; RDX:RAX = 2^64
        mov r10, 3
        div r10
        CHECK_EQ 0x5555555555555555, "div r64: 2^64 / 3"
        mov rax, rdx
        CHECK_EQ 1, "div r64 remainder"
        mov rax, -5
        mov r11, 7
        imul rax, r11
        CHECK_EQ -35, "imul r64"
        mov rax, 1
        mov cl, 65                      ; 64-bit shifts mask the count to 6 bits
        shl rax, cl
        CHECK_EQ 2, "shl rax, 65 shifts by 1"
        mov eax, 1
        shl eax, cl                     ; 32-bit shifts mask to 5 bits: 65 & 31 = 1
        CHECK_EQ 2, "shl eax, 65 shifts by 1"
        mov ecx, 0x80000000
        movsxd rax, ecx
        CHECK_EQ 0xFFFFFFFF80000000, "movsxd"
        mov r12, 0x0102030405060708
        bswap r12
        mov rax, r12
        CHECK_EQ 0x0807060504030201, "bswap r12"
        mov r13, 0x77
        push r13
        pop rax
        CHECK_EQ 0x77, "push r13 / pop rax"
        push -2                         ; imm8 sign-extended to 64 bits
        pop rax
        CHECK_EQ 0xFFFFFFFFFFFFFFFE, "push imm8 sign-extends to 64 bits"
        mov rbx, rsp
        push rax
        sub rbx, rsp
        mov rax, rbx
        CHECK_EQ 8, "push is 8 bytes"
        pop rax
        mov r8, 5
        mov r9, 9
        cmp r8, r9
        cmovb r8, r9
        mov rax, r8
        CHECK_EQ 9, "cmovb r8, r9"
        xor eax, eax
        cmp r9, 9
        sete r10b
        movzx eax, r10b
        CHECK_EQ 1, "sete r10b"
        mov rax, 0x8000000000000000
        bsr rcx, rax
        mov rax, rcx
        CHECK_EQ 63, "bsr r64"
        mov rax, 0x00000000FFFFFFFF
        inc eax                         ; 32-bit op: result 0, upper half cleared
        CHECK z, "inc eax wraps to 0"
        mov rax, 0x1234567800000000
        add eax, 0                      ; any 32-bit ALU op zero-extends
        CHECK_EQ 0, "add eax, 0 clears RAX[63:32]"

        ; ---------------- RIP-relative ----------------
        lea rax, [rel rip_data]
        mov rbx, rip_data
        cmp rax, rbx
        CHECK e, "lea [rel label] = the label's address"
        mov rax, [rel rip_data]
        CHECK_EQ 0xFEEDFACECAFEBEEF, "mov rax, [rel rip_data]"
        call .next                      ; pushes the address of .next
.next:  pop rbx
        lea rax, [rel .next]
        cmp rax, rbx
        CHECK e, "lea [rel .next] = the return address CALL pushed"

        ; ---------------- CMPXCHG16B ----------------
        mov eax, 1
        cpuid
        mov eax, ecx
        and eax, 1 << 13
        CHECK_EQ 1 << 13, "CPUID.1:ECX.CX16"
        mov rdi, DATA + 0x100           ; 16-byte aligned
        mov qword [rdi], 0x1111
        mov qword [rdi + 8], 0x2222
        mov rax, 0x1111
        mov rdx, 0x2222
        mov rbx, 0x3333
        mov rcx, 0x4444
        lock cmpxchg16b [rdi]
        CHECK z, "cmpxchg16b equal: ZF = 1"
        mov rax, [rdi + 8]
        CHECK_EQ 0x4444, "cmpxchg16b stored RCX:RBX (high)"
        mov rax, [rdi]
        CHECK_EQ 0x3333, "cmpxchg16b stored RCX:RBX (low)"
        mov rax, 0x1111
        mov rdx, 0x2222
        cmpxchg16b [rdi]
        CHECK nz, "cmpxchg16b not equal: ZF = 0"
        CHECK_EQ 0x3333, "cmpxchg16b loaded memory into RDX:RAX (low)"
        mov rax, rdx
        CHECK_EQ 0x4444, "cmpxchg16b loaded memory into RDX:RAX (high)"
        EXPECT_EXC .rcx
        add rdi, 8                      ; misaligned
.fcx:   cmpxchg16b [rdi]
.rcx:   CHECK_EXC 13, 0, .fcx, "cmpxchg16b on a misaligned operand -> #GP(0)"

        ; ---------------- FS / GS bases, SWAPGS ----------------
        mov qword [DATA], 0xF5F5
        mov qword [DATA + 0x10], 0x6565
        mov qword [DATA + 0x20], 0x4B4B
        WRMSR64 MSR_FS_BASE, DATA
        mov rax, [fs:0x10]
        CHECK_EQ 0x6565, "FS_BASE MSR: [fs:0x10]"
        WRMSR64 MSR_GS_BASE, DATA + 0x10
        WRMSR64 MSR_KGS_BASE, DATA + 0x20
        mov rax, [gs:0]
        CHECK_EQ 0x6565, "GS_BASE MSR: [gs:0]"
        swapgs
        mov rax, [gs:0]
        CHECK_EQ 0x4B4B, "after swapgs GS uses the old KERNEL_GS_BASE"
        RDMSR64 MSR_KGS_BASE
        CHECK_EQ DATA + 0x10, "swapgs moved GS_BASE into KERNEL_GS_BASE"
        swapgs
        RDMSR64 MSR_GS_BASE
        CHECK_EQ DATA + 0x10, "second swapgs swaps back"
        WRMSR64 MSR_KGS_BASE, 0xFFFF800012345000
        RDMSR64 MSR_KGS_BASE
        CHECK_EQ 0xFFFF800012345000, "KERNEL_GS_BASE holds a full 64-bit address"
        ; (WRMSR of a non-canonical base must #GP: checked in cpu/sdm_strict, QEMU accepts it)
        mov ax, SEL_DATA64
        mov fs, ax                      ; a selector load sets the base from the descriptor
        RDMSR64 MSR_FS_BASE
        CHECK_EQ 0, "mov fs, sel reloads FS_BASE from the descriptor (0)"

        ; ---------------- canonical addresses ----------------
        mov rbx, 0x0000800000000000     ; first non-canonical address
        EXPECT_EXC .rnc1
.fnc1:  mov rax, [rbx]
.rnc1:  CHECK_EXC 13, 0, .fnc1, "load from 0x0000800000000000 -> #GP(0)"
        mov rbx, 0xFFFF7FFFFFFFFFF8
        EXPECT_EXC .rnc2
.fnc2:  mov qword [rbx], 0
.rnc2:  CHECK_EXC 13, 0, .fnc2, "store to 0xFFFF7FFFFFFFFFF8 -> #GP(0)"
        mov rbx, 0x0000800000000000
        EXPECT_EXC .rnc3
.fnc3:  jmp rbx
.rnc3:  mov eax, [PVX_EXC_COUNT]
        shl eax, 8
        or eax, [PVX_EXC_VEC]
        shl rax, 32
        or rax, [PVX_EXC_ERR]
        CHECK_EQ 0x0000010D00000000, "jmp to a non-canonical address -> one #GP(0)"
        ; Intel (SDM) reports the fault on the JMP; AMD processors (and QEMU) report the
        ; non-canonical target as the saved RIP. Accept either, nothing else.
        mov rax, [PVX_EXC_RIP]
        cmp rax, rbx
        je .ncip
        mov rcx, .fnc3
        cmp rax, rcx
.ncip:  CHECK e, "... saved RIP = the JMP (Intel) or its target (AMD)"
        mov rbx, 0x00007FFFFFFFFFF8     ; canonical, but not mapped (4 GiB identity map):
        EXPECT_EXC .rnc4
.fnc4:  mov rax, [rbx]
.rnc4:  CHECK_EXC 14, 0, .fnc4, "canonical but unmapped -> #PF, not #GP"

        ; ---------------- IST from ring 0 ----------------
        IDT64_GATE 0x40, record_handler, 0x8E, 2        ; IST2
        IDT64_GATE 0x41, record_handler, 0x8E, 0
        mov rbx, rsp
        int 0x40
        cmp rbx, rsp
        CHECK e, "RSP restored after IRETQ"
        mov rax, [V_RSP]
        CHECK_EQ PVX_IST2_TOP - 40, "IST2: stack switched even without a ring change"
        cmp rbx, [V_ORSP]
        CHECK e, "frame holds the interrupted RSP"
        mov rax, [V_OSS]
        CHECK_EQ SEL_DATA64, "64-bit frame always holds SS"
        sub rsp, 8                      ; misalign RSP to 8 mod 16
        mov rbx, rsp
        int 0x41
        add rsp, 8
        mov rax, rbx
        and rax, ~0xF                   ; the CPU aligns RSP down to 16 before pushing
        sub rax, 40
        cmp rax, [V_RSP]
        CHECK e, "no IST: frame on the current stack, aligned to 16 bytes"

        ; ---------------- compatibility mode ----------------
        push SEL_CODE32
        mov rax, compat
        push rax
        o64 retf                        ; to a 32-bit code segment: compatibility mode
bits 32
compat: mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_CODE32, "compatibility mode: CS = 32-bit code segment"
        mov eax, 5
        db 0x48                         ; DEC EAX here; a REX.W prefix in 64-bit mode
        nop
        CHECK_EQ 4, "compatibility mode decodes 0x48 as DEC EAX"
        EXPECT_EXC .rud
.fud:   ud2
.rud:   CHECK_EXC 6, 0, .fud, "#UD in compatibility mode through the 64-bit IDT"
        mov ecx, MSR_EFER
        rdmsr
        and eax, 1 << 10
        CHECK_EQ 1 << 10, "EFER.LMA still 1 in compatibility mode"
        jmp SEL_CODE64:compat_back
bits 64
compat_back:
        mov rax, 5
        db 0x48                         ; REX.W prefix of the NOP
        nop
        CHECK_EQ 5, "back in 64-bit mode: 0x48 is REX.W"

        ; ---------------- ring 3: IRETQ, INT with IST, SYSCALL / SYSRET ----------------
        IDT64_GATE 0x80, record_handler, 0xEE, 1        ; DPL3, IST1
        IDT64_GATE 0x82, record_handler, 0xEE, 0        ; DPL3, RSP0
        IDT64_GATE 0x81, to_ring0, 0xEE, 0
        mov ecx, MSR_EFER
        rdmsr
        or eax, 1                       ; EFER.SCE
        wrmsr
        WRMSR64 MSR_STAR, (SEL_UCODE32 << 48) | (SEL_CODE64 << 32)
        WRMSR64 MSR_LSTAR, syscall_target
        WRMSR64 MSR_SFMASK, RFL_DF | RFL_AC
        push SEL_UDATA64 | 3            ; SS
        push PVX_STACK3                 ; RSP
        push 0x2                        ; RFLAGS
        push SEL_UCODE64 | 3            ; CS
        mov rax, ring3
        push rax                        ; RIP
        iretq
ring3:  mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_UCODE64 | 3, "IRETQ to ring 3: CS"
        mov rbx, rsp
        int 0x80
.r80:   mov rax, [V_RSP]
        CHECK_EQ PVX_IST1_TOP - 40, "int 0x80 from ring 3 through an IST1 gate: RSP = IST1 - 40"
        mov rax, [V_CS]
        CHECK_EQ SEL_UCODE64 | 3, "frame: CS with RPL 3"
        mov rax, [V_RIP]
        CHECK_EQ .r80, "frame: RIP after the INT"
        cmp rbx, [V_ORSP]
        CHECK e, "frame: ring-3 RSP"
        mov rax, [V_OSS]
        CHECK_EQ SEL_UDATA64 | 3, "frame: ring-3 SS"
        int 0x82
        mov rax, [V_RSP]
        CHECK_EQ PVX_STACK0 - 40, "int 0x82 (no IST) from ring 3: RSP = RSP0 - 40"
        mov rax, [V_OSS]
        CHECK_EQ SEL_UDATA64 | 3, "frame: ring-3 SS"
        ; SYSCALL with DF and AC set: SFMASK clears them in ring 0, SYSRET restores R11
        std
        pushfq
        or qword [rsp], RFL_AC
        popfq
        mov rbx, rsp
        mov rax, 0x5C
        syscall
.sysret:
        pushfq
        pop rdx
        cld
        push 2
        popfq                           ; AC off again
        cmp rbx, rsp
        CHECK e, "RSP untouched by SYSCALL/SYSRET"
        CHECK_EQ 0x5C5C, "syscall reached LSTAR and returned"
        mov rax, [V_RCX]
        CHECK_EQ .sysret, "syscall: RCX = return RIP"
        mov rax, [V_R11]
        and rax, RFL_DF | RFL_AC
        CHECK_EQ RFL_DF | RFL_AC, "syscall: R11 = RFLAGS with DF and AC"
        mov rax, [V_RFL]
        and rax, RFL_DF | RFL_AC
        CHECK_EQ 0, "syscall: SFMASK cleared DF and AC in ring 0"
        mov rax, [V_SCS]
        CHECK_EQ SEL_CODE64, "syscall: CS = STAR[47:32]"
        mov rax, [V_SSS]
        CHECK_EQ SEL_CODE64 + 8, "syscall: SS = STAR[47:32] + 8"
        mov rax, rdx
        and rax, RFL_DF | RFL_AC
        CHECK_EQ RFL_DF | RFL_AC, "sysret: RFLAGS from R11"
        mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_UCODE32 + 16 | 3, "sysret: CS = STAR[63:48] + 16, RPL 3"
        mov ax, ss
        movzx eax, ax
        CHECK_EQ SEL_UCODE32 + 8 | 3, "sysret: SS = STAR[63:48] + 8, RPL 3"
        EXPECT_EXC .rsw
.fsw:   swapgs                          ; privileged
.rsw:   CHECK_EXC 13, 0, .fsw, "swapgs at CPL3 -> #GP(0)"
        EXPECT_EXC .rsr
.fsr:   o64 sysret
.rsr:   CHECK_EXC 13, 0, .fsr, "sysret at CPL3 -> #GP(0)"
        int 0x81

ring0:  mov ax, cs
        movzx eax, ax
        CHECK_EQ SEL_CODE64, "back in ring 0"
        PASS

; ------------------------------------------------------------------- ring-0 code
record_handler:                         ; [rsp] RIP, CS, RFLAGS, RSP, SS
        mov [V_RSP], rsp
        push rax
        mov rax, [rsp + 8]
        mov [V_RIP], rax
        mov rax, [rsp + 16]
        mov [V_CS], rax
        mov rax, [rsp + 24]
        mov [V_RFL], rax
        mov rax, [rsp + 32]
        mov [V_ORSP], rax
        mov rax, [rsp + 40]
        mov [V_OSS], rax
        pop rax
        iretq

syscall_target:                         ; RCX = RIP, R11 = RFLAGS, still on the user stack
        mov [V_RCX], rcx
        mov [V_R11], r11
        pushfq
        pop qword [V_RFL]
        mov dx, cs
        movzx edx, dx
        mov [V_SCS], rdx
        mov dx, ss
        movzx edx, dx
        mov [V_SSS], rdx
        or eax, 0x5C00
        o64 sysret

to_ring0:
        mov rsp, PVX_STACK0
        jmp ring0

        align 8
rip_data:
        dq 0xFEEDFACECAFEBEEF
