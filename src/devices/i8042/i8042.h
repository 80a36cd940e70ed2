// The 8042 keyboard controller at ports 60h (data) and 64h (status / command), with a PS/2
// keyboard on its first port and nothing on its auxiliary (mouse) port. Reference: IBM PS/2
// Hardware Interface Technical Reference, "Keyboard/Auxiliary Device Controller" (status
// register, command byte, controller commands, input and output ports).
//
// Status register (64h read): bit 0 OBF, 1 IBF (always 0: writes are consumed at once), 2 SYS
// (command byte bit 2), 3 A2 (last write was to 64h), 4 keyboard not inhibited (1: no keylock),
// 5 AUXB (the output buffer holds auxiliary data), 6 timeout, 7 parity error (0).
//
// Command byte: bit 0 IRQ1 on keyboard OBF, 1 IRQ12 on auxiliary OBF, 2 SYS, 4 keyboard
// interface disabled, 5 auxiliary interface disabled, 6 XLAT (set 2 -> set 1 translation).
//
// Output port (D0h/D1h): bit 0 system reset (active low), bit 1 A20 gate, bit 4 keyboard OBF
// (IRQ1), bit 5 auxiliary OBF (IRQ12). Writing bit 0 = 0, or pulsing it with FEh (any FxH with
// bit 0 clear), requests a system reset.
//
// The machine must wire: onA20 (to the A20 line, shared last-write-wins with port 92h) and resetRequest.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include "common/irq_line.h"
#include "common/port_bus.h"
#include "devices/i8042/byte_fifo.h"
#include "devices/i8042/ps2_keyboard.h"
#include "devices/i8042/scancode_translator.h"

namespace pvx {

class I8042 final : public PortDevice {
public:
    static constexpr uint16_t kDataPort = 0x60;
    static constexpr uint16_t kCommandPort = 0x64;
    // Status bits.
    static constexpr uint8_t kStatObf = 0x01, kStatSys = 0x04, kStatA2 = 0x08, kStatUnlocked = 0x10,
                             kStatAuxb = 0x20, kStatTimeout = 0x40;
    // Command byte bits.
    static constexpr uint8_t kCmdKbdInt = 0x01, kCmdAuxInt = 0x02, kCmdSys = 0x04,
                             kCmdKbdDisable = 0x10, kCmdAuxDisable = 0x20, kCmdXlat = 0x40;
    // Power-on command byte: translation on, keyboard interrupt on, no mouse. The 8042's own
    // power-on value is firmware-specific; this is what PC firmware programs.
    static constexpr uint8_t kResetCommandByte = 0x61;
    // Power-on output port: reset line inactive, A20 on, clock/data lines high.
    static constexpr uint8_t kResetOutputPort = 0xCF;

    I8042(IrqLine& irq1, IrqLine& irq12);
    I8042(const I8042&) = delete;
    I8042& operator=(const I8042&) = delete;

    void attach(PortBus& bus);
    // Controller and keyboard power-on state; reports the output port's A20 through onA20.
    void reset();

    std::function<void(bool enabled)> onA20;
    std::function<void()> resetRequest;

    // Host keyboard input (SDL later): see Ps2Keyboard::keyEvent / sendSet2.
    void keyEvent(std::span<const uint8_t> set2Make, bool release);
    void keySequence(std::span<const uint8_t> set2Bytes);

    uint8_t status() const;
    uint8_t commandByte() const { return ram_[0]; }
    uint8_t outputPort() const;
    bool a20() const { return outPort_ & 0x02; }
    Ps2Keyboard& keyboard() { return kbd_; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t resetRequests = 0;

private:
    struct Reply {
        uint8_t byte;
        bool aux;
    };
    uint8_t readData();
    void writeData(uint8_t v);
    void writeCommand(uint8_t v);
    void controllerReply(uint8_t v, bool aux = false);
    void writeOutputPort(uint8_t v);
    void setA20(bool on);
    void requestReset();
    void refill();
    void updateIrqs();

    IrqLine& irq1_;
    IrqLine& irq12_;
    Ps2Keyboard kbd_;
    ScancodeTranslator xlat_;
    std::array<uint8_t, 32> ram_{};  // controller RAM; byte 0 is the command byte
    std::array<Reply, 8> replies_{};
    size_t replyHead_ = 0;
    size_t replyCount_ = 0;
    bool obf_ = false;
    bool obAux_ = false;
    uint8_t ob_ = 0;
    bool lastWasCommand_ = false;
    bool timeout_ = false;
    uint8_t pendingCommand_ = 0;  // a controller command waiting for its data byte
    uint8_t outPort_ = kResetOutputPort;
};

}  // namespace pvx
