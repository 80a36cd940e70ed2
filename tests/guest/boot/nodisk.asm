; No disk at all: POST reports it, INT 19h fails, the BIOS says so and halts.
; disk: none
; expect-exit: halt
; halt-timeout: 8
; expect-output: pvx BIOS 0.1
; expect-output: Disk 0x80: none
; expect-output: No bootable disk
        bits 16
        org 0x7C00
        times 510 - ($ - $$) db 0
        dw 0xAA55
