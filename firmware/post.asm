; post.asm — power-on self test: from the reset vector to INT 19h.

post_entry:
        cli
        cld
        xor ax, ax
        mov ss, ax
        mov sp, STACK_TOP
        mov ds, ax
        mov es, ax

        ; IVT, BDA and 0x500-0x5FF start out zeroed, as does the EBDA
        xor di, di
        mov cx, 0x600 / 2
        rep stosw
        mov ax, EBDA_SEG
        mov es, ax
        xor di, di
        xor ax, ax
        mov cx, 1024 / 2
        rep stosw
        mov word [es:EB_SIZE_KB], EBDA_KB
        mov word [es:EB_IDE_BDF], 0xFFFF

        call ivt_init
        call pic_init
        call lapic_init
        call pit_init
        call rtc_init
        call mem_init
        call serial_init
        call video_init

        PUTS "pvx BIOS ", BIOS_VERSION_STR, 13, 10

        call pci_init
        call ata_init
        call kbd_init
        call acpi_init
        call smbios_init
        call tick_init
        call post_report

        ; unmask the interrupts the BIOS services: IRQ0 (timer), IRQ1 (keyboard), IRQ2 (cascade)
        mov al, 0xF8
        out PIC1_DATA, al
        mov al, 0xFF
        out PIC2_DATA, al
        sti
        int 0x19
        ; INT 19h does not return
.halt:  cli
        hlt
        jmp .halt

; ---------------------------------------------------------------------------------------------
; IVT: every vector gets a handler; the BIOS services and hardware IRQs their own.
; ---------------------------------------------------------------------------------------------
ivt_init:
        xor ax, ax
        mov es, ax
        xor di, di
        xor bx, bx                      ; vector number
.next:  mov ax, default_iret
        cmp bl, 0x08
        jb .store
        cmp bl, 0x0F
        jbe .master
        cmp bl, 0x60
        jb .store
        cmp bl, 0x67
        jbe .user
        cmp bl, 0x70
        jb .store
        cmp bl, 0x77
        ja .store
        mov ax, irq_default_slave
        jmp .store
.master:
        mov ax, irq_default_master
        jmp .store
.user:  xor ax, ax                      ; 0x60-0x67: reserved for user programs, left null
        stosw
        stosw
        jmp .inc
.store: stosw
        mov ax, BIOS_SEG
        stosw
.inc:   inc bx
        cmp bx, 256
        jb .next

        SETVEC 0x08, irq0_handler
        SETVEC 0x09, irq1_handler
        SETVEC 0x10, int10_handler
        SETVEC 0x11, int11_handler
        SETVEC 0x12, int12_handler
        SETVEC 0x13, int13_handler
        SETVEC 0x14, int14_handler
        SETVEC 0x15, int15_handler
        SETVEC 0x16, int16_handler
        SETVEC 0x17, int17_handler
        SETVEC 0x18, int18_handler
        SETVEC 0x19, int19_handler
        SETVEC 0x1A, int1a_handler
        SETVEC 0x1E, diskette_param_table
        mov word [es:0x1D * 4], 0       ; no video parameter table
        mov word [es:0x1D * 4 + 2], 0
        mov word [es:0x1F * 4], 0       ; no graphics character table
        mov word [es:0x1F * 4 + 2], 0
        mov word [es:0x41 * 4], EB_FDPT ; fixed disk parameter table of drive 0x80
        mov word [es:0x41 * 4 + 2], EBDA_SEG
        mov word [es:0x46 * 4], 0       ; no drive 0x81
        mov word [es:0x46 * 4 + 2], 0
        ret

