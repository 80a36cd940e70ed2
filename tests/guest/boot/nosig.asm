; A boot sector without the 55AAh signature is not booted: the BIOS says so and halts.
; expect-exit: halt
; halt-timeout: 8
; expect-output: Booting from disk 0x80
; expect-output: No bootable disk
; expect-serial: No bootable disk
        bits 16
        org 0x7C00
        mov al, 0x33                    ; must never run
        out 0xF4, al
        times 512 - ($ - $$) db 0
