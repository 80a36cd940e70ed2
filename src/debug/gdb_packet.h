// The framing layer of the GDB remote serial protocol (GDB manual, Appendix E "GDB Remote Serial
// Protocol", E.1 "Overview"): `$payload#cs` with a two-digit modulo-256 checksum, `+`/`-`
// acknowledgements, the 0x03 interrupt byte, and `}` escaping of binary data. Pure functions
// and a byte-at-a-time decoder, so malformed input from the socket is tested without one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pvx::debug {

// Sum of the payload bytes modulo 256 (E.1: computed over the bytes as transmitted).
uint8_t packetChecksum(std::string_view transmitted);

// Escapes `#`, `$`, `}` and `*` (E.1 "Binary data": a stub's responses must also escape `*`,
// which would otherwise start a run-length encoding).
std::string escapeBinary(std::string_view raw);

// `$` + escaped payload + `#` + checksum.
std::string encodePacket(std::string_view payload);

// Hex helpers (E.1: hex digits are lower or upper case; we send lower case).
std::string toHex(const void* data, size_t n);
// Decodes pairs of hex digits; false on an odd length or a non-hex digit.
bool fromHex(std::string_view hex, std::vector<uint8_t>& out);
// A big-endian hex number (addresses, lengths, register numbers); false if empty, not hex, or
// wider than 64 bits.
bool parseHexU64(std::string_view s, uint64_t& v);

// Incremental decoder of the bytes gdb sends. Run-length encoding is not accepted from the
// client: the manual defines it for responses, and a raw `*` is legal data inside `X` packets.
class PacketDecoder {
public:
    static constexpr size_t kMaxPayload = 0x4000;  // what qSupported announces as PacketSize

    enum class Kind { Packet, Ack, Nak, Interrupt, Bad };
    struct Event {
        Kind kind;
        std::string payload;  // Packet: the unescaped payload
    };

    // Consumes `n` bytes and appends the complete events they finish.
    void feed(const uint8_t* data, size_t n, std::vector<Event>& out);

private:
    enum class State { Idle, Body, Sum1, Sum2 };
    State state_ = State::Idle;
    std::string raw_;  // payload bytes as transmitted (escapes still in)
    bool overflow_ = false;
    uint8_t sumHi_ = 0;
};

// Undoes `}` escaping; false if the payload ends inside an escape.
bool unescapeBinary(std::string_view transmitted, std::string& out);

}  // namespace pvx::debug
