; boot.asm — INT 19h (bootstrap loader) and INT 18h (no bootable disk).

; INT 19h: if pvx loaded a Linux kernel for its 32- or 64-bit entry (CMOS byte 5Fh = 2 or 3),
; linux_entry.asm starts it. If it loaded one for the 16-bit entry (`pvx --kernel bzImage`;
; CMOS byte 5Fh = 1), enter its real-mode setup code the way a boot loader does (Linux boot.rst "Running the kernel"):
; DS = ES = FS = GS = SS = 1000h, SP = FE00h (the heap_end_ptr pvx wrote + 200h), jump to
; 1020:0000. Otherwise read LBA 0 of drive 0x80 to 0000:7C00 (three tries), check the 55AAh
; signature and jump there with DL = 80h, CS = DS = ES = SS = 0, SP = 7C00h.
int19_handler:
        cli
        cld
        mov al, CMOS_DIRECT_BOOT
        out CMOS_INDEX, al
        in al, CMOS_DATA
        mov ah, al
        mov al, CMOS_DIRECT_BOOT                ; one-shot: a reboot boots from disk
        out CMOS_INDEX, al
        xor al, al
        out CMOS_DATA, al
        cmp ah, DIRECT_BOOT_LINUX32
        je linux_enter_protected
        cmp ah, DIRECT_BOOT_LINUX64
        je linux_enter_protected
        cmp ah, DIRECT_BOOT_LINUX
        jne .disk
        xor ax, ax
        mov ds, ax
        PUTS "Booting Linux (kernel loaded by pvx)", 13, 10
        cli
        mov ax, LINUX_SETUP_SEG
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov sp, LINUX_STACK_TOP
        jmp LINUX_SETUP_SEG + 0x20:0
.disk:
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, STACK_TOP
        sti
        PUTS "Booting from disk 0x80", 13, 10
        mov si, 3
.try:   mov ax, 0x0201
        mov cx, 0x0001
        mov dx, 0x0080
        mov bx, BOOT_ADDR
        int 0x13
        jnc .loaded
        xor ax, ax
        mov dl, 0x80
        int 0x13
        dec si
        jnz .try
        jmp .fail
.loaded:
        cmp word [BOOT_ADDR + 510], 0xAA55
        jne .fail
        xor ax, ax
        xor bx, bx
        xor cx, cx
        mov dx, 0x0080
        xor si, si
        xor di, di
        xor bp, bp
        jmp 0x0000:BOOT_ADDR
.fail:  int 0x18

; INT 18h: nothing to boot
int18_handler:
        sti
        PUTS "No bootable disk", 13, 10
.halt:  cli
        hlt
        jmp .halt
