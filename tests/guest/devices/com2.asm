; COM2, the second 16550A at 2F8h on IRQ 3 (pvx --serial2): the scratch register, the divisor
; latch, a byte echoed through loopback, and the transmitter-empty interrupt reaching the CPU
; through the I/O APIC as ISA IRQ 3 (MCR OUT2 gates it; loopback would disconnect it).
; pvx-args: --serial2 file:/dev/null
; qemu-args: -serial null -serial null
; expect-output: devices/com2: PASS
%define TEST_NAME "devices/com2"
%include "pvxtest.inc"
%include "apic.inc"

COM2            equ 0x2F8
IRQ_SEEN        equ PVX_USER                      ; byte: the IRQ 3 handler ran
IIR_SEEN        equ PVX_USER + 1                      ; byte: IIR as the handler read it

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
        ; IRQ 3 through I/O APIC pin 3 to vector 33h (8259s masked), as in devices/apic_ioapic
        ENTER_PM32
        IDT32_GATE 0x33, irq3_handler, 0x8E
        IDT32_GATE SPURIOUS_VECTOR, spurious_handler, 0x8E
        mov byte [IRQ_SEEN], 0
        mov byte [IIR_SEEN], 0xFF
        PIC_INIT_AND_MASK
        mov dword [LAPIC_SVR], 0x100 | SPURIOUS_VECTOR
        mov dword [LAPIC_TPR], 0
        mov ebx, [LAPIC_ID]
        and ebx, 0xFF000000
        IOAPIC_WRITE 0x10 + 3 * 2 + 1, ebx
        IOAPIC_WRITE 0x10 + 3 * 2, 0x00000033   ; fixed, physical, active high, edge, unmasked
        mov dx, COM2 + 4
        mov al, 0x08                            ; MCR: OUT2 (IRQ enable), no loopback
        out dx, al
        sti
        mov dx, COM2 + 1
        mov al, 0x02                            ; IER: transmitter holding register empty
        out dx, al
        mov ecx, 1000000
.wait:  cmp byte [IRQ_SEEN], 0
        jne .got
        dec ecx
        jnz .wait
.got:   cli
        IOAPIC_WRITE 0x10 + 3 * 2, 0x00010033   ; masked again
        movzx eax, byte [IRQ_SEEN]
        CHECK_EQ 1, "THR-empty interrupt delivered as IRQ 3 (I/O APIC pin 3, vector 33h)"
        movzx eax, byte [IIR_SEEN]
        and al, 0x0F
        CHECK_EQ 0x02, "IIR in the handler: THR empty"
        PASS

        bits 32
irq3_handler:
        push eax
        push edx
        mov dx, COM2 + 2
        in al, dx                               ; reading IIR clears the THRE interrupt
        mov [IIR_SEEN], al
        mov dx, COM2 + 1
        xor al, al
        out dx, al
        mov byte [IRQ_SEEN], 1
        mov dword [LAPIC_EOI], 0
        pop edx
        pop eax
        iretd

spurious_handler:
        iretd
