; ata.asm — the ATA disk on the primary master (legacy ports 0x1F0/0x3F6), PIO, polled with
; nIEN set (the drive raises no IRQ 14 for BIOS transfers).

; ata_delay: ~400 ns after selecting a device or issuing a command (four alt-status reads)
ata_delay:
        push ax
        push dx
        mov dx, ATA_CTRL
        in al, dx
        in al, dx
        in al, dx
        in al, dx
        pop dx
        pop ax
        ret

; ata_wait_notbusy: wait for BSY = 0 -> AL = status, CF set on timeout. Preserves other regs.
ata_wait_notbusy:
        push ecx
        push dx
        mov ecx, ATA_TIMEOUT
        mov dx, ATA_STATUS
.l:     in al, dx
        test al, ATA_SR_BSY
        jz .ok
        dec ecx
        jnz .l
        stc
        jmp .out
.ok:    clc
.out:   pop dx
        pop ecx
        ret

; ---------------------------------------------------------------------------------------------
; ata_init (POST): reset the channel, IDENTIFY the primary master, record its size and
; geometry in the EBDA, build the INT 41h table and the EDD DPTE.
; ---------------------------------------------------------------------------------------------
ata_init:
        mov ax, EBDA_SEG
        mov fs, ax
        mov byte [fs:EB_HD_FLAGS], 0
        mov dx, ATA_STATUS
        in al, dx
        cmp al, 0xFF                    ; floating bus: no controller
        je .none
        mov dx, ATA_CTRL
        mov al, 0x06                    ; SRST + nIEN
        out dx, al
        call ata_delay
        call ata_delay
        mov al, 0x02                    ; nIEN
        out dx, al
        call ata_delay
        call ata_wait_notbusy
        jc .none
        mov dx, ATA_DEVICE
        mov al, 0xA0                    ; master
        out dx, al
        call ata_delay
        mov dx, ATA_STATUS
        in al, dx
        test al, al
        jz .none                        ; no device
        cmp al, 0xFF
        je .none
        mov dx, ATA_LBA1                ; a packet device leaves signature 14 EB
        in al, dx
        mov ah, al
        inc dx
        in al, dx
        cmp ax, 0x14EB
        je .none
        cmp ax, 0x6996
        je .none
        mov dx, ATA_CMD
        mov al, 0xEC                    ; IDENTIFY DEVICE
        out dx, al
        call ata_delay
        in al, dx
        test al, al
        jz .none
        call ata_wait_notbusy
        jc .none
        test al, ATA_SR_ERR
        jnz .none
        test al, ATA_SR_DRQ
        jz .none
        xor ax, ax
        mov es, ax
        mov di, SCRATCH
        mov dx, ATA_DATA
        mov cx, 256
        rep insw

        ; size: LBA48 count (words 100-103) if supported, else LBA28 (60-61), else C*H*S
        xor ax, ax
        mov ds, ax
        mov si, SCRATCH
        movzx eax, word [si + 1 * 2]
        mov [fs:EB_HD_PCYL], ax
        movzx ebx, word [si + 3 * 2]
        mov [fs:EB_HD_PHEADS], bx
        movzx ecx, word [si + 6 * 2]
        mov [fs:EB_HD_PSPT], cx
        imul eax, ebx
        imul eax, ecx
        xor edx, edx
        test word [si + 49 * 2], 1 << 9
        jz .sized
        mov eax, [si + 60 * 2]
        test word [si + 83 * 2], 1 << 10
        jz .sized
        mov ebx, [si + 100 * 2]
        mov ecx, [si + 102 * 2]
        mov edx, ebx
        or edx, ecx
        jz .sized                       ; 48-bit count empty: keep the 28-bit one
        mov eax, ebx
        mov edx, ecx
        and edx, 0xFFFF
        or byte [fs:EB_HD_FLAGS], HDF_LBA48
.sized: mov [fs:EB_HD_TOTAL], eax
        mov [fs:EB_HD_TOTAL + 4], edx
        mov ebx, eax
        or ebx, edx
        jz .none
        or byte [fs:EB_HD_FLAGS], HDF_PRESENT

        ; INT 13h geometry: IDENTIFY's own if it fits CHS (<= 1024/16/63), else LBA-assist
        ; translation (63 sectors, 16/32/64/128/255 heads, at most 1024 cylinders)
        mov ax, [fs:EB_HD_PCYL]
        mov bx, [fs:EB_HD_PHEADS]
        mov cx, [fs:EB_HD_PSPT]
        test ax, ax
        jz .xlate
        test bx, bx
        jz .xlate
        test cx, cx
        jz .xlate
        cmp ax, 1024
        ja .xlate
        cmp bx, 16
        ja .xlate
        cmp cx, 63
        ja .xlate
        jmp .geom
