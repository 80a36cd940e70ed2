; cpu/real_mode.asm — real-address mode: ALU and flags, stack, string instructions in both
; directions, MUL/DIV/IDIV and #DE through the IVT, INT n/IRET, LOOP/JCXZ, XLAT, BCD adjust,
; segment arithmetic and 32-bit operand/address-size prefixes.
;
; expect-output: cpu/real_mode: PASS

%define TEST_NAME "cpu/real_mode"
%include "pvxtest.inc"

BUF     equ 0x5000              ; scratch buffers (DS=ES=0)
BUF2    equ 0x5100
DE_IP   equ PVX_USER            ; written by de_handler
DE_CNT  equ PVX_USER + 4
I40_IP  equ PVX_USER + 8        ; written by int40_handler
I40_CS  equ PVX_USER + 12
I40_FL  equ PVX_USER + 16
I40_NOW equ PVX_USER + 20

FL_CF   equ 0x001
FL_PF   equ 0x004
FL_AF   equ 0x010
FL_ZF   equ 0x040
FL_SF   equ 0x080
FL_IF   equ 0x200
FL_DF   equ 0x400
FL_OF   equ 0x800
FL_ARITH equ FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF

; FLAGS_EQ expected, "text": the six arithmetic flags must be exactly `expected` (clobbers EAX)
%macro FLAGS_EQ 2
        pushf
        pop ax
        movzx eax, ax
        and eax, FL_ARITH
        CHECK_EQ %1, %2
%endmacro

; LFLAGS_EQ expected, "text": the same for logical instructions, where AF is undefined
%macro LFLAGS_EQ 2
        pushf
        pop ax
        movzx eax, ax
        and eax, FL_ARITH & ~FL_AF
        CHECK_EQ %1, %2
%endmacro

