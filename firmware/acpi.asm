; acpi.asm — static ACPI tables in ROM segment E000 (RSDP, RSDT, XSDT, FADT, MADT, DSDT),
; checksummed at assembly time. The only table in RAM is the FACS (it is written by the OS), at
; a fixed place in the EBDA (FACS_PHYS), initialised by acpi_init at POST.

%macro ACPI_TABLE 3                     ; signature, label, revision
        align 16
%2:
        CK_BEGIN
        CSTR %1
        CD %2 %+ _end - %2
        CB %3
        db %2 %+ _ck
        CSTR "PVX   "                   ; OEM ID
        CSTR "PVXBIOS "                 ; OEM table ID
        CD 1                            ; OEM revision
        CSTR "PVX "                     ; creator ID
        CD 1                            ; creator revision
%endmacro

%macro ACPI_TABLE_END 1
%1 %+ _end:
%1 %+ _ck equ (-CK_TOTAL) & 0xFF
%endmacro

; RSDP (ACPI 2.0+, 36 bytes), 16-byte aligned in 0xE0000-0xFFFFF
        align 16
acpi_rsdp:
        CK_BEGIN
        CSTR "RSD PTR "
        db acpi_rsdp_ck1
        CSTR "PVX   "
        CB 2                            ; revision: ACPI 2.0+ layout
        CD EPHYS(acpi_rsdt)
%xdefine RSDP_SUM20 CK_TOTAL
        CD 36                           ; length
        CQ EPHYS(acpi_xsdt), 0
        db acpi_rsdp_ck2
        CB 0, 0, 0
acpi_rsdp_ck1 equ (-(RSDP_SUM20)) & 0xFF
acpi_rsdp_ck2 equ (-(CK_TOTAL + acpi_rsdp_ck1)) & 0xFF

        ACPI_TABLE "RSDT", acpi_rsdt, 1
        CD EPHYS(acpi_fadt)
        CD EPHYS(acpi_madt)
        ACPI_TABLE_END acpi_rsdt

        ACPI_TABLE "XSDT", acpi_xsdt, 1
        CQ EPHYS(acpi_fadt), 0
        CQ EPHYS(acpi_madt), 0
        ACPI_TABLE_END acpi_xsdt

; FADT, revision 3 (ACPI 2.0 layout, 244 bytes): PIIX4 PM at PM_IO_BASE, SCI on IRQ 9, reset
; register 0xCF9 <- 06h, SMI command port 0xB2 (F1h enable / F0h disable ACPI)
FADT_FLAGS equ (1 << 0) | (1 << 2) | (1 << 5) | (1 << 10)   ; WBINVD, PROC_C1, SLP_BUTTON, RESET_REG_SUP
        ACPI_TABLE "FACP", acpi_fadt, 3
        CD FACS_PHYS                    ; FIRMWARE_CTRL
        CD EPHYS(acpi_dsdt)             ; DSDT
        CB 0                            ; reserved (ACPI 1.0 INT_MODEL)
        CB 0                            ; preferred PM profile: unspecified
        CW SCI_IRQ
        CD SMI_CMD_PORT
        CB ACPI_ENABLE_CMD, ACPI_DISABLE_CMD
        CB 0                            ; S4BIOS_REQ
        CB 0                            ; PSTATE_CNT
        CD PM1A_EVT                     ; PM1a_EVT_BLK
        CD 0                            ; PM1b_EVT_BLK
        CD PM1A_CNT                     ; PM1a_CNT_BLK
        CD 0                            ; PM1b_CNT_BLK
        CD 0                            ; PM2_CNT_BLK
        CD PM_TMR                       ; PM_TMR_BLK
        CD 0                            ; GPE0_BLK
        CD 0                            ; GPE1_BLK
        CB 4, 2, 0, 4                   ; PM1_EVT_LEN, PM1_CNT_LEN, PM2_CNT_LEN, PM_TMR_LEN
        CB 0, 0, 0                      ; GPE0_BLK_LEN, GPE1_BLK_LEN, GPE1_BASE
        CB 0                            ; CST_CNT
        CW 0x0FFF                       ; P_LVL2_LAT: C2 not supported
        CW 0x0FFF                       ; P_LVL3_LAT: C3 not supported
        CW 0, 0                         ; FLUSH_SIZE, FLUSH_STRIDE
        CB 0, 0                         ; DUTY_OFFSET, DUTY_WIDTH
        CB 0, 0, 0x32                   ; DAY_ALRM, MON_ALRM, CENTURY (CMOS register)
        CW 0x0003                       ; IAPC_BOOT_ARCH: legacy devices, 8042
        CB 0
        CD FADT_FLAGS
        GAS 1, 8, 0, 1, RESET_CTRL      ; RESET_REG
        CB 0x06                         ; RESET_VALUE
        CB 0, 0, 0
        CQ FACS_PHYS, 0                 ; X_FIRMWARE_CTRL
        CQ EPHYS(acpi_dsdt), 0          ; X_DSDT
        GAS 1, 32, 0, 2, PM1A_EVT       ; X_PM1a_EVT_BLK
        GAS 0, 0, 0, 0, 0               ; X_PM1b_EVT_BLK
        GAS 1, 16, 0, 2, PM1A_CNT       ; X_PM1a_CNT_BLK
        GAS 0, 0, 0, 0, 0               ; X_PM1b_CNT_BLK
        GAS 0, 0, 0, 0, 0               ; X_PM2_CNT_BLK
        GAS 1, 32, 0, 3, PM_TMR         ; X_PM_TMR_BLK
        GAS 0, 0, 0, 0, 0               ; X_GPE0_BLK
        GAS 0, 0, 0, 0, 0               ; X_GPE1_BLK
        ACPI_TABLE_END acpi_fadt

