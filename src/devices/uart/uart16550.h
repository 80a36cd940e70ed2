// National Semiconductor PC16550D UART (datasheet "PC16550D Universal Asynchronous
// Receiver/Transmitter with FIFOs", sections 8.1-8.10 register descriptions and Table IV,
// "Interrupt Control Functions"), at eight consecutive ports from `base`.
//
// The transmitter is modelled as infinitely fast, deliberately: a byte written to THR reaches the
// CharBackend at once and THR/TSR are empty again immediately (LSR THRE and TEMT always read 1),
// so console output costs one port write per byte and nothing else -- the throughput baseline the
// PV console is compared with. Baud rate and line format are stored but do not slow anything.
//
// Input arrives only through pollInput(), which the machine calls periodically: it moves bytes
// from CharBackend::readByte() into the receiver while there is room (so the backend is never
// overrun), and stands in for the character timer: a FIFO that holds data but saw no receive and
// no read during one whole poll interval raises the character-timeout interrupt.
//
// On the PC the interrupt output reaches the ISA IRQ line only while MCR OUT2 is set, through a
// buffer driven by the /OUT2 pin; in loopback mode that pin is forced inactive (datasheet 8.7),
// so no IRQ leaves the card then. IIR still reports pending sources in both cases.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "common/char_backend.h"
#include "common/irq_line.h"
#include "common/port_bus.h"

namespace pvx {

class Uart16550 final : public PortDevice {
public:
    static constexpr unsigned kFifoSize = 16;
    // Register offsets.
    static constexpr unsigned kRbrThrDll = 0, kIerDlm = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5,
                              kMsr = 6, kScr = 7;
    // LSR bits.
    static constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
    // MCR bits.
    static constexpr uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08,
                             kMcrLoop = 0x10;
    // IER bits.
    static constexpr uint8_t kIerRda = 0x01, kIerThre = 0x02, kIerRls = 0x04, kIerMsi = 0x08;

    Uart16550(uint16_t base, IrqLine& irq, CharBackend& backend);
    Uart16550(const Uart16550&) = delete;
    Uart16550& operator=(const Uart16550&) = delete;

    // Claims base..base+7 as "uart-com1".."uart-com4" for the standard bases.
    void attach(PortBus& bus);
    // Master reset (datasheet Table III): IER, IIR, FCR, LCR, MCR, LSR, MSR deltas and the FIFOs.
    // The divisor latch and the scratch register keep their contents.
    void reset();
    void pollInput();

    uint16_t base() const { return base_; }
    uint16_t divisor() const { return static_cast<uint16_t>(dll_ | (dlm_ << 8)); }
    uint8_t lineControl() const { return lcr_; }
    uint8_t modemControl() const { return mcr_; }
    bool fifoEnabled() const { return fifoEnabled_; }
    unsigned rxCount() const { return rxCount_; }
    std::string portName() const;

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t bytesOut = 0;   // bytes delivered to the backend
    uint64_t bytesIn = 0;    // bytes taken from the backend
    uint64_t overruns = 0;   // received bytes lost to a full receiver

private:
    uint8_t readReg(unsigned offset);
    void writeReg(unsigned offset, uint8_t v);
    void transmit(uint8_t v);
    void receive(uint8_t v);
    uint8_t popRx();
    void clearRx();
    unsigned rxCapacity() const { return fifoEnabled_ ? kFifoSize : 1; }
    uint8_t interruptId() const;
    uint8_t modemInputs() const;
    void updateModemInputs();
    void updateIrq();

    uint16_t base_;
    IrqLine& irq_;
    CharBackend& backend_;

    std::array<uint8_t, kFifoSize> rx_{};
    unsigned rxHead_ = 0;
    unsigned rxCount_ = 0;
    uint8_t lastRx_ = 0;
    bool fifoEnabled_ = false;
    unsigned rxTrigger_ = 1;
    uint8_t fcrDma_ = 0;

    uint8_t ier_ = 0;
    uint8_t lcr_ = 0;
    uint8_t mcr_ = 0;
    uint8_t lsrErrors_ = 0;   // OE (PE/FE/BI never occur: no line noise on a backend)
    uint8_t msrInputs_ = 0;   // MSR bits 7-4 as last sampled
    uint8_t msrDeltas_ = 0;   // MSR bits 3-0
    uint8_t scr_ = 0;
    uint8_t dll_ = 0;
    uint8_t dlm_ = 0;
    bool threPending_ = false;
    bool timeoutPending_ = false;
    bool rxActivity_ = false;  // a byte was received or read since the last poll
};

}  // namespace pvx
