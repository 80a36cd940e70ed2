#include "debug/gdb_stub.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/log.h"
#include "cpu/cpu.h"
#include "debug/gdb_monitor.h"
#include "debug/gdb_registers.h"
#include "debug/guest_memory.h"
#include "debug/target_xml.h"
#include "machine/machine.h"

namespace pvx::debug {

namespace {
constexpr size_t kMaxMemoryPacket = 0x1000;  // bytes per m/M/X: the reply fits PacketSize

bool startsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// "ADDR,LEN" (and the rest after `sep` if given).
bool parseAddrLen(const std::string& s, uint64_t& addr, uint64_t& len, std::string* rest = nullptr) {
    const size_t comma = s.find(',');
    if (comma == std::string::npos) return false;
    size_t end = s.size();
    if (rest) {
        end = s.find(':', comma);
        if (end == std::string::npos) return false;
        *rest = s.substr(end + 1);
    }
    return parseHexU64(std::string_view(s).substr(0, comma), addr) &&
           parseHexU64(std::string_view(s).substr(comma + 1, end - comma - 1), len);
}
}  // namespace

GdbStub::GdbStub(Machine& m, bool waitForClient) : m_(m), waitFirst_(waitForClient) {}

bool GdbStub::listen(uint16_t port, std::string& err) { return conn_.listen(port, err); }

void GdbStub::sendPacket(const std::string& payload) {
    lastSent_ = encodePacket(payload);
    conn_.send(lastSent_);
}

bool GdbStub::beforeSlice() {
    if (!connected()) {
        // A new client stops the guest (it expects a stopped target and asks `?`). With
        // --gdb-wait the first one is awaited before the guest runs at all.
        const bool got = waitFirst_ ? conn_.accept(-1) : conn_.accept(0);
        waitFirst_ = false;
        if (!got) return true;
        logInfo("gdb: debugger connected");
        decoder_ = PacketDecoder{};
        noAck_ = false;
        stopped_ = true;
        stepping_ = false;
        pendingStop_.clear();
        lastStop_ = "S05";
    }
    if (!pendingStop_.empty()) {
        std::string r;
        r.swap(pendingStop_);
        stopWith(r);
    }
    processInput(false);
    while (stopped_ && connected() && !killed_) processInput(true);
    if (!connected()) {
        // The debugger went away: nothing it set stays armed, the guest runs on.
        bps_.clear();
        ++watchGen_;
        stepping_ = false;
        stopped_ = false;
    }
    return !killed_;
}

void GdbStub::processInput(bool blocking) {
    std::vector<uint8_t> bytes;
    if (!conn_.receive(blocking ? 200 : 0, bytes)) return;
    std::vector<PacketDecoder::Event> events;
    decoder_.feed(bytes.data(), bytes.size(), events);
    for (auto& e : events) {
        if (!connected() || killed_) return;
        switch (e.kind) {
            case PacketDecoder::Kind::Ack: break;
            case PacketDecoder::Kind::Nak:
                if (!lastSent_.empty()) conn_.send(lastSent_);
                break;
            case PacketDecoder::Kind::Bad:
                if (!noAck_) conn_.send("-");
                break;
            case PacketDecoder::Kind::Interrupt:
                // Ctrl-C (E.9 "Interrupts"): stop and report SIGINT.
                if (!stopped_) stopWith("T02");
                break;
            case PacketDecoder::Kind::Packet: {
                if (!noAck_) conn_.send("+");
                reply_ = true;  // continue, step and kill answer later (a stop reply) or never
                std::string reply = handle(e.payload);
                if (reply_) sendPacket(reply);
                if (e.payload == "QStartNoAckMode") noAck_ = true;
                if (startsWith(e.payload, "D")) conn_.closeClient();
                break;
            }
        }
    }
}

void GdbStub::stopWith(const std::string& reply) {
    stopped_ = true;
    stepping_ = false;
    lastStop_ = reply;
    sendPacket(reply);
}

void GdbStub::resume(bool step) {
    cpu::Cpu& c = m_.cpu();
    stopped_ = false;
    reply_ = false;
    stepping_ = step;
    resumeIcount_ = c.icount;
    resumePc_ = linearPc(c);
    c.endTrace();
}

void GdbStub::detach() {
    bps_.clear();
    ++watchGen_;
    stepping_ = false;
    stopped_ = false;
}

void GdbStub::machineExited(int status) {
    if (!connected()) return;
    char b[8];
    std::snprintf(b, sizeof b, "W%02x", status & 0xFF);
    sendPacket(b);
    conn_.closeClient();
}

bool GdbStub::beforeInsn(cpu::Cpu& c, uint64_t linearRip) {
    if (!connected()) return false;
    const bool atResume = c.icount == resumeIcount_ && linearRip == resumePc_;
    if (stepping_ && !atResume) {
        pendingStop_ = "T05";
        return true;
    }
    if (!atResume && bps_.isCode(linearRip)) {
        pendingStop_ = "T05swbreak:;";
        return true;
    }
    return false;
}

void GdbStub::dataAccess(cpu::Cpu& c, uint64_t lin, unsigned size, bool write) {
    const Watchpoint* w = connected() && pendingStop_.empty() ? bps_.match(lin, size, write) : nullptr;
    if (!w) return;
    // E.3: watch (write), rwatch (read), awatch (access), with the watched address.
    const char* kind = w->kind == WatchKind::Write ? "watch" : w->kind == WatchKind::Read ? "rwatch" : "awatch";
    char b[64];
    std::snprintf(b, sizeof b, "T05%s:%" PRIx64 ";", kind, w->addr);
    pendingStop_ = b;
    c.requestStop();  // after this instruction completes: a watchpoint is a trap
}

std::string GdbStub::handle(const std::string& p) {
    if (p.empty()) return "";
    cpu::Cpu& c = m_.cpu();
    switch (p[0]) {
        case '?': return lastStop_;
        case 'g': return readRegisters();
        case 'G': return writeRegisters(p.substr(1));
        case 'p': {
            uint64_t n;
            if (!parseHexU64(std::string_view(p).substr(1), n) || n >= reg::kCount) return "E01";
            uint8_t buf[16];
            readRegister(c, static_cast<unsigned>(n), buf);
            return toHex(buf, registerInfo(static_cast<unsigned>(n)).bits / 8);
        }
        case 'P': {
            const size_t eq = p.find('=');
            uint64_t n;
            std::vector<uint8_t> v;
            if (eq == std::string::npos || !parseHexU64(std::string_view(p).substr(1, eq - 1), n) || n >= reg::kCount ||
                !fromHex(std::string_view(p).substr(eq + 1), v) || v.size() != registerInfo(static_cast<unsigned>(n)).bits / 8)
                return "E01";
            return writeRegister(c, static_cast<unsigned>(n), v.data()) ? "OK" : "E02";
        }
        case 'm': return readMemory(p.substr(1));
        case 'M': return writeMemory(p.substr(1), false);
        case 'X': return writeMemory(p.substr(1), true);
        case 'Z': return breakpoint(p.substr(1), true);
        case 'z': return breakpoint(p.substr(1), false);
        case 'c':
        case 's':
        case 'C':
        case 'S': {
            // c [addr] / C sig[;addr]: a signal means nothing to a bare machine and is dropped.
            std::string addr = p.substr(1);
            if (p[0] == 'C' || p[0] == 'S') {
                const size_t semi = addr.find(';');
                addr = semi == std::string::npos ? "" : addr.substr(semi + 1);
            }
            if (!addr.empty()) {
                uint64_t a;
                if (!parseHexU64(addr, a)) return "E01";
                uint8_t buf[8];
                std::memcpy(buf, &a, 8);
                writeRegister(c, reg::kRip, buf);
            }
            resume(p[0] == 's' || p[0] == 'S');
            return "";
        }
        case 'D': detach(); return "OK";
        case 'k':
            killed_ = true;
            reply_ = false;
            return "";
        case 'H': return "OK";   // one thread: every thread id names it
        case 'T': return "OK";   // thread alive
        case 'q':
        case 'Q': return query(p);
        case 'v':
            if (startsWith(p, "vCont")) return vCont(p);
            if (startsWith(p, "vKill")) {
                killed_ = true;
                return "OK";
            }
            return "";
        default: return "";
    }
}

std::string GdbStub::vCont(const std::string& p) {
    if (p == "vCont?") return "vCont;c;C;s;S";
    if (!startsWith(p, "vCont;") || p.size() < 7) return "";
    // The first action applies to our only thread (E.2 "vCont").
    const char a = p[6];
    if (a == 'c' || a == 'C') resume(false);
    else if (a == 's' || a == 'S') resume(true);
    else if (a == 't') return "OK";
    else return "E01";
    return "";
}

std::string GdbStub::query(const std::string& p) {
    if (startsWith(p, "qSupported"))
        return "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+";
    if (p == "QStartNoAckMode") return "OK";
    if (p == "qAttached" || startsWith(p, "qAttached:")) return "1";
    if (p == "qC") return "QC1";
    if (p == "qfThreadInfo") return "m1";
    if (p == "qsThreadInfo") return "l";
    if (startsWith(p, "qSymbol")) return "OK";
    if (startsWith(p, "qXfer:features:read:")) {
        // qXfer:features:read:ANNEX:OFFSET,LENGTH (E.4 "General Query Packets").
        const std::string rest = p.substr(20);
        const size_t colon = rest.find(':');
        if (colon == std::string::npos) return "E00";
        if (rest.substr(0, colon) != "target.xml") return "E00";
        uint64_t off, len;
        if (!parseAddrLen(rest.substr(colon + 1), off, len)) return "E00";
        const std::string& x = targetXml();
        if (off >= x.size()) return "l";
        len = std::min<uint64_t>(len, PacketDecoder::kMaxPayload / 2);
        const std::string chunk = x.substr(off, len);
        std::string reply(1, off + chunk.size() >= x.size() ? 'l' : 'm');
        reply += chunk;
        return reply;
    }
    if (startsWith(p, "qRcmd,")) {
        std::vector<uint8_t> cmd;
        if (!fromHex(std::string_view(p).substr(6), cmd)) return "E01";
        const std::string out = runMonitorCommand(m_, std::string(cmd.begin(), cmd.end()));
        // Console output travels in `O` packets before the final OK (E.4 "qRcmd").
        for (size_t k = 0; k < out.size(); k += 512) {
            const std::string part = out.substr(k, 512);
            std::string pkt = "O";
            pkt += toHex(part.data(), part.size());
            sendPacket(pkt);
        }
        return "OK";
    }
    return "";
}

std::string GdbStub::readRegisters() {
    std::string out;
    uint8_t buf[16];
    for (unsigned n = 0; n < reg::kCount; ++n) {
        readRegister(m_.cpu(), n, buf);
        out += toHex(buf, registerInfo(n).bits / 8);
    }
    return out;
}

std::string GdbStub::writeRegisters(const std::string& hex) {
    std::vector<uint8_t> v;
    if (!fromHex(hex, v)) return "E01";
    size_t off = 0;
    for (unsigned n = 0; n < reg::kCount; ++n) {
        const size_t sz = registerInfo(n).bits / 8;
        if (off + sz > v.size()) break;
        // Only registers whose value changes are written, so an unchanged segment or control
        // register in gdb's full-file write never reloads (or refuses) anything.
        uint8_t cur[16];
        readRegister(m_.cpu(), n, cur);
        if (std::memcmp(cur, v.data() + off, sz) != 0) writeRegister(m_.cpu(), n, v.data() + off);
        off += sz;
    }
    return "OK";
}

std::string GdbStub::readMemory(const std::string& args) {
    uint64_t addr, len;
    if (!parseAddrLen(args, addr, len)) return "E01";
    len = std::min<uint64_t>(len, kMaxMemoryPacket);
    std::vector<uint8_t> buf(len);
    const size_t got = debugReadLinear(m_.cpu(), addr, buf.data(), buf.size());
    if (got == 0 && len) return "E14";  // EFAULT: not mapped
    return toHex(buf.data(), got);
}

std::string GdbStub::writeMemory(const std::string& args, bool binary) {
    uint64_t addr, len;
    std::string data;
    if (!parseAddrLen(args, addr, len, &data) || len > kMaxMemoryPacket) return "E01";
    std::vector<uint8_t> bytes;
    if (binary) bytes.assign(data.begin(), data.end());
    else if (!fromHex(data, bytes)) return "E01";
    if (bytes.size() != len) return "E01";
    if (len == 0) return "OK";  // X addr,0: probing for binary support
    return debugWriteLinear(m_.cpu(), addr, bytes.data(), bytes.size()) == len ? "OK" : "E14";
}

std::string GdbStub::breakpoint(const std::string& args, bool insert) {
    // Z/z TYPE,ADDR,KIND (E.2): 0 software, 1 hardware, 2 write, 3 read, 4 access watchpoint.
    if (args.size() < 3 || args[1] != ',' || args[0] < '0' || args[0] > '4') return "";
    const unsigned type = static_cast<unsigned>(args[0] - '0');
    const std::string rest = args.substr(2);
    const size_t comma = rest.find(',');
    uint64_t addr, kind;
    if (comma == std::string::npos || !parseHexU64(std::string_view(rest).substr(0, comma), addr)) return "E01";
    std::string_view kindStr = std::string_view(rest).substr(comma + 1);
    kindStr = kindStr.substr(0, kindStr.find(';'));  // conditions/commands are not supported
    if (!parseHexU64(kindStr, kind)) return "E01";
    bool ok;
    if (type <= 1) {
        ok = insert ? bps_.addCode(addr, type == 1) : bps_.removeCode(addr, type == 1);
    } else {
        const auto k = static_cast<WatchKind>(type);
        ok = insert ? bps_.addWatch(k, addr, kind) : bps_.removeWatch(k, addr, kind);
        ++watchGen_;
    }
    return ok || !insert ? "OK" : "E01";
}

}  // namespace pvx::debug
