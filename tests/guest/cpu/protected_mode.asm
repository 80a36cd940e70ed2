; cpu/protected_mode.asm — 32-bit protected mode: segment loads and their faults (#NP, #SS, #GP
; with selector error codes), LDT, segment bases, LAR/LSL/VERR/VERW, the accessed bit, far
; transfers and the CS limit, and the exceptions #DE #UD #BP #OF #BR and #NP on an IDT gate, each
; with vector, error code and saved EIP (a fault saves the faulting instruction, a trap the next).
; Limit checks on data accesses, null-selector use and expand-down segments are in
; cpu/segment_limits.asm.
;
; expect-output: cpu/protected_mode: PASS

%define TEST_NAME "cpu/protected_mode"
%include "pvxtest.inc"

SEL_NP_DATA     equ 0x68        ; data segment, not present
SEL_NP_STACK    equ 0x70        ; writable data segment, not present (for SS)
SEL_XONLY       equ 0x78        ; execute-only code
SEL_RODATA      equ 0x80        ; read-only data
SEL_BASE1M      equ 0x88        ; data, base 1 MiB, limit 4 GiB
SEL_WRAP        equ 0x90        ; data, base 0xFFF00000, limit 4 GiB
SEL_SMALLCODE   equ 0x98        ; 32-bit code, base 0, limit 0xFFFFF (byte granular)
SEL_LDT         equ 0xA0        ; LDT descriptor
SEL_FRESH       equ 0xA8        ; data segment with the accessed bit clear
SEL_CODE_NR     equ 0xB0        ; 32-bit flat code, execute-only (for VERR)
LDT_BASE        equ 0x5000      ; the LDT: entry 1 = data segment with base 0x200000
SEL_IN_LDT      equ 0x0C        ; index 1, TI = 1, RPL 0

test_main:
        ENTER_PM32
        GDT_SET SEL_NP_DATA, 0, 0xFFFFF, ACC_DATA & 0x7F, FLG_G | FLG_DB   ; P = 0
        GDT_SET SEL_NP_STACK, 0, 0xFFFFF, ACC_DATA & 0x7F, FLG_G | FLG_DB
        GDT_SET SEL_XONLY, 0, 0xFFFFF, 0x98, FLG_G | FLG_DB     ; code, execute-only
        GDT_SET SEL_RODATA, 0, 0xFFFFF, 0x90, FLG_G | FLG_DB    ; data, read-only
        GDT_SET SEL_BASE1M, 0x100000, 0xFFFFF, ACC_DATA, FLG_G | FLG_DB
        GDT_SET SEL_WRAP, 0xFFF00000, 0xFFFFF, ACC_DATA, FLG_G | FLG_DB
        GDT_SET SEL_SMALLCODE, 0, 0xFFFFF, ACC_CODE, FLG_DB     ; limit 0xFFFFF bytes
        GDT_SET SEL_LDT, LDT_BASE, 15, 0x82, 0                  ; LDT, 2 entries
        GDT_SET SEL_FRESH, 0, 0xFFFFF, 0x92 & ~1, FLG_G | FLG_DB
        GDT_SET SEL_CODE_NR, 0, 0xFFFFF, 0x98, FLG_G | FLG_DB
        mov dword [LDT_BASE], 0
        mov dword [LDT_BASE + 4], 0
        mov dword [LDT_BASE + 8], DESC_LO(0x200000, 0xFFFFF)
        mov dword [LDT_BASE + 12], DESC_HI(0x200000, 0xFFFFF, ACC_DATA, FLG_G | FLG_DB)

        ; ---------------- segment loads ----------------
        EXPECT_EXC .r1
        mov ax, SEL_NP_DATA
.f1:    mov ds, ax
.r1:    CHECK_EXC 11, SEL_NP_DATA, .f1, "mov ds, not-present segment -> #NP(sel)"
        mov ax, ds
        movzx eax, ax
        CHECK_EQ SEL_DATA32, "DS unchanged after the faulting load"
        EXPECT_EXC .r2
        mov ax, SEL_NP_STACK
.f2:    mov ss, ax
.r2:    CHECK_EXC 12, SEL_NP_STACK, .f2, "mov ss, not-present segment -> #SS(sel)"
        EXPECT_EXC .r3
        mov ax, 0x1008                  ; index 0x201: beyond the GDT limit 0xFFF
.f3:    mov es, ax
.r3:    CHECK_EXC 13, 0x1008, .f3, "selector beyond the GDT limit -> #GP(sel)"
        EXPECT_EXC .r4
        mov ax, SEL_XONLY
.f4:    mov ds, ax
.r4:    CHECK_EXC 13, SEL_XONLY, .f4, "execute-only code into DS -> #GP(sel)"
        EXPECT_EXC .r5
        mov ax, SEL_RODATA
