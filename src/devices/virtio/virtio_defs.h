// Constants of the virtio 1.2 specification (OASIS virtio v1.2 cs01) that the transport and the
// devices share: device status bits (§2.1), reserved feature bits (§6), PCI IDs (§4.1.2) and the
// PCI capability layout (§4.1.4).
#pragma once
#include <cstdint>

namespace pvx::virtio {

// §2.1 Device Status Field.
inline constexpr uint8_t kStatusAcknowledge = 1;
inline constexpr uint8_t kStatusDriver = 2;
inline constexpr uint8_t kStatusDriverOk = 4;
inline constexpr uint8_t kStatusFeaturesOk = 8;
inline constexpr uint8_t kStatusNeedsReset = 0x40;
inline constexpr uint8_t kStatusFailed = 0x80;

// §6 Reserved Feature Bits (the ones pvx offers).
inline constexpr uint64_t kFeatureRingIndirectDesc = 1ull << 28;
inline constexpr uint64_t kFeatureRingEventIdx = 1ull << 29;
inline constexpr uint64_t kFeatureVersion1 = 1ull << 32;
inline constexpr uint64_t kTransportFeatures = kFeatureRingIndirectDesc | kFeatureRingEventIdx | kFeatureVersion1;

// §5 Device Types.
inline constexpr uint16_t kDeviceBlock = 2;
inline constexpr uint16_t kDeviceConsole = 3;
inline constexpr uint16_t kDeviceEntropy = 4;

// §4.1.2 PCI Device Discovery: vendor 1AF4; transitional device IDs 1000 + (type-dependent)
// (§4.1.2.3: 1001 block, 1003 console, 1005 entropy); subsystem device ID = device type.
inline constexpr uint16_t kPciVendor = 0x1AF4;
inline constexpr uint16_t kPciTransitionalBlock = 0x1001;
inline constexpr uint16_t kPciTransitionalConsole = 0x1003;
inline constexpr uint16_t kPciTransitionalEntropy = 0x1005;

// §4.1.4 Virtio Structure PCI Capabilities: cfg_type values.
inline constexpr uint8_t kPciCapVendor = 0x09;
inline constexpr uint8_t kPciCapCommonCfg = 1;
inline constexpr uint8_t kPciCapNotifyCfg = 2;
inline constexpr uint8_t kPciCapIsrCfg = 3;
inline constexpr uint8_t kPciCapDeviceCfg = 4;
inline constexpr uint8_t kPciCapPciCfg = 5;

// §4.1.4.5 ISR status bits.
inline constexpr uint8_t kIsrQueue = 1;
inline constexpr uint8_t kIsrConfig = 2;

}  // namespace pvx::virtio
