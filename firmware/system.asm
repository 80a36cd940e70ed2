; system.asm — INT 11h, 12h, 14h, 15h, 17h.

int11_handler:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [BDA_EQUIP]
        pop ds
        iret

int12_handler:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [BDA_MEMKB]
        pop ds
        iret

; ---------------------------------------------------------------------------------------------
; INT 14h: serial ports (DX = 0-3). AH=00h init (AL = parameters), 01h send AL, 02h receive,
; 03h status. AH returns the line status (bit 7: timeout), AL the modem status.
; ---------------------------------------------------------------------------------------------
int14_handler:
        sti
        cld
        ENTER_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov bx, [bp + F_DX]
        cmp bx, 3
        ja .fail
        shl bx, 1
        mov dx, [BDA_COM + bx]
        test dx, dx
        jz .fail
        mov ax, [bp + F_AX]
        cmp ah, 0
        je .init
        cmp ah, 1
        je .send
        cmp ah, 2
        je .recv
        cmp ah, 3
        je .status
.fail:  mov byte [bp + F_AH], 0x80
        LEAVE_FRAME
.init:  ; AL: bits 7-5 baud (110..9600), 4-3 parity, 2 stop bits, 1-0 word length
        movzx bx, al
        shr bx, 5
        shl bx, 1
        mov bx, [cs:com_divisors + bx]
        add dx, 3
        push ax
        mov al, 0x80
        out dx, al
        sub dx, 3
        mov al, bl
        out dx, al
        inc dx
        mov al, bh
        out dx, al
        add dx, 2
        pop ax
        and al, 0x1F
        out dx, al
        sub dx, 3
        jmp .status
.send:  mov cx, 0xFFFF
        add dx, 5
.sw:    in al, dx
        test al, 0x20
        jnz .sok
        loop .sw
        or al, 0x80
        mov [bp + F_AH], al
        LEAVE_FRAME
.sok:   sub dx, 5
        mov al, [bp + F_AL]
        out dx, al
        add dx, 5
        in al, dx
        mov [bp + F_AH], al
        LEAVE_FRAME
.recv:  mov cx, 0xFFFF
        add dx, 5
.rw:    in al, dx
        test al, 0x01
        jnz .rok
        loop .rw
        or al, 0x80
        mov [bp + F_AH], al
        LEAVE_FRAME
.rok:   mov [bp + F_AH], al
        sub dx, 5
        in al, dx
        mov [bp + F_AL], al
        and byte [bp + F_AH], 0x1E      ; error bits only
        LEAVE_FRAME
.status:
        add dx, 5
        in al, dx
        mov [bp + F_AH], al
        inc dx
        in al, dx
        mov [bp + F_AL], al
        LEAVE_FRAME

com_divisors:
        dw 1047, 768, 384, 192, 96, 48, 24, 12  ; 110, 150, 300, 600, 1200, 2400, 4800, 9600

; INT 17h: printers. No printer ever answers: AH = 01h (timeout) unless the port is missing.
int17_handler:
        mov ah, 0x01
        iret

; ---------------------------------------------------------------------------------------------
; INT 15h
; ---------------------------------------------------------------------------------------------
int15_handler:
        cmp ah, 0x4F                    ; keyboard intercept (from IRQ1): fast path, CF stays set
        je .kbd
        sti
        cld
        ENTER_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov fs, [BDA_EBDA]
        mov ax, [bp + F_AX]
        cmp ax, 0xE820
        je .e820
        cmp ax, 0xE801
        je .e801
        cmp ah, 0x88
        je .f88
        cmp ah, 0x24
        je .a20
        cmp ah, 0x86
        je .wait
        cmp ah, 0x87
        je .move
        cmp ah, 0xC0
        je .config
        cmp ah, 0xC1
        je .ebda
        cmp ah, 0x90
        je .ok
        cmp ah, 0x91
        je .ok
        ; not supported (APM 53h, event wait 83h, C2h mouse, ...)
.unsup: mov byte [bp + F_AH], 0x86
        SET_CF
        LEAVE_FRAME
.ok:    mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME
.kbd:   push bp
        mov bp, sp
        or byte [bp + 6], FL_CF
        pop bp
        iret

.e820:  call int15_e820
        LEAVE_FRAME
.e801:  mov eax, [fs:EB_RAMTOP]
        sub eax, HIMEM_START
        shr eax, 10                     ; KiB above 1 MiB
        cmp eax, 15 * 1024
        jbe .lo
        mov eax, 15 * 1024
