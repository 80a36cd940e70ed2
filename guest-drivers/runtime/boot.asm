; boot.asm - Multiboot v1 entry: from 32-bit protected mode to 64-bit C.
;
; A Multiboot loader (QEMU -kernel, pvx --kernel, GRUB) enters _start in 32-bit protected mode
; with flat segments, paging off, interrupts off, EAX = 0x2BADB002 and EBX = the physical
; address of the multiboot information. This stub:
;   1. checks that the CPU has long mode,
;   2. clears .bss (page tables and the stack live there),
;   3. identity-maps the first 4 GiB with 2 MiB pages (PML4[0] -> PDPT -> 4 page directories),
;      which covers the kernel, its RAM and every device/MMIO address of a PC below 4 GiB;
;      RAM above 4 GiB, if any, is mapped later in C (paging.c) from the multiboot memory map,
;   4. enables PAE, loads CR3, sets EFER.LME, enables paging (=> long mode, compatibility
;      submode), loads a GDT with a 64-bit code segment and far-jumps into it,
;   5. calls rt_main64(magic, info) (start.c) on the boot stack.
; The object is ELF64 (the C code is 64-bit); the linked image is converted to ELF32 so that
; Multiboot loaders accept it (see CMakeLists.txt).

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ (1 << 0) | (1 << 1)      ; page-align modules, give us the memory map
STACK_SIZE  equ 64 * 1024

extern rt_main64
extern __bss_start, __bss_end
global _start, boot_pml4, boot_pdpt, boot_pd, boot_stack_top

section .multiboot progbits alloc noexec nowrite align=4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .boot progbits alloc exec nowrite align=16
bits 32
_start:
    cli
    cld
    mov ebp, eax                    ; multiboot magic (checked in C)
    mov esi, ebx                    ; multiboot info address (CPUID below clobbers EBX)
    mov esp, boot_stack_top

    ; 1. Long mode? CPUID 0x80000001 EDX bit 29.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode

    ; 2. Zero .bss.
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    ; 3. Identity map 0..4 GiB. Entry bits: 0x03 = present + writable, 0x80 = 2 MiB page.
    mov eax, boot_pdpt
    or eax, 0x03
    mov [boot_pml4], eax
    mov edi, boot_pdpt              ; PDPT[0..3] -> the four page directories
    mov eax, boot_pd
    or eax, 0x03
    mov ecx, 4
.pdpt:
    mov [edi], eax
    add eax, 4096
    add edi, 8
    loop .pdpt
    mov edi, boot_pd                ; 4 x 512 directory entries of 2 MiB each
    mov eax, 0x83
    mov ecx, 4 * 512
.pd:
    mov [edi], eax                  ; the high dword stays 0: everything is below 4 GiB
    add eax, 0x200000
    add edi, 8
    loop .pd

    ; 4. Into long mode.
    mov eax, cr4
    or eax, 1 << 5                  ; CR4.PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, 0xC0000080             ; IA32_EFER
    rdmsr
    or eax, 1 << 8                  ; LME
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; PG, WP (honour read-only pages in ring 0 too), PE
    mov cr0, eax
    lgdt [gdt_ptr]
    jmp 0x08:long_entry

.no_long_mode:
    mov esi, msg_no_lm
.putc:
    lodsb
    test al, al
    jz .halt
    out 0xE9, al
    jmp .putc
.halt:
    hlt
    jmp .halt

bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    mov edi, ebp                    ; rt_main64(uint32_t magic, uint32_t info): 32-bit moves
    mov esi, esi                    ; zero-extend (upper halves are undefined after the switch)
    call rt_main64
.hang:
    cli
    hlt
    jmp .hang

section .rodata
msg_no_lm: db "boot: this CPU has no long mode", 10, 0

align 8
gdt:
    dq 0                            ; 0x00 null
    dq 0x00AF9A000000FFFF           ; 0x08 64-bit code, ring 0
    dq 0x00CF92000000FFFF           ; 0x10 data, ring 0
gdt_end:
gdt_ptr:
    dw gdt_end - gdt - 1
    dq gdt

section .bss nobits alloc noexec write align=4096
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4 * 4096
boot_stack: resb STACK_SIZE
boot_stack_top:
