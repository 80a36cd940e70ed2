; The target of the gdb batch test (tests/debug/gdb_test.py): code in real mode, 32-bit protected
; mode and 64-bit mode at labels whose addresses the test reads from the nasm map file, a store
; that a watchpoint catches, and a spin loop that waits for the debugger to write a flag.
; Runs on its own too (the flag check is skipped when DEBUGGER_PRESENT is 0): console lines below.
%define TEST_NAME "debug/gdb_target"
%include "pvxtest.inc"
[map symbols gdb_target.map]

WATCHED equ 0x5000                      ; the watchpoint's dword
FLAG    equ 0x5004                      ; the debugger writes 1 here to end the spin loop

test_main:
        mov dword [WATCHED], 0
        mov dword [FLAG], 0
real_bp:                                ; breakpoint 1 (real mode: linear = CS.base + IP)
        mov eax, 0x1234
real_next:
        mov ebx, 0x5678
        ENTER_PM32
pm32_code:
        mov ecx, 0xCAFEBABE
pm32_store:
        mov dword [WATCHED], 0x11223344   ; the watchpoint triggers here
pm32_after_store:
        nop
        ENTER_LONG64
long_bp:                                ; hardware breakpoint (64-bit mode)
        mov rdx, 0x123456789ABCDEF0
long_spin:                              ; gdb sets FLAG = 1 (a memory write), Ctrl-C interrupts it
        cmp dword [FLAG], 0
        je long_spin
long_done:
        PRINTLN "spin loop left"
        PASS
