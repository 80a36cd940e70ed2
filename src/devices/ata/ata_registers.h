// ATA register bits and command codes (ATA/ATAPI-6, T13/1410D: register descriptions and the
// command code table).
#pragma once
#include <cstdint>

namespace pvx::ata {

// Command block register offsets from the channel's command base.
inline constexpr unsigned kRegData = 0;
inline constexpr unsigned kRegError = 1;     // read
inline constexpr unsigned kRegFeature = 1;   // write
inline constexpr unsigned kRegCount = 2;
inline constexpr unsigned kRegLbaLow = 3;    // sector number in CHS mode
inline constexpr unsigned kRegLbaMid = 4;    // cylinder low
inline constexpr unsigned kRegLbaHigh = 5;   // cylinder high
inline constexpr unsigned kRegDevice = 6;    // device/head
inline constexpr unsigned kRegStatus = 7;    // read
inline constexpr unsigned kRegCommand = 7;   // write

// Status register.
inline constexpr uint8_t kStatusErr = 0x01;
inline constexpr uint8_t kStatusDrq = 0x08;
inline constexpr uint8_t kStatusDsc = 0x10;  // "device seek complete" (obsolete, set when ready)
inline constexpr uint8_t kStatusDf = 0x20;
inline constexpr uint8_t kStatusDrdy = 0x40;
inline constexpr uint8_t kStatusBsy = 0x80;
inline constexpr uint8_t kStatusReady = kStatusDrdy | kStatusDsc;

// Error register (each command's "error outputs").
inline constexpr uint8_t kErrorAbrt = 0x04;
inline constexpr uint8_t kErrorIdnf = 0x10;
inline constexpr uint8_t kErrorUnc = 0x40;
// Diagnostic code in the error register after a reset or EXECUTE DEVICE DIAGNOSTIC:
// 01h = device 0 passed (device 1 passed or absent).
inline constexpr uint8_t kDiagnosticPassed = 0x01;

// Device register.
inline constexpr uint8_t kDeviceDev = 0x10;
inline constexpr uint8_t kDeviceLba = 0x40;
inline constexpr uint8_t kDeviceObsolete = 0xA0;  // bits 7 and 5: read back as 1

// Device control register.
inline constexpr uint8_t kControlNien = 0x02;
inline constexpr uint8_t kControlSrst = 0x04;
inline constexpr uint8_t kControlHob = 0x80;

// Command opcodes.
inline constexpr uint8_t kCmdRecalibrate = 0x10;  // 0x10-0x1F, obsolete
inline constexpr uint8_t kCmdReadSectors = 0x20;
inline constexpr uint8_t kCmdReadSectorsNoRetry = 0x21;
inline constexpr uint8_t kCmdReadSectorsExt = 0x24;
inline constexpr uint8_t kCmdReadDmaExt = 0x25;
inline constexpr uint8_t kCmdReadMultipleExt = 0x29;
inline constexpr uint8_t kCmdWriteSectors = 0x30;
inline constexpr uint8_t kCmdWriteSectorsNoRetry = 0x31;
inline constexpr uint8_t kCmdWriteSectorsExt = 0x34;
inline constexpr uint8_t kCmdWriteDmaExt = 0x35;
inline constexpr uint8_t kCmdWriteMultipleExt = 0x39;
inline constexpr uint8_t kCmdReadVerify = 0x40;
inline constexpr uint8_t kCmdReadVerifyNoRetry = 0x41;
inline constexpr uint8_t kCmdReadVerifyExt = 0x42;
inline constexpr uint8_t kCmdSeek = 0x70;
inline constexpr uint8_t kCmdExecuteDiagnostic = 0x90;
inline constexpr uint8_t kCmdInitDeviceParams = 0x91;
inline constexpr uint8_t kCmdReadMultiple = 0xC4;
inline constexpr uint8_t kCmdWriteMultiple = 0xC5;
inline constexpr uint8_t kCmdSetMultiple = 0xC6;
inline constexpr uint8_t kCmdReadDma = 0xC8;
inline constexpr uint8_t kCmdReadDmaNoRetry = 0xC9;
inline constexpr uint8_t kCmdWriteDma = 0xCA;
inline constexpr uint8_t kCmdWriteDmaNoRetry = 0xCB;
inline constexpr uint8_t kCmdStandbyImmediate = 0xE0;
inline constexpr uint8_t kCmdIdleImmediate = 0xE1;
inline constexpr uint8_t kCmdStandby = 0xE2;
inline constexpr uint8_t kCmdIdle = 0xE3;
inline constexpr uint8_t kCmdCheckPowerMode = 0xE5;
inline constexpr uint8_t kCmdSleep = 0xE6;
inline constexpr uint8_t kCmdFlushCache = 0xE7;
inline constexpr uint8_t kCmdIdentify = 0xEC;
inline constexpr uint8_t kCmdFlushCacheExt = 0xEA;
inline constexpr uint8_t kCmdSetFeatures = 0xEF;
// Pre-ATA-4 opcodes of the power commands (0x94-0x99), still issued by old BIOSes.
inline constexpr uint8_t kCmdOldStandbyImmediate = 0x94;
inline constexpr uint8_t kCmdOldCheckPowerMode = 0x98;
inline constexpr uint8_t kCmdOldSleep = 0x99;

// SET FEATURES subcommands (feature register values).
inline constexpr uint8_t kFeatureEnableWriteCache = 0x02;
inline constexpr uint8_t kFeatureSetTransferMode = 0x03;
inline constexpr uint8_t kFeatureDisableReadLookAhead = 0x55;
inline constexpr uint8_t kFeatureDisableRevertDefaults = 0x66;
inline constexpr uint8_t kFeatureDisableWriteCache = 0x82;
inline constexpr uint8_t kFeatureEnableReadLookAhead = 0xAA;
inline constexpr uint8_t kFeatureEnableRevertDefaults = 0xCC;

}  // namespace pvx::ata
