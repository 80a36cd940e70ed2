; console.asm — the BIOS's own output: the screen (through the INT 10h teletype, which mirrors
; to COM1) and the port 0xE9 debug console. Carriage returns are not sent to port 0xE9, so
; its output is plain '\n'-separated lines.

; e9_putc: AL -> port 0xE9. Preserves all registers.
e9_putc:
        cmp al, 13
        je .skip
        out DEBUGCON, al
.skip:  ret

; serial_putc: AL -> COM1 (if the BDA lists one), waiting a bounded time for the transmitter.
; Preserves all registers.
serial_putc:
        push ds
        push dx
        push cx
        push ax
        mov dx, BDA_SEG
        mov ds, dx
        mov dx, [BDA_COM]
        test dx, dx
        jz .done
        add dx, 5                       ; LSR
        mov cx, 0xFFFF
.wait:  in al, dx
        test al, 0x20                   ; THR empty
        jnz .ready
        loop .wait
        jmp .done                       ; nobody is reading: drop the byte
.ready: sub dx, 5
        pop ax
        push ax
        out dx, al
.done:  pop ax
        pop cx
        pop dx
        pop ds
        ret

; con_putc: AL -> screen + COM1 + port 0xE9. Preserves all registers.
con_putc:
        call e9_putc
        jmp vid_tty_active

; con_puts: CS:SI -> ASCIZ string. Preserves all registers but SI (left after the NUL).
con_puts:
        push ax
.next:  cs lodsb
        test al, al
        jz .done
        call con_putc
        jmp .next
.done:  pop ax
        ret

; con_dec: EAX printed in decimal. Preserves all registers.
con_dec:
        pushad
        mov ebx, 10
        xor cx, cx
.div:   xor edx, edx
        div ebx
        push dx
        inc cx
        test eax, eax
        jnz .div
.out:   pop ax
        add al, '0'
        call con_putc
        loop .out
        popad
        ret

; con_hex: EAX printed as 8 hex digits. Preserves all registers.
con_hex:
        pushad
        mov edx, eax
        mov cx, 8
.dig:   rol edx, 4
        mov al, dl
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .p
        add al, 'A' - '9' - 1
.p:     call con_putc
        loop .dig
        popad
        ret
