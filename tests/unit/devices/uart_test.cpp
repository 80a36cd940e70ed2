// 16550A UART: registers, FIFOs, loopback and interrupt priorities from the PC16550D datasheet.
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>

#include "common/char_backend.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "devices/uart/uart16550.h"

namespace pvx {
namespace {

class ScriptedBackend final : public CharBackend {
public:
    void write(const uint8_t* data, size_t len) override { out.append(reinterpret_cast<const char*>(data), len); }
    int readByte() override {
        if (in.empty()) return -1;
        int c = in.front();
        in.pop_front();
        return c;
    }
    void feed(const std::string& s) { in.insert(in.end(), s.begin(), s.end()); }
    std::string out;
    std::deque<uint8_t> in;
};

class UartTest : public ::testing::Test {
protected:
    static constexpr uint16_t kBase = 0x3F8;
    void SetUp() override { uart.attach(bus); }
    void out(unsigned off, uint8_t v) { bus.write(static_cast<uint16_t>(kBase + off), 1, v); }
    uint8_t in(unsigned off) { return static_cast<uint8_t>(bus.read(static_cast<uint16_t>(kBase + off), 1)); }

    PortBus bus;
    IrqLine irq4;
    ScriptedBackend backend;
    Uart16550 uart{kBase, irq4, backend};
};

TEST_F(UartTest, ResetState) {
    EXPECT_EQ(in(1), 0x00);  // IER
    EXPECT_EQ(in(2), 0x01);  // IIR: no interrupt, FIFOs off
    EXPECT_EQ(in(3), 0x00);
    EXPECT_EQ(in(4), 0x00);
    EXPECT_EQ(in(5), 0x60);  // THRE | TEMT
    EXPECT_EQ(in(6), 0xB0);  // DCD, DSR, CTS from the attached terminal; no deltas
    EXPECT_FALSE(irq4.level());
    EXPECT_EQ(bus.nameAt(kBase), "uart-com1");
    EXPECT_EQ(bus.nameAt(kBase + 7), "uart-com1");
}

TEST_F(UartTest, OutputBytesReachTheBackendImmediately) {
    for (char c : std::string("Hi\n")) {
        EXPECT_EQ(in(5) & 0x60, 0x60);
        out(0, static_cast<uint8_t>(c));
        EXPECT_EQ(in(5), 0x60);  // infinitely fast transmitter
    }
    EXPECT_EQ(backend.out, "Hi\n");
    EXPECT_EQ(uart.bytesOut, 3u);
    EXPECT_EQ(uart.ioWrites, 3u);
    EXPECT_EQ(uart.ioReads, 6u);
}

TEST_F(UartTest, DivisorLatch) {
    out(3, 0x80);  // DLAB
    out(0, 0x01);
    out(1, 0x00);
    EXPECT_EQ(in(0), 0x01);
    EXPECT_EQ(in(1), 0x00);
    out(0, 0x0C);
    EXPECT_EQ(uart.divisor(), 12);
    EXPECT_TRUE(backend.out.empty());  // divisor writes are not data
    out(3, 0x03);                      // 8N1, DLAB off
    EXPECT_EQ(in(3), 0x03);
    EXPECT_EQ(in(1), 0x00);  // IER again
    out(0, 'x');
    EXPECT_EQ(backend.out, "x");
    EXPECT_EQ(uart.divisor(), 12);
}

TEST_F(UartTest, ScratchRegister) {
    out(7, 0x5A);
    EXPECT_EQ(in(7), 0x5A);
    uart.reset();
    EXPECT_EQ(in(7), 0x5A);  // master reset leaves SCR alone
}

TEST_F(UartTest, LoopbackEchoesAndMirrorsModemControl) {
    out(4, 0x10);
    out(0, 'A');
    EXPECT_TRUE(backend.out.empty());
    EXPECT_EQ(in(5), 0x61);  // DR
    EXPECT_EQ(in(0), 'A');
    EXPECT_EQ(in(5), 0x60);
    in(6);  // clear the deltas from entering loopback
    // Linux's 8250 probe: LOOP | OUT2 | RTS must read back DCD | CTS.
    out(4, 0x1A);
    EXPECT_EQ(in(6) & 0xF0, 0x90);
    out(4, 0x1F);
    EXPECT_EQ(in(6), 0xF2);  // all four inputs; only DSR changed (DDSR); RI rising is no TERI
}

TEST_F(UartTest, LoopbackInputIgnoresTheBackend) {
    out(4, 0x10);
    backend.feed("zz");
    uart.pollInput();
    EXPECT_EQ(in(5) & 1, 0);
    out(4, 0x00);
    uart.pollInput();
    EXPECT_EQ(in(0), 'z');
}

TEST_F(UartTest, ThreInterruptSemantics) {
    out(4, 0x08);  // OUT2: IRQ reaches the bus
    out(1, 0x02);  // ETBEI with THR empty: THRE interrupt at once
    EXPECT_EQ(in(2), 0x02);
    EXPECT_FALSE(irq4.level());  // reading IIR cleared it
    EXPECT_EQ(in(2), 0x01);
    out(0, 'a');                 // THR written and emptied again: a new THRE event
    EXPECT_TRUE(irq4.level());
    out(1, 0x00);
    EXPECT_FALSE(irq4.level());
    out(1, 0x02);
    EXPECT_TRUE(irq4.level());
    out(0, 'b');
    EXPECT_TRUE(irq4.level());
    EXPECT_EQ(in(2), 0x02);
    EXPECT_FALSE(irq4.level());
}

TEST_F(UartTest, Out2GatesTheIrqLine) {
    out(1, 0x02);
    EXPECT_FALSE(irq4.level());
    out(4, 0x08);
    EXPECT_TRUE(irq4.level());
    out(4, 0x18);  // loopback forces the /OUT2 pin inactive
    EXPECT_FALSE(irq4.level());
    EXPECT_EQ(in(2), 0x02);  // the source is still reported
}

TEST_F(UartTest, ReceiveDataInterruptWithoutFifo) {
    out(4, 0x08);
    out(1, 0x01);
    backend.feed("xy");
    uart.pollInput();
    EXPECT_EQ(uart.rxCount(), 1u);  // a 16450-style single holding register
    EXPECT_TRUE(irq4.level());
    EXPECT_EQ(in(2), 0x04);
    EXPECT_EQ(in(0), 'x');
    EXPECT_FALSE(irq4.level());
    uart.pollInput();
    EXPECT_EQ(in(0), 'y');
    EXPECT_EQ(uart.bytesIn, 2u);
    EXPECT_EQ(uart.overruns, 0u);  // polling never overruns the receiver
}

TEST_F(UartTest, FifoTriggerLevelAndCharacterTimeout) {
    out(4, 0x08);
    out(2, 0xC7);  // enable + clear FIFOs, RX trigger 14
    EXPECT_EQ(in(2), 0xC1);
    out(1, 0x01);
    backend.feed(std::string(13, 'q'));
    uart.pollInput();
    EXPECT_EQ(uart.rxCount(), 13u);
    EXPECT_FALSE(irq4.level());  // below the trigger level
    uart.pollInput();            // a quiet poll interval: character timeout
    EXPECT_TRUE(irq4.level());
    EXPECT_EQ(in(2), 0xCC);
    in(0);                       // reading a character clears the timeout
    EXPECT_FALSE(irq4.level());
    EXPECT_EQ(in(2), 0xC1);
    backend.feed("rr");
    uart.pollInput();            // 14 bytes: trigger reached
    EXPECT_EQ(in(2), 0xC4);
    EXPECT_TRUE(irq4.level());
    in(0);
    EXPECT_EQ(in(2), 0xC1);      // 13 again: below trigger, timeout not yet due
    uart.pollInput();            // the read counts as activity
    EXPECT_EQ(in(2), 0xC1);
    uart.pollInput();
    EXPECT_EQ(in(2), 0xCC);
}

TEST_F(UartTest, FifoTriggerLevels) {
    out(1, 0x01);
    const uint8_t fcr[4] = {0x01, 0x41, 0x81, 0xC1};
    const unsigned level[4] = {1, 4, 8, 14};
    for (int i = 0; i < 4; ++i) {
        out(2, 0x07);  // clear
        out(2, fcr[i]);
        backend.feed(std::string(level[i] - 1, 'a'));
        uart.pollInput();
        if (level[i] > 1) {
            EXPECT_EQ(in(2), 0xC1) << level[i];
        }
        backend.feed("b");
        uart.pollInput();
        EXPECT_EQ(in(2), 0xC4) << level[i];
    }
}

TEST_F(UartTest, PollPullsOnlyWhatFits) {
    out(2, 0x01);
    backend.feed(std::string(40, 'k'));
    uart.pollInput();
    EXPECT_EQ(uart.rxCount(), 16u);
    EXPECT_EQ(backend.in.size(), 24u);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(in(0), 'k');
    EXPECT_EQ(in(5) & 1, 0);
    uart.pollInput();
    EXPECT_EQ(uart.rxCount(), 16u);
    EXPECT_EQ(uart.bytesIn, 32u);
}

TEST_F(UartTest, DisablingFifoClearsIt) {
    out(2, 0x01);
    backend.feed("abc");
    uart.pollInput();
    out(2, 0x00);
    EXPECT_EQ(uart.rxCount(), 0u);
    EXPECT_EQ(in(2), 0x01);
}

TEST_F(UartTest, OverrunAndLineStatusPriority) {
    out(4, 0x10);   // loopback
    out(1, 0x0F);   // all sources
    out(0, '1');
    out(0, '2');    // no FIFO: overwrites the unread character
    EXPECT_EQ(in(2), 0x06);  // line status outranks everything
    EXPECT_EQ(in(5), 0x63);  // DR | OE | THRE | TEMT; reading clears OE
    EXPECT_EQ(in(2), 0x04);  // then received data
    EXPECT_EQ(in(0), '2');
    EXPECT_EQ(in(2), 0x02);  // then THRE (reading IIR clears it)
    EXPECT_EQ(in(2), 0x00);  // then modem status (deltas from entering loopback)
    in(6);
    EXPECT_EQ(in(2), 0x01);
    EXPECT_EQ(uart.overruns, 1u);
}

TEST_F(UartTest, FifoOverrunKeepsTheFifo) {
    out(4, 0x10);
    out(2, 0x01);
    for (int i = 0; i < 17; ++i) out(0, static_cast<uint8_t>('a' + i));
    EXPECT_EQ(in(5) & 0x02, 0x02);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(in(0), 'a' + i);
    EXPECT_EQ(in(5) & 0x01, 0);
}

TEST_F(UartTest, ModemStatusInterrupt) {
    out(4, 0x10);
    in(6);
    out(1, 0x08);
    EXPECT_EQ(in(2), 0x01);
    out(4, 0x11);  // DTR -> DSR in loopback
    EXPECT_EQ(in(2), 0x00);
    EXPECT_EQ(in(6), 0x22);  // DSR | DDSR
    EXPECT_EQ(in(2), 0x01);
    out(4, 0x14);  // OUT1 -> RI rises, DTR drops
    EXPECT_EQ(in(6), 0x42);  // RI, DDSR; no TERI on a rising RI
    out(4, 0x10);  // RI falls: trailing edge
    EXPECT_EQ(in(6), 0x04);
}

TEST_F(UartTest, WordAccessSplitsIntoBytes) {
    bus.write(kBase + 3, 2, 0x0803);  // LCR = 03h, MCR = 08h
    EXPECT_EQ(in(3), 0x03);
    EXPECT_EQ(in(4), 0x08);
    EXPECT_EQ(bus.read(kBase + 5, 2), 0xB060u);  // LSR, MSR
}

TEST_F(UartTest, ResetClearsState) {
    out(2, 0x01);
    out(1, 0x0F);
    out(3, 0x1B);
    out(4, 0x1F);
    uart.reset();
    EXPECT_EQ(in(1), 0x00);
    EXPECT_EQ(in(2), 0x01);
    EXPECT_EQ(in(3), 0x00);
    EXPECT_EQ(in(4), 0x00);
    EXPECT_FALSE(irq4.level());
}

TEST_F(UartTest, OtherPortNames) {
    PortBus b2;
    Uart16550 com2(0x2F8, irq4, backend), odd(0x5000, irq4, backend);
    com2.attach(b2);
    odd.attach(b2);
    EXPECT_EQ(b2.nameAt(0x2F8), "uart-com2");
    EXPECT_EQ(b2.nameAt(0x5003), "uart-5000");
}

TEST_F(UartTest, HostileSequencesNeverCrash) {
    std::mt19937 rng(99);
    for (int i = 0; i < 200000; ++i) {
        switch (rng() % 4) {
        case 0: out(rng() % 8, static_cast<uint8_t>(rng())); break;
        case 1: in(rng() % 8); break;
        case 2: backend.feed(std::string(rng() % 20, 'h')); break;
        default: uart.pollInput(); break;
        }
    }
    SUCCEED();
}

}  // namespace
}  // namespace pvx
