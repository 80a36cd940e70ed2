; devices/apic_base.asm — IA32_APIC_BASE (SDM Vol.3A 10.4.3, 10.4.4):
;   - WRMSR moves the local APIC's register page: it answers at the new base, keeps its state,
;     and the old base reads as unmapped (all ones: it lies in the PCI hole)
;   - clearing bit 11 disables the APIC globally: the page is gone, and the 8259 reaches the CPU
;     directly even though LVT LINT0 had been masked; re-enabling starts from the reset state
;
; qemu-skip: QEMU's TCG does not move the xAPIC page on a WRMSR to IA32_APIC_BASE
; expect-output: devices/apic_base: PASS

%define TEST_NAME "devices/apic_base"
%include "pvxtest.inc"
%include "apic.inc"

NEW_BASE    equ 0xFED00000
PIC_COUNT   equ PVX_USER + 0x00

test_main:
        ENTER_PM32
        IDT32_GATE 0x20, pit_handler, 0x8E
        mov dword [PIC_COUNT], 0
        PIC_INIT_AND_MASK
        mov dword [LAPIC_SVR], 0x1FF
        mov dword [LAPIC_TPR], 0x20

        ; ---------------- relocation ----------------
        mov ecx, 0x1B
        mov eax, NEW_BASE | 0x900
        xor edx, edx
        wrmsr
        rdmsr
        CHECK_EQ NEW_BASE | 0x900, "IA32_APIC_BASE reads back the new base"
        mov eax, [NEW_BASE + 0x30]
        CHECK_EQ 0x00050014, "version register at the new base"
        mov eax, [NEW_BASE + 0x80]
        CHECK_EQ 0x20, "TPR kept across the move"
        mov eax, [LAPIC_VERSION]
        CHECK_EQ 0xFFFFFFFF, "nothing at the old base"
        mov ecx, 0x1B
        mov eax, LAPIC | 0x900
        xor edx, edx
        wrmsr
        mov eax, [LAPIC_VERSION]
        CHECK_EQ 0x00050014, "moved back"

        ; ---------------- global disable: the 8259 goes straight to INTR ----------------
        mov dword [LAPIC_LVT_LINT0], 0x10700    ; LINT0 masked: no virtual wire
        mov ecx, 0x1B
        mov eax, LAPIC | 0x100                  ; bit 11 clear
        xor edx, edx
        wrmsr
        mov eax, [LAPIC_VERSION]
        CHECK_EQ 0xFFFFFFFF, "disabled: the register page is gone"
        mov al, 0x34                            ; PIT counter 0, mode 2, 1 kHz
        out 0x43, al
        mov al, 1193 & 0xFF
        out 0x40, al
        mov al, 1193 >> 8
        out 0x40, al
        mov al, 0xFE                            ; 8259: only IRQ0
        out 0x21, al
        sti
.wait:  hlt
        cmp dword [PIC_COUNT], 2
        jb .wait
        cli
        mov al, 0xFF
        out 0x21, al
        mov eax, [PIC_COUNT]
        cmp eax, 2
        CHECK ae, "disabled APIC: IRQ0 through the 8259 at vector 20h"

        ; ---------------- enabled again: reset state ----------------
        mov ecx, 0x1B
        mov eax, LAPIC | 0x900
        xor edx, edx
        wrmsr
        mov eax, [LAPIC_SVR]
        CHECK_EQ 0xFF, "re-enabled: SVR in its reset state"
        mov eax, [LAPIC_TPR]
        CHECK_EQ 0, "re-enabled: TPR 0"
        PASS

pit_handler:
        push eax
        inc dword [PIC_COUNT]
        mov al, 0x20                            ; non-specific EOI to the 8259
        out 0x20, al
        pop eax
        iretd
