; COM2, the second 16550A at 2F8h on IRQ 3 (pvx --serial2): the scratch register, the divisor
; latch, a byte echoed through loopback, and the transmitter-empty interrupt reaching the CPU
; through the 8259 as IRQ 3 (MCR OUT2 gates it; loopback would disconnect it).
; pvx-args: --serial2 file:/dev/null
; qemu-args: -serial null -serial null
; expect-output: devices/com2: PASS
%define TEST_NAME "devices/com2"
%include "pvxtest.inc"

COM2            equ 0x2F8
IRQ_SEEN        equ 0x5000                      ; byte: the IRQ 3 handler ran
IIR_SEEN        equ 0x5001                      ; byte: IIR as the handler read it

test_main:
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov byte [IRQ_SEEN], 0
        mov byte [IIR_SEEN], 0xFF
        mov dx, COM2 + 7                        ; scratch
        mov al, 0x5A
        out dx, al
        in al, dx
        movzx eax, al
        CHECK_EQ 0x5A, "COM2 scratch register holds 5Ah"
        mov dx, COM2 + 3
        mov al, 0x80                            ; DLAB
        out dx, al
        mov dx, COM2
        mov al, 0x0C                            ; 9600 baud
        out dx, al
        in al, dx
        movzx eax, al
        CHECK_EQ 0x0C, "divisor latch low reads back"
        mov dx, COM2 + 3
        mov al, 0x03                            ; 8N1, DLAB off
        out dx, al
        mov dx, COM2 + 1
        xor al, al                              ; IER: no interrupts
        out dx, al
        mov dx, COM2 + 4
        mov al, 0x10                            ; MCR: loopback
        out dx, al
        mov dx, COM2
        mov al, 0xA7
        out dx, al
        mov dx, COM2 + 5
        in al, dx
        and al, 0x01
        movzx eax, al
        CHECK_EQ 1, "loopback: LSR data ready"
        mov dx, COM2
        in al, dx
        movzx eax, al
        CHECK_EQ 0xA7, "loopback: the byte comes back"
        ; IRQ 3 through the master 8259 at vectors 20h-27h
        mov al, 0x11
        out 0x20, al
        mov al, 0x20
        out 0x21, al
        mov al, 0x04
        out 0x21, al
        mov al, 0x01
        out 0x21, al
        mov al, 0xF7                            ; only IRQ 3
        out 0x21, al
        mov word [0x23 * 4], R(irq3_handler)
        mov word [0x23 * 4 + 2], 0xF000
        mov dx, COM2 + 4
        mov al, 0x08                            ; MCR: OUT2 (IRQ enable), no loopback
        out dx, al
        sti
        mov dx, COM2 + 1
        mov al, 0x02                            ; IER: transmitter holding register empty
        out dx, al
        mov ecx, 100000
.wait:  cmp byte [IRQ_SEEN], 0
        jne .got
        dec ecx
        jnz .wait
.got:   cli
        movzx eax, byte [IRQ_SEEN]
        CHECK_EQ 1, "THR-empty interrupt delivered as IRQ 3 (vector 23h)"
        movzx eax, byte [IIR_SEEN]
        and al, 0x0F
        CHECK_EQ 0x02, "IIR in the handler: THR empty"
        PASS

irq3_handler:
        push ax
        push dx
        mov dx, COM2 + 2
        in al, dx                               ; reading IIR clears the THRE interrupt
        mov [IIR_SEEN], al
        mov dx, COM2 + 1
        xor al, al
        out dx, al
        mov byte [IRQ_SEEN], 1
        mov al, 0x20
        out 0x20, al
        pop dx
        pop ax
        iret
