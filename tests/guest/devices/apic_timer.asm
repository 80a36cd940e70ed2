; devices/apic_timer.asm — the local APIC timer (SDM Vol.3A 10.5.4):
;   - one-shot: the current count runs down from the initial count, one interrupt at 0, and
;     the current count stays 0 afterwards
;   - periodic (divide by 16): interrupts keep coming, the current count reloads
;   - a masked LVT timer entry delivers nothing; an initial count of 0 stops the timer
; The 8259s are masked throughout; every interrupt is EOIed through the LAPIC.
;
; QEMU runs it with -icount (its clock counts instructions, as pvx's --clock virtual does): with
; a real-time clock a loaded host can let the whole one-shot period pass between two checks.
; qemu-args: -icount shift=0,sleep=off
; expect-output: ok: one-shot: exactly one interrupt
; expect-output: devices/apic_timer: PASS

%define TEST_NAME "devices/apic_timer"
%include "pvxtest.inc"
%include "apic.inc"

ONESHOT_COUNT  equ PVX_USER + 0x00
PERIODIC_COUNT equ PVX_USER + 0x04
SPUR_COUNT     equ PVX_USER + 0x08
ONESHOT_VEC    equ 0x40
PERIODIC_VEC   equ 0x41

test_main:
        ENTER_PM32
        IDT32_GATE ONESHOT_VEC, oneshot_handler, 0x8E
        IDT32_GATE PERIODIC_VEC, periodic_handler, 0x8E
        IDT32_GATE SPURIOUS_VECTOR, spurious_handler, 0x8E
        xor eax, eax
        mov [ONESHOT_COUNT], eax
        mov [PERIODIC_COUNT], eax
        mov [SPUR_COUNT], eax
        PIC_INIT_AND_MASK
        mov dword [LAPIC_SVR], 0x100 | SPURIOUS_VECTOR
        mov dword [LAPIC_TPR], 0

        ; ---------------- one-shot ----------------
        mov dword [LAPIC_TIMER_DCR], 0xB        ; divide by 1
        mov dword [LAPIC_LVT_TIMER], ONESHOT_VEC ; one-shot, unmasked
        mov eax, [LAPIC_LVT_TIMER]
        CHECK_EQ ONESHOT_VEC, "LVT timer reads back"
        mov dword [LAPIC_TIMER_ICR], 2000000    ; 2 ms at 1 GHz (QEMU's and pvx's bus clock)
        mov eax, [LAPIC_TIMER_ICR]
        CHECK_EQ 2000000, "initial count reads back"
        mov eax, [LAPIC_TIMER_CCR]
        cmp eax, 2000000
        CHECK be, "current count <= initial count"
        test eax, eax
        CHECK nz, "current count not yet 0"
        mov ebx, eax
        mov ecx, 1000
.spin:  loop .spin
        mov eax, [LAPIC_TIMER_CCR]
        cmp eax, ebx
        CHECK b, "current count runs down"
        sti
.wait1: hlt
        cmp dword [ONESHOT_COUNT], 1
        jb .wait1
        cli
        mov eax, [LAPIC_TIMER_CCR]
        CHECK_EQ 0, "one-shot: current count 0 after the interrupt"

        ; ---------------- periodic ----------------
        mov dword [LAPIC_TIMER_DCR], 0x3        ; divide by 16
        mov dword [LAPIC_LVT_TIMER], (1 << 17) | PERIODIC_VEC
        mov dword [LAPIC_TIMER_ICR], 20000      ; 320 us
        sti
.wait2: hlt
        cmp dword [PERIODIC_COUNT], 5
        jb .wait2
        cli
        mov eax, [LAPIC_TIMER_CCR]
        test eax, eax
        CHECK nz, "periodic: the count reloads"
        cmp eax, 20000
        CHECK be, "periodic: current count <= initial count"
        mov eax, [ONESHOT_COUNT]
        CHECK_EQ 1, "one-shot: exactly one interrupt"

        ; ---------------- masked, then stopped ----------------
        mov dword [LAPIC_LVT_TIMER], (1 << 16) | (1 << 17) | PERIODIC_VEC
        sti                             ; a period that ended before the mask is still in the IRR
        nop
        nop
        mov ebx, [PERIODIC_COUNT]
        mov ecx, 200000                 ; a few periods' worth of instructions under QEMU too
.spin2: loop .spin2
        cli
        mov eax, [PERIODIC_COUNT]
        sub eax, ebx
        CHECK_EQ 0, "masked LVT timer: no interrupts"
        mov dword [LAPIC_TIMER_ICR], 0
        mov eax, [LAPIC_TIMER_CCR]
        CHECK_EQ 0, "initial count 0 stops the timer"
        mov eax, [LAPIC_IRR + 0x20]
        and eax, 3                      ; vectors 40h, 41h
        CHECK_EQ 0, "nothing left in the IRR"
        mov eax, [SPUR_COUNT]
        CHECK_EQ 0, "no spurious interrupts"
        PASS

oneshot_handler:
        inc dword [ONESHOT_COUNT]
        mov dword [LAPIC_EOI], 0
        iretd

periodic_handler:
        inc dword [PERIODIC_COUNT]
        mov dword [LAPIC_EOI], 0
        iretd

spurious_handler:
        inc dword [SPUR_COUNT]
        iretd
