; PCI BIOS (INT 1Ah B1h) and the state POST left (PIRQ routing, PM base, BARs, interrupt lines),
; the ACPI tables (RSDP, RSDT, XSDT, FADT, FACS, MADT, DSDT and checksums), the SMBIOS tables,
; and finally ACPI S5 through PM1a_CNT: the machine must power off (exit status 0).
; expect-exit: 0
; expect-output: boot/tables: PASS
; expect-output: ok: FADT PM1a_CNT_BLK = 604h
; pvx-args: -m 64
%define TEST_NAME "boot/tables"
%include "boot.inc"

BDF_ISA equ 0x0008
BDF_IDE equ 0x0009
BDF_PM  equ 0x000B

test_main:
        ; ---------------- PCI BIOS
        mov ax, 0xB101
        xor edi, edi
        int 0x1A
        CHECK nc, "B101h: PCI BIOS present"
        cmp edx, 0x20494350
        CHECK e, "B101h: EDX = 'PCI '"
        movzx eax, al
        and eax, 1
        CHECK_EQ 1, "B101h: configuration mechanism #1"
        movzx eax, bx
        CHECK_EQ 0x0210, "B101h: version 2.10"
        mov ax, 0xB102
        mov cx, 0x7010
        mov dx, 0x8086
        xor si, si
        int 0x1A
        CHECK nc, "B102h: PIIX3 IDE found"
        movzx eax, bx
        CHECK_EQ BDF_IDE, "B102h: at 00:01.1"
        mov ax, 0xB102
        mov cx, 0x7010
        mov dx, 0x8086
        mov si, 1
        int 0x1A
        CHECK c, "B102h: no second one"
        movzx eax, ah
        CHECK_EQ 0x86, "B102h: device not found"
        mov ax, 0xB102
        mov dx, 0xFFFF
        xor si, si
        int 0x1A
        movzx eax, ah
        CHECK_EQ 0x83, "B102h: bad vendor ID"
        mov ax, 0xB103
        mov ecx, 0x060100
        xor si, si
        int 0x1A
        CHECK nc, "B103h: ISA bridge class found"
        movzx eax, bx
        CHECK_EQ BDF_ISA, "B103h: at 00:01.0"
        mov ax, 0xB10A
        mov bx, BDF_IDE
        xor di, di
        int 0x1A
        CHECK nc, "B10Ah: read dword"
        mov eax, ecx
        CHECK_EQ 0x70108086, "B10Ah: IDE vendor/device"
        mov ax, 0xB108
        mov bx, BDF_IDE
        mov di, 0x0B
        int 0x1A
        movzx eax, cl
        CHECK_EQ 0x01, "B108h: IDE base class"
        mov ax, 0xB109
        mov bx, BDF_IDE
        mov di, 0x01
        int 0x1A
        CHECK c, "B109h: odd register refused"
        movzx eax, ah
        CHECK_EQ 0x87, "B109h: bad register number"
        mov ax, 0xB10B
        mov bx, BDF_IDE
        mov di, 0x3C
        mov cl, 0x0E
        int 0x1A
        CHECK nc, "B10Bh: write byte"
        mov ax, 0xB108
        mov bx, BDF_IDE
        mov di, 0x3C
        int 0x1A
        movzx eax, cl
        CHECK_EQ 0x0E, "B108h: reads back the written byte"

        ; ---------------- what POST configured
        mov bx, BDF_ISA
        mov di, 0x60
        call cfg_read32
        CHECK_EQ 0x0B0B0A0A, "PIIX3 PIRQA-D -> IRQ 10, 10, 11, 11"
        mov bx, BDF_PM
        mov di, 0x40
        call cfg_read32
        and eax, 0xFFC1
        CHECK_EQ 0x0601, "PIIX4 PM base 600h"
        mov di, 0x80
        call cfg_read32
        and eax, 1
        CHECK_EQ 1, "PIIX4 PM I/O enabled"
        mov di, 0x3C
        call cfg_read32
        and eax, 0xFF
        CHECK_EQ 9, "PIIX4 PM interrupt line = SCI IRQ 9"
        mov bx, BDF_IDE
        mov di, 0x20
        call cfg_read32
        test al, 1
        CHECK nz, "IDE BAR4 is an I/O BAR"
        and eax, 0xFFFC
        cmp eax, 0xC000
        CHECK ae, "IDE BAR4 assigned from C000h"
        mov di, 0x04
        call cfg_read32
        and eax, 0x05
        CHECK_EQ 0x05, "IDE command: I/O and bus master enabled"
        mov dx, 0x608                   ; the PM timer runs (3.58 MHz)
        in eax, dx
        mov ebx, eax
        mov cx, 1000
.tmr:   in eax, dx
        cmp eax, ebx
        jne .tmrok
        loop .tmr
.tmrok: CHECK ne, "PM timer at 608h counts"

        ; ---------------- ACPI
        mov ax, 0xE000
