; cpu/segment_limits.asm — checks made on every segmented memory access (SDM Vol.3A 5.3, 5.4):
; byte- and page-granular limits, accesses that straddle the limit, expand-down segments (16-
; and 32-bit upper bounds), the stack segment (#SS), null selectors, writes to read-only data,
; reads through execute-only code, the CS limit on a near jump, and real-mode 64 KiB limits.
;
; QEMU's TCG does not make these checks, so this guest cannot be cross-checked there; it was
; verified under Bochs 2.7 instead (see tests/guest/README.md).
;
; qemu-skip: QEMU TCG does not check segment limits, null selectors or segment write/read permission on memory accesses (verified under Bochs)
; expect-output: cpu/segment_limits: PASS

%define TEST_NAME "cpu/segment_limits"
%include "pvxtest.inc"

SEL_SMALL       equ 0x68        ; data, base 0x100000, limit 0xFFF (bytes)
SEL_PAGE        equ 0x70        ; data, base 0x100000, limit 0 in 4 KiB units = 0xFFF
SEL_EXPDN32     equ 0x78        ; expand-down data, limit 0xFFF, B = 1: valid 0x1000-0xFFFFFFFF
SEL_EXPDN16     equ 0x80        ; expand-down data, limit 0xFFF, B = 0: valid 0x1000-0xFFFF
SEL_STACK       equ 0x88        ; stack, base 0, limit 0x7FFFF (bytes)
SEL_RODATA      equ 0x90        ; read-only data, flat
SEL_XONLY       equ 0x98        ; execute-only code, flat
SEL_SMALLCODE   equ 0xA0        ; code, base 0, limit 0xFFFFF (bytes)
SEL_EXPDN_STACK equ 0xA8        ; expand-down stack, limit 0x5FFFF, B = 1: valid 0x60000-...

test_main:
        ; ---------------- real mode: 64 KiB limits ----------------
        EXPECT_EXC .r0
        mov ebx, 0x10000
.f0:    mov al, [ebx]                   ; offset 0x10000 > limit 0xFFFF
.r0:    CHECK_EXC 13, 0, .f0, "real mode: offset above 0xFFFF -> #GP (INT 13)"
        EXPECT_EXC .r0b
.f0b:   mov ax, [0xFFFF]                ; the second byte lies beyond the limit
.r0b:   CHECK_EXC 13, 0, .f0b, "real mode: word at 0xFFFF -> #GP"
        EXPECT_EXC .r0c
        mov ebp, 0x10000
.f0c:   mov al, [ebp]                   ; SS-relative
.r0c:   CHECK_EXC 12, 0, .f0c, "real mode: SS offset above 0xFFFF -> #SS (INT 12)"
        EXPECT_EXC .r0d
        mov al, [0xFFFF]                ; the last byte is fine
.r0d:   CHECK_NO_EXC "real mode: byte at 0xFFFF is within the limit"

        ENTER_PM32
        GDT_SET SEL_SMALL, 0x100000, 0xFFF, ACC_DATA, FLG_DB
        GDT_SET SEL_PAGE, 0x100000, 0, ACC_DATA, FLG_G | FLG_DB
        GDT_SET SEL_EXPDN32, 0, 0xFFF, 0x96, FLG_DB             ; data, expand-down, writable
        GDT_SET SEL_EXPDN16, 0, 0xFFF, 0x96, 0
        GDT_SET SEL_STACK, 0, 0x7FFFF, ACC_DATA, FLG_DB
        GDT_SET SEL_RODATA, 0, 0xFFFFF, 0x90, FLG_G | FLG_DB
        GDT_SET SEL_XONLY, 0, 0xFFFFF, 0x98, FLG_G | FLG_DB
        GDT_SET SEL_SMALLCODE, 0, 0xFFFFF, ACC_CODE, FLG_DB
        GDT_SET SEL_EXPDN_STACK, 0, 0x5FFFF, 0x96, FLG_DB

        ; ---------------- byte-granular limit ----------------
        mov ax, SEL_SMALL
        mov es, ax
        EXPECT_EXC .r1
        mov eax, [es:0xFFC]             ; last dword inside
.r1:    CHECK_NO_EXC "dword at limit-3 is inside"
        EXPECT_EXC .r2
.f2:    mov eax, [es:0xFFD]             ; straddles the limit
.r2:    CHECK_EXC 13, 0, .f2, "dword straddling the limit -> #GP(0)"
        EXPECT_EXC .r3
.f3:    mov byte [es:0x1000], 1
.r3:    CHECK_EXC 13, 0, .f3, "byte write just past the limit -> #GP(0)"
        EXPECT_EXC .r4
        mov edi, 0xFF8
        mov ecx, 4
.f4:    rep stosd                       ; the third store crosses the limit
.r4:    CHECK_EXC 13, 0, .f4, "rep stosd runs into the limit -> #GP(0)"
        mov eax, edi
        CHECK_EQ 0x1000, "rep stosd: EDI shows the completed iterations"
        mov eax, ecx
        CHECK_EQ 2, "rep stosd: ECX shows the iterations left"
        ; page granular: limit 0 with G = 1 means 0xFFF
        mov ax, SEL_PAGE
        mov es, ax
        EXPECT_EXC .r5
        mov al, [es:0xFFF]
.r5:    CHECK_NO_EXC "G=1, limit 0: offset 0xFFF is inside"
        EXPECT_EXC .r6
.f6:    mov al, [es:0x1000]
.r6:    CHECK_EXC 13, 0, .f6, "G=1, limit 0: offset 0x1000 -> #GP(0)"

        ; ---------------- expand-down ----------------
        mov ax, SEL_EXPDN32
        mov es, ax
        EXPECT_EXC .r7
        mov eax, [es:0x1000]
        mov eax, [es:0xFFFFFFF0]
.r7:    CHECK_NO_EXC "expand-down B=1: 0x1000 and 0xFFFFFFF0 are inside"
        EXPECT_EXC .r8
.f8:    mov al, [es:0xFFF]
.r8:    CHECK_EXC 13, 0, .f8, "expand-down: offset = limit -> #GP(0)"
        EXPECT_EXC .r9
.f9:    mov al, [es:0x10]
.r9:    CHECK_EXC 13, 0, .f9, "expand-down: low offset -> #GP(0)"
        mov ax, SEL_EXPDN16
        mov es, ax
        EXPECT_EXC .r10
        mov ax, [es:0xFFFE]
.r10:   CHECK_NO_EXC "expand-down B=0: 0xFFFE is inside"
        EXPECT_EXC .r11
.f11:   mov al, [es:0x10000]
.r11:   CHECK_EXC 13, 0, .f11, "expand-down B=0: above 0xFFFF -> #GP(0)"

        ; ---------------- stack segment ----------------
        mov ax, SEL_STACK
        mov ss, ax                      ; ESP = 0x80000 is one past the limit:
        mov esp, 0x7FF00                ; put it inside
        EXPECT_EXC .r12
        mov ebp, 0x7FFFC
        mov eax, [ebp]
.r12:   CHECK_NO_EXC "SS: last dword inside"
        EXPECT_EXC .r13
        mov ebp, 0x80000
.f13:   mov eax, [ebp]                  ; EBP-based: SS
.r13:   CHECK_EXC 12, 0, .f13, "SS limit exceeded through [ebp] -> #SS(0)"
        EXPECT_EXC .r14
        mov ebx, 0x80000
.f14:   mov eax, [ss:ebx]
.r14:   CHECK_EXC 12, 0, .f14, "SS limit exceeded through ss: override -> #SS(0)"
        EXPECT_EXC .r15
.f15:   mov eax, [ebx]                  ; the same offset through DS is fine
.r15:   CHECK_NO_EXC "the same offset through flat DS is fine"
        mov ax, SEL_EXPDN_STACK
        mov ss, ax
        mov esp, 0x7FF00
        EXPECT_EXC .r16
        push eax                        ; 0x7FEFC: inside an expand-down stack
        pop eax
.r16:   CHECK_NO_EXC "expand-down stack: push above the limit"
        EXPECT_EXC .r17
        mov ebp, 0x5FFFC
.f17:   mov eax, [ebp]
.r17:   CHECK_EXC 12, 0, .f17, "expand-down stack: below the limit -> #SS(0)"
        mov ax, SEL_DATA32
        mov ss, ax
        mov esp, PVX_STACK0

        ; ---------------- null selector, permissions ----------------
        xor ax, ax
        mov es, ax
        EXPECT_EXC .r18
.f18:   mov eax, [es:0x5000]
.r18:   CHECK_EXC 13, 0, .f18, "read through a null ES -> #GP(0)"
        EXPECT_EXC .r19
        mov edi, 0x5000
.f19:   stosb                           ; ES:EDI
.r19:   CHECK_EXC 13, 0, .f19, "stosb through a null ES -> #GP(0)"
        mov ax, SEL_RODATA
        mov es, ax
        EXPECT_EXC .r20
        mov eax, [es:0x5000]
.r20:   CHECK_NO_EXC "read-only data: read is fine"
        EXPECT_EXC .r21
.f21:   mov dword [es:0x5000], 1
.r21:   CHECK_EXC 13, 0, .f21, "write to read-only data -> #GP(0)"
        mov ax, SEL_DATA32
        mov es, ax
        jmp SEL_XONLY:.xonly            ; execute-only code: runs, but cannot be read
.xonly: EXPECT_EXC .r22
.f22:   mov eax, [cs:pvx_gdtr]
.r22:   jmp SEL_CODE32:.flat            ; (the CHECK macros read their text through CS)
.flat:  CHECK_EXC 13, 0, .f22, "read through execute-only CS -> #GP(0)"
        ; ---------------- CS limit on a near jump ----------------
        jmp SEL_SMALLCODE:.small        ; CS limit 0xFFFFF: this ROM is inside
.small: EXPECT_EXC .r23
.f23:   jmp 0x100000                    ; past the limit
.r23:   CHECK_EXC 13, 0, .f23, "near jmp beyond the CS limit -> #GP(0), EIP = jmp"
        jmp SEL_CODE32:.flat2
.flat2: PASS