test_main:
        ; Mask both PICs: this guest enables interrupts for one INT n test and must not see IRQs.
        mov al, 0xFF
        out 0x21, al
        out 0xA1, al

        ; ---------------- ALU and flags ----------------
        mov ax, 0x7FFF
        add ax, 1
        FLAGS_EQ FL_OF | FL_SF | FL_AF | FL_PF, "add 0x7FFF+1: OF SF AF PF"
        xor ax, ax
        sub ax, 1
        movzx eax, ax                   ; (MOVZX and the CHECK macros leave the flags alone)
        CHECK_EQ 0xFFFF, "sub 0-1 = 0xFFFF"
        FLAGS_EQ FL_CF | FL_SF | FL_AF | FL_PF, "sub 0-1: CF SF AF PF"
        mov ax, 0x1234
        xor ax, ax
        LFLAGS_EQ FL_ZF | FL_PF, "xor ax,ax: ZF PF"
        mov al, 0x0F
        add al, 0xF1                    ; 0x100: carry out, zero, AF from low nibble
        FLAGS_EQ FL_CF | FL_ZF | FL_AF | FL_PF, "add al 0x0F+0xF1: CF ZF AF PF"
        mov al, 0x80
        sub al, 1                       ; 0x7F: signed overflow, borrow from bit 4
        FLAGS_EQ FL_OF | FL_AF, "sub al 0x80-1: OF AF"

        ; 32-bit add through 16-bit halves: 0x0001FFFF + 0x00000001
        mov ax, 0xFFFF
        mov dx, 0x0001
        add ax, 1
        CHECK e, "add low half -> 0 (ZF)"
        adc dx, 0                       ; the CHECK macros preserve the flags, CF included
        movzx eax, dx
        CHECK_EQ 2, "adc carries into the high half"
        ; sbb borrow chain: 0x00020000 - 1 = 0x0001FFFF
        xor ax, ax
        mov dx, 2
        sub ax, 1
        sbb dx, 0
        shl edx, 16
        mov dx, ax
        mov eax, edx
        CHECK_EQ 0x0001FFFF, "sub/sbb borrow chain"

        stc
        mov ax, 0xFFFF
        inc ax                          ; INC leaves CF alone
        FLAGS_EQ FL_CF | FL_ZF | FL_AF | FL_PF, "inc 0xFFFF: ZF, CF untouched"
        xor ax, ax
        neg ax
        FLAGS_EQ FL_ZF | FL_PF, "neg 0: CF=0"
        mov ax, 1
        neg ax
        FLAGS_EQ FL_CF | FL_SF | FL_AF | FL_PF, "neg 1: CF=1"
        mov ax, 0x8000
        neg ax
        FLAGS_EQ FL_CF | FL_OF | FL_SF | FL_PF, "neg 0x8000: OF"

        mov al, 0x81
        shl al, 1                       ; CF = old bit 7, result 0x02
        CHECK c, "shl 0x81: CF = old top bit"
        mov al, 0x81
        sar al, 1
        movzx eax, al
        CHECK_EQ 0xC0, "sar 0x81 = 0xC0"
        clc
        mov al, 0x80
        rcl al, 1                       ; -> 0x00, CF=1
        mov al, 0
        rcl al, 1                       ; -> 0x01 (old CF rotated in)
        movzx eax, al
        CHECK_EQ 1, "rcl carries through CF"
        mov ax, 0x1234
        mov dx, 0xABCD
        shld ax, dx, 4                  ; 386 instruction, fine in real mode
        movzx eax, ax
        CHECK_EQ 0x234A, "shld ax, dx, 4"
        mov ax, 0x1234
        ror ax, 4
        movzx eax, ax
        CHECK_EQ 0x4123, "ror ax, 4"
        mov ax, 0xF0F0
        and ax, 0x0FF0
        movzx eax, ax
        CHECK_EQ 0x00F0, "and result"
        LFLAGS_EQ FL_PF, "and 0xF0F0, 0x0FF0: PF only (0xF0 has 4 bits)"
        mov ax, 5
        cmp ax, 7
        CHECK l, "cmp 5, 7: less (signed)"
        CHECK b, "cmp 5, 7: below (unsigned)"
        mov ax, -1
        cmp ax, 1
        CHECK l, "cmp -1, 1: less (signed)"
        CHECK a, "cmp 0xFFFF, 1: above (unsigned)"

        ; ---------------- stack ----------------
        mov sp, PVX_RM_STACK
        mov ax, 0xBEEF
        push ax
        movzx eax, sp
        CHECK_EQ PVX_RM_STACK - 2, "push: SP -= 2"
        movzx eax, word [PVX_RM_STACK - 2]
        CHECK_EQ 0xBEEF, "push stored the value at SS:SP"
        push sp                         ; 286+: pushes SP as it was before the push
        pop ax
        movzx eax, ax
        CHECK_EQ PVX_RM_STACK - 2, "push sp pushes the old SP"
        pop ax
        push dword 0x11223344
        movzx eax, sp
        CHECK_EQ PVX_RM_STACK - 4, "push dword: SP -= 4"
        pop eax
        CHECK_EQ 0x11223344, "pop dword"
        mov ax, 1
        mov cx, 2
        mov dx, 3
        mov bx, 4
        mov bp, 6
        mov si, 7
        mov di, 8
        pusha
        mov eax, [PVX_RM_STACK - 4]     ; pushed CX (high), DX? no: AX at -2, CX at -4
        CHECK_EQ 0x00010002, "pusha: AX then CX"
        movzx eax, word [PVX_RM_STACK - 10]
        CHECK_EQ PVX_RM_STACK, "pusha: pushed the original SP"
        movzx eax, word [PVX_RM_STACK - 16]
        CHECK_EQ 8, "pusha: DI last"
        xor ax, ax
        xor di, di
        popa
        add ax, di
        movzx eax, ax
        CHECK_EQ 9, "popa restores AX and DI"
        movzx eax, sp
        CHECK_EQ PVX_RM_STACK, "popa: SP back"
        enter 4, 0
        movzx eax, bp
        CHECK_EQ PVX_RM_STACK - 2, "enter: BP = frame"
        movzx eax, sp
        CHECK_EQ PVX_RM_STACK - 6, "enter 4: SP below locals"
        leave
        movzx eax, sp
        CHECK_EQ PVX_RM_STACK, "leave: SP restored"

        ; ---------------- string instructions ----------------
        ; pattern "ABCDEFGH" at BUF
        mov dword [BUF], 'ABCD'
        mov dword [BUF + 4], 'EFGH'
        mov byte [BUF + 8], 0
        ; forward REP MOVSB
        cld
        mov si, BUF
        mov di, BUF2
        mov cx, 8
        rep movsb
        mov ax, cx
        movzx eax, ax
        CHECK_EQ 0, "rep movsb: CX = 0"
        movzx eax, si
        CHECK_EQ BUF + 8, "rep movsb DF=0: SI advanced"
        movzx eax, di
        CHECK_EQ BUF2 + 8, "rep movsb DF=0: DI advanced"
        mov eax, [BUF2 + 4]
        CHECK_EQ 'EFGH', "rep movsb copied"
        ; overlapping forward copy replicates the first byte (byte-by-byte semantics)
        mov si, BUF2
        mov di, BUF2 + 1
        mov cx, 7
        rep movsb
        mov eax, [BUF2 + 4]
        CHECK_EQ 'AAAA', "overlapping rep movsb is byte by byte"
        ; backward REP MOVSB: copy BUF[7..0] to BUF2[7..0]
        std
        mov si, BUF + 7
        mov di, BUF2 + 7
        mov cx, 8
        rep movsb
        cld
        movzx eax, si
        CHECK_EQ BUF - 1, "rep movsb DF=1: SI went down"
        mov eax, [BUF2]
        CHECK_EQ 'ABCD', "rep movsb DF=1 copied"
        ; REP with CX = 0 does nothing
        mov si, BUF
        mov di, BUF2
        xor cx, cx
        rep movsb
        movzx eax, di
        CHECK_EQ BUF2, "rep movsb with CX=0: nothing"
        ; REP STOSW both ways
        mov di, BUF2
        mov ax, 0x5A5A
        mov cx, 4
        rep stosw
        movzx eax, di
        CHECK_EQ BUF2 + 8, "rep stosw DF=0: DI += 2*CX"
        mov eax, [BUF2 + 4]
        CHECK_EQ 0x5A5A5A5A, "rep stosw stored"
        std
        mov di, BUF2 + 6
        mov ax, 0x1111
        mov cx, 2
        rep stosw
        cld
        movzx eax, di
        CHECK_EQ BUF2 + 2, "rep stosw DF=1: DI -= 2*CX"
        mov eax, [BUF2 + 4]
        CHECK_EQ 0x11111111, "rep stosw DF=1 stored the top words"
        mov eax, [BUF2]
        CHECK_EQ 0x5A5A5A5A, "rep stosw DF=1 left the bottom words"
        ; REPE CMPSB: "ABCDEFGH" vs "ABCxEFGH" stops after the mismatch at index 3
        mov dword [BUF2], 'ABCx'
        mov dword [BUF2 + 4], 'EFGH'
        mov si, BUF
        mov di, BUF2
        mov cx, 8
        repe cmpsb
        CHECK ne, "repe cmpsb stops on a mismatch (ZF=0)"
        movzx eax, cx
        CHECK_EQ 4, "repe cmpsb: CX counts the remaining bytes"
        movzx eax, si
        CHECK_EQ BUF + 4, "repe cmpsb: SI past the mismatch"
        ; backward REPE CMPSB from the end: mismatch at index 3 again
        std
        mov si, BUF + 7
        mov di, BUF2 + 7
        mov cx, 8
        repe cmpsb
        cld
        movzx eax, cx
        CHECK_EQ 3, "repe cmpsb DF=1: CX"
        movzx eax, di
        CHECK_EQ BUF2 + 2, "repe cmpsb DF=1: DI below the mismatch"
        ; REPNE SCASB: find 'E' in "ABCDEFGH"
        mov di, BUF
        mov al, 'E'
        mov cx, 8
        repne scasb
        CHECK e, "repne scasb found the byte (ZF=1)"
        movzx eax, di
        CHECK_EQ BUF + 5, "repne scasb: DI past the match"
        movzx eax, cx
        CHECK_EQ 3, "repne scasb: CX"
        std
        mov di, BUF + 7
        mov al, 'B'
        mov cx, 8
        repne scasb
        cld
        movzx eax, di
        CHECK_EQ BUF, "repne scasb DF=1: DI below the match"
        mov di, BUF
        mov al, 'Z'
        mov cx, 8
        repne scasb
        CHECK ne, "repne scasb: not found (ZF=0)"
        movzx eax, cx
        CHECK_EQ 0, "repne scasb not found: CX = 0"
        ; LODSW / segment override on the source
        mov word [BUF2], 0x1357
        push ds
        mov ax, 0x0500                  ; linear 0x5000 = 0500:0000 ... BUF2 = 0500:0100
        mov ds, ax
        mov si, 0x100
        lodsw
        pop ds
        movzx eax, ax
        CHECK_EQ 0x1357, "lodsw through another DS"

        ; ---------------- MUL / IMUL / DIV / IDIV ----------------
        mov ax, 0x100
        mov bx, 0x100
        mul bx
        CHECK c, "mul 0x100*0x100 sets CF (high half used)"
        shl edx, 16
        mov dx, ax
        mov eax, edx
        CHECK_EQ 0x00010000, "mul result in DX:AX"
        mov ax, -3
        mov bx, 5
        imul bx
        CHECK nc, "imul -3*5 fits: CF=0"
        movsx eax, ax
        CHECK_EQ -15, "imul -3*5"
        imul cx, bx, -7
        movsx eax, cx
        CHECK_EQ -35, "imul cx, bx, -7"
        mov dx, 0x0001
        mov ax, 0x2345
        mov bx, 0x10
        div bx
        movzx eax, ax
        CHECK_EQ 0x1234, "div 0x12345/0x10 quotient"
        movzx eax, dx
        CHECK_EQ 5, "div remainder"
        mov ax, -7
        cwd
        mov bx, 2
        idiv bx
        movsx eax, ax
        CHECK_EQ -3, "idiv -7/2 truncates toward zero"
        movsx eax, dx
        CHECK_EQ -1, "idiv remainder has the dividend's sign"
        mov eax, 100000
        xor edx, edx
        mov ebx, 7
        div ebx                         ; 32-bit divide in real mode
        CHECK_EQ 14285, "32-bit div"

        ; #DE through the IVT, with a handler of our own: a fault pushes the address of the
        ; faulting instruction, so returning with IRET would retry it forever. The handler checks
        ; it is looking at "div bl" (F6 F3) and advances the saved IP by its length.
        mov word [0 * 4], R(de_handler)
        mov word [0 * 4 + 2], 0xF000
        mov dword [DE_CNT], 0
        mov ax, 0x1234
        mov bl, 0