; MADT: one CPU (LAPIC id 0), the I/O APIC (id 0, GSI 0-23), ISA IRQ0 -> GSI2, the SCI (IRQ9)
; and the PCI PIRQ IRQs (10, 11) level-triggered active-high, LINT1 = NMI
MPS_INTI_LEVEL_HIGH equ 0x000D          ; polarity active high (01), trigger level (11)
        ACPI_TABLE "APIC", acpi_madt, 1
        CD LAPIC_BASE
        CD 1                            ; PCAT_COMPAT: dual 8259s present
        CB 0, 8, 0, 0                   ; processor local APIC: ACPI id 0, APIC id 0
        CD 1                            ;   enabled
        CB 1, 12, 0, 0                  ; I/O APIC: id 0
        CD IOAPIC_BASE, 0               ;   address, GSI base
        CB 2, 10, 0, 0                  ; interrupt source override: ISA IRQ0
        CD 2                            ;   -> GSI 2
        CW 0                            ;   conforming
        CB 2, 10, 0, SCI_IRQ
        CD SCI_IRQ
        CW MPS_INTI_LEVEL_HIGH
        CB 2, 10, 0, PIRQ_A_IRQ
        CD PIRQ_A_IRQ
        CW MPS_INTI_LEVEL_HIGH
        CB 2, 10, 0, PIRQ_C_IRQ
        CD PIRQ_C_IRQ
        CW MPS_INTI_LEVEL_HIGH
        CB 4, 6, 0xFF                   ; local APIC NMI: all processors,
        CW 0                            ;   conforming,
        CB 1                            ;   LINT1
        ACPI_TABLE_END acpi_madt

; AML PkgLength in its two-byte form (lengths 64-4095), counting itself
%macro AML_PKGLEN2 1                    ; label at the end of the package
%%here:
        CB 0x40 | ((%1 - %%here) & 0x0F), ((%1 - %%here) >> 4) & 0xFF
%endmacro

; Name (name, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared) {irq} })
%macro DSDT_LINK_IRQ 2
        CBN 0x08                        ; NameOp
        CSTR %1
        CBN 0x11, 0x0E, 0x0A, 0x0B      ; BufferOp, PkgLength, ByteConst size 11
        CBN 0x89, 0x06, 0x00, 0x09, 0x01        ; Extended Interrupt: consumer, level, active
        CDN %2                                  ; high, shared; one IRQ
        CBN 0x79, 0x00                  ; end tag
%endmacro

; One PCI interrupt link device (see the DSDT below): name, _UID, its ISA IRQ.
%macro DSDT_LINK 3
        CBN 0x5B, 0x82                  ; DeviceOp
        AML_PKGLEN2 %%end
        CSTR %1
        CBN 0x08                        ; NameOp
        CSTR "_HID"
        CBN 0x0C, 0x41, 0xD0, 0x0C, 0x0F        ; DWordConst EisaId ("PNP0C0F")
        CBN 0x08
        CSTR "_UID"
        CBN 0x0A, %2
        DSDT_LINK_IRQ "_PRS", %3
        DSDT_LINK_IRQ "_CRS", %3
        CBN 0x14, 0x06                  ; MethodOp, PkgLength
        CSTR "_SRS"
        CBN 0x01                        ; one argument, not serialized
%%end:
%endmacro

