; isr.asm - interrupt and exception entry points, and the fault-tolerant read used by tests.
;
; Every vector 0..255 gets a stub that makes the stack look the same (an error code, real or a
; pushed 0, then the vector number) and jumps to isr_common, which saves all general-purpose
; registers and calls isr_dispatch(struct isr_frame *) in interrupts.c. The guests are built
; with -mgeneral-regs-only, so no SSE/x87 state needs saving.

bits 64
extern isr_dispatch
global isr_stub_table, rt_probe_read64, rt_probe_insn, rt_probe_fixup

section .text

%macro ISR 1
isr_%1:
%if (%1 == 8) || (%1 >= 10 && %1 <= 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
    ; the CPU pushed an error code
%else
    push 0
%endif
    push %1
    jmp isr_common
%endmacro

%assign v 0
%rep 256
ISR v
%assign v v + 1
%endrep

isr_common:
    ; The CPU aligned RSP to 16 before its 5-qword frame; with error code + vector + 15
    ; registers the total is 22 qwords, so RSP is 16-byte aligned at the call.
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp                    ; struct isr_frame *
    cld
    call isr_dispatch
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                     ; vector and error code
    iretq

; int rt_probe_read64(uint64_t va, uint64_t *out): 0 and *out = *(uint64_t *)va, or -1 if the
; read faulted. isr_dispatch knows the address of the one instruction that may fault
; (rt_probe_insn) and resumes a #PF there at rt_probe_fixup - an "exception table" of one entry.
rt_probe_read64:
rt_probe_insn:
    mov rax, [rdi]
    mov [rsi], rax
    xor eax, eax
    ret
rt_probe_fixup:
    mov eax, -1
    ret

section .rodata
align 8
isr_stub_table:
%assign v 0
%rep 256
    dq isr_%+v
%assign v v + 1
%endrep