.div0:  div bl                          ; divide by zero
        mov di, ax
        movzx eax, word [DE_CNT]
        CHECK_EQ 1, "div by zero raised #DE once"
        movzx eax, word [DE_IP]
        CHECK_EQ R(.div0), "#DE pushed the address of the DIV (a fault)"
        movzx eax, di
        CHECK_EQ 0x1234, "#DE left AX unchanged"
        mov ax, 0x0100
        mov bl, 1
.div1:  div bl                          ; quotient 0x100 does not fit in AL
        movzx eax, word [DE_CNT]
        CHECK_EQ 2, "div quotient overflow raised #DE"
        movzx eax, word [DE_IP]
        CHECK_EQ R(.div1), "#DE (overflow) pushed the DIV's address"
        mov ax, 0x8000                  ; -32768 / -1 = 32768 does not fit in a byte
        mov bl, -1
.div2:  idiv bl
        movzx eax, word [DE_CNT]
        CHECK_EQ 3, "idiv overflow raised #DE"
        ; back to the recording stub for vector 0: AAM 0 divides by zero too
        mov word [0 * 4], R(pvx_stub16_0)
        EXPECT_EXC .aam0r
.aam0:  db 0xD4, 0x00                   ; aam 0
.aam0r: CHECK_EXC 0, 0, .aam0, "aam 0 -> #DE"

        ; ---------------- INT n / IRET ----------------
        mov word [0x40 * 4], R(int40_handler)
        mov word [0x40 * 4 + 2], 0xF000
        stc
        sti                             ; the PICs are masked
        int 0x40