; ---------------------------------------------------------------------------------------------
; 8259 PICs: vectors 0x08 and 0x70, all masked until the end of POST. PCI interrupt lines
; (PIRQ routing, see pci.asm) are level-triggered: ELCR.
; ---------------------------------------------------------------------------------------------
pic_init:
        mov al, 0x11                    ; ICW1: edge, cascade, ICW4 follows
        out PIC1_CMD, al
        out PIC2_CMD, al
        mov al, 0x08                    ; ICW2: vector base
        out PIC1_DATA, al
        mov al, 0x70
        out PIC2_DATA, al
        mov al, 0x04                    ; ICW3: slave on IRQ2
        out PIC1_DATA, al
        mov al, 0x02
        out PIC2_DATA, al
        mov al, 0x01                    ; ICW4: 8086 mode
        out PIC1_DATA, al
        out PIC2_DATA, al
        mov al, 0xFF
        out PIC1_DATA, al
        out PIC2_DATA, al
        mov dx, ELCR1
        xor al, al
        out dx, al
        inc dx
        mov al, (1 << (PIRQ_A_IRQ - 8)) | (1 << (PIRQ_B_IRQ - 8)) | (1 << (PIRQ_C_IRQ - 8)) | (1 << (PIRQ_D_IRQ - 8))
        out dx, al
        ret