.f5:    mov ss, ax
.r5:    CHECK_EXC 13, SEL_RODATA, .f5, "read-only data into SS -> #GP(sel)"
        EXPECT_EXC .r6
        mov ax, SEL_CODE32
.f6:    mov ss, ax
.r6:    CHECK_EXC 13, SEL_CODE32, .f6, "code segment into SS -> #GP(sel)"
        EXPECT_EXC .r7
        xor ax, ax
.f7:    mov ss, ax
.r7:    CHECK_EXC 13, 0, .f7, "null selector into SS -> #GP(0)"
        EXPECT_EXC .r8
        mov ax, SEL_DATA32 | 3          ; RPL 3 > DPL 0
.f8:    mov fs, ax
.r8:    CHECK_EXC 13, SEL_DATA32, .f8, "RPL 3 selector for a DPL0 segment -> #GP(sel)"
        EXPECT_EXC .r9
        mov ax, SEL_DATA32 | 3
.f9:    mov ss, ax
.r9:    CHECK_EXC 13, SEL_DATA32, .f9, "SS with RPL != CPL -> #GP(sel)"
        EXPECT_EXC .r10
        mov ax, SEL_IN_LDT              ; TI = 1 with no LDT loaded (LDTR is null)
.f10:   mov gs, ax
.r10:   CHECK_EXC 13, SEL_IN_LDT & ~3, .f10, "LDT selector without an LDT -> #GP(sel)"
        ; a null selector may be loaded into DS/ES/FS/GS (only using it faults)
        EXPECT_EXC .r11
        xor ax, ax
        mov gs, ax
.r11:   CHECK_NO_EXC "null selector into GS is allowed"
        mov ax, SEL_DATA32
        mov gs, ax

        ; ---------------- bases, wrap-around, LDT, accessed bit ----------------
        mov dword [0x100010], 0x0B0B0B0B
        mov ax, SEL_BASE1M
        mov es, ax
        mov eax, [es:0x10]
        CHECK_EQ 0x0B0B0B0B, "segment base 1 MiB: es:0x10 = linear 0x100010"
        mov dword [0x5010], 0x5EC0DE00
        mov ax, SEL_WRAP
        mov es, ax
        mov eax, [es:0x105010]          ; 0xFFF00000 + 0x105010 wraps to 0x5010
        CHECK_EQ 0x5EC0DE00, "base + offset wraps modulo 4 GiB"
        mov ax, SEL_LDT
        lldt ax
        mov dword [0x200020], 0x1D71D700
        mov ax, SEL_IN_LDT
        mov es, ax
        mov eax, [es:0x20]
        CHECK_EQ 0x1D71D700, "LDT segment (base 2 MiB) through a TI=1 selector"
        sldt ax
        movzx eax, ax
        CHECK_EQ SEL_LDT, "sldt"
        mov ax, SEL_DATA32
        mov es, ax
        mov eax, [PVX_GDT + SEL_FRESH + 4]
        and eax, 0x100                  ; accessed bit (type bit 0)
        CHECK_EQ 0, "descriptor starts with A = 0"
        mov ax, SEL_FRESH
        mov fs, ax
        mov eax, [PVX_GDT + SEL_FRESH + 4]
        and eax, 0x100
        CHECK_EQ 0x100, "loading the segment set its accessed bit"
        mov ax, SEL_DATA32
        mov fs, ax

        ; ---------------- LAR / LSL / VERR / VERW ----------------
        mov ax, SEL_CODE16
        lsl eax, ax
        CHECK_EQ 0xFFFF, "lsl: byte-granular limit"
        mov ax, SEL_DATA32
        lsl eax, ax
        CHECK_EQ 0xFFFFFFFF, "lsl: page-granular limit"
        mov ax, SEL_CODE32
        lar eax, ax
        and eax, 0x00F0FE00             ; (not the accessed bit: QEMU leaves it clear for CS,
                                        ; cpu/sdm_strict checks it)
        CHECK_EQ 0x00C09A00, "lar: access rights of the flat code segment"
        mov ax, 0x1008
        lar eax, ax
        CHECK nz, "lar beyond the GDT limit: ZF = 0"
        mov ax, SEL_CODE_NR
        verr ax
        CHECK nz, "verr execute-only code: not readable"
        mov ax, SEL_CODE32
        verr ax
        CHECK z, "verr readable code"
        mov ax, SEL_RODATA
        verw ax
        CHECK nz, "verw read-only data: not writable"
        mov ax, SEL_DATA32
        verw ax
        CHECK z, "verw writable data"

        ; ---------------- far transfers ----------------
        call SEL_CODE32:far_proc
        CHECK_EQ 0xFA12CA11, "far call / retf"
        EXPECT_EXC .r20