.after_int:
        cli
        CHECK nc, "IRET restored the FLAGS the handler edited (CF cleared)"
        movzx eax, ax
        CHECK_EQ 0x4040, "int 0x40 ran the handler"
        movzx eax, word [I40_IP]
        CHECK_EQ R(.after_int), "INT pushed the address of the next instruction"
        movzx eax, word [I40_CS]
        CHECK_EQ 0xF000, "INT pushed CS"
        movzx eax, word [I40_FL]
        and eax, FL_IF | FL_CF
        CHECK_EQ FL_IF | FL_CF, "INT pushed FLAGS with IF and CF set"
        movzx eax, word [I40_NOW]
        and eax, FL_IF
        CHECK_EQ 0, "INT cleared IF in the handler"
        EXPECT_EXC .int3r
        int3
.int3r: CHECK_EXC 3, 0, .int3r, "int3 -> vector 3, IP after it"
        EXPECT_EXC .intor
        mov al, 0x7F
        add al, 1                       ; OF = 1
        into
.intor: CHECK_EXC 4, 0, .intor, "into with OF=1 -> vector 4"
        EXPECT_EXC .udr
.ud:    ud2
.udr:   CHECK_EXC 6, 0, .ud, "ud2 -> #UD at the instruction"

        ; ---------------- LOOP / JCXZ ----------------
        xor ax, ax
        mov cx, 5
