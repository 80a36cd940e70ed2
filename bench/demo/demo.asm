; The bundled demo guest: a 64 KiB ROM that pvx (or qemu-system-x86_64 -bios) boots from the
; reset vector. It switches to 32-bit protected mode, runs a checksum loop of known length, and
; reports on the 0xE9 debug console, then exits through isa-debug-exit (port 0xF4).
bits 16
org 0
%define ROM_BASE 0xF0000
start16:
    cli
    xor ax, ax
    mov ds, ax
    lgdt [cs:gdt_ptr]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword 0x08:(ROM_BASE + start32)

bits 32
start32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x90000
    mov esi, ROM_BASE + banner
    call puts
    ; A checksum loop: 5 instructions x 1,000,000 iterations.
    mov ecx, 1000000
    xor eax, eax
    mov ebx, 0x12345678
.loop:
    add eax, ebx
    rol ebx, 3
    xor eax, ecx
    dec ecx
    jnz .loop
    mov edx, eax
    mov esi, ROM_BASE + sum_msg
    call puts
    mov eax, edx
    call puthex
    mov al, 10
    out 0xE9, al
    mov esi, ROM_BASE + bye
    call puts
    mov al, 0
    out 0xF4, al
.hang:
    hlt
    jmp .hang

puts:                       ; ESI -> NUL-terminated string
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp puts
.done:
    ret

puthex:                     ; EAX as 8 hex digits
    mov ecx, 8
.digit:
    rol eax, 4
    push eax
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '9' - 1
.out:
    out 0xE9, al
    pop eax
    loop .digit
    ret

banner:  db "pvx demo guest: 32-bit protected mode", 10, 0
sum_msg: db "checksum of 5,000,000 instructions: ", 0
bye:     db "demo: PASS", 10, 0

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF   ; 0x08: 32-bit code, base 0, 4 GiB
    dq 0x00CF92000000FFFF   ; 0x10: data, base 0, 4 GiB
gdt_ptr:
    dw gdt_ptr - gdt - 1
    dd ROM_BASE + gdt

times 0xFFF0-($-$$) db 0
bits 16
    jmp 0xF000:start16
times 0x10000-($-$$) db 0
