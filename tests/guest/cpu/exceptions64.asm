; cpu/exceptions64.asm — exceptions raised while the CPU delivers another one (SDM Vol.3A 6.15,
; Table 6-5 "Conditions for Generating a Double Fault"):
;   contributory then contributory   -> #DF   (#GP whose IDT gate is not present: #NP)
;   page fault then page fault       -> #DF   (#PF delivered on an IST stack that is not mapped)
;   page fault then contributory     -> #DF   (#PF gate naming a data segment: #GP)
;   contributory then page fault     -> the #PF is delivered serially, no #DF
;   benign then page fault           -> the #PF is delivered serially, no #DF
; #DF goes through its own IST stack, pushes error code 0; its saved CS:RIP is undefined (an
; abort), so the handler never returns: it switches back to a known stack and continues.
;
; expect-output: cpu/exceptions64: PASS

%define TEST_NAME "cpu/exceptions64"
%include "pvxtest.inc"

DF_COUNT        equ PVX_USER + 0x00
DF_ERR          equ PVX_USER + 0x08
DF_RSP          equ PVX_USER + 0x10
DF_CONT         equ PVX_USER + 0x18
BAD_STACK       equ 0x100001000     ; canonical, above the 4 GiB identity map: not present
UNMAPPED        equ 0x120000000

; ARM_DF label: count = 0, the #DF handler continues at label
%macro ARM_DF 1
        mov dword [DF_COUNT], 0
        mov qword [DF_ERR], -1
        mov rax, %1
        mov [DF_CONT], rax
%endmacro

; CHECK_DF "text": exactly one #DF, error code 0, frame on the IST2 stack (6 qwords)
%macro CHECK_DF 1
        mov eax, [DF_COUNT]
        CHECK_EQ 1, %1
        mov rax, [DF_ERR]
        CHECK_EQ 0, "  ... #DF error code is 0"
        mov rax, [DF_RSP]
        CHECK_EQ PVX_IST2_TOP - 48, "  ... #DF ran on its IST2 stack"
%endmacro

test_main:
        ENTER_PM32
        ENTER_LONG64
        call pvx_tss64_setup            ; IST1 and IST2 valid for now
        IDT64_GATE 8, df_handler, 0x8E, 2

        ; ---------------- #GP, then #NP on the #GP gate -> #DF ----------------
        and byte [PVX_IDT + 13 * 16 + 5], 0x7F  ; gate 13: P = 0
        ARM_DF .after1
        mov rbx, 0x0000800000000000
        mov rax, [rbx]                  ; non-canonical: #GP
        FAIL "non-canonical access did not fault"
.after1:
        or byte [PVX_IDT + 13 * 16 + 5], 0x80
        CHECK_DF "#GP with a not-present #GP gate -> #DF"

        ; ---------------- #PF, then #PF pushing onto the IST1 stack -> #DF ----------------
        mov rax, BAD_STACK
        mov [PVX_TSS + 36], rax         ; IST1 -> not mapped
        IDT64_GATE 14, pvx_stub64_14, 0x8E, 1
        ARM_DF .after2
        mov rbx, UNMAPPED
        mov rax, [rbx]                  ; #PF, delivered on IST1: #PF again
        FAIL "access to an unmapped page did not fault"
.after2:
        IDT64_GATE 14, pvx_stub64_14, 0x8E, 0
        CHECK_DF "#PF whose IST stack is not mapped -> #DF"

        ; ---------------- #PF, then #GP loading the gate's code segment -> #DF ----------------
        mov word [PVX_IDT + 14 * 16 + 2], SEL_DATA64    ; gate 14 names a data segment
        ARM_DF .after3
        mov rbx, UNMAPPED
        mov rax, [rbx]
        FAIL "access to an unmapped page did not fault"
.after3:
        mov word [PVX_IDT + 14 * 16 + 2], SEL_CODE64
        CHECK_DF "#PF through a gate with a data-segment selector (#GP) -> #DF"

        ; ---------------- #DE, then #PF on its IST stack: serial, no #DF ----------------
        IDT64_GATE 0, pvx_stub64_0, 0x8E, 1     ; IST1 still not mapped
        ARM_DF .dfbad
        EXPECT_EXC .r4
        xor edx, edx
        mov eax, 1
        xor ecx, ecx
.f4:    div ecx
.r4:    CHECK_EXC 14, 2, .f4, "#PF while delivering #DE: delivered as #PF (supervisor write, not present)"
        mov rax, [PVX_EXC_CR2]
        and rax, ~0xFFF
        CHECK_EQ BAD_STACK - 0x1000, "  ... CR2 in the IST1 stack page"
        mov eax, [DF_COUNT]
        CHECK_EQ 0, "  ... and no #DF"
        IDT64_GATE 0, pvx_stub64_0, 0x8E, 0

        ; ---------------- #UD, then #PF on its IST stack: serial, no #DF ----------------
        IDT64_GATE 6, pvx_stub64_6, 0x8E, 1
        EXPECT_EXC .r5
.f5:    ud2
.r5:    CHECK_EXC 14, 2, .f5, "#PF while delivering #UD: delivered as #PF"
        mov eax, [DF_COUNT]
        CHECK_EQ 0, "  ... and no #DF"
        IDT64_GATE 6, pvx_stub64_6, 0x8E, 0

        ; ---------------- and everything still works ----------------
        mov rax, PVX_IST1_TOP
        mov [PVX_TSS + 36], rax
        IDT64_GATE 6, pvx_stub64_6, 0x8E, 1
        EXPECT_EXC .r6
.f6:    ud2
.r6:    CHECK_EXC 6, 0, .f6, "#UD on a valid IST1 stack"
        mov rax, [PVX_EXC_FRAME]
        CHECK_EQ PVX_IST1_TOP - 56, "  ... frame at the top of IST1 (5 qwords + the stub's 2)"
        PASS

.dfbad: FAIL "unexpected #DF"

df_handler:                             ; IST2: [rsp] error code, RIP, CS, RFLAGS, RSP, SS
        mov [DF_RSP], rsp
        mov rax, [rsp]
        mov [DF_ERR], rax
        inc dword [DF_COUNT]
        mov rsp, PVX_STACK0
        jmp [DF_CONT]
