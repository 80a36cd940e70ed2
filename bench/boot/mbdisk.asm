; mbdisk.asm — a boot sector that starts a flat Multiboot kernel from the disk it boots from, so
; the bench guests also boot through a BIOS (pvx's, SeaBIOS, Bochs' or QEMU's) and not only with
; --kernel. The disk: this sector at LBA 0, the kernel image from LBA 1 (at most 127 sectors).
; The kernel must use the Multiboot a.out-kludge header at its first byte (flag 16), as
; bench/cpu/cpubench.asm does: header_addr = load_addr, load_end_addr, bss_end_addr, entry_addr.
; It is entered as Multiboot specifies (EAX = 2BADB002h, flat 32-bit protected mode, paging
; off, interrupts off), with EBX = 0: there is no information structure.
        cpu 686
        bits 16
        org 0x7C00

STAGE           equ 0x10000             ; the image is read here first (segment 1000h)
SECTORS         equ 127                 ; what one INT 13h 42h call may move into 64 KiB

start:
        jmp 0:.go
.go:    cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        mov si, dap                     ; EDD extended read: LBA 1.. -> 1000:0000
        mov ah, 0x42
        int 0x13
        jc .fail
        in al, 0x92                     ; fast A20
        or al, 2
        and al, 0xFE
        out 0x92, al
        cli
        lgdt [gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x08:pm
.fail:  mov si, msg_fail
.p:     lodsb
        test al, al
        jz .h
        mov ah, 0x0E
        int 0x10
        jmp .p
.h:     cli
        hlt

        bits 32
pm:     mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x7C00
        mov ebx, STAGE
        cmp dword [ebx], 0x1BADB002     ; Multiboot magic
        jne .bad
        test dword [ebx + 4], 1 << 16   ; a.out kludge: the address fields are valid
        jz .bad
        mov esi, ebx
        mov edi, [ebx + 16]             ; load_addr
        mov ecx, [ebx + 20]             ; load_end_addr
        sub ecx, edi
        cld
        rep movsb
        mov ecx, [ebx + 24]             ; bss_end_addr: clear the kernel's bss
        sub ecx, edi
        jbe .go
        xor eax, eax
        rep stosb
.go:    mov edx, [ebx + 28]             ; entry_addr
        mov eax, 0x2BADB002
        xor ebx, ebx
        jmp edx
.bad:   cli
        hlt

        align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF           ; 08h: flat 32-bit code
        dq 0x00CF92000000FFFF           ; 10h: flat data
gdtr:   dw gdtr - gdt - 1
        dd gdt
dap:    db 16, 0
        dw SECTORS
        dw 0, STAGE >> 4                ; buffer 1000:0000
        dq 1                            ; LBA 1
msg_fail: db "mbdisk: cannot read the kernel", 13, 10, 0
        times 510 - ($ - $$) db 0
        dw 0xAA55