.l1:    add ax, cx
        loop .l1
        movzx eax, ax
        CHECK_EQ 15, "loop: 5+4+3+2+1"
        xor cx, cx
        mov ax, 1
        jcxz .jz
        xor ax, ax
.jz:    movzx eax, ax
        CHECK_EQ 1, "jcxz taken with CX=0"
        mov cx, 1
        jcxz .jz2
        mov ax, 2
.jz2:   movzx eax, ax
        CHECK_EQ 2, "jcxz not taken with CX=1"
        ; LOOPE stops when ZF becomes 0: scan "AAAB"
        mov dword [BUF2], 'AAAB'
        mov si, BUF2
        mov cx, 4
.l2:    lodsb
        cmp al, 'A'
        loope .l2
        movzx eax, cx
        CHECK_EQ 0, "loope ran to the B (CX=0 and ZF=0 together)"
        movzx eax, si
        CHECK_EQ BUF2 + 4, "loope consumed four bytes"
        mov si, BUF2
        mov cx, 4
.l3:    lodsb
        cmp al, 'A'
        loopne .l3                      ; stops at once: ZF=1
        movzx eax, cx
        CHECK_EQ 3, "loopne stops on ZF=1"
        ; LOOP with CX = 0 runs 65536 times
        xor cx, cx
        xor edx, edx
