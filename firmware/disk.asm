; disk.asm — INT 13h: drive 0x80 is the ATA primary master; there are no floppy drives.

int13_handler:
        sti
        cld
        ENTER_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov fs, [BDA_EBDA]
        mov ax, [bp + F_AX]
        mov dl, [bp + F_DL]
        cmp dl, 0x80
        jb .floppy
        jne .nodrive
        test byte [fs:EB_HD_FLAGS], HDF_PRESENT
        jz .nodrive
        cmp ah, 0x15
        ja .ext
        movzx si, ah
        shl si, 1
        call [cs:int13_table + si]
        LEAVE_FRAME
.ext:   cmp ah, 0x41
        jb .bad
        cmp ah, 0x48
        ja .bad
        movzx si, ah
        sub si, 0x41
        shl si, 1
        call [cs:int13_ext_table + si]
        LEAVE_FRAME
.bad:   mov ah, 0x01
        call hd_status
        LEAVE_FRAME
.floppy:
        mov byte [0x41], 0x01           ; diskette status
        ; fall through: no such drive
.nodrive:
        cmp ah, 0x15                    ; get type: "no such drive" is a success
        jne .nd_err
        mov byte [bp + F_AH], 0
        CLR_CF
        LEAVE_FRAME
.nd_err:
        mov byte [bp + F_AH], 0x01
        SET_CF
        LEAVE_FRAME

int13_table:
        dw hd_reset, hd_getstatus, hd_chs, hd_chs, hd_chs, hd_invalid, hd_invalid, hd_invalid
        dw hd_params, hd_ok, hd_invalid, hd_invalid, hd_ok, hd_reset, hd_invalid, hd_invalid
        dw hd_ok, hd_ok, hd_invalid, hd_invalid, hd_ok, hd_type
int13_ext_table:
        dw hd_edd_check, hd_ext_rw, hd_ext_rw, hd_ext_rw, hd_invalid, hd_invalid, hd_ext_rw
        dw hd_edd_params

; hd_status: AH = status -> frame AH, BDA last status, CF = (status != 0). DS = BDA.
hd_status:
        mov [bp + F_AH], ah
        mov [BDA_HDSTATUS], ah
        test ah, ah
        jz .ok
        SET_CF
        ret
.ok:    CLR_CF
        ret

hd_ok:  xor ah, ah
        jmp hd_status

hd_invalid:
        mov ah, 0x01
        jmp hd_status

hd_reset:
        call ata_soft_reset
        mov ah, 0
        jnc .s
        mov ah, 0x05                    ; reset failed
.s:     jmp hd_status

hd_getstatus:
        mov ah, [BDA_HDSTATUS]
        mov [bp + F_AH], ah
        test ah, ah
        jz .ok
        SET_CF
        ret
.ok:    CLR_CF
        ret

; hd_check_range: EDX:EAX = LBA, CX = count -> CF set if the range passes the end of the disk
hd_check_range:
        push eax
        push edx
        push ebx
        movzx ebx, cx
        add eax, ebx
        adc edx, 0
        cmp edx, [fs:EB_HD_TOTAL + 4]
        ja .bad
        jb .ok
        cmp eax, [fs:EB_HD_TOTAL]
        ja .bad
.ok:    pop ebx
        pop edx
        pop eax
        clc
        ret
.bad:   pop ebx
        pop edx
        pop eax
        stc
        ret