; Local APIC in virtual-wire mode: software-enabled (spurious vector FFh), LINT0 = ExtINT (the
; 8259s' output), LINT1 = NMI. Until then the SDM's reset state masks LINT0 and no PIC interrupt
; reaches the CPU (pvx and QEMU come out of reset with LINT0 = ExtINT already).
LAPIC_SVR       equ LAPIC_BASE + 0xF0
LAPIC_LVT_LINT0 equ LAPIC_BASE + 0x350
LAPIC_LVT_LINT1 equ LAPIC_BASE + 0x360
lapic_init:
        mov edi, LAPIC_SVR
        mov eax, 0x000001FF
        call mmio_write32
        mov edi, LAPIC_LVT_LINT0
        mov eax, 0x00000700
        call mmio_write32
        mov edi, LAPIC_LVT_LINT1
        mov eax, 0x00000400
        call mmio_write32
        ret

; mmio_write32: EDI = physical address (anywhere in 4 GiB), EAX = value. Stores it from 16-bit
; protected mode with a flat data segment and returns to real mode. Preserves all registers;
; the interrupt flag is restored.
mmio_write32:
        pushf
        push es
        push ecx
        cli
        lgdt [cs:bios_gdtr]
        mov ecx, cr0
        or cl, 1
        mov cr0, ecx
        jmp BIOS_SEL_CODE16:.pm
.pm:    mov cx, BIOS_SEL_FLAT
        mov es, cx
        mov [es:edi], eax
        mov ecx, cr0
        and cl, 0xFE
        mov cr0, ecx
        jmp BIOS_SEG:.rm
.rm:    pop ecx
        pop es
        popf
        ret

; mmio_read32: EDI = physical address -> EAX. Preserves the other registers.
mmio_read32:
        pushf
        push es
        push ecx
        cli
        lgdt [cs:bios_gdtr]
        mov ecx, cr0
        or cl, 1
        mov cr0, ecx
        jmp BIOS_SEL_CODE16:.pm
.pm:    mov cx, BIOS_SEL_FLAT
        mov es, cx
        mov eax, [es:edi]
        mov ecx, cr0
        and cl, 0xFE
        mov cr0, ecx
        jmp BIOS_SEG:.rm
.rm:    pop ecx
        pop es
        popf
        ret

BIOS_SEL_CODE16 equ 0x08
BIOS_SEL_FLAT   equ 0x10
        align 8
bios_gdt:
        dq 0
        dw 0xFFFF, 0x0000               ; 08h: 16-bit code, base F0000h, limit FFFFh
        db 0x0F, 0x9B, 0x00, 0x00
        dw 0xFFFF, 0x0000               ; 10h: data, base 0, limit 4 GiB
        db 0x00, 0x93, 0x8F, 0x00
bios_gdt_end:
bios_gdtr:
        dw bios_gdt_end - bios_gdt - 1
        dd FPHYS(bios_gdt)

; PIT channel 0: mode 2 (rate generator), divisor 65536 -> 18.2 Hz BIOS tick. Mode 2 counts down
; by one per input clock, which INT 15h AH=86h uses to measure short waits.
pit_init:
        mov al, 0x34                    ; channel 0, lobyte/hibyte, mode 2, binary
        out PIT_CMD, al
        xor al, al
        out PIT_CH0, al
        out PIT_CH0, al
        ret

; RTC: 32.768 kHz time base, 1024 Hz periodic rate (not enabled), 24-hour BCD, no interrupts
rtc_init:
        mov ax, 0x260A
        call cmos_write
        mov ax, 0x020B
        call cmos_write
        mov al, 0x0C
        call cmos_read
        mov al, 0x0D
        call cmos_read
        ret

; cmos_read: AL = register -> AL = value (NMI stays enabled)
cmos_read:
        out CMOS_INDEX, al
        in al, CMOS_DATA
        ret

; cmos_write: AL = register, AH = value
cmos_write:
        out CMOS_INDEX, al
        xchg al, ah
        out CMOS_DATA, al
        xchg al, ah
        ret

; ---------------------------------------------------------------------------------------------
; RAM sizing from CMOS (as QEMU and Bochs fill it):
;   0x34-0x35  RAM above 16 MiB (below 4 GiB) in 64 KiB units; 0 if there is none
;   0x30-0x31  RAM above 1 MiB in KiB (saturates at 0xFFFF)
;   0x5B-0x5D  RAM above 4 GiB in 64 KiB units
; ---------------------------------------------------------------------------------------------
mem_init:
        mov ax, EBDA_SEG
        mov es, ax
        mov al, 0x35
        call cmos_read
        mov ah, al
        mov al, 0x34
        call cmos_read
        movzx eax, ax
        test eax, eax
        jz .small
        shl eax, 16
        add eax, 0x1000000
        jmp .top
.small: mov al, 0x31
        call cmos_read
        mov ah, al
        mov al, 0x30
        call cmos_read
        movzx eax, ax
        test eax, eax
        jnz .kb
        mov eax, (16 << 20) - HIMEM_START     ; nothing in CMOS: assume 16 MiB
        shr eax, 10
.kb:    shl eax, 10
        add eax, HIMEM_START
.top:   cmp eax, PCI_MMIO_BASE          ; never let RAM overlap the PCI/APIC/ROM hole (a
        jbe .topok ; machine without CMOS reads 0xFF everywhere)
        mov eax, PCI_MMIO_BASE
.topok: mov [es:EB_RAMTOP], eax
        ; above 4 GiB
        mov al, 0x5D
        call cmos_read
        movzx ebx, al
        shl ebx, 8
        mov al, 0x5C
        call cmos_read
        mov bl, al
        shl ebx, 8
        mov al, 0x5B
        call cmos_read
        mov bl, al                      ; EBX = 64 KiB units
        cmp ebx, 0xFFFFFF               ; all ones: no CMOS
        jne .hiok
        xor ebx, ebx
.hiok:  mov eax, ebx
        shl eax, 16
        shr ebx, 16
        mov [es:EB_RAMHI], eax
        mov [es:EB_RAMHI + 4], ebx

        mov ax, BDA_SEG
        mov ds, ax
        mov word [BDA_MEMKB], BASE_MEM_KB
        mov word [BDA_EBDA], EBDA_SEG
        ret

; ---------------------------------------------------------------------------------------------
; Serial and parallel ports: COM1 is always 0x3F8 (the machine contract) and is programmed for
; 115200 8N1 without interrupts; COM2-4 and LPT1-2 are recorded in the BDA if they answer.
; ---------------------------------------------------------------------------------------------
serial_init:
        mov ax, BDA_SEG
        mov ds, ax
        mov word [BDA_COM], COM1_BASE
        mov byte [BDA_COMTIMEOUT], 1
        mov bx, 1                       ; ports found
        mov si, com_candidates
.probe: cs lodsw
        test ax, ax
        jz .com_done
        mov dx, ax
        add dx, 7                       ; scratch register
        mov al, 0x5A
        out dx, al
        in al, dx
        cmp al, 0x5A
        jne .probe
        mov al, 0xA5
        out dx, al
        in al, dx
        cmp al, 0xA5
        jne .probe
        sub dx, 7
        mov di, bx
        shl di, 1
        mov [BDA_COM + di], dx
        mov byte [BDA_COMTIMEOUT + bx], 1
        inc bx
        jmp .probe
.com_done:
        mov cx, bx                      ; serial count
        ; COM1: divisor 1 (115200), 8N1, FIFOs on, DTR+RTS, no interrupts
        mov dx, COM1_BASE + 1
        xor al, al
        out dx, al                      ; IER = 0
        add dx, 2
        mov al, 0x80
        out dx, al                      ; LCR: DLAB
        sub dx, 3
        mov al, 1
        out dx, al                      ; DLL
        inc dx
        xor al, al
        out dx, al                      ; DLM
        add dx, 2
        mov al, 0x03
        out dx, al                      ; LCR: 8N1
        dec dx
        mov al, 0x07
        out dx, al                      ; FCR: enable, clear
        add dx, 2
        mov al, 0x03
        out dx, al                      ; MCR: DTR, RTS

        ; parallel ports: the data latch reads back what was written
        xor bx, bx
        mov si, lpt_candidates
.lpt:   cs lodsw
        test ax, ax
        jz .lpt_done
        mov dx, ax
        mov al, 0xAA
        out dx, al
        in al, dx
        cmp al, 0xAA
        jne .lpt
        mov di, bx
        shl di, 1
        mov [BDA_LPT + di], dx
        mov byte [BDA_LPTTIMEOUT + bx], 20
        inc bx
        jmp .lpt
.lpt_done:
        ; equipment word: FPU, 80x25 colour, serial and parallel counts
        mov ax, 0x0002 | 0x0020
        shl cx, 9
        or ax, cx
        shl bx, 14
        or ax, bx
        mov [BDA_EQUIP], ax
        ret

com_candidates: dw 0x2F8, 0x3E8, 0x2E8, 0
lpt_candidates: dw 0x378, 0x278, 0

; ---------------------------------------------------------------------------------------------
; i8042: self test, keyboard enabled with IRQ1 and scan-code translation, mouse port disabled.
; Every wait is bounded, so a machine without a controller only costs the timeouts.
; ---------------------------------------------------------------------------------------------
kbd_init:
        mov ax, BDA_SEG
        mov ds, ax
        mov word [BDA_KBHEAD], BDA_KBBUF
        mov word [BDA_KBTAIL], BDA_KBBUF
        mov word [BDA_KBSTART], BDA_KBBUF
        mov word [BDA_KBEND], BDA_KBBUF + 32
        mov byte [BDA_KBFLAG3], 0x10    ; 101/102-key keyboard
        in al, KBC_STATUS
        cmp al, 0xFF
        je .done                        ; nothing there
        call kbc_flush
        mov al, 0xAD                    ; disable the keyboard interface while configuring
        call kbc_cmd
        mov al, 0xAA                    ; controller self test
        call kbc_cmd
        call kbc_read
        mov al, 0x60                    ; command byte: no interrupts yet, system flag,
        call kbc_cmd                    ; mouse off, translation
        mov al, 0x64
        call kbc_data
        mov al, 0xAE                    ; enable the keyboard interface
        call kbc_cmd
        mov al, 0xFF                    ; keyboard reset: FA, AA
        call kbc_data
        call kbc_read
        call kbc_read
        mov al, 0xF4                    ; enable scanning: FA
        call kbc_data
        call kbc_read
        mov al, 0x60                    ; command byte: IRQ1, system flag, mouse off, translate
        call kbc_cmd
        mov al, 0x65
        call kbc_data
        call kbc_flush
.done:  ret

; kbc_wait_in: wait until the controller can take a byte (status bit 1 clear). CF on timeout.
kbc_wait_in:
        push cx
        mov cx, 0xFFFF
.w:     push ax
        in al, KBC_STATUS
        test al, 0x02
        pop ax
        jz .ok
        loop .w
        pop cx
        stc
        ret
.ok:    pop cx
        clc
        ret

kbc_cmd:
        call kbc_wait_in
        out KBC_STATUS, al
        ret

kbc_data:
        call kbc_wait_in
        out KBC_DATA, al
        ret

; kbc_read: AL = next byte from the controller (CF on timeout)
kbc_read:
        push cx
        mov cx, 0xFFFF
.w:     in al, KBC_STATUS
        test al, 0x01
        jnz .ok
        loop .w
        pop cx
        stc
        ret
.ok:    in al, KBC_DATA
        pop cx
        clc
        ret

kbc_flush:
        push cx
        mov cx, 64
.f:     in al, KBC_STATUS
        test al, 0x01
        jz .done
        in al, KBC_DATA
        loop .f
.done:  pop cx
        ret

; ---------------------------------------------------------------------------------------------
; BIOS tick count from the RTC time of day: ticks = seconds * 0x1800B0 / 86400
; ---------------------------------------------------------------------------------------------
tick_init:
        call rtc_wait_ready
        mov al, 0x04
        call cmos_read
        call bcd_to_bin
        movzx eax, al
        imul eax, eax, 3600
        mov ebx, eax
        mov al, 0x02
        call cmos_read
        call bcd_to_bin
        movzx eax, al
        imul eax, eax, 60
        add ebx, eax
        mov al, 0x00
        call cmos_read
        call bcd_to_bin
        movzx eax, al
        add eax, ebx
        mov ecx, TICKS_PER_DAY
        mul ecx
        mov ecx, 86400
        div ecx
        mov bx, BDA_SEG
        mov ds, bx
        mov [BDA_TICKS], eax
        mov byte [BDA_MIDNIGHT], 0
        ret

; bcd_to_bin: AL (BCD) -> AL (binary)
bcd_to_bin:
        push cx
        mov cl, al
        shr al, 4
        mov ch, 10
        mul ch
        and cl, 0x0F
        add al, cl
        pop cx
        ret

; bin_to_bcd: AL (0-99) -> AL (BCD)
bin_to_bcd:
        push cx
        xor ah, ah
        mov cl, 10
        div cl
        shl al, 4
        or al, ah
        pop cx
        ret

; ---------------------------------------------------------------------------------------------
; POST summary on the console
; ---------------------------------------------------------------------------------------------
post_report:
        mov ax, EBDA_SEG
        mov es, ax
        PUTS "RAM: "
        mov eax, [es:EB_RAMTOP]
        shr eax, 20
        mov edx, [es:EB_RAMHI + 4]
        shl edx, 12
        mov ebx, [es:EB_RAMHI]
        shr ebx, 20
        add eax, ebx
        add eax, edx
        call con_dec
        PUTS " MiB", 13, 10
        test byte [es:EB_HD_FLAGS], HDF_PRESENT
        jz .nodisk
        PUTS "Disk 0x80: "
        mov eax, [es:EB_HD_TOTAL]
        call con_dec
        PUTS " sectors, CHS "
        movzx eax, word [es:EB_HD_LCYL]
        call con_dec
        mov al, '/'
        call con_putc
        movzx eax, word [es:EB_HD_LHEADS]
        call con_dec
        mov al, '/'
        call con_putc
        movzx eax, word [es:EB_HD_LSPT]
        call con_dec
        PUTS 13, 10
        ret
.nodisk:
        PUTS "Disk 0x80: none", 13, 10
        ret

; ---------------------------------------------------------------------------------------------
; Default handlers
; ---------------------------------------------------------------------------------------------
default_iret:
        iret

; An IRQ nobody handles: mask it (so a level-triggered line cannot storm) and end it. A spurious
; IRQ7/IRQ15 (nothing in service) gets no EOI on that PIC.
irq_default_master:
        push ax
        push bx
        mov al, 0x0B                    ; OCW3: read ISR
        out PIC1_CMD, al
        in al, PIC1_CMD
        and al, 0xFB                    ; never mask the cascade
        jz .spurious
        mov bl, al
        in al, PIC1_DATA
        or al, bl
        out PIC1_DATA, al
        mov al, 0x20
        out PIC1_CMD, al
.spurious:
        pop bx
        pop ax
        iret

irq_default_slave:
        push ax
        push bx
        mov al, 0x0B
        out PIC2_CMD, al
        in al, PIC2_CMD
        test al, al
        jz .spurious
        mov bl, al
        in al, PIC2_DATA
        or al, bl
        out PIC2_DATA, al
        mov al, 0x20
        out PIC2_CMD, al
.spurious:
        mov al, 0x20                    ; the master saw IRQ2 in any case
        out PIC1_CMD, al
        pop bx
        pop ax
        iret

; Diskette parameter table (INT 1Eh), 1.44 MB values; there is no floppy drive.
diskette_param_table:
        db 0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08
