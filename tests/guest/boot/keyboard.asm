; IRQ1 and INT 16h: scan codes injected with the i8042's "write keyboard output buffer" (D2h)
; command arrive as IRQ1 and come back from INT 16h translated (plain, shifted, extended keys).
; bios: any
; expect-output: boot/keyboard: PASS
; pvx-args: -m 64
%define TEST_NAME "boot/keyboard"
%include "boot.inc"

test_main:
        mov al, 0x1E                    ; 'a' make, break
        call inject
        mov al, 0x9E
        call inject
        mov ah, 0x00
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x1E61, "'a'"
        mov al, 0x2A                    ; left shift + 'a' -> 'A'
        call inject
        mov ah, 0x02
        int 0x16
        movzx eax, al
        and eax, 0x0F
        CHECK_EQ 0x02, "16h/02h: left shift held"
        mov al, 0x1E
        call inject
        mov al, 0x9E
        call inject
        mov al, 0xAA
        call inject
        mov ah, 0x00
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x1E41, "shift + 'a' = 'A'"
        mov al, 0x1C                    ; Enter
        call inject
        mov ah, 0x10
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x1C0D, "Enter"
        mov al, 0xE0                    ; grey cursor up
        call inject
        mov al, 0x48
        call inject
        mov ah, 0x01
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x4800, "16h/01h: grey up arrow as 4800h"
        mov ah, 0x10
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x48E0, "16h/10h: grey up arrow as 48E0h"
        mov al, 0x1D                    ; Ctrl + 'c' -> 2E03h
        call inject
        mov al, 0x2E
        call inject
        mov al, 0x9D
        call inject
        mov ah, 0x00
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x2E03, "Ctrl+C"
        mov al, 0x3B                    ; F1
        call inject
        mov ah, 0x00
        int 0x16
        movzx eax, ax
        CHECK_EQ 0x3B00, "F1"
        mov ah, 0x01
        int 0x16
        CHECK z, "buffer empty"
        PASS

; inject: AL = scan code, delivered through the controller as if the keyboard sent it; waits
; until IRQ1 has taken it
inject: push cx
        push ax
        call wait_in
        mov al, 0xD2
        out 0x64, al
        call wait_in
        pop ax
        out 0x60, al
        mov cx, 0xFFFF
.w:     in al, 0x64                     ; the IRQ1 handler empties the output buffer
        test al, 1
        jz .d
        sti
        loop .w
.d:     pop cx
        ret
wait_in:
        push cx
        mov cx, 0xFFFF
.w:     in al, 0x64
        test al, 2
        jz .d
        loop .w
.d:     pop cx
        ret

        BOOT_END
