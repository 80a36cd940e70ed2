// The remote protocol's framing (GDB manual E.1): checksums, escaping, the incremental decoder
// with acks, interrupts and malformed input, and the hex helpers.
#include "debug/gdb_packet.h"

#include <gtest/gtest.h>

namespace pvx::debug {
namespace {

std::vector<PacketDecoder::Event> feed(PacketDecoder& d, const std::string& bytes) {
    std::vector<PacketDecoder::Event> ev;
    d.feed(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), ev);
    return ev;
}

TEST(GdbPacket, ChecksumIsModulo256Sum) {
    EXPECT_EQ(packetChecksum(""), 0);
    EXPECT_EQ(packetChecksum("OK"), 0x9a);
    EXPECT_EQ(packetChecksum(std::string(3, '\xff')), 0xfd);
}

TEST(GdbPacket, EncodeAddsChecksumAndEscapes) {
    EXPECT_EQ(encodePacket("OK"), "$OK#9a");
    EXPECT_EQ(encodePacket(""), "$#00");
    // #, $, } and * are sent as } followed by the byte XOR 0x20; the checksum covers the escapes.
    EXPECT_EQ(escapeBinary("a#b$c}d*"), "a}\x03" "b}\x04" "c}]d}\x0a");
    const std::string e = encodePacket("#");
    EXPECT_EQ(e, "$}\x03#80");
}

TEST(GdbPacket, UnescapeRoundTripsAndRejectsTrailingEscape) {
    std::string out;
    const std::string raw("\x00#$}*\xff", 6);
    ASSERT_TRUE(unescapeBinary(escapeBinary(raw), out));
    EXPECT_EQ(out, raw);
    EXPECT_FALSE(unescapeBinary("abc}", out));
}

TEST(GdbPacket, DecoderYieldsPacketsAcksAndInterrupts) {
    PacketDecoder d;
    auto ev = feed(d, "+$g#67-\x03$m0,4#fd");
    ASSERT_EQ(ev.size(), 5u);
    EXPECT_EQ(ev[0].kind, PacketDecoder::Kind::Ack);
    EXPECT_EQ(ev[1].kind, PacketDecoder::Kind::Packet);
    EXPECT_EQ(ev[1].payload, "g");
    EXPECT_EQ(ev[2].kind, PacketDecoder::Kind::Nak);
    EXPECT_EQ(ev[3].kind, PacketDecoder::Kind::Interrupt);
    EXPECT_EQ(ev[4].payload, "m0,4");
}

TEST(GdbPacket, DecoderHandlesSplitInput) {
    PacketDecoder d;
    EXPECT_TRUE(feed(d, "$q").empty());
    EXPECT_TRUE(feed(d, "C#").empty());
    EXPECT_TRUE(feed(d, "b").empty());
    auto ev = feed(d, "4");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "qC");
}

TEST(GdbPacket, DecoderUnescapesBinaryPayload) {
    PacketDecoder d;
    auto ev = feed(d, encodePacket("X0,1:#"));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "X0,1:#");
}

TEST(GdbPacket, DecoderKeepsLiteralStarInClientData) {
    // No run-length decoding of client packets: `*` is data in an X packet (E.1).
    PacketDecoder d;
    const std::string payload = "X0,3:a*b";
    std::string wire = "$" + payload + "#";
    char cs[3];
    std::snprintf(cs, sizeof cs, "%02x", packetChecksum(payload));
    auto ev = feed(d, wire + cs);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, payload);
}

TEST(GdbPacket, DecoderRejectsMalformedInput) {
    PacketDecoder d;
    EXPECT_EQ(feed(d, "$g#00")[0].kind, PacketDecoder::Kind::Bad);          // wrong checksum
    EXPECT_EQ(feed(d, "$g#zz")[0].kind, PacketDecoder::Kind::Bad);          // not hex
    PacketDecoder d2;
    // `#` always ends the payload (a literal one is sent escaped), so "a}" ends inside an escape.
    auto bad = feed(d2, "$a}#de");
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].kind, PacketDecoder::Kind::Bad);
    PacketDecoder d3;
    auto ev = feed(d3, "junk$abc$g#67");  // a restart inside a packet drops the old one
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "g");
    PacketDecoder d4;
    std::string huge = "$" + std::string(3 * PacketDecoder::kMaxPayload, 'A') + "#00";
    ev = feed(d4, huge);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, PacketDecoder::Kind::Bad);
    EXPECT_EQ(feed(d4, "$g#67")[0].payload, "g");  // and it recovers
}

TEST(GdbPacket, HexHelpers) {
    const uint8_t b[] = {0x00, 0xab, 0xff};
    EXPECT_EQ(toHex(b, 3), "00abff");
    std::vector<uint8_t> out;
    ASSERT_TRUE(fromHex("00ABff", out));
    EXPECT_EQ(out, (std::vector<uint8_t>{0x00, 0xab, 0xff}));
    EXPECT_FALSE(fromHex("abc", out));
    EXPECT_FALSE(fromHex("zz", out));
    uint64_t v;
    ASSERT_TRUE(parseHexU64("fffffff0", v));
    EXPECT_EQ(v, 0xfffffff0u);
    EXPECT_FALSE(parseHexU64("", v));
    EXPECT_FALSE(parseHexU64("1ffffffffffffffff", v));
    EXPECT_FALSE(parseHexU64("12x", v));
}

}  // namespace
}  // namespace pvx::debug
