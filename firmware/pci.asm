; pci.asm — configuration mechanism #1, POST enumeration of bus 0 (BARs, command bits,
; interrupt lines, PIIX3 PIRQ routing, PIIX4 PM/SMBus bases) and the PCI BIOS (INT 1Ah B1h).

PCI_ID_PIIX3_ISA equ 0x70008086
PCI_ID_PIIX3_IDE equ 0x70108086
PCI_ID_PIIX4_IDE equ 0x71118086
PCI_ID_PIIX4_PM  equ 0x71138086

; pci_select: BX = bus << 8 | devfn, DI = register -> address latched, DX = data port.
; Clobbers EAX.
pci_select:
        movzx eax, bx
        shl eax, 8
        or eax, 0x80000000
        mov dx, di
        and dl, 0xFC
        or al, dl
        mov dx, PCI_ADDR
        out dx, eax
        mov dx, di
        and dx, 3
        add dx, PCI_DATA
        ret

; pci_read8/16/32: BX, DI -> EAX (zero-extended). Preserve other registers.
pci_read8:
        push dx
        call pci_select
        in al, dx
        movzx eax, al
        pop dx
        ret
pci_read16:
        push dx
        call pci_select
        in ax, dx
        movzx eax, ax
        pop dx
        ret
pci_read32:
        push dx
        call pci_select
        in eax, dx
        pop dx
        ret

; pci_write8/16/32: BX, DI, value in ECX. Preserve all registers but EAX.
pci_write8:
        push dx
        call pci_select
        mov al, cl
        out dx, al
        pop dx
        ret
pci_write16:
        push dx
        call pci_select
        mov ax, cx
        out dx, ax
        pop dx
        ret
pci_write32:
        push dx
        call pci_select
        mov eax, ecx
        out dx, eax
        pop dx
        ret

; pci_present: BX = bus/devfn -> CF clear if that function exists
pci_present:
        push eax
        push di
        push bx
        test bl, 7
        jz .f0
        and bl, 0xF8                    ; function > 0 only on a multi-function device
        mov di, 0x0E
        call pci_read8
        test al, 0x80
        jz .no
        pop bx
        push bx
.f0:    xor di, di
        call pci_read16
        cmp ax, 0xFFFF
        je .no
        pop bx
        pop di
        pop eax
        clc
        ret
.no:    pop bx
        pop di
        pop eax
        stc
        ret

; ---------------------------------------------------------------------------------------------
; POST: enumerate bus 0
; ---------------------------------------------------------------------------------------------
pci_init:
        mov ax, EBDA_SEG
        mov fs, ax
        mov dword [fs:EB_PCI_IO], PCI_IO_BASE
        ; MMIO window: from PCI_MMIO_BASE, or the end of RAM rounded up to 16 MiB if higher
        mov eax, [fs:EB_RAMTOP]
        add eax, 0x00FFFFFF
        and eax, 0xFF000000
        cmp eax, PCI_MMIO_BASE
        jae .mm
        mov eax, PCI_MMIO_BASE
.mm:    mov [fs:EB_PCI_MEM], eax
        ; mechanism #1 present? (CONFIG_ADDRESS reads back)
        mov dx, PCI_ADDR
        mov eax, 0x80000000
        out dx, eax
        in eax, dx
        cmp eax, 0x80000000
        jne .done
        xor bx, bx
.fn:    call pci_present
        jc .skip
        call pci_setup_function
.skip:  inc bl
        jnz .fn
.done:  ret

pci_irq_table:
        db PIRQ_A_IRQ, PIRQ_B_IRQ, PIRQ_C_IRQ, PIRQ_D_IRQ

; pci_setup_function: BX = bus/devfn of a present function. Sizes and assigns its BARs, enables
; decoding, sets the interrupt line, applies chipset specifics, prints one line.
pci_setup_function:
        push bp
        mov bp, sp
        sub sp, 16
        ; [bp-4] id, [bp-6] BAR end register, [bp-8] command bits to set, [bp-10] orig command,
        ; [bp-12] class (base << 8 | sub)
        xor di, di
        call pci_read32
        mov [bp - 4], eax
        mov di, 0x0A
        call pci_read16
        mov [bp - 12], ax
        mov di, 0x0E
        call pci_read8
        and al, 0x7F
        mov word [bp - 6], 0x10 + 6 * 4
        cmp al, 0
        je .ht
        mov word [bp - 6], 0x10 + 2 * 4
        cmp al, 1
        je .ht
        mov word [bp - 6], 0x10
.ht:    mov word [bp - 8], 0
        mov di, 0x04
        call pci_read16
        mov [bp - 10], ax
        cmp byte [bp - 11], 0x06        ; bridges keep decoding while we size
        je .sizing
        mov cx, ax
        and cx, ~0x0003 & 0xFFFF
        call pci_write16