; AH=02h read, 03h write, 04h verify: AL = count, CH/CL = cylinder and sector, DH = head,
; ES:BX = buffer -> AL = sectors done
hd_chs:
        movzx cx, byte [bp + F_AL]
        test cx, cx
        jz .param
        movzx eax, byte [bp + F_CL]
        and al, 0x3F                    ; sector (1-based)
        jz .param
        cmp ax, [fs:EB_HD_LSPT]
        ja .param
        mov si, ax
        movzx eax, byte [bp + F_DH]     ; head
        cmp ax, [fs:EB_HD_LHEADS]
        jae .param
        mov di, ax
        movzx eax, byte [bp + F_CL]     ; cylinder
        shl ax, 2
        and ax, 0x300
        mov al, [bp + F_CH]
        cmp ax, [fs:EB_HD_LCYL]
        jae .param
        movzx ebx, word [fs:EB_HD_LHEADS]
        mul ebx
        movzx ebx, di
        add eax, ebx
        movzx ebx, word [fs:EB_HD_LSPT]
        mul ebx
        movzx ebx, si
        add eax, ebx
        dec eax
        xor edx, edx
        call hd_check_range
        jc .notfound
        cmp byte [bp + F_AH], 0x04
        je .verify
        mov bl, [bp + F_AH]
        sub bl, 2                       ; 0 read, 1 write
        mov es, [bp + F_ES]
        mov di, [bp + F_BX]
        call ata_rw
        mov [bp + F_AL], cl
        jmp hd_status
.verify:
        xor ah, ah
        jmp hd_status
.param: mov byte [bp + F_AL], 0
        mov ah, 0x01
        jmp hd_status
.notfound:
        mov byte [bp + F_AL], 0
        mov ah, 0x04
        jmp hd_status

; AH=08h: CH/CL = last cylinder and sectors per track, DH = last head, DL = drive count
hd_params:
        mov ax, [fs:EB_HD_LCYL]
        dec ax
        cmp ax, 1023
        jbe .c
        mov ax, 1023
.c:     mov [bp + F_CH], al
        shl ah, 6
        mov al, [fs:EB_HD_LSPT]
        and al, 0x3F
        or al, ah
        mov [bp + F_CL], al
        mov al, [fs:EB_HD_LHEADS]
        dec al
        mov [bp + F_DH], al
        mov al, [BDA_HDCOUNT]
        mov [bp + F_DL], al
        mov byte [bp + F_AL], 0
        xor ah, ah
        jmp hd_status

; AH=15h: AH = 03h (fixed disk), CX:DX = sectors (CHS capacity)
hd_type:
        movzx eax, word [fs:EB_HD_LCYL]
        movzx ebx, word [fs:EB_HD_LHEADS]
        mul ebx
        movzx ebx, word [fs:EB_HD_LSPT]
        mul ebx
        mov [bp + F_DX], ax
        shr eax, 16
        mov [bp + F_CX], ax
        mov byte [bp + F_AH], 0x03
        mov byte [BDA_HDSTATUS], 0
        CLR_CF
        ret

; AH=41h: BX = 55AAh -> BX = AA55h, AH = 30h (EDD 3.0), CX = 0005h (extended access, EDD)
hd_edd_check:
        cmp word [bp + F_BX], 0x55AA
        jne .no
        mov word [bp + F_BX], 0xAA55
        mov byte [bp + F_AH], 0x30
        mov word [bp + F_CX], 0x0005
        mov byte [BDA_HDSTATUS], 0
        CLR_CF
        ret
.no:    mov ah, 0x01
        jmp hd_status

; AH=42h read, 43h write, 44h verify, 47h seek: DS:SI = disk address packet
;   +0 size (>= 10h), +2 count (updated with the sectors done), +4 buffer (offset, segment),
;   +8 LBA (qword); a 64-bit flat buffer (size >= 18h, +4 = FFFF:FFFF) is not supported
hd_ext_rw:
        mov gs, [bp + F_DS]
        mov si, [bp + F_SI]
        cmp byte [gs:si], 0x10
        jb .param
        mov cx, [gs:si + 2]
        cmp byte [gs:si], 0x18
        jb .buf
        cmp dword [gs:si + 4], 0xFFFFFFFF
        je .param