.lo:    mov [bp + F_AX], ax
        mov [bp + F_CX], ax
        mov eax, [fs:EB_RAMTOP]
        xor ebx, ebx
        sub eax, 16 << 20
        jbe .hi
        shr eax, 16                     ; 64 KiB blocks above 16 MiB
        mov ebx, eax
.hi:    mov [bp + F_BX], bx
        mov [bp + F_DX], bx
        CLR_CF
        LEAVE_FRAME
.f88:   mov eax, [fs:EB_RAMTOP]
        sub eax, HIMEM_START
        shr eax, 10
        cmp eax, 0xFFFF
        jbe .f88s
        mov eax, 0xFFFF
.f88s:  mov [bp + F_AX], ax
        CLR_CF
        LEAVE_FRAME
.ebda:  mov ax, fs
        mov [bp + F_ES], ax
        CLR_CF
        LEAVE_FRAME
.config:
        mov word [bp + F_ES], BIOS_SEG
        mov word [bp + F_BX], bios_config_table
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME
.a20:   cmp al, 3
        ja .unsup
        in al, PORT_A20
        cmp byte [bp + F_AL], 2
        je .a20get
        cmp byte [bp + F_AL], 3
        je .a20sup
        and al, ~0x03 & 0xFF            ; never write the fast-reset bit
        cmp byte [bp + F_AL], 0
        je .a20off
        or al, 0x02
.a20off:
        out PORT_A20, al
        jmp .ok
.a20get:
        shr al, 1
        and al, 1
        mov byte [bp + F_AH], 0
        mov [bp + F_AL], al
        CLR_CF
        LEAVE_FRAME
.a20sup:
        mov word [bp + F_BX], 0x0002    ; system control port A
        jmp .ok
.wait:  call int15_wait
        jmp .ok
.move:  call int15_move
        LEAVE_FRAME

; INT 15h AH=C0h: system configuration table
bios_config_table:
        dw 8                            ; bytes following
        db 0xFC                         ; model: AT
        db 0x00                         ; submodel
        db 0x01                         ; BIOS revision
        db 0x74                         ; 2nd PIC, RTC, INT 15h/4Fh from IRQ1, EBDA
        db 0x40                         ; INT 16h AH=09h supported
        db 0, 0, 0

; ---------------------------------------------------------------------------------------------
; E820: EBX = continuation (entry index), ES:DI = buffer, ECX = its size (>= 20),
; EDX = 'SMAP' -> EAX = 'SMAP', ECX = 20 (24 with the ACPI 3.0 attribute dword when the caller
; offers 24), EBX = next index or 0 after the last entry
; ---------------------------------------------------------------------------------------------
E820_RAM        equ 1
E820_RESERVED   equ 2

e820_template:                          ; base, length, type
        dq 0, LOWMEM_END
        dd E820_RAM
        dq LOWMEM_END, HIMEM_START - LOWMEM_END
        dd E820_RESERVED
        dq HIMEM_START, 0               ; length: RAM top - 1 MiB
        dd E820_RAM
        dq IOAPIC_BASE, 0x1000
        dd E820_RESERVED
        dq LAPIC_BASE, 0x1000
        dd E820_RESERVED
        dq 0x100000000 - ROM_SIZE, ROM_SIZE
        dd E820_RESERVED
        dq 0x100000000, 0               ; length: RAM above 4 GiB (entry omitted if none)
        dd E820_RAM
E820_ENTRIES    equ ($ - e820_template) / 20

int15_e820:
        cmp dword [bp + F_EDX], 0x534D4150
        jne .err
        cmp dword [bp + F_ECX], 20
        jb .err
        mov ebx, [bp + F_EBX]
        mov ecx, E820_ENTRIES           ; entries present
        mov eax, [fs:EB_RAMHI]
        or eax, [fs:EB_RAMHI + 4]
        jnz .n
        dec cx
.n:     cmp ebx, ecx
        jae .err
        ; copy the template entry
        mov es, [bp + F_ES]
        mov di, [bp + F_DI]
        mov si, bx
        imul si, si, 20
        add si, e820_template
        push ds
        push cs
        pop ds
        mov cx, 20
        rep movsb
        pop ds
        sub di, 20
        cmp bx, 2
        jne .not2
        mov eax, [fs:EB_RAMTOP]
        sub eax, HIMEM_START
        mov [es:di + 8], eax
.not2:  cmp bx, 6
        jne .not6
        mov eax, [fs:EB_RAMHI]
        mov [es:di + 8], eax
        mov eax, [fs:EB_RAMHI + 4]
        mov [es:di + 12], eax