.sizing:
        mov di, 0x10
.bar:   cmp di, [bp - 6]
        jae .bars_done
        call pci_read32
        mov esi, eax                    ; original
        mov ecx, 0xFFFFFFFF
        call pci_write32
        call pci_read32
        mov ecx, esi
        push eax
        call pci_write32
        pop eax
        test eax, eax
        jz .next
        test al, 1
        jnz .io
        ; memory BAR
        mov cl, al
        and cl, 0x06
        cmp cl, 0x04                    ; 64-bit: the high half must be all ones (< 4 GiB)
        jne .m32
        push eax
        add di, 4
        call pci_read32
        mov esi, eax
        mov ecx, 0xFFFFFFFF
        call pci_write32
        call pci_read32
        mov ecx, esi
        push eax
        call pci_write32
        pop ecx
        pop eax
        cmp ecx, 0xFFFFFFFF
        jne .next                       ; too large for the 32-bit window: leave it off
        sub di, 4
        mov byte [bp - 13], 1           ; 64-bit
        jmp .msize
.m32:   mov byte [bp - 13], 0
.msize: and eax, 0xFFFFFFF0
        neg eax                         ; size
        jz .mskip
        mov ecx, eax
        dec ecx                         ; alignment mask
        mov edx, [fs:EB_PCI_MEM]
        add edx, ecx
        jc .mskip
        not ecx
        and edx, ecx                    ; aligned address
        mov ecx, edx
        add ecx, eax
        jc .mskip
        cmp ecx, PCI_MMIO_LIMIT
        ja .mskip
        mov [fs:EB_PCI_MEM], ecx
        mov ecx, edx
        call pci_write32
        or byte [bp - 8], 0x02
        cmp byte [bp - 13], 0
        je .next
        add di, 4
        xor ecx, ecx
        call pci_write32
        jmp .next
.mskip: cmp byte [bp - 13], 0
        je .next
        add di, 4
        jmp .next
.io:    and eax, 0xFFFFFFFC
        test eax, 0xFFFF0000
        jnz .io32
        or eax, 0xFFFF0000
.io32:  neg eax
        jz .next
        mov ecx, eax
        dec ecx
        mov edx, [fs:EB_PCI_IO]
        add edx, ecx
        not ecx
        and edx, ecx
        mov ecx, edx
        add ecx, eax
        cmp ecx, PCI_IO_LIMIT
        ja .next
        mov [fs:EB_PCI_IO], ecx
        mov ecx, edx
        call pci_write32
        or byte [bp - 8], 0x01
.next:  add di, 4
        jmp .bar
.bars_done:

        ; chipset specifics
        mov eax, [bp - 4]
        cmp eax, PCI_ID_PIIX3_ISA
        jne .not_isa
        mov si, pci_irq_table           ; PIRQA-D -> ISA IRQs (bit 7 clear: routed)
        mov di, 0x60
.pirq:  movzx ecx, byte [cs:si]
        call pci_write8
        inc si
        inc di
        cmp di, 0x64
        jb .pirq
        jmp .cmd
.not_isa:
        cmp eax, PCI_ID_PIIX3_IDE
        je .ide
        cmp eax, PCI_ID_PIIX4_IDE
        jne .not_ide
.ide:   mov ecx, 0x8000                 ; IDE decode enable, primary and secondary
        mov di, 0x40
        call pci_write16
        mov di, 0x42
        call pci_write16
        mov [fs:EB_IDE_BDF], bx
        or byte [bp - 8], 0x05          ; I/O and bus master
        jmp .cmd
.not_ide:
        cmp eax, PCI_ID_PIIX4_PM
        jne .cmd
        mov ecx, PM_IO_BASE | 1         ; PMBA
        mov di, 0x40
        call pci_write32
        mov di, 0x80                    ; PMREGMISC: PM I/O space enable
        call pci_read8
        or al, 0x01
        movzx ecx, al
        call pci_write8
        mov ecx, SMB_IO_BASE | 1        ; SMBus base
        mov di, 0x90
        call pci_write32
        mov ecx, 0x09                   ; SMBus host enable, SCI
        mov di, 0xD2
        call pci_write8
.cmd:   movzx ecx, word [bp - 10]
        or cl, [bp - 8]
        mov di, 0x04
        call pci_write16

        ; interrupt line from the pin: PIRQ = (pin - 1 + device - 1) mod 4 (i440FX wiring)
        mov di, 0x3D
        call pci_read8
        cmp al, 1
        jb .noirq
        cmp al, 4
        ja .noirq
        mov cl, bl
        shr cl, 3
        add al, cl
        sub al, 2
        and ax, 3
        mov si, ax
        movzx ecx, byte [cs:pci_irq_table + si]
        mov di, 0x3C
        call pci_write8
