; cpu/xsave_layout: FXSAVE/FXRSTOR and XSAVE/XRSTOR memory layouts and their enabling rules
; (SDM Vol.1 10.5.1 and 13.4-13.8, Vol.2 FXSAVE Tables 3-53/3-56, XSAVE/XRSTOR/XSETBV/XGETBV),
; and the CPUID bits that advertise them.
; expect-output: cpu/xsave_layout: PASS
; qemu-args: -cpu max
%define TEST_NAME "cpu/xsave_layout"
%include "pvxtest.inc"

AREA    equ 0x6000              ; 64-byte aligned save area (0x6000-0x6FFF is free for tests)

test_main:
        ENTER_PM32
        ENTER_LONG64
        ; CPUID advertises what the rest of this test uses.
        mov eax, 1
        cpuid
        mov eax, edx
        and eax, (1 << 24) | (1 << 25) | (1 << 26) | 1
        CHECK_EQ (1 << 24) | (1 << 25) | (1 << 26) | 1, "CPUID.1:EDX FPU FXSR SSE SSE2"
        mov eax, ecx
        and eax, (1 << 26) | (1 << 27)
        CHECK_EQ (1 << 26), "CPUID.1:ECX XSAVE set, OSXSAVE clear while CR4.OSXSAVE = 0"

        ; Without CR4.OSFXSR, SSE instructions are #UD (SDM Vol.3A 2.5).
        mov rax, cr0
        and eax, ~((1 << 2) | (1 << 3))         ; EM = 0, TS = 0
        or eax, (1 << 1) | (1 << 5)             ; MP = 1, NE = 1
        mov cr0, rax
        EXPECT_EXC .r1
.f1:    xorps xmm0, xmm0
.r1:    CHECK_EXC 6, 0, .f1, "XORPS with CR4.OSFXSR = 0 -> #UD"
        EXPECT_EXC .r2
.f2:    xgetbv
.r2:    CHECK_EXC 6, 0, .f2, "XGETBV with CR4.OSXSAVE = 0 -> #UD"
        mov rax, cr4
        or eax, (1 << 9) | (1 << 10) | (1 << 18)  ; OSFXSR, OSXMMEXCPT, OSXSAVE
        mov cr4, rax
        mov eax, 1
        cpuid
        mov eax, ecx
        and eax, 1 << 27
        CHECK_EQ 1 << 27, "CPUID.1:ECX.OSXSAVE follows CR4.OSXSAVE"

        ; XCR0: reset value 1 (x87); enabling SSE; AVX (bit 2) is not implemented.
        xor ecx, ecx
        xgetbv
        CHECK_EQ 1, "XCR0 after reset = 1"
        mov eax, 0xD
        xor ecx, ecx
        cpuid
        and eax, 3
        CHECK_EQ 3, "CPUID.(0Dh,0):EAX has x87 and SSE"
        cmp ecx, 576
        CHECK ae, "CPUID.(0Dh,0):ECX >= 576 bytes"
        xor ecx, ecx
        mov edx, 0x80000000
        mov eax, 3
        EXPECT_EXC .r3
.f3:    xsetbv
.r3:    CHECK_EXC 13, 0, .f3, "XSETBV XCR0 bit 63 (reserved) -> #GP(0)"
        xor edx, edx
        mov eax, 2
        EXPECT_EXC .r4