.not6:  mov dword [bp + F_ECX], 20
        inc bx
        mov cx, E820_ENTRIES
        mov eax, [fs:EB_RAMHI]
        or eax, [fs:EB_RAMHI + 4]
        jnz .m
        dec cx
.m:     cmp bx, cx
        jb .more
        xor bx, bx
.more:  movzx ebx, bx
        mov [bp + F_EBX], ebx
        mov dword [bp + F_EAX], 0x534D4150
        CLR_CF
        ret
.err:   mov byte [bp + F_AH], 0x86
        SET_CF
        ret

; ---------------------------------------------------------------------------------------------
; AH=86h: wait CX:DX microseconds, measured on PIT channel 0 (mode 2, 1.193182 MHz, counting
; down from 65536), sampled often enough that the counter never wraps twice between samples.
; ---------------------------------------------------------------------------------------------
int15_wait:
        mov ax, [bp + F_CX]
        shl eax, 16
        mov ax, [bp + F_DX]
        ; ticks = us * 1193182 / 1000000 (64-bit intermediate, 64-bit quotient in EDI:ESI)
        mov ebx, 1193182
        mul ebx                         ; EDX:EAX
        mov ebx, 1000000
        mov ecx, eax
        mov eax, edx
        xor edx, edx
        div ebx
        mov edi, eax                    ; quotient high
        mov eax, ecx
        div ebx
        mov esi, eax                    ; quotient low
        call pit_read
        mov cx, ax                      ; previous sample
.loop:  test edi, edi
        jnz .more
        test esi, esi
        jz .done
.more:  call pit_read
        mov bx, cx
        sub bx, ax                      ; elapsed (counts down, wraps at 65536)
        mov cx, ax
        movzx ebx, bx
        sub esi, ebx
        sbb edi, 0
        jnc .loop
.done:  ret

; pit_read: AX = PIT channel 0 count
pit_read:
        pushf
        cli
        mov al, 0x00                    ; latch channel 0
        out PIT_CMD, al
        in al, PIT_CH0
        mov ah, al
        in al, PIT_CH0
        xchg al, ah
        popf
        ret

; ---------------------------------------------------------------------------------------------
; AH=87h: copy CX words between the descriptors at ES:SI + 10h (source) and + 18h (target) of
; the caller's GDT, in 16-bit protected mode with A20 enabled; interrupts are off meanwhile.
; ---------------------------------------------------------------------------------------------
int15_move:
        cli
        mov es, [bp + F_ES]
        mov si, [bp + F_SI]
        ; descriptor 1 (08h): the GDT itself; 4 (20h): our code; 5 (28h): our stack
        mov ax, es
        movzx eax, ax
        shl eax, 4
        movzx ebx, si
        add eax, ebx                    ; linear address of the GDT
        mov word [es:si + 0x08], 0x2F
        mov [es:si + 0x0A], ax
        shr eax, 16
        mov [es:si + 0x0C], al
        mov byte [es:si + 0x0D], 0x93
        mov word [es:si + 0x0E], 0
        mov word [es:si + 0x20], 0xFFFF
        mov dword [es:si + 0x22], 0x9B000000 | FPHYS(rom_f_start)
        mov word [es:si + 0x26], 0
        mov ax, ss
        movzx eax, ax
        shl eax, 4
        mov word [es:si + 0x28], 0xFFFF
        mov [es:si + 0x2A], ax
        shr eax, 16
        mov [es:si + 0x2C], al
        mov byte [es:si + 0x2D], 0x93
        mov word [es:si + 0x2E], 0
        in al, PORT_A20
        push ax
        or al, 0x02
        and al, ~0x01 & 0xFF
        out PORT_A20, al
        mov cx, [bp + F_CX]
        mov dx, ss                      ; the real-mode stack segment, restored afterwards
        push ds
        lgdt [es:si + 0x08]             ; 16-bit LGDT: 24-bit base, the access byte is ignored
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x20:.pm
.pm:    mov ax, 0x28
        mov ss, ax
        mov ax, 0x10
        mov ds, ax
        mov ax, 0x18
        mov es, ax
        xor si, si
        xor di, di
        cld
        rep movsw
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp BIOS_SEG:.rm
.rm:    mov ss, dx
        pop ds
        pop ax
        and al, 0xFE                    ; bit 0 would reset the machine
        out PORT_A20, al
        sti
        mov byte [bp + F_AH], 0
        CLR_CF
        ret