.noirq: cmp dword [bp - 4], PCI_ID_PIIX4_PM
        jne .print
        mov ecx, SCI_IRQ
        mov di, 0x3C
        call pci_write8

.print: PUTS "PCI 00:"
        mov al, bl
        shr al, 3
        call con_hex2
        mov al, '.'
        call con_putc
        mov al, bl
        and al, 7
        add al, '0'
        call con_putc
        mov al, ' '
        call con_putc
        mov ax, [bp - 4]
        call con_hex4
        mov al, ':'
        call con_putc
        mov ax, [bp - 2]
        call con_hex4
        PUTS " class "
        mov ax, [bp - 12]
        call con_hex4
        PUTS 13, 10
        mov sp, bp
        pop bp
        ret

; con_hex2: AL as two hex digits; con_hex4: AX as four. Preserve all registers.
con_hex4:
        xchg al, ah
        call con_hex2
        xchg al, ah
con_hex2:
        push ax
        push ax
        shr al, 4
        call .nib
        pop ax
        call .nib
        pop ax
        ret
.nib:   and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .p
        add al, 'A' - '9' - 1
.p:     jmp con_putc

; ---------------------------------------------------------------------------------------------
; INT 1Ah AH=B1h: PCI BIOS 2.10 (bus 0 only)
; ---------------------------------------------------------------------------------------------
PCI_SUCCESS      equ 0x00
PCI_BAD_FUNC     equ 0x81
PCI_BAD_VENDOR   equ 0x83
PCI_NOT_FOUND    equ 0x86
PCI_BAD_REGISTER equ 0x87

pci_bios:
        mov al, [bp + F_AL]
        cmp al, 0x01
        je .check
        cmp al, 0x02
        je .find_dev
        cmp al, 0x03
        je .find_class
        cmp al, 0x08
        jb .bad
        cmp al, 0x0D
        ja .bad
        ; config read/write: BH = bus, BL = devfn, DI = register
        mov bx, [bp + F_BX]
        mov di, [bp + F_DI]
        cmp di, 0xFF
        ja .badreg
        mov cl, al
        sub cl, 0x08
        cmp cl, 3
        jb .sz
        sub cl, 3                       ; 0 byte, 1 word, 2 dword
.sz:    test cl, cl
        jz .aligned
        mov dx, di
        test dl, 1
        jnz .badreg
        cmp cl, 1
        je .aligned
        test dl, 2
        jnz .badreg
.aligned:
        cmp al, 0x0B
        jae .write
        cmp cl, 1
        je .rw
        ja .rd
        call pci_read8
        mov [bp + F_CL], al
        jmp .ok
.rw:    call pci_read16
        mov [bp + F_CX], ax
        jmp .ok
.rd:    call pci_read32
        mov [bp + F_ECX], eax
        jmp .ok
.write: mov ecx, [bp + F_ECX]
        cmp al, 0x0C
        je .ww
        ja .wd
        call pci_write8
        jmp .ok
.ww:    call pci_write16
        jmp .ok
.wd:    call pci_write32
        jmp .ok

.check: mov byte [bp + F_AL], 0x01      ; configuration mechanism #1
        mov word [bp + F_BX], 0x0210    ; version 2.10
        mov byte [bp + F_CL], 0         ; last bus
        mov dword [bp + F_EDX], 0x20494350      ; "PCI "
        mov dword [bp + F_EDI], 0       ; no protected-mode entry point
        jmp .ok

.find_dev:                              ; CX = device, DX = vendor, SI = index
        cmp word [bp + F_DX], 0xFFFF
        je .badvendor
        movzx edx, word [bp + F_CX]
        shl edx, 16
        mov dx, [bp + F_DX]             ; EDX = device << 16 | vendor
        xor di, di
        jmp .search
.find_class:                            ; ECX bits 0-23 = class code, SI = index
        mov edx, [bp + F_ECX]
        shl edx, 8
        mov di, 0x08
.search:
        mov si, [bp + F_SI]
        xor bx, bx
.sl:    call pci_present
        jc .sn
        call pci_read32
        test di, di
        jz .cmp
        and al, 0                       ; class register: ignore the revision
.cmp:   cmp eax, edx
        jne .sn
        test si, si
        jz .found
        dec si
.sn:    inc bl
        jnz .sl
        mov byte [bp + F_AH], PCI_NOT_FOUND
        SET_CF
        ret
.found: mov [bp + F_BX], bx
        jmp .ok

.bad:   mov byte [bp + F_AH], PCI_BAD_FUNC
        SET_CF
        ret
.badvendor:
        mov byte [bp + F_AH], PCI_BAD_VENDOR
        SET_CF
        ret
.badreg:
        mov byte [bp + F_AH], PCI_BAD_REGISTER
        SET_CF
        ret
.ok:    mov byte [bp + F_AH], PCI_SUCCESS
        CLR_CF
        ret