.buf:   test cx, cx
        jz .done
        mov eax, [gs:si + 8]
        mov edx, [gs:si + 12]
        test edx, 0xFFFF0000
        jnz .range
        call hd_check_range
        jc .range
        mov bl, [bp + F_AH]
        cmp bl, 0x44
        jae .done                       ; verify, seek
        sub bl, 0x42                    ; 0 read, 1 write
        les di, [gs:si + 4]
        push si
        call ata_rw
        pop si
        mov [gs:si + 2], cx
        jmp hd_status
.done:  xor ah, ah
        jmp hd_status
.range: mov word [gs:si + 2], 0
        mov ah, 0x04
        jmp hd_status
.param: mov word [gs:si + 2], 0
        mov ah, 0x01
        jmp hd_status

; AH=48h: DS:SI = result buffer, its first word the caller's size (>= 1Ah). Fills EDD 1.x
; (1Ah bytes), 2.x (1Eh, + DPTE pointer) or 3.0 (42h, + device path) as the size allows.
hd_edd_params:
        mov gs, [bp + F_DS]
        mov si, [bp + F_SI]
        mov cx, [gs:si]
        cmp cx, 0x1A
        jb .param
        mov word [gs:si + 0x02], 0x0002         ; CHS information valid
        movzx eax, word [fs:EB_HD_PCYL]
        movzx ebx, word [fs:EB_HD_PHEADS]
        movzx edx, word [fs:EB_HD_PSPT]
        test eax, eax
        jz .lgeom
        test ebx, ebx
        jz .lgeom
        test edx, edx
        jnz .geom
.lgeom: movzx eax, word [fs:EB_HD_LCYL]
        movzx ebx, word [fs:EB_HD_LHEADS]
        movzx edx, word [fs:EB_HD_LSPT]
.geom:  mov [gs:si + 0x04], eax
        mov [gs:si + 0x08], ebx
        mov [gs:si + 0x0C], edx
        mov eax, [fs:EB_HD_TOTAL]
        mov [gs:si + 0x10], eax
        mov eax, [fs:EB_HD_TOTAL + 4]
        mov [gs:si + 0x14], eax
        mov word [gs:si + 0x18], 512
        mov word [gs:si], 0x1A
        cmp cx, 0x1E
        jb .ok
        mov word [gs:si + 0x1A], EB_DPTE
        mov ax, fs
        mov [gs:si + 0x1C], ax
        mov word [gs:si], 0x1E
        cmp cx, 0x42
        jb .ok
        ; EDD 3.0 device path information
        mov word [gs:si + 0x1E], 0xBEDD
        mov byte [gs:si + 0x20], 0x24
        mov byte [gs:si + 0x21], 0
        mov word [gs:si + 0x22], 0
        mov dword [gs:si + 0x28], 'ATA '
        mov dword [gs:si + 0x2C], '    '
        xor eax, eax
        mov [gs:si + 0x30], eax
        mov [gs:si + 0x34], eax
        mov [gs:si + 0x38], eax         ; device path: master
        mov [gs:si + 0x3C], eax
        mov [gs:si + 0x40], ax
        mov ax, [fs:EB_IDE_BDF]
        cmp ax, 0xFFFF
        je .isa
        mov dword [gs:si + 0x24], 'PCI '
        mov [gs:si + 0x30], ah          ; bus
        mov bl, al
        shr bl, 3
        mov [gs:si + 0x31], bl          ; device
        and al, 7
        mov [gs:si + 0x32], al          ; function
        mov byte [gs:si + 0x33], 0      ; channel: primary
        jmp .sum
.isa:   mov dword [gs:si + 0x24], 'ISA '
        mov word [gs:si + 0x30], ATA_BASE
.sum:   xor al, al
        mov bx, 0x1E
.s:     add al, [gs:si + bx]
        inc bx
        cmp bx, 0x41
        jb .s
        neg al
        mov [gs:si + 0x41], al
        mov word [gs:si], 0x42
.ok:    xor ah, ah
        jmp hd_status
.param: mov ah, 0x01
        jmp hd_status