.f4:    xsetbv
.r4:    CHECK_EXC 13, 0, .f4, "XSETBV XCR0 = 2 (no x87) -> #GP(0)"
        mov eax, 3
        xsetbv
        xgetbv
        CHECK_EQ 3, "XSETBV XCR0 = 3"

        ; Known state: FCW = 0x027F, ST0 = 1.0 (FLD1), XMM0 = pattern, XMM15 = pattern, MXCSR 0x1FA0.
        fninit
        mov word [AREA - 16], 0x027F
        fldcw [AREA - 16]
        fld1
        mov rax, 0x0123456789ABCDEF
        movq xmm0, rax
        mov rax, 0x1122334455667788
        movq xmm15, rax
        pslldq xmm15, 8
        mov dword [AREA - 16], 0x1FA0
        ldmxcsr [AREA - 16]

        ; FXSAVE64: FCW at 0, abridged tags at 4 (ST0 = R7 valid -> bit 7), MXCSR at 24,
        ; ST0 at 32 (1.0 = 3FFF:8000000000000000), XMM0 at 160, XMM15 at 400.
        lea rdi, [AREA]
        mov ecx, 576 / 8
        mov rax, 0xA5A5A5A5A5A5A5A5
        rep stosq
        fxsave64 [AREA]
        movzx eax, word [AREA + 0]
        CHECK_EQ 0x027F, "FXSAVE: FCW at offset 0"
        movzx eax, byte [AREA + 4]
        CHECK_EQ 0x80, "FXSAVE: abridged tag word at 4 (R7 in use)"
        mov eax, [AREA + 24]
        CHECK_EQ 0x1FA0, "FXSAVE: MXCSR at 24"
        mov rax, [AREA + 32]
        mov rbx, 0x8000000000000000
        cmp rax, rbx
        CHECK e, "FXSAVE: ST0 significand at 32"
        movzx eax, word [AREA + 40]
        CHECK_EQ 0x3FFF, "FXSAVE: ST0 exponent at 40"
        mov rax, [AREA + 160]
        mov rbx, 0x0123456789ABCDEF
        cmp rax, rbx
        CHECK e, "FXSAVE: XMM0 at 160"
        mov rax, [AREA + 408]
        mov rbx, 0x1122334455667788
        cmp rax, rbx
        CHECK e, "FXSAVE64: XMM15 high half at 408"
        mov rax, [AREA + 464]
        mov rbx, 0xA5A5A5A5A5A5A5A5
        cmp rax, rbx
        CHECK e, "FXSAVE leaves bytes 464-511 (software-available) alone"

        ; FXRSTOR: change XMM0 and MXCSR, restore them from the image.
        pxor xmm0, xmm0
        mov dword [AREA - 16], 0x1F80
        ldmxcsr [AREA - 16]
        fxrstor64 [AREA]
        movq rax, xmm0
        mov rbx, 0x0123456789ABCDEF
        cmp rax, rbx
        CHECK e, "FXRSTOR restores XMM0"
        stmxcsr [AREA - 16]
        mov eax, [AREA - 16]
        CHECK_EQ 0x1FA0, "FXRSTOR restores MXCSR"
        ; (FXRSTOR of a reserved MXCSR bit -> #GP(0) is checked against the host CPU in
        ; tests/diff/forms_simd_state.cpp: QEMU 7.2's TCG, this guest's cross-check, lacks it.)
        EXPECT_EXC .r6
.f6:    fxsave [AREA + 8]
.r6:    CHECK_EXC 13, 0, .f6, "FXSAVE to a misaligned area -> #GP(0)"

        ; XSAVE with EDX:EAX = 3: legacy region as FXSAVE, XSTATE_BV = 3 at 512, the rest of
        ; the header untouched.
        lea rdi, [AREA]
        mov ecx, 576 / 8
        xor eax, eax
        rep stosq
        mov eax, 3
        xor edx, edx
        xsave [AREA]
        mov rax, [AREA + 512]
        CHECK_EQ 3, "XSAVE: XSTATE_BV = x87 | SSE"
        mov rax, [AREA + 160]
        mov rbx, 0x0123456789ABCDEF
        cmp rax, rbx
        CHECK e, "XSAVE: XMM0 in the legacy region"
        ; XSAVE of x87 only does not write the SSE part.
        mov qword [AREA + 160], 0
        mov eax, 1
        xor edx, edx
        xsave [AREA]
        mov rax, [AREA + 160]
        CHECK_EQ 0, "XSAVE with RFBM = x87 leaves the XMM area alone"

        ; XRSTOR with XSTATE_BV[1] = 0 puts SSE in its initial state (XMM = 0) but still loads
        ; MXCSR from memory (SDM Vol.1 13.8.1).
        mov qword [AREA + 512], 1
        mov dword [AREA + 24], 0x1F00
        mov eax, 3
        xor edx, edx
        xrstor [AREA]
        movq rax, xmm0
        CHECK_EQ 0, "XRSTOR XSTATE_BV[1] = 0 -> XMM0 initialised"
        stmxcsr [AREA - 16]
        mov eax, [AREA - 16]
        CHECK_EQ 0x1F00, "XRSTOR loads MXCSR even for an initialised SSE component"
        mov qword [AREA + 520], 1               ; XCOMP_BV: compacted form, not supported
        EXPECT_EXC .r7
.f7:    xrstor [AREA]
.r7:    CHECK_EXC 13, 0, .f7, "XRSTOR with XCOMP_BV != 0 -> #GP(0)"
        EXPECT_EXC .r8
.f8:    xsave [AREA + 16]
.r8:    CHECK_EXC 13, 0, .f8, "XSAVE to a non-64-byte-aligned area -> #GP(0)"

        ; CR0.TS: FXSAVE and XSAVE raise #NM (lazy FPU switching).
        mov rax, cr0
        or eax, 1 << 3
        mov cr0, rax
        EXPECT_EXC .r9
.f9:    fxsave [AREA]
.r9:    CHECK_EXC 7, 0, .f9, "FXSAVE with CR0.TS -> #NM"
        EXPECT_EXC .r10
.f10:   addps xmm1, xmm2
.r10:   CHECK_EXC 7, 0, .f10, "ADDPS with CR0.TS -> #NM"
        clts
        EXPECT_EXC .r11
        addps xmm1, xmm2
.r11:   CHECK_NO_EXC "ADDPS after CLTS"
        PASS
