; CPU speed benchmark guest (issue 3): loops with known instruction counts in 64-bit long mode.
; A Multiboot v1 kernel (a.out-kludge header, so it boots with `pvx --kernel` and with
; `qemu-system-x86_64 -kernel`). Each loop is wrapped in the pvx bench phase markers on the port
; 0xE9 console: "@bench begin <workload> interp <iterations> <bytes>" ... "@bench end"; pvx bench
; measures host time and retired instructions per phase. Each loop also prints a checksum so two
; emulators can be compared for correctness, not just speed.
bits 32
org 0x100000

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ (1 << 16)
header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, load_end, bss_end, entry32

ITER_ALU   equ 20000000      ; x 6 instructions
ITER_COPY  equ 2000          ; x 64 KiB copied 8 bytes at a time (x 6 instructions per qword)
ITER_CALL  equ 10000000      ; x 11 instructions
ITER_STR   equ 20000         ; x rep movsb of 4 KiB
ITER_PIO   equ 2000000       ; x 3 instructions, one port write each
ITER_X87   equ 2000000       ; x 11 instructions (a term of the Leibniz series for pi)
ITER_SSEFP equ 500           ; x 4096 x 6 instructions: double-precision dot product of 64 KiB
ITER_SCAN  equ 500           ; x 4096 x 7 instructions: strlen-style PCMPEQB/PMOVMSKB scan of 64 KiB
ITER_VCOPY equ 500           ; x 4096 x 6 instructions: MOVDQU copy of 64 KiB

entry32:
    mov esp, stack_top
    ; Identity-map the first 1 GiB with 2 MiB pages: PML4 -> PDPT -> PD.
    mov edi, pml4
    mov ecx, (4096 * 3) / 4
    xor eax, eax
    rep stosd
    mov dword [pml4], pdpt + 3
    mov dword [pdpt], pd + 3
    mov edi, pd
    mov eax, 0x83                   ; present, writable, 2 MiB
    mov ecx, 512
.pd:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .pd
    mov eax, cr4
    or eax, 1 << 5                  ; PAE
    mov cr4, eax
    mov eax, pml4
    mov cr3, eax
    mov ecx, 0xC0000080             ; EFER.LME
    rdmsr
    or eax, 1 << 8
    wrmsr
    mov eax, cr0
    or eax, 1 << 31
    mov cr0, eax
    lgdt [gdt_ptr]
    jmp 0x08:entry64

bits 64
entry64:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, stack_top

    ; --- ALU: 6 instructions per iteration
    lea rsi, [rel m_alu]
    call puts
    mov ecx, ITER_ALU
    xor eax, eax
    mov ebx, 0x12345678
    mov edx, 1
.alu:
    add eax, ecx
    xor ebx, eax
    sub edx, ebx
    and edx, 0x7fffffff
    dec ecx
    jnz .alu
    add eax, ebx
    add eax, edx
    call end_phase

    ; Fill the source buffer with a pattern (not timed).
    mov rdi, buf_a
    mov ecx, 65536 / 4
    mov eax, 0x9E3779B9
.fill:
    stosd
    rol eax, 5
    add eax, ecx
    dec ecx
    jnz .fill

    ; --- load/store copy: 64 KiB per iteration, 6 instructions per qword
    lea rsi, [rel m_copy]
    call puts
    mov r8d, ITER_COPY
.copy_outer:
    mov rsi, buf_a
    mov rdi, buf_b
    mov ecx, 65536 / 8
.copy:
    mov rax, [rsi]
    mov [rdi], rax
    add rsi, 8
    add rdi, 8
    dec ecx
    jnz .copy
    dec r8d
    jnz .copy_outer
    mov eax, [buf_b + 4096]
    call end_phase

    ; --- call/ret with indirect calls and jumps: 11 instructions per iteration
    lea rsi, [rel m_call]
    call puts
    mov ecx, ITER_CALL
    xor eax, eax
    lea rbx, [rel leaf]
    lea r9, [rel .after]
.call:
    call rbx                        ; indirect call (leaf: inc, ret = 2)
    jmp r9                          ; indirect jump
.after:
    call leaf
    add eax, ecx
    rol eax, 1
    dec ecx
    jnz .call
    call end_phase

    ; --- string ops: REP MOVSB of 4 KiB
    lea rsi, [rel m_str]
    call puts
    mov r8d, ITER_STR
.str:
    mov rsi, buf_a
    mov rdi, buf_b + 8192
    mov ecx, 4096
    rep movsb
    dec r8d
    jnz .str
    mov eax, [buf_b + 8192 + 100]
    call end_phase

    ; --- port I/O: OUT to port 0x80 (POST code port), 3 instructions per iteration
    lea rsi, [rel m_pio]
    call puts
    mov ecx, ITER_PIO
    xor eax, eax
.pio:
    out 0x80, al
    dec ecx
    jnz .pio
    call end_phase

    ; --- floating point and SIMD (issue 8). Enable the FPU and SSE as an OS does: CR0.MP|NE,
    ; EM and TS clear; CR4.OSFXSR|OSXMMEXCPT.
    mov rax, cr0
    and eax, ~((1 << 2) | (1 << 3))
    or eax, (1 << 1) | (1 << 5)
    mov cr0, rax
    mov rax, cr4
    or eax, (1 << 9) | (1 << 10)
    mov cr4, rax
    fninit

    ; --- x87: acc += s / d; s = -s; d += 2 (pi = 4 * (1 - 1/3 + 1/5 ...)). Stack: acc, d, two, s.
    lea rsi, [rel m_x87]
    call puts
    fld qword [rel four]            ; s = 4
    fld qword [rel two]             ; two
    fld1                            ; d = 1
    fldz                            ; acc = 0
    mov ecx, ITER_X87
