; A tiny 64 KiB ROM for the trace test (tests/debug/trace_test.sh): no scaffolding, so every
; traced instruction is one of these and the expected trace is exact. Real mode from the reset
; vector: sets the #UD vector, computes, writes 'A' to the 0xE9 console, makes a PV escape (call
; 0, info version), executes UD2, and the #UD handler exits through isa-debug-exit (status 1).
bits 16
org 0xF0000

start:
        xor ax, ax
        mov ds, ax
        mov word [6 * 4], ud_handler - 0xF0000
        mov word [6 * 4 + 2], 0xF000
        mov ax, 0x1234
        add ax, 0x0101
        mov al, 'A'
        out 0xE9, al
        xor eax, eax                    ; PV call 0: info version
        vmcall
        ud2
ud_handler:
        mov al, 0
        out 0xF4, al
        hlt

        times 0xFFF0 - ($ - $$) db 0
        jmp 0xF000:start                ; the reset vector, F000:FFF0
        times 0x10000 - ($ - $$) db 0