; DSDT, hand-assembled AML:
;   Scope (\_SB) {
;     Device (PCI0) {
;       Name (_HID, EisaId ("PNP0A03")), Name (_UID, 0), Name (_ADR, 0), Name (_BBN, 0)
;       Name (_CRS, ResourceTemplate () { bus 0-FFh; I/O CF8h-CFFh (consumed); I/O windows
;             0-CF7h and D00h-FFFFh; memory windows A0000h-BFFFFh and PCI_MMIO_BASE up to
;             the I/O APIC })
;       Name (_PRT, Package () { for slots 1-31, pins INTA-D: {slot << 16 | FFFFh, pin,
;             LNKx = the link of PIRQ[(pin + slot - 1) mod 4], 0} })
;     }
;     Device (LNKA) .. Device (LNKD) {       PCI interrupt link devices (ACPI 6.2.13, PNP0C0F)
;       Name (_HID, EisaId ("PNP0C0F")), Name (_UID, 1..4)
;       Name (_PRS / _CRS, ResourceTemplate () {
;             Interrupt (ResourceConsumer, Level, ActiveHigh, Shared) { PIRQx_IRQ } })
;       Method (_SRS, 1) {}                  (the one possible IRQ, set by POST: nothing to do)
;     }
;   }
; A _PRT entry that names a GSI directly means a level-triggered, active-LOW input (ACPI 6.2.13),
; which the PIIX3's PIRQ-to-ISA routing is not: its outputs are active-high ISA IRQs (the MADT's
; overrides for IRQs 10 and 11 say so). The link devices carry the polarity to the OS.
;   Name (_S5, Package (4) {0, 0, 0, 0})  -- SLP_TYP 0 with SLP_EN in PM1a_CNT powers the PIIX4
;                                            machine off (as QEMU's DSDT does)
        ACPI_TABLE "DSDT", acpi_dsdt, 2
        CBN 0x10                        ; ScopeOp
        AML_PKGLEN2 dsdt_sb_end
        CBN 0x5C                        ; '\'
        CSTR "_SB_"
        CBN 0x5B, 0x82                  ; DeviceOp
        AML_PKGLEN2 dsdt_pci0_end
        CSTR "PCI0"
        CBN 0x08                        ; NameOp
        CSTR "_HID"
        CBN 0x0C, 0x41, 0xD0, 0x0A, 0x03        ; DWordConst EisaId ("PNP0A03")
        CBN 0x08
        CSTR "_UID"
        CBN 0x00
        CBN 0x08
        CSTR "_ADR"
        CBN 0x00
        CBN 0x08
        CSTR "_BBN"
        CBN 0x00
        CBN 0x08
        CSTR "_CRS"
        CBN 0x11                        ; BufferOp
        AML_PKGLEN2 dsdt_crs_end
        CBN 0x0B                        ; WordConst: buffer size
        CW dsdt_crs_data_end - dsdt_crs_data
dsdt_crs_data:
        CBN 0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00  ; WordBusNumber, producer, min/max fixed
        CWN 0x0000, 0x0000, 0x00FF, 0x0000, 0x0100
        CBN 0x47, 0x01                  ; IO (Decode16, 0xCF8, 0xCF8, 1, 8)
        CWN 0x0CF8, 0x0CF8
        CBN 0x01, 0x08
        CBN 0x88, 0x0D, 0x00, 0x01, 0x0C, 0x03  ; WordIO, producer, entire range
        CWN 0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8
        CBN 0x88, 0x0D, 0x00, 0x01, 0x0C, 0x03
        CWN 0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300
        CBN 0x87, 0x17, 0x00, 0x00, 0x0C, 0x03  ; DWordMemory, cacheable, read-write: VGA
        CDN 0, 0x000A0000, 0x000BFFFF, 0, 0x00020000
        CBN 0x87, 0x17, 0x00, 0x00, 0x0C, 0x01  ; DWordMemory, non-cacheable, read-write
        CD 0, PCI_MMIO_BASE, PCI_MMIO_LIMIT - 1, 0, PCI_MMIO_LIMIT - PCI_MMIO_BASE
        CBN 0x79, 0x00                  ; end tag
dsdt_crs_data_end:
dsdt_crs_end:
        CBN 0x08
        CSTR "_PRT"
        CBN 0x12                        ; PackageOp
        AML_PKGLEN2 dsdt_prt_end
        CBN 31 * 4                      ; NumElements
%assign slot 1
%rep 31
  %assign pin 0
  %rep 4
    %assign pirq (pin + slot - 1) & 3
    %if pirq == 0
      %define link "LNKA"
    %elif pirq == 1
      %define link "LNKB"
    %elif pirq == 2
      %define link "LNKC"
    %else
      %define link "LNKD"
    %endif
        CBN 0x12, 0x0E, 0x04            ; Package (4) {
        CBN 0x0C                        ;   DWordConst address: slot, any function
        CDN (slot << 16) | 0xFFFF
        CBN 0x0A, pin                   ;   pin
        CSTR link                       ;   source: the PIRQ's link device
        CBN 0x00                        ;   source index 0 }
    %assign pin pin + 1
  %endrep
  %assign slot slot + 1
%endrep
dsdt_prt_end:
dsdt_pci0_end:
        DSDT_LINK "LNKA", 1, PIRQ_A_IRQ
        DSDT_LINK "LNKB", 2, PIRQ_B_IRQ
        DSDT_LINK "LNKC", 3, PIRQ_C_IRQ
        DSDT_LINK "LNKD", 4, PIRQ_D_IRQ
dsdt_sb_end:
        CBN 0x08                        ; NameOp
        CSTR "_S5_"
        CBN 0x12                        ; PackageOp
        CBN 0x06                        ;   PkgLength (itself, NumElements, 4 elements)
        CBN 0x04                        ;   NumElements
        CBN 0x00, 0x00, 0x00, 0x00      ;   ZeroOp x 4
        ACPI_TABLE_END acpi_dsdt