.x87:
    fld st3                         ; s, acc, d, two, s
    fdiv st0, st2                   ; s/d
    faddp st1, st0                  ; acc, d, two, s
    fxch st3                        ; s, d, two, acc
    fchs
    fxch st3                        ; acc, d, two, -s
    fxch st1                        ; d, acc, two, -s
    fadd st0, st2                   ; d + 2
    fxch st1                        ; acc, d, two, -s
    dec ecx
    jnz .x87
    fstp qword [rel scratch]        ; the checksum is the low half of the double: bit-exact rounding
    fninit
    mov eax, [rel scratch]
    call end_phase

    ; Fill buf_b with doubles 0.5 * k (not timed): k converted exactly by CVTSI2SD.
    mov rdi, buf_b
    xor ecx, ecx
    movsd xmm2, [rel half]
.fill_fp:
    cvtsi2sd xmm1, ecx
    mulsd xmm1, xmm2
    movsd [rdi + rcx * 8], xmm1
    inc ecx
    cmp ecx, 65536 / 8
    jb .fill_fp

    ; --- SSE2 double-precision dot product: 6 instructions per 16 bytes
    lea rsi, [rel m_ssefp]
    call puts
    xorpd xmm0, xmm0
    mov r8d, ITER_SSEFP
.dot_outer:
    mov rsi, buf_b
    mov ecx, 65536 / 16
.dot:
    movapd xmm1, [rsi]
    mulpd xmm1, xmm1
    addpd xmm0, xmm1
    add rsi, 16
    dec ecx
    jnz .dot
    dec r8d
    jnz .dot_outer
    movapd xmm1, xmm0
    unpckhpd xmm1, xmm1
    addsd xmm0, xmm1
    movq rax, xmm0
    mov rdx, rax
    shr rdx, 32
    xor eax, edx                    ; fold the double's two halves
    call end_phase

    ; Fill buf_a with nonzero bytes 1..255 (not timed) for the scan.
    mov rdi, buf_a
    mov ecx, 65536
    mov al, 1
.fill_nz:
    stosb
    inc al
    jnz .nz
    inc al                          ; skip zero
.nz:
    dec ecx
    jnz .fill_nz

    ; --- strlen-style scan: PCMPEQB against zero, PMOVMSKB, 7 instructions per 16 bytes
    lea rsi, [rel m_scan]
    call puts
    pxor xmm0, xmm0
    xor r9d, r9d
    mov r8d, ITER_SCAN
.scan_outer:
    mov rsi, buf_a
    mov ecx, 65536 / 16
.scan:
    movdqa xmm1, [rsi]
    pcmpeqb xmm1, xmm0
    pmovmskb eax, xmm1
    test eax, eax
    jnz .found
    add rsi, 16
    dec ecx
    jnz .scan
    jmp .scan_next
.found:
    inc r9d                         ; never: the buffer has no zero byte
.scan_next:
    dec r8d
    jnz .scan_outer
    mov eax, r9d
    call end_phase

    ; --- MOVDQU copy: 6 instructions per 16 bytes (glibc memcpy's inner loop shape)
    lea rsi, [rel m_vcopy]
    call puts
    mov r8d, ITER_VCOPY
.vcopy_outer:
    mov rsi, buf_a + 1              ; unaligned source
    mov rdi, buf_b + 3              ; unaligned destination
    mov ecx, 65536 / 16 - 1
.vcopy:
    movdqu xmm1, [rsi]
    movdqu [rdi], xmm1
    add rsi, 16
    add rdi, 16
    dec ecx
    jnz .vcopy
    dec r8d
    jnz .vcopy_outer
    mov eax, [buf_b + 3 + 4096]
    call end_phase

    lea rsi, [rel m_done]
    call puts
    mov al, 0
    out 0xF4, al
.hang:
    hlt
    jmp .hang

leaf:
    inc eax
    ret

; Ends a phase: prints "@bench end", then the checksum in EAX.
end_phase:
    push rax
    lea rsi, [rel m_end]
    call puts
    lea rsi, [rel m_sum]
    call puts
    pop rax
    mov ecx, 8
.digit:
    rol eax, 4
    push rax
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '9' - 1
.out:
    out 0xE9, al
    pop rax
    dec ecx
    jnz .digit
    mov al, 10
    out 0xE9, al
    ret

puts:
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp puts
.done:
    ret

m_alu:  db "@bench begin cpu-alu interp 20000000 0", 10, 0
m_copy: db "@bench begin cpu-load-store interp 16384000 131072000", 10, 0
m_call: db "@bench begin cpu-call-indirect interp 10000000 0", 10, 0
m_str:  db "@bench begin cpu-rep-movsb interp 20000 81920000", 10, 0
m_pio:  db "@bench begin cpu-port-io interp 2000000 0", 10, 0
m_x87:  db "@bench begin fp-x87 interp 2000000 0", 10, 0
m_ssefp: db "@bench begin fp-sse2-dot interp 2048000 32768000", 10, 0
m_scan: db "@bench begin simd-pcmpeqb-scan interp 2048000 32768000", 10, 0
m_vcopy: db "@bench begin simd-movdqu-copy interp 2047500 32760000", 10, 0
m_end:  db "@bench end", 10, 0
m_sum:  db "checksum ", 0
m_done: db "@bench done", 10, 0

align 8
four:   dq 4.0
two:    dq 2.0
half:   dq 0.5
scratch: dq 0
gdt:
    dq 0
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF           ; 0x10: data
gdt_ptr:
    dw gdt_ptr - gdt - 1
    dq gdt
load_end:

absolute load_end
alignb 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096
        resb 16384
stack_top:
buf_a:  resb 65536
buf_b:  resb 65536 + 16384
bss_end:
