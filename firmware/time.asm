; time.asm — IRQ0 (BIOS tick) and INT 1Ah (tick count, RTC; AH=B1h goes to the PCI BIOS).

irq0_handler:
        push ax
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        inc dword [BDA_TICKS]
        cmp dword [BDA_TICKS], TICKS_PER_DAY
        jb .ok
        mov dword [BDA_TICKS], 0
        mov byte [BDA_MIDNIGHT], 1
.ok:    int 0x1C                        ; user timer tick
        cli
        mov al, 0x20
        out PIC1_CMD, al
        pop ds
        pop ax
        iret

; rtc_wait_ready: wait until no update is in progress (register A bit 7). CF on timeout.
rtc_wait_ready:
        push ax
        push cx
        mov cx, 0xFFFF
.w:     mov al, 0x0A
        call cmos_read
        test al, 0x80
        jz .ok
        loop .w
        pop cx
        pop ax
        stc
        ret
.ok:    pop cx
        pop ax
        clc
        ret

int1a_handler:
        sti
        cld
        ENTER_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [bp + F_AX]
        cmp ah, 0xB1
        je .pci
        cmp ah, 0x00
        je .getticks
        cmp ah, 0x01
        je .setticks
        cmp ah, 0x02
        je .gettime
        cmp ah, 0x03
        je .settime
        cmp ah, 0x04
        je .getdate
        cmp ah, 0x05
        je .setdate
.fail:  SET_CF                          ; alarms (06h/07h) and the rest: not supported
        LEAVE_FRAME
.pci:   call pci_bios
        LEAVE_FRAME

.getticks:
        cli
        mov eax, [BDA_TICKS]
        mov [bp + F_DX], ax
        shr eax, 16
        mov [bp + F_CX], ax
        mov al, [BDA_MIDNIGHT]
        mov [bp + F_AL], al
        mov byte [BDA_MIDNIGHT], 0
        sti
        CLR_CF
        LEAVE_FRAME
.setticks:
        mov ax, [bp + F_CX]
        shl eax, 16
        mov ax, [bp + F_DX]
        cli
        mov [BDA_TICKS], eax
        mov byte [BDA_MIDNIGHT], 0
        sti
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME

; AH=02h: CH = hours, CL = minutes, DH = seconds (BCD), DL = 1 if daylight saving
.gettime:
        call rtc_wait_ready
        jc .fail
        mov al, 0x04
        call cmos_read
        mov [bp + F_CH], al
        mov al, 0x02
        call cmos_read
        mov [bp + F_CL], al
        mov al, 0x00
        call cmos_read
        mov [bp + F_DH], al
        mov al, 0x0B
        call cmos_read
        and al, 0x01
        mov [bp + F_DL], al
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME

.settime:
        call rtc_wait_ready
        call rtc_set_begin
        mov ah, [bp + F_CH]
        mov al, 0x04
        call cmos_write
        mov ah, [bp + F_CL]
        mov al, 0x02
        call cmos_write
        mov ah, [bp + F_DH]
        mov al, 0x00
        call cmos_write
        mov ah, [bp + F_DL]
        and ah, 0x01
        call rtc_set_end
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME

; AH=04h: CH = century, CL = year, DH = month, DL = day (BCD)
.getdate:
        call rtc_wait_ready
        jc .fail
        mov al, 0x32
        call cmos_read
        mov [bp + F_CH], al
        mov al, 0x09
        call cmos_read
        mov [bp + F_CL], al
        mov al, 0x08
        call cmos_read
        mov [bp + F_DH], al
        mov al, 0x07
        call cmos_read
        mov [bp + F_DL], al
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME

.setdate:
        call rtc_wait_ready
        call rtc_set_begin
        mov ah, [bp + F_CH]
        mov al, 0x32
        call cmos_write
        mov ah, [bp + F_CL]
        mov al, 0x09
        call cmos_write
        mov ah, [bp + F_DH]
        mov al, 0x08
        call cmos_write
        mov ah, [bp + F_DL]
        mov al, 0x07
        call cmos_write
        mov al, 0x0B
        call cmos_read
        mov ah, al
        and ah, 0x01                    ; keep the daylight-saving bit
        call rtc_set_end
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME

; rtc_set_begin: register B SET bit on (updates stop)
rtc_set_begin:
        push ax
        mov al, 0x0B
        call cmos_read
        or al, 0x80
        mov ah, al
        mov al, 0x0B
        call cmos_write
        pop ax
        ret

; rtc_set_end: AH bit 0 = daylight saving; register B back to 24-hour BCD, running
rtc_set_end:
        push ax
        and ah, 0x01
        or ah, 0x02
        mov al, 0x0B
        call cmos_write
        pop ax
        ret
