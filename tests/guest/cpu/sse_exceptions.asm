; cpu/sse_exceptions.asm — when an SSE instruction may execute and which exception it raises
; instead (SDM Vol.2 ADDPS/DIVSS/MOVAPS "Exceptions", Vol.3A 2.5 CR0.EM/TS, CR4.OSFXSR/
; OSXMMEXCPT, Vol.1 11.5 and 10.4.1.1):
;   CR4.OSFXSR = 0                      -> #UD
;   CR0.TS = 1                          -> #NM (the OS's lazy-state-switch trap)
;   unmasked divide-by-zero, OSXMMEXCPT -> #XM (vector 19, no error code), MXCSR.ZE set, the
;                                          destination unchanged
;   unmasked divide-by-zero, no OSXMMEXCPT -> #UD
;   MOVAPS with a misaligned m128       -> #GP(0); MOVUPS with the same address is fine
; Runs in 64-bit mode. QEMU's TCG (7.2) never raises #XM (it only sets the MXCSR flags), so under
; QEMU -- recognised by its CPUID hypervisor vendor "TCGTCGTCGTCG" -- the two unmasked-exception
; blocks are skipped (printed as such); everything else is cross-checked there too.
;
; expect-output: cpu/sse_exceptions: PASS

%define TEST_NAME "cpu/sse_exceptions"
%include "pvxtest.inc"

DATA            equ PVX_SCRATCH         ; 16-byte aligned scratch
ONE             equ DATA + 0x00         ; 1.0f
ZERO            equ DATA + 0x04         ; 0.0f
RESULT             equ DATA + 0x08
MXCSR_TMP       equ DATA + 0x0C
VEC             equ DATA + 0x40         ; 32 bytes: a 16-byte vector at +0 and one at +1

CR0_MP          equ 1 << 1
CR0_EM          equ 1 << 2
CR0_TS          equ 1 << 3
CR4_OSFXSR      equ 1 << 9
CR4_OSXMMEXCPT  equ 1 << 10

test_main:
        ENTER_PM32
        ENTER_LONG64
        mov dword [ONE], 0x3F800000
        mov dword [ZERO], 0
        mov rax, cr0
        and eax, ~(CR0_EM | CR0_TS)
        or eax, CR0_MP
        mov cr0, rax

        ; ---------------- CR4.OSFXSR = 0: #UD ----------------
        mov rax, cr4
        and eax, ~(CR4_OSFXSR | CR4_OSXMMEXCPT)
        mov cr4, rax
        EXPECT_EXC .r1
.f1:    addps xmm0, xmm1
.r1:    CHECK_EXC 6, 0, .f1, "ADDPS with CR4.OSFXSR = 0 -> #UD"

        ; ---------------- enabled: runs ----------------
        mov rax, cr4
        or eax, CR4_OSFXSR | CR4_OSXMMEXCPT
        mov cr4, rax
        EXPECT_EXC .r2
        movss xmm0, [ONE]
        movss xmm1, [ONE]
        addss xmm0, xmm1
        movss [RESULT], xmm0
.r2:    CHECK_NO_EXC "ADDSS with CR4.OSFXSR = 1 runs"
        mov eax, [RESULT]
        CHECK_EQ 0x40000000, "1.0 + 1.0 = 2.0"

        ; ---------------- CR0.TS = 1: #NM ----------------
        mov rax, cr0
        or eax, CR0_TS
        mov cr0, rax
        EXPECT_EXC .r3
.f3:    mulps xmm0, xmm1
.r3:    CHECK_EXC 7, 0, .f3, "MULPS with CR0.TS = 1 -> #NM"
        clts

        ; QEMU TCG? (CPUID.1:ECX.hypervisor and leaf 0x40000000 vendor TCGTCGTCGTCG)
        mov eax, 1
        cpuid
        bt ecx, 31
        jnc .not_tcg
        mov eax, 0x40000000
        cpuid
        cmp ebx, 'TCGT'
        jne .not_tcg
        cmp ecx, 'CGTC'
        jne .not_tcg
        cmp edx, 'GTCG'
        jne .not_tcg
        PRINTLN "skipped under QEMU TCG (no #XM): unmasked divide-by-zero checks"
        jmp .after_xm
.not_tcg:
        ; ---------------- unmasked divide-by-zero, OSXMMEXCPT = 1: #XM ----------------
        mov dword [MXCSR_TMP], 0x1F80 & ~(1 << 9)      ; ZM clear
        ldmxcsr [MXCSR_TMP]
        movss xmm0, [ONE]
        EXPECT_EXC .r4
.f4:    divss xmm0, [ZERO]
.r4:    CHECK_EXC 19, 0, .f4, "DIVSS 1/0 with ZM = 0 -> #XM"
        stmxcsr [MXCSR_TMP]
        mov eax, [MXCSR_TMP]
        CHECK_EQ (0x1F80 & ~(1 << 9)) | 4, "  ... MXCSR.ZE set"
        movss [RESULT], xmm0
        mov eax, [RESULT]
        CHECK_EQ 0x3F800000, "  ... destination unchanged"

        ; ---------------- the same with OSXMMEXCPT = 0: #UD ----------------
        mov dword [MXCSR_TMP], 0x1F80 & ~(1 << 9)
        ldmxcsr [MXCSR_TMP]
        mov rax, cr4
        and eax, ~CR4_OSXMMEXCPT
        mov cr4, rax
        EXPECT_EXC .r5
.f5:    divss xmm0, [ZERO]
.r5:    CHECK_EXC 6, 0, .f5, "DIVSS 1/0 with ZM = 0, OSXMMEXCPT = 0 -> #UD"
        stmxcsr [MXCSR_TMP]
        mov eax, [MXCSR_TMP]
        CHECK_EQ (0x1F80 & ~(1 << 9)) | 4, "  ... MXCSR.ZE set"
        mov rax, cr4
        or eax, CR4_OSXMMEXCPT
        mov cr4, rax
.after_xm:
        mov dword [MXCSR_TMP], 0x1F80
        ldmxcsr [MXCSR_TMP]

        ; ---------------- masked divide-by-zero: infinity, no exception ----------------
        movss xmm0, [ONE]
        EXPECT_EXC .r6
        divss xmm0, [ZERO]
        movss [RESULT], xmm0
.r6:    CHECK_NO_EXC "DIVSS 1/0 with ZM = 1 runs"
        mov eax, [RESULT]
        CHECK_EQ 0x7F800000, "  ... result +infinity"

        ; ---------------- alignment ----------------
        EXPECT_EXC .r7
.f7:    movaps xmm0, [VEC + 1]
.r7:    CHECK_EXC 13, 0, .f7, "MOVAPS from a misaligned m128 -> #GP(0)"
        EXPECT_EXC .r8
        movups xmm0, [VEC + 1]
        movaps xmm0, [VEC]
.r8:    CHECK_NO_EXC "MOVUPS misaligned / MOVAPS aligned run"
        EXPECT_EXC .r9
.f9:    addps xmm0, [VEC + 8]
.r9:    CHECK_EXC 13, 0, .f9, "ADDPS with a misaligned m128 -> #GP(0)"
        PASS
