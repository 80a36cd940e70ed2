; devices/apic_ioapic.asm — the I/O APIC and the local APIC's priority logic (SDM Vol.3A
; chapter 10; 82093AA datasheet):
;   - CPUID.1:EDX.APIC, IA32_APIC_BASE = FEE00000h | enabled | BSP, the LAPIC version register,
;     the I/O APIC's 24 redirection entries, all masked after reset
;   - the 8254's IRQ0 routed through I/O APIC pin 2 (the MADT's override) to vector 30h, edge,
;     with the 8259s masked: the interrupt arrives, its ISR bit is set in the handler, EOI clears it
;   - a self-IPI held back by the TPR (IRR set, not delivered), also by a TPR of its own priority
;     class, and delivered when TPR drops below its class
;   - an NMI IPI to the APIC's own ID arrives at vector 2 with IF = 0
;   - CR8 and the TPR (SDM Vol.3A 10.8.6.1): MOV to CR8 sets TPR[7:4], TPR writes show in CR8
;
; expect-output: ok: ISA IRQ0 through I/O APIC pin 2 arrived at vector 30h
; expect-output: devices/apic_ioapic: PASS

%define TEST_NAME "devices/apic_ioapic"
%include "pvxtest.inc"
%include "apic.inc"

PIT_COUNT   equ PVX_USER + 0x00         ; vector 30h handler runs
PIT_ISR     equ PVX_USER + 0x04         ; ISR word 1 as the handler saw it
IPI_COUNT   equ PVX_USER + 0x08         ; vector 45h handler runs
SPUR_COUNT  equ PVX_USER + 0x0C
NMI_COUNT   equ PVX_USER + 0x10

test_main:
        ENTER_PM32
        IDT32_GATE 0x30, pit_handler, 0x8E
        IDT32_GATE 0x45, ipi_handler, 0x8E
        IDT32_GATE SPURIOUS_VECTOR, spurious_handler, 0x8E
        IDT32_GATE 2, nmi_handler, 0x8E
        xor eax, eax
        mov [PIT_COUNT], eax
        mov [PIT_ISR], eax
        mov [IPI_COUNT], eax
        mov [SPUR_COUNT], eax
        PIC_INIT_AND_MASK

        ; ---------------- discovery ----------------
        mov eax, 1
        cpuid
        mov eax, edx
        and eax, 1 << 9
        CHECK_EQ 1 << 9, "CPUID.1:EDX.APIC"
        mov ecx, 0x1B
        rdmsr
        CHECK_EQ 0xFEE00900, "IA32_APIC_BASE: FEE00000h, enabled, BSP"
        mov eax, [LAPIC_VERSION]
        and eax, 0x00FF00FF
        CHECK_EQ 0x00050014, "LAPIC version 14h, max LVT entry 5"
        IOAPIC_READ 1
        shr eax, 16
        and eax, 0xFF
        CHECK_EQ 23, "I/O APIC: max redirection entry 23"
        IOAPIC_READ 0x10 + 2 * 2
        and eax, 0x10000
        CHECK_EQ 0x10000, "I/O APIC pin 2 masked after reset"

        ; ---------------- the local APIC on, spurious vector FFh ----------------
        mov dword [LAPIC_SVR], 0x100 | SPURIOUS_VECTOR
        mov dword [LAPIC_TPR], 0

        ; ---------------- PIT -> I/O APIC pin 2 -> vector 30h ----------------
        mov ebx, [LAPIC_ID]
        and ebx, 0xFF000000             ; destination: this APIC's ID (physical mode)
        IOAPIC_WRITE 0x10 + 2 * 2 + 1, ebx
        IOAPIC_WRITE 0x10 + 2 * 2, 0x00000030   ; fixed, physical, active high, edge, unmasked
        mov al, 0x34                    ; counter 0, LSB then MSB, mode 2 (rate generator)
        out 0x43, al
        mov al, 1193 & 0xFF             ; 1 kHz
        out 0x40, al
        mov al, 1193 >> 8
        out 0x40, al
        sti