.rsdp:  mov es, ax
        cmp dword [es:0], 'RSD '
        jne .rn
        cmp dword [es:4], 'PTR '
        je .rf
.rn:    inc ax
        cmp ax, 0xFFFF
        jne .rsdp
        FAIL "no RSDP in E0000h-FFFFFh"
.rf:    mov [rsdp_seg], ax
        xor di, di
        mov cx, 20
        call sum_bytes
        movzx eax, al
        CHECK_EQ 0, "RSDP checksum"
        xor di, di
        mov cx, 36
        call sum_bytes
        movzx eax, al
        CHECK_EQ 0, "RSDP extended checksum"
        movzx eax, byte [es:15]
        CHECK_EQ 2, "RSDP revision 2"
        mov eax, [es:24]
        mov [xsdt], eax
        mov eax, [es:16]
        mov [rsdt], eax
        call table_check
        CHECK e, "RSDT checksum"
        call phys_es_di
        cmp dword [es:di], 'RSDT'
        CHECK e, "RSDT signature"
        mov ecx, [es:di + 4]
        sub ecx, 36
        shr ecx, 2
        mov [rsdt_n], cx
        movzx eax, cx
        CHECK_EQ 2, "RSDT: two tables"
        xor bx, bx
.rt:    mov eax, [rsdt]
        call phys_es_di
        mov eax, [es:di + 36 + bx]
        push eax
        call table_check
        pop eax
        jne .rtbad
        call phys_es_di
        cmp dword [es:di], 'FACP'
        jne .nf
        mov [fadt], eax
.nf:    cmp dword [es:di], 'APIC'
        jne .na
        mov [madt], eax
.na:    add bx, 4
        dec word [rsdt_n]
        jnz .rt
        mov eax, 1
        CHECK_EQ 1, "RSDT tables' checksums"
        jmp .xs
.rtbad: FAIL "an RSDT table has a bad checksum"
.xs:    mov eax, [xsdt]
        call table_check
        CHECK e, "XSDT checksum"
        call phys_es_di
        mov eax, [es:di + 36]
        cmp eax, [fadt]
        CHECK e, "XSDT[0] = FADT"

        mov eax, [fadt]
        cmp eax, 0
        CHECK ne, "FADT found"
        call phys_es_di
        movzx eax, word [es:di + 46]
        CHECK_EQ 9, "FADT SCI_INT = 9"
        mov eax, [es:di + 64]
        CHECK_EQ 0x604, "FADT PM1a_CNT_BLK = 604h"
        mov eax, [es:di + 56]
        CHECK_EQ 0x600, "FADT PM1a_EVT_BLK = 600h"
        mov eax, [es:di + 76]
        CHECK_EQ 0x608, "FADT PM_TMR_BLK = 608h"
        mov eax, [es:di + 120]
        CHECK_EQ 0xCF9, "FADT RESET_REG = CF9h"
        movzx eax, byte [es:di + 128]
        CHECK_EQ 0x06, "FADT RESET_VALUE = 06h"
        mov eax, [es:di + 112]
        and eax, 1 << 10
        CHECK_EQ 1 << 10, "FADT RESET_REG_SUP"
        mov eax, [es:di + 36]
        mov [facs], eax
        mov eax, [es:di + 40]
        mov [dsdt], eax
        mov eax, [facs]
        call phys_es_di
        cmp dword [es:di], 'FACS'
        CHECK e, "FACS signature"
        mov eax, [facs]
        and eax, 63
        CHECK_EQ 0, "FACS 64-byte aligned"
        mov eax, [dsdt]
        call table_check
        CHECK e, "DSDT checksum"
        mov eax, [dsdt]
        call phys_es_di
        cmp dword [es:di], 'DSDT'
        CHECK e, "DSDT signature"
        mov cx, [es:di + 4]
        sub cx, 4
        push di
        push cx
.pci0:  cmp dword [es:di], 'PCI0'
        je .pci0f
        inc di
        loop .pci0
.pci0f: CHECK e, "DSDT declares PCI0"
        pop cx
        pop di
        push di
        push cx
.prt:   cmp dword [es:di], '_PRT'
        je .prtf
        inc di
        loop .prt
.prtf:  CHECK e, "DSDT has a _PRT"
        pop cx
        pop di
.s5:    cmp dword [es:di], '_S5_'
        je .s5f
        inc di
        loop .s5
        FAIL "no _S5_ in the DSDT"
.s5f:   movzx eax, byte [es:di + 4]
        CHECK_EQ 0x12, "_S5_ is a package"
        movzx eax, byte [es:di + 7]
        CHECK_EQ 0x00, "_S5_ SLP_TYP value is 0"

        mov eax, [madt]
        call phys_es_di
        mov eax, [es:di + 36]
        CHECK_EQ 0xFEE00000, "MADT local APIC address"
        mov cx, [es:di + 4]
        add cx, di                      ; end
        add di, 44
        xor bx, bx                      ; bit 0 IOAPIC, bit 1 IRQ0 override, bit 2 LAPIC
