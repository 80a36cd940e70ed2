// The GDB remote stub (GDB manual, Appendix E "GDB Remote Serial Protocol"), all-stop mode, one
// client on 127.0.0.1. It runs between the machine's CPU slices (DebugHub::beforeSlice): while
// the guest runs it polls the socket for the interrupt byte without blocking; while the guest is
// stopped it blocks on the socket and serves packets until a continue/step/detach/kill.
// Breakpoints and single steps are checked by the CPU's stepped path (beforeInsn), watchpoints by
// the TLB slow path (dataAccess); neither patches guest memory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "debug/breakpoints.h"
#include "debug/gdb_connection.h"
#include "debug/gdb_packet.h"

namespace pvx {
class Machine;
namespace cpu {
class Cpu;
}
}  // namespace pvx

namespace pvx::debug {

class GdbStub {
public:
    GdbStub(Machine& m, bool waitForClient);
    // Opens the listening socket; false with `err` set if the port is unusable.
    bool listen(uint16_t port, std::string& err);
    uint16_t port() const { return conn_.port(); }

    // Between CPU slices. Returns false when the debugger killed the guest.
    bool beforeSlice();
    // The machine stopped for good (guest exit, power-off, shutdown): tell the debugger (E.3
    // "Stop Reply Packets", W).
    void machineExited(int status);

    // CPU hooks.
    bool wantsStep() const { return connected() && (stepping_ || bps_.anyCode()); }
    bool watching() const { return connected() && bps_.anyWatch(); }
    bool beforeInsn(cpu::Cpu& c, uint64_t linearRip);
    bool watchesPage(uint64_t lin) const { return bps_.watchesPage(lin); }
    void dataAccess(cpu::Cpu& c, uint64_t lin, unsigned size, bool write);
    // Bumped whenever the watchpoint set changes (the hub then flushes the TLB).
    uint64_t watchGeneration() const { return watchGen_; }

    // For tests: feed one packet payload and get the reply ("" for none).
    std::string handlePacketForTest(const std::string& payload) { return handle(payload); }

private:
    bool connected() const { return conn_.connected(); }
    void processInput(bool blocking);
    std::string handle(const std::string& payload);
    void sendPacket(const std::string& payload);
    void stopWith(const std::string& reply);  // the guest stopped: report it
    void resume(bool step);
    void detach();
    std::string readRegisters();
    std::string writeRegisters(const std::string& hex);
    std::string readMemory(const std::string& args);
    std::string writeMemory(const std::string& args, bool binary);
    std::string breakpoint(const std::string& args, bool insert);
    std::string query(const std::string& payload);
    std::string vCont(const std::string& payload);

    Machine& m_;
    GdbConnection conn_;
    PacketDecoder decoder_;
    BreakpointSet bps_;
    bool waitFirst_;
    bool stopped_ = false;
    bool killed_ = false;
    bool noAck_ = false;
    bool reply_ = true;         // the packet being handled gets a reply now
    std::string lastSent_;      // for a retransmission after `-`
    std::string lastStop_ = "S05";
    std::string pendingStop_;   // set by the CPU hooks; reported at the next slice boundary
    // Single step and "continue from a breakpoint": the instruction count and linear PC at the
    // resume, so the instruction there runs once before a breakpoint on it counts again.
    bool stepping_ = false;
    uint64_t resumeIcount_ = 0, resumePc_ = 0;
    uint64_t watchGen_ = 0;
};

}  // namespace pvx::debug