.wait_pit:
        hlt
        cmp dword [PIT_COUNT], 3
        jb .wait_pit
        cli
        IOAPIC_WRITE 0x10 + 2 * 2, 0x00010030   ; masked again
        mov eax, [PIT_COUNT]
        cmp eax, 3
        CHECK ae, "ISA IRQ0 through I/O APIC pin 2 arrived at vector 30h"
        mov eax, [PIT_ISR]
        and eax, 1 << (0x30 - 32)
        CHECK_EQ 1 << (0x30 - 32), "ISR bit 30h set while its handler ran"
        mov eax, [LAPIC_ISR + 0x10]
        and eax, 1 << (0x30 - 32)
        CHECK_EQ 0, "EOI cleared ISR bit 30h"
        mov eax, [LAPIC_PPR]
        CHECK_EQ 0, "PPR 0 with nothing in service"

        ; ---------------- TPR holds a self-IPI back ----------------
        mov dword [LAPIC_TPR], 0x50
        sti
        mov dword [LAPIC_ICR_LOW], (1 << 18) | 0x45     ; shorthand self, fixed, vector 45h
        call wait_ipi
        mov eax, [IPI_COUNT]
        CHECK_EQ 0, "self-IPI 45h not delivered while TPR = 50h"
        mov eax, [LAPIC_IRR + 0x20]
        and eax, 1 << (0x45 - 64)
        CHECK_EQ 1 << (0x45 - 64), "IRR bit 45h pending"
        mov dword [LAPIC_TPR], 0x40
        call wait_ipi
        mov eax, [IPI_COUNT]
        CHECK_EQ 0, "still held while TPR = 40h (same priority class)"
        mov dword [LAPIC_TPR], 0x30
        call wait_ipi
        mov eax, [IPI_COUNT]
        CHECK_EQ 1, "delivered once TPR = 30h"
        cli
        mov eax, [SPUR_COUNT]
        CHECK_EQ 0, "no spurious interrupts"

        ; ---------------- NMI IPI to this APIC ID, with IF = 0 ----------------
        mov dword [NMI_COUNT], 0
        mov ebx, [LAPIC_ID]
        and ebx, 0xFF000000
        mov [LAPIC_ICR_HIGH], ebx
        mov dword [LAPIC_ICR_LOW], 0x400        ; NMI, physical destination, no shorthand
        mov ecx, 10000
.nmi_wait:
        cmp dword [NMI_COUNT], 0
        jne .nmi_done
        loop .nmi_wait
.nmi_done:
        mov eax, [NMI_COUNT]
        CHECK_EQ 1, "NMI IPI to self taken with IF = 0"

        ; ---------------- CR8 is TPR[7:4] (64-bit mode) ----------------
        ENTER_LONG64
        mov ebx, LAPIC                  ; (a disp32 would sign-extend to a non-canonical address)
        mov eax, 5
        mov cr8, rax
        mov eax, [rbx + 0x80]
        CHECK_EQ 0x50, "MOV CR8, 5 -> TPR 50h"
        mov dword [rbx + 0x80], 0x7F
        mov rax, cr8
        CHECK_EQ 7, "TPR 7Fh -> CR8 7"
        xor eax, eax
        mov cr8, rax
        mov eax, [rbx + 0x80]
        CHECK_EQ 0, "MOV CR8, 0 -> TPR 0"
        PASS

        [BITS 32]                       ; the handlers run in 32-bit protected mode

; Gives a deliverable interrupt time to arrive (QEMU's TCG takes it at the end of a translation
; block, not right after the MMIO store): up to 10000 iterations, less once IPI_COUNT moved.
wait_ipi:
        push ecx
        mov ecx, 10000
.poll:  cmp dword [IPI_COUNT], 0
        jne .done
        loop .poll
.done:  pop ecx
        ret

pit_handler:
        push eax
        inc dword [PIT_COUNT]
        mov eax, [LAPIC_ISR + 0x10]
        mov [PIT_ISR], eax
        mov dword [LAPIC_EOI], 0
        pop eax
        iretd

ipi_handler:
        inc dword [IPI_COUNT]
        mov dword [LAPIC_EOI], 0
        iretd

nmi_handler:                            ; NMIs take no EOI
        inc dword [NMI_COUNT]
        iretd

spurious_handler:                       ; no EOI for the spurious vector (SDM Vol.3A 10.9)
        inc dword [SPUR_COUNT]
        iretd