.xlate: or byte [fs:EB_HD_FLAGS], HDF_TRANSLATED
        mov eax, [fs:EB_HD_TOTAL]
        mov edx, [fs:EB_HD_TOTAL + 4]
        test edx, edx                   ; EDX:EAX = total; cap at 1024*255*63
        jnz .cap
        cmp eax, 1024 * 255 * 63
        jbe .capped
.cap:   mov eax, 1024 * 255 * 63
.capped:
        mov ebx, 16
.hd:    mov ecx, ebx
        imul ecx, ecx, 1024 * 63
        cmp eax, ecx
        jbe .heads
        shl ebx, 1
        cmp ebx, 256
        jb .hd
        mov ebx, 255
.heads: mov ecx, ebx
        imul ecx, ecx, 63
        xor edx, edx
        div ecx
        cmp eax, 1024
        jbe .c1
        mov eax, 1024
.c1:    mov cx, 63
.geom:  mov [fs:EB_HD_LCYL], ax
        mov [fs:EB_HD_LHEADS], bx
        mov [fs:EB_HD_LSPT], cx

        ; INT 41h fixed disk parameter table (standard layout, logical geometry)
        mov di, EB_FDPT
        mov [fs:di + 0], ax             ; cylinders
        mov [fs:di + 2], bl             ; heads
        mov word [fs:di + 3], 0
        mov word [fs:di + 5], 0xFFFF    ; no write precompensation
        mov byte [fs:di + 7], 0
        mov byte [fs:di + 8], 0xC8      ; control: more than 8 heads, no retries
        mov byte [fs:di + 9], 0
        mov word [fs:di + 10], 0
        mov [fs:di + 12], ax            ; landing zone
        mov [fs:di + 14], cl            ; sectors per track
        mov byte [fs:di + 15], 0

        ; EDD device parameter table extension
        mov di, EB_DPTE
        mov word [fs:di + 0], ATA_BASE
        mov word [fs:di + 2], ATA_CTRL
        mov byte [fs:di + 4], 0xE0      ; master, LBA
        mov byte [fs:di + 5], 0
        mov byte [fs:di + 6], ATA_IRQ
        mov byte [fs:di + 7], 1         ; sectors per multiple transfer
        mov byte [fs:di + 8], 0         ; no DMA
        mov byte [fs:di + 9], 0         ; PIO mode 0
        xor ax, ax
        test byte [fs:EB_HD_FLAGS], HDF_TRANSLATED
        jz .nt
        mov ax, 0x0008                  ; CHS translation
.nt:    or ax, 0x0010                   ; LBA translation
        mov [fs:di + 10], ax
        mov word [fs:di + 12], 0
        mov byte [fs:di + 14], 0x11     ; revision 1.1
        xor ax, ax
        mov cx, 15
        mov si, di
.ck:    add al, [fs:si]
        inc si
        loop .ck
        neg al
        mov [fs:di + 15], al

        mov ax, BDA_SEG
        mov ds, ax
        mov byte [BDA_HDCOUNT], 1
        ret
.none:  mov byte [fs:EB_HD_FLAGS], 0
        mov ax, BDA_SEG
        mov ds, ax
        mov byte [BDA_HDCOUNT], 0
        ret

; ---------------------------------------------------------------------------------------------
; ata_rw: transfer sectors by LBA.
;   in:  EAX = LBA bits 0-31, EDX = bits 32-47, CX = count (> 0), ES:DI = buffer,
;        BL = 0 read, 1 write; FS = EBDA
;   out: AH = INT 13h status (CF set if nonzero), CX = sectors transferred
;   clobbers EAX, EBX, EDX, SI, DI, ES
; Requests are split into commands of at most 128 sectors (LBA28 when it reaches, else
; LBA48). ES:DI is renormalised (DI < 16) once DI reaches 8000h, so no sector wraps.
; ---------------------------------------------------------------------------------------------
ata_rw:
        push bp
        mov bp, sp
        sub sp, 16
        mov [bp - 4], eax               ; LBA low
        mov [bp - 8], edx               ; LBA high
        mov [bp - 10], cx               ; remaining
        mov word [bp - 12], 0           ; done
        mov [bp - 13], bl               ; operation
.chunk: mov cx, [bp - 10]
        test cx, cx
        jz .ok
        cmp cx, 128
        jbe .c1
        mov cx, 128
