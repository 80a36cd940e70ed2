#include "debug/gdb_packet.h"

namespace pvx::debug {

namespace {
int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

uint8_t packetChecksum(std::string_view transmitted) {
    unsigned sum = 0;
    for (char c : transmitted) sum += static_cast<uint8_t>(c);
    return static_cast<uint8_t>(sum);
}

std::string escapeBinary(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (char c : raw) {
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            out += '}';
            out += static_cast<char>(c ^ 0x20);
        } else {
            out += c;
        }
    }
    return out;
}

bool unescapeBinary(std::string_view transmitted, std::string& out) {
    out.clear();
    out.reserve(transmitted.size());
    for (size_t k = 0; k < transmitted.size(); ++k) {
        if (transmitted[k] == '}') {
            if (++k == transmitted.size()) return false;
            out += static_cast<char>(transmitted[k] ^ 0x20);
        } else {
            out += transmitted[k];
        }
    }
    return true;
}

std::string encodePacket(std::string_view payload) {
    const std::string body = escapeBinary(payload);
    const uint8_t cs = packetChecksum(body);
    std::string out;
    out.reserve(body.size() + 4);
    out += '$';
    out += body;
    out += '#';
    out += kHex[cs >> 4];
    out += kHex[cs & 15];
    return out;
}

std::string toHex(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    std::string out(2 * n, '0');
    for (size_t k = 0; k < n; ++k) {
        out[2 * k] = kHex[p[k] >> 4];
        out[2 * k + 1] = kHex[p[k] & 15];
    }
    return out;
}

bool fromHex(std::string_view hex, std::vector<uint8_t>& out) {
    out.clear();
    if (hex.size() % 2) return false;
    out.reserve(hex.size() / 2);
    for (size_t k = 0; k < hex.size(); k += 2) {
        const int hi = hexDigit(hex[k]), lo = hexDigit(hex[k + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<uint8_t>(hi << 4 | lo));
    }
    return true;
}

bool parseHexU64(std::string_view s, uint64_t& v) {
    if (s.empty() || s.size() > 16) return false;
    v = 0;
    for (char c : s) {
        const int d = hexDigit(c);
        if (d < 0) return false;
        v = v << 4 | static_cast<uint64_t>(d);
    }
    return true;
}

void PacketDecoder::feed(const uint8_t* data, size_t n, std::vector<Event>& out) {
    for (size_t k = 0; k < n; ++k) {
        const char c = static_cast<char>(data[k]);
        switch (state_) {
            case State::Idle:
                // Between packets: acknowledgements, the interrupt byte, or a packet start;
                // anything else is line noise and ignored (E.1).
                if (c == '$') {
                    state_ = State::Body;
                    raw_.clear();
                    overflow_ = false;
                } else if (c == '+') {
                    out.push_back({Kind::Ack, {}});
                } else if (c == '-') {
                    out.push_back({Kind::Nak, {}});
                } else if (data[k] == 0x03) {
                    out.push_back({Kind::Interrupt, {}});
                }
                break;
            case State::Body:
                if (c == '#') {
                    state_ = State::Sum1;
                } else if (c == '$') {
                    raw_.clear();  // a new start inside a packet: the old one was lost
                    overflow_ = false;
                } else if (raw_.size() < 2 * kMaxPayload) {
                    raw_ += c;
                } else {
                    overflow_ = true;
                }
                break;
            case State::Sum1: {
                const int d = hexDigit(c);
                if (d < 0) {
                    state_ = State::Idle;
                    out.push_back({Kind::Bad, {}});
                    break;
                }
                sumHi_ = static_cast<uint8_t>(d);
                state_ = State::Sum2;
                break;
            }
            case State::Sum2: {
                state_ = State::Idle;
                const int d = hexDigit(c);
                std::string payload;
                if (d < 0 || overflow_ || static_cast<uint8_t>(sumHi_ << 4 | d) != packetChecksum(raw_) ||
                    !unescapeBinary(raw_, payload) || payload.size() > kMaxPayload) {
                    out.push_back({Kind::Bad, {}});
                    break;
                }
                out.push_back({Kind::Packet, std::move(payload)});
                break;
            }
        }
    }
}

}  // namespace pvx::debug