.me:    cmp di, cx
        jae .md
        cmp byte [es:di], 1
        jne .m2
        cmp dword [es:di + 4], 0xFEC00000
        jne .m2
        or bx, 1
.m2:    cmp byte [es:di], 2
        jne .m0
        cmp byte [es:di + 3], 0
        jne .m0
        cmp dword [es:di + 4], 2
        jne .m0
        or bx, 2
.m0:    cmp byte [es:di], 0
        jne .mn
        or bx, 4
.mn:    movzx ax, byte [es:di + 1]
        test ax, ax
        jz .md
        add di, ax
        jmp .me
.md:    movzx eax, bx
        CHECK_EQ 7, "MADT: local APIC, I/O APIC at FEC00000h, IRQ0 -> GSI 2"

        ; ---------------- SMBIOS
        mov ax, 0xF000
.sm:    mov es, ax
        cmp dword [es:0], '_SM_'
        je .smf
        inc ax
        jnz .sm
        FAIL "no SMBIOS entry point in F0000h-FFFFFh"
.smf:   xor di, di
        mov cx, 0x1F
        call sum_bytes
        movzx eax, al
        CHECK_EQ 0, "SMBIOS entry point checksum"
        mov di, 0x10
        mov cx, 0x0F
        call sum_bytes
        movzx eax, al
        CHECK_EQ 0, "SMBIOS intermediate checksum"
        cmp dword [es:0x10], '_DMI'
        CHECK e, "_DMI_ anchor"
        mov ax, [es:0x16]
        mov [smb_len], ax
        mov ax, [es:0x1C]
        mov [smb_n], ax
        mov eax, [es:0x18]
        mov [smb_addr], eax
        call phys_es_di
        mov si, di                      ; start
        xor bx, bx                      ; structures
.st:    inc bx
        mov al, [es:di]
        cmp al, 17
        jne .s17
        movzx eax, word [es:di + 0x0C]
        mov [smb_mem], eax
.s17:   cmp byte [es:di], 0
        jne .s0
        mov [smb_t0], di
.s0:    cmp byte [es:di], 127
        je .send
        movzx ax, byte [es:di + 1]
        add di, ax
.str:   cmp word [es:di], 0             ; strings end with a double NUL
        je .strd
        inc di
        jmp .str
.strd:  add di, 2
        cmp bx, 64
        jb .st
.send:  movzx eax, bx
        cmp ax, [smb_n]
        CHECK e, "SMBIOS structure count"
        movzx ax, byte [es:di + 1]
        add di, ax
        add di, 2
        sub di, si
        movzx eax, di
        cmp ax, [smb_len]
        CHECK e, "SMBIOS table length"
        mov eax, [smb_mem]
        CHECK_EQ 64, "SMBIOS type 17: 64 MiB"
        mov di, [smb_t0]
        movzx ax, byte [es:di + 1]
        add di, ax
        cmp dword [es:di], 0x00787670   ; "pvx", 0
        CHECK e, "SMBIOS type 0 vendor 'pvx'"

        ; ---------------- ACPI S5: SLP_TYP 0 | SLP_EN into PM1a_CNT
        PRINTLN TEST_NAME, ": PASS"
        mov dx, 0x604
        mov ax, 0x2000
        out dx, ax
        mov cx, 1000
.wait:  in al, 0x80
        loop .wait
        FAIL "still running after S5"

; cfg_read32: BX = bus/devfn, DI = register -> EAX (INT 1Ah B10Ah)
cfg_read32:
        push ecx
        mov ax, 0xB10A
        int 0x1A
        mov eax, ecx
        pop ecx
        ret

; phys_es_di: EAX = physical address below 1 MiB -> ES:DI
phys_es_di:
        push eax
        mov di, ax
        and di, 0x0F
        shr eax, 4
        mov es, ax
        pop eax
        ret

; sum_bytes: ES:DI, CX bytes -> AL = sum
sum_bytes:
        push di
        push cx
        xor al, al
.l:     add al, [es:di]
        inc di
        loop .l
        pop cx
        pop di
        ret

; table_check: EAX = physical address of an ACPI table -> ZF set if its checksum is right
table_check:
        push es
        push di
        push cx
        push eax
        call phys_es_di
        mov cx, [es:di + 4]
        call sum_bytes
        test al, al
        pop eax
        pop cx
        pop di
        pop es
        ret

rsdp_seg:       dw 0
rsdt:           dd 0
rsdt_n:         dw 0
xsdt:           dd 0
fadt:           dd 0
madt:           dd 0
facs:           dd 0
dsdt:           dd 0
smb_len:        dw 0
smb_n:          dw 0
smb_addr:       dd 0
smb_mem:        dd 0
smb_t0:         dw 0

        BOOT_END