.c1:    mov [bp - 16], cx               ; sectors in this command
        call ata_wait_notbusy
        jc .timeout
        mov eax, [bp - 4]
        cmp dword [bp - 8], 0
        jne .lba48
        movzx edx, cx
        add edx, eax
        jc .lba48
        cmp edx, 0x10000000
        ja .lba48
        ; LBA28
        mov dx, ATA_DEVICE
        mov ebx, eax
        shr ebx, 24
        mov al, bl
        and al, 0x0F
        or al, 0xE0
        out dx, al
        call ata_delay
        mov dx, ATA_COUNT
        mov al, cl
        out dx, al
        mov eax, [bp - 4]
        inc dx
        out dx, al                      ; LBA0
        inc dx
        mov al, ah
        out dx, al                      ; LBA1
        inc dx
        shr eax, 16
        out dx, al                      ; LBA2
        mov al, 0x20                    ; READ SECTORS
        cmp byte [bp - 13], 0
        je .issue
        mov al, 0x30                    ; WRITE SECTORS
        jmp .issue
.lba48: test byte [fs:EB_HD_FLAGS], HDF_LBA48
        jz .notfound
        mov dx, ATA_DEVICE
        mov al, 0x40
        out dx, al
        call ata_delay
        mov dx, ATA_COUNT
        xor al, al
        out dx, al                      ; count high
        inc dx
        mov eax, [bp - 4]
        shr eax, 24
        out dx, al                      ; LBA3
        inc dx
        mov al, [bp - 8]
        out dx, al                      ; LBA4
        inc dx
        mov al, [bp - 7]
        out dx, al                      ; LBA5
        mov dx, ATA_COUNT
        mov al, cl
        out dx, al                      ; count low
        inc dx
        mov eax, [bp - 4]
        out dx, al                      ; LBA0
        inc dx
        mov al, ah
        out dx, al                      ; LBA1
        inc dx
        shr eax, 16
        out dx, al                      ; LBA2
        mov al, 0x24                    ; READ SECTORS EXT
        cmp byte [bp - 13], 0
        je .issue
        mov al, 0x34                    ; WRITE SECTORS EXT
.issue: mov dx, ATA_CMD
        out dx, al
        call ata_delay
        mov bx, [bp - 16]
.sector:
        call ata_wait_notbusy
        jc .timeout
        test al, ATA_SR_ERR | ATA_SR_DF
        jnz .deverr
        test al, ATA_SR_DRQ
        jz .deverr
        cmp di, 0x8000                  ; keep DI low enough that a sector never wraps
        jb .noadj
        mov ax, di
        shr ax, 4
        mov dx, es
        add ax, dx
        jc .noadj                       ; (a buffer at the top of the HMA: leave it)
        mov es, ax
        and di, 0x0F
.noadj: mov dx, ATA_DATA
        mov cx, 256
        cmp byte [bp - 13], 0
        jne .wr
        rep insw
        jmp .sdone
.wr:    push ds
        push es
        pop ds
        mov si, di
        rep outsw
        mov di, si
        pop ds
.sdone: inc word [bp - 12]
        dec bx
        jnz .sector
        call ata_wait_notbusy
        jc .timeout
        test al, ATA_SR_ERR | ATA_SR_DF
        jnz .deverr
        ; next command
        movzx eax, word [bp - 16]
        add [bp - 4], eax
        adc dword [bp - 8], 0
        sub [bp - 10], ax
        jmp .chunk
.ok:    cmp byte [bp - 13], 0
        je .okdone
        mov dx, ATA_CMD                 ; writes: FLUSH CACHE
        mov al, 0xE7
        test byte [fs:EB_HD_FLAGS], HDF_LBA48
        jz .fl
        mov al, 0xEA                    ; FLUSH CACHE EXT
.fl:    out dx, al
        call ata_delay
        call ata_wait_notbusy
.okdone:
        xor ah, ah
        jmp .out
.timeout:
        mov ah, 0x80
        jmp .err
.notfound:
        mov ah, 0x04
        jmp .err
.deverr:
        mov dx, ATA_ERROR
        in al, dx
        mov ah, 0x04                    ; IDNF: sector not found
        test al, 0x10
        jnz .err
        mov ah, 0x10                    ; UNC: uncorrectable read error
        test al, 0x40
        jnz .err
        mov ah, 0x03                    ; write protected (WP/abort on write)
        cmp byte [bp - 13], 0
        jne .err
        mov ah, 0x20                    ; controller failure
.err:   mov cx, [bp - 12]
        mov sp, bp
        pop bp
        stc
        ret
.out:   mov cx, [bp - 12]
        mov sp, bp
        pop bp
        clc
        ret

; ata_soft_reset: pulse SRST, leave nIEN set. CF on timeout.
ata_soft_reset:
        push ax
        push dx
        mov dx, ATA_CTRL
        mov al, 0x06
        out dx, al
        call ata_delay
        mov al, 0x02
        out dx, al
        call ata_delay
        call ata_wait_notbusy
        pop dx
        pop ax
        ret
