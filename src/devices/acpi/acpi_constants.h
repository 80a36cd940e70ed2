// Fixed-hardware ACPI values of the PIIX4 power management function as pvx wires it: what the
// firmware's FADT and DSDT must say so that an OS finds the registers Piix4Pm implements.
// (ACPI specification: fixed hardware programming model and the FADT; 82371AB PIIX4
// datasheet: power management I/O registers.)
#pragma once
#include <cstdint>

namespace pvx::acpi {

// PCI location of the PM function and its I/O base register (PMBA) and enable (PMREGMISC).
inline constexpr unsigned kPmPciDevice = 1;
inline constexpr unsigned kPmPciFunction = 3;
inline constexpr uint8_t kPmBaseConfigReg = 0x40;   // PMBA: bits 15:6 base, bit 0 reads 1
inline constexpr uint8_t kPmMiscConfigReg = 0x80;   // PMREGMISC: bit 0 PMIOSE
inline constexpr uint8_t kPmIoEnable = 0x01;

// The PM I/O base firmware programs (the value SeaBIOS programs on QEMU's pc machine), and the
// block layout inside it.
inline constexpr uint16_t kPmIoBase = 0x600;
inline constexpr uint16_t kPmIoSize = 64;
inline constexpr uint16_t kPm1aEvtOffset = 0x00;   // PM1_STS (16) + PM1_EN (16)
inline constexpr uint8_t kPm1EvtLength = 4;
inline constexpr uint16_t kPm1aCntOffset = 0x04;   // PM1_CNT (16)
inline constexpr uint8_t kPm1CntLength = 2;
inline constexpr uint16_t kPmTmrOffset = 0x08;     // PM_TMR (32, 24 bits valid)
inline constexpr uint8_t kPmTmrLength = 4;
inline constexpr uint16_t kGpe0Offset = 0x0C;      // GPSTS (16) + GPEN (16)
inline constexpr uint8_t kGpe0Length = 4;
inline constexpr uint16_t kPm1aEvtPort = kPmIoBase + kPm1aEvtOffset;
inline constexpr uint16_t kPm1aCntPort = kPmIoBase + kPm1aCntOffset;
inline constexpr uint16_t kPmTmrPort = kPmIoBase + kPmTmrOffset;
inline constexpr uint16_t kGpe0Port = kPmIoBase + kGpe0Offset;

// SCI: ISA IRQ 9, level triggered, active high (FADT SCI_INT; the firmware marks IRQ 9 level in
// the 8259 ELCR and writes 9 into the function's interrupt line register).
inline constexpr uint8_t kSciIrq = 9;

// SMI command port (PIIX4 APMC). Writing kAcpiEnable/kAcpiDisable there switches SCI_EN, the
// job SMM firmware does on real hardware (FADT SMI_CMD, ACPI_ENABLE, ACPI_DISABLE).
inline constexpr uint16_t kSmiCmdPort = 0xB2;
inline constexpr uint16_t kApmStatusPort = 0xB3;
inline constexpr uint8_t kAcpiEnable = 0xF1;
inline constexpr uint8_t kAcpiDisable = 0xF0;

// PM timer: 3.579545 MHz, 24 bits (FADT flags TMR_VAL_EXT = 0).
inline constexpr uint64_t kPmTimerHz = 3579545;
inline constexpr uint32_t kPmTimerMask = 0x00FFFFFF;

// PM1 status / enable bits (ACPI: PM1 event grouping).
inline constexpr uint16_t kTmrSts = 1u << 0;
inline constexpr uint16_t kBmSts = 1u << 4;
inline constexpr uint16_t kGblSts = 1u << 5;
inline constexpr uint16_t kPwrBtnSts = 1u << 8;
inline constexpr uint16_t kRtcSts = 1u << 10;
inline constexpr uint16_t kPwrBtnOvrSts = 1u << 11;
inline constexpr uint16_t kWakSts = 1u << 15;
// PM1 control bits (ACPI: PM1 control grouping).
inline constexpr uint16_t kSciEn = 1u << 0;
inline constexpr uint16_t kBmRld = 1u << 1;
inline constexpr uint16_t kGblRls = 1u << 2;
inline constexpr unsigned kSlpTypShift = 10;
inline constexpr uint16_t kSlpTypMask = 7u << kSlpTypShift;
inline constexpr uint16_t kSlpEn = 1u << 13;

// Sleep type values for the DSDT's \_Sx packages. The PIIX4 SUS_TYP encoding has 000b = soft
// off, which is what QEMU's DSDT uses: Name (_S5, Package (4) { 0, 0, 0, 0 }). Only S5 does
// anything in pvx (power off); other types are ignored.
inline constexpr uint8_t kSlpTypS5 = 0;

}  // namespace pvx::acpi