.f20:   jmp SEL_SMALLCODE:0x200000      ; offset beyond the new CS limit
.r20:   CHECK_EXC 13, 0, .f20, "far jmp beyond the CS limit -> #GP(0)"
        mov eax, [PVX_EXC_CS]
        CHECK_EQ SEL_CODE32, "#GP pushed the old CS"
        EXPECT_EXC .r21
.f21:   jmp SEL_DATA32:0                ; a data segment is not a jump target
.r21:   CHECK_EXC 13, SEL_DATA32, .f21, "far jmp to a data segment -> #GP(sel)"

        ; ---------------- exceptions ----------------
        mov edx, esp
        EXPECT_EXC .r30
.f30:   ud2
.r30:   CHECK_EXC 6, 0, .f30, "ud2 -> #UD, EIP = ud2 (fault)"
        cmp edx, [PVX_EXC_RSP]
        CHECK e, "no ring change: the handler's frame sat right below ESP"
        mov eax, [PVX_EXC_FLAGS]
        and eax, 0x2                    ; EFLAGS bit 1 is always 1
        CHECK_EQ 2, "pushed EFLAGS has bit 1 set"
        EXPECT_EXC .r31
        int3
.r31:   CHECK_EXC 3, 0, .r31, "int3 -> #BP, EIP after it (trap)"
        EXPECT_EXC .r32
        int 3                           ; the two-byte form (CD 03) is a trap too
.r32:   CHECK_EXC 3, 0, .r32, "int 3 (CD 03) -> vector 3, EIP after it"
        EXPECT_EXC .r33
        mov al, 0x7F
        add al, 1
        into
.r33:   CHECK_EXC 4, 0, .r33, "into with OF=1 -> #OF, EIP after it"
        EXPECT_EXC .r34
        mov al, 1
        add al, 1
        into                            ; OF = 0: nothing happens
.r34:   CHECK_NO_EXC "into with OF=0 does nothing"
        mov dword [0x5100], 0           ; bounds [0, 10]
        mov dword [0x5104], 10
        EXPECT_EXC .r34b
        mov eax, 10
        bound eax, [0x5100]
.r34b:  CHECK_NO_EXC "bound: 10 within [0, 10]"
        EXPECT_EXC .r35
        mov eax, 11
.f35:   bound eax, [0x5100]
.r35:   CHECK_EXC 5, 0, .f35, "bound: 11 outside [0, 10] -> #BR, EIP = bound (fault)"
        EXPECT_EXC .r36
        mov eax, -1
.f36:   bound eax, [0x5100]
.r36:   CHECK_EXC 5, 0, .f36, "bound: -1 (signed) below 0 -> #BR"
        EXPECT_EXC .r37
        xor edx, edx
        mov eax, 1
        xor ecx, ecx
.f37:   div ecx
.r37:   CHECK_EXC 0, 0, .f37, "div by zero -> #DE, EIP = div (fault)"
        IDT32_GATE 0x50, far_proc, 0x0E ; a valid interrupt gate with P = 0
        EXPECT_EXC .r38
.f38:   int 0x50
.r38:   CHECK_EXC 11, 0x50 * 8 + 2, .f38, "int 0x50 through a not-present gate -> #NP(0x282)"
        EXPECT_EXC .r39
.f39:   db 0x0F, 0x22, 0xE8             ; mov cr5, eax: CR5 does not exist
.r39:   CHECK_EXC 6, 0, .f39, "mov cr5 -> #UD"
        EXPECT_EXC .r40
        mov ax, SEL_CODE32
.f40:   ltr ax                          ; not a TSS descriptor
.r40:   CHECK_EXC 13, SEL_CODE32, .f40, "ltr with a code segment -> #GP(sel)"

        ; ---------------- trap gates keep IF, interrupt gates clear it ----------------
        mov al, 0xFF                    ; mask the PICs: IF=1 must not let an IRQ in
        out 0x21, al
        out 0xA1, al
        IDT32_GATE 0x41, flags_handler, 0x8F    ; trap gate
        IDT32_GATE 0x42, flags_handler, 0x8E    ; interrupt gate
        sti
        int 0x41
        cli
        and eax, 0x200
        CHECK_EQ 0x200, "trap gate: IF still set in the handler"
        sti
        int 0x42
        cli
        and eax, 0x200
        CHECK_EQ 0, "interrupt gate: IF cleared in the handler"
        PASS

far_proc:
        mov eax, 0xFA12CA11
        retf

flags_handler:
        pushfd
        pop eax
        iretd
