// The xAPIC register page (SDM Vol.3A 10.4.1, Table 10-1): offsets from the IA32_APIC_BASE
// address, and the bit fields of the LVT entries and the ICR (Figures 10-8 and 10-12).
#pragma once
#include <cstdint>

namespace pvx::lapic {

enum Reg : uint32_t {
    kId = 0x020,
    kVersion = 0x030,
    kTpr = 0x080,
    kApr = 0x090,
    kPpr = 0x0A0,
    kEoi = 0x0B0,
    kRrd = 0x0C0,
    kLdr = 0x0D0,
    kDfr = 0x0E0,
    kSvr = 0x0F0,
    kIsr = 0x100,  // 8 words, 0x100-0x170
    kTmr = 0x180,  // 8 words, 0x180-0x1F0
    kIrr = 0x200,  // 8 words, 0x200-0x270
    kEsr = 0x280,
    kIcrLow = 0x300,
    kIcrHigh = 0x310,
    kLvtTimer = 0x320,
    kLvtThermal = 0x330,
    kLvtPerf = 0x340,
    kLvtLint0 = 0x350,
    kLvtLint1 = 0x360,
    kLvtError = 0x370,
    kTimerInitialCount = 0x380,
    kTimerCurrentCount = 0x390,
    kTimerDivideConfig = 0x3E0,
};

// The six LVT entries, in register order (max LVT entry = 5 in the version register).
enum Lvt : unsigned { kTimer = 0, kThermal, kPerf, kLint0, kLint1, kError, kLvtCount };

// Version register: version 14h (integrated xAPIC), max LVT entry 5, no EOI-broadcast
// suppression (bit 24 clear).
constexpr uint32_t kVersionValue = 0x00050014;

// LVT fields (Figure 10-8).
constexpr uint32_t kLvtVector = 0xFF;
constexpr uint32_t kLvtDeliveryStatus = 1u << 12;
constexpr uint32_t kLvtActiveLow = 1u << 13;   // LINT0/LINT1 only
constexpr uint32_t kLvtRemoteIrr = 1u << 14;   // LINT0/LINT1 only, read-only
constexpr uint32_t kLvtLevelTriggered = 1u << 15;  // LINT0/LINT1 only
constexpr uint32_t kLvtMasked = 1u << 16;
constexpr uint32_t kLvtTimerPeriodic = 1u << 17;  // timer only (bit 18, TSC-deadline, reserved)
// Writable bits per entry: timer (vector, mask, mode), thermal and performance (vector,
// delivery mode, mask), LINT0/1 (vector, delivery mode, polarity, trigger mode, mask), error
// (vector, mask).
constexpr uint32_t kLvtWritable[kLvtCount] = {0x000300FF, 0x000107FF, 0x000107FF,
                                              0x0001A7FF, 0x0001A7FF, 0x000100FF};
constexpr uint32_t kLvtReset = kLvtMasked;
// Virtual-wire mode A (MP spec 3.6.2.2): LINT0 = ExtINT, unmasked.
constexpr uint32_t kLvtExtInt = 0x700;

// SVR (Figure 10-23): vector 7:0, APIC software enable 8, focus processor checking 9.
constexpr uint32_t kSvrEnable = 1u << 8;
constexpr uint32_t kSvrWritable = 0x3FF;
constexpr uint32_t kSvrReset = 0xFF;

// ICR (Figure 10-12).
constexpr uint32_t kIcrLowWritable = 0x000CCFFF;  // vector, mode, dest mode, level, trigger, shorthand
constexpr uint32_t kIcrLogical = 1u << 11;
constexpr uint32_t kIcrLevelAssert = 1u << 14;
constexpr uint32_t kIcrLevelTriggered = 1u << 15;
enum Shorthand : unsigned { kNoShorthand = 0, kSelf = 1, kAllIncludingSelf = 2, kAllExcludingSelf = 3 };

// ESR bits (Figure 10-9).
constexpr uint32_t kEsrSendIllegalVector = 1u << 5;
constexpr uint32_t kEsrReceiveIllegalVector = 1u << 6;
constexpr uint32_t kEsrIllegalRegister = 1u << 7;

}  // namespace pvx::lapic