.l4:    inc edx
        loop .l4
        mov eax, edx
        CHECK_EQ 0x10000, "loop from CX=0 runs 65536 times"

        ; ---------------- XLAT ----------------
        mov bx, R(xlat_table)
        mov al, 3
        cs xlatb
        movzx eax, al
        CHECK_EQ 0x33, "xlat (cs:)"

        ; ---------------- BCD ----------------
        mov al, 0x19
        add al, 0x28                    ; 0x41, AF=1
        daa
        movzx eax, al
        CHECK_EQ 0x47, "daa 19+28 = 47"
        mov al, 0x79
        add al, 0x35                    ; 0xAE
        daa
        CHECK c, "daa 79+35: CF"
        movzx eax, al
        CHECK_EQ 0x14, "daa 79+35 = (1)14"
        mov al, 0x47
        sub al, 0x28                    ; 0x1F, AF=1
        das
        movzx eax, al
        CHECK_EQ 0x19, "das 47-28 = 19"
        mov al, 0x12
        sub al, 0x35                    ; borrow
        das
        CHECK c, "das 12-35: CF (borrow)"
        movzx eax, al
        CHECK_EQ 0x77, "das 12-35 = (-1)77"
        mov ax, 0x0009
        add al, 8                       ; AL = 0x11, AF = 1
        aaa
        CHECK c, "aaa 9+8: CF"
        movzx eax, ax
        CHECK_EQ 0x0107, "aaa 9+8 = 0107"
        mov ax, 0x0102                  ; unpacked 12
        sub al, 5                       ; AL = 0xFD, AF = 1
        aas
        CHECK c, "aas 12-5: CF"
        movzx eax, ax
        CHECK_EQ 0x0007, "aas 12-5 = 0007"
        mov ax, 63
        aam
        movzx eax, ax
        CHECK_EQ 0x0603, "aam 63 = 0603"
        mov ax, 63
        db 0xD4, 0x10                   ; aam 16
        movzx eax, ax
        CHECK_EQ 0x030F, "aam 16 (imm8 base)"
        mov ax, 0x0603
        aad
        movzx eax, ax
        CHECK_EQ 63, "aad 0603 = 63"
        mov ax, 0x0203
        db 0xD5, 0x10                   ; aad 16
        movzx eax, ax
        CHECK_EQ 0x23, "aad 16 (imm8 base)"

        ; ---------------- segment arithmetic ----------------
        mov ax, 0x0600
        mov es, ax
        mov byte [es:0x0010], 0x5C      ; linear 0x6010
        mov ax, 0x0601
        mov es, ax
        movzx eax, byte [es:0x0000]     ; same linear byte
        CHECK_EQ 0x5C, "0600:0010 and 0601:0000 are the same byte"
        movzx eax, byte [0x6010]
        CHECK_EQ 0x5C, "linear = segment * 16 + offset"
        ; 16-bit effective addresses wrap at 64 KiB: BX + SI = 0xFFFF + 0x11 -> 0x0010
        mov ax, 0x0600
        mov es, ax
        mov bx, 0xFFFF
        mov si, 0x11
        movzx eax, byte [es:bx + si]
        CHECK_EQ 0x5C, "16-bit address arithmetic wraps modulo 64 KiB"
        mov ax, 0x0600
        mov fs, ax
        mov gs, ax
        mov byte [gs:0x20], 0x77
        movzx eax, byte [fs:0x20]
        CHECK_EQ 0x77, "FS and GS overrides"
        mov bp, 0x6010
        movzx eax, byte [bp]            ; BP-based addressing uses SS (= 0)
        CHECK_EQ 0x5C, "[bp] defaults to SS"
        xor ax, ax
        mov es, ax
        mov fs, ax
        mov gs, ax

        ; ---------------- 32-bit operand and address size prefixes ----------------
        mov eax, 0x89ABCDEF
        ror eax, 8
        CHECK_EQ 0xEF89ABCD, "32-bit operand: ror eax"
        mov ebx, 0x6000
        mov ecx, 4
        mov dword [ebx + ecx * 4 + 8], 0xCAFEF00D       ; 32-bit addressing: 0x6018
        mov eax, [0x6018]
        CHECK_EQ 0xCAFEF00D, "32-bit addressing [ebx+ecx*4+8]"
        lea eax, [ebx + ecx * 8 + 3]
        CHECK_EQ 0x6023, "lea with a scaled index"
        mov ax, 0x8000
        movsx eax, ax
        CHECK_EQ 0xFFFF8000, "movsx eax, ax"
        mov eax, 0xFFFFFFFF
        inc eax
        CHECK z, "32-bit inc wraps to zero"
        mov eax, 0x00010000
        bsf ecx, eax
        mov eax, ecx
        CHECK_EQ 16, "bsf"
        mov eax, 0x12345678
        bswap eax
        CHECK_EQ 0x78563412, "bswap"
        mov ecx, 0x10000                ; CX = 0: a 16-bit LOOP would give ECX = 0x1FFFF
        a32 loop .l5                    ; address size 32: LOOP uses ECX
.l5:    mov eax, ecx
        CHECK_EQ 0xFFFF, "a32 loop decrements ECX"

        PASS

; #DE handler for the DIV tests: record and skip the 2-byte "div/idiv r8" instruction
de_handler:
        push bp
        mov bp, sp                      ; [bp+2] IP, [bp+4] CS, [bp+6] FLAGS
        push si
        push ds
        push ax
        mov ax, [bp + 2]
        mov [ss:DE_IP], ax
        inc word [ss:DE_CNT]
        mov ds, [bp + 4]
        mov si, [bp + 2]
        cmp byte [si], 0xF6             ; group 3, byte operand
        jne .bad
        mov al, [si + 1]
        and al, 0xF0                    ; ModRM F0-FF: mod=11, reg=/6 (div) or /7 (idiv)
        cmp al, 0xF0
        jne .bad
        add word [bp + 2], 2            ; resume after the instruction
        pop ax
        pop ds
        pop si
        pop bp
        iret
.bad:   FAIL "#DE handler: saved CS:IP does not point at a DIV/IDIV"

int40_handler:
        push bp
        mov bp, sp                      ; [bp+2] IP, [bp+4] CS, [bp+6] FLAGS
        mov ax, [bp + 2]
        mov [ss:I40_IP], ax
        mov ax, [bp + 4]
        mov [ss:I40_CS], ax
        mov ax, [bp + 6]
        mov [ss:I40_FL], ax
        pushf
        pop ax
        mov [ss:I40_NOW], ax
        and word [bp + 6], ~(FL_CF | FL_IF)     ; IRET pops these FLAGS
        mov ax, 0x4040
        pop bp
        iret

xlat_table: db 0x00, 0x11, 0x22, 0x33, 0x44
