// End to end: tiny ROMs assembled with nasm at test time, run by the real pvx binary, checked
// against the outside contracts of ARCHITECTURE.md (exit statuses, port 0xE9 console,
// isa-debug-exit, --max-insns/--timeout, --stats JSON, determinism with --clock virtual, triple
// fault, where --bios images are mapped).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "app_test_util.h"

namespace pvx::apptest {
namespace {

// A 4 KiB ROM (org 0xF000: the code runs at F000:F000, linear 0xFFFFF000) whose reset vector at
// F000:FFF0 jumps to `body`. That jump is the first instruction retired.
std::string rom4k(const std::string& body, int lastByte = -1) {
    std::string s = "bits 16\norg 0xF000\nstart:\n" + body +
                    "\ntimes 0xFF0-($-$$) db 0xF4\n"
                    "reset: jmp start\n";
    if (lastByte >= 0)
        s += "times 0xFFF-($-$$) db 0xF4\ndb " + std::to_string(lastByte) + "\n";
    else
        s += "times 0x1000-($-$$) db 0xF4\n";
    return s;
}

const char* kHello =
    "  mov al, 'h'\n  out 0xE9, al\n"
    "  mov al, 'e'\n  out 0xE9, al\n"
    "  mov al, 'l'\n  out 0xE9, al\n"
    "  mov al, 'l'\n  out 0xE9, al\n"
    "  mov al, 'o'\n  out 0xE9, al\n";
constexpr uint64_t kHelloInsns = 10;

class E2E : public ::testing::Test {
protected:
    TempDir dir;
    std::string rom(const std::string& name, const std::string& body, int lastByte = -1) {
        return assemble(dir, name, rom4k(body, lastByte));
    }
    Json stats(const std::string& path) {
        std::string text = readFile(path);
        EXPECT_FALSE(text.empty()) << path;
        try {
            return JsonParser::parse(text);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what() << "\n" << text;
            return Json{};
        }
    }
};

// The keys ARCHITECTURE.md promises, with their types.
void expectStatsShape(const Json& j) {
    ASSERT_TRUE(j.isObject());
    for (const char* k : {"instructions", "page_walks", "interrupts", "exceptions"}) {
        const Json* v = j.get(k);
        ASSERT_NE(v, nullptr) << "missing key " << k;
        EXPECT_TRUE(v->isInteger()) << k << " is not a non-negative integer: " << v->text;
    }
    for (const char* k : {"host_seconds", "mips"}) {
        const Json* v = j.get(k);
        ASSERT_NE(v, nullptr) << "missing key " << k;
        ASSERT_TRUE(v->isNumber()) << k;
        EXPECT_GE(v->num(), 0.0) << k;
    }
    const std::pair<const char*, std::vector<const char*>> groups[] = {
        {"exits", {"pio", "mmio", "pv"}},
        {"tlb", {"hits", "misses", "flushes"}},
        {"decode_cache", {"hits", "misses", "invalidations"}},
    };
    for (const auto& [g, members] : groups) {
        const Json* o = j.get(g);
        ASSERT_NE(o, nullptr) << "missing key " << g;
        ASSERT_TRUE(o->isObject()) << g;
        for (const char* m : members) {
            const Json* v = o->get(m);
            ASSERT_NE(v, nullptr) << "missing key " << g << "." << m;
            EXPECT_TRUE(v->isInteger()) << g << "." << m;
        }
    }
    for (const char* k : {"pio_by_port", "pv_by_call"}) {
        const Json* o = j.get(k);
        ASSERT_NE(o, nullptr) << "missing key " << k;
        ASSERT_TRUE(o->isObject()) << k;
        for (const auto& [name, v] : o->members()) EXPECT_TRUE(v->isInteger()) << k << "." << name;
    }
    const Json* ram = j.get("ram_xxh3");
    ASSERT_NE(ram, nullptr) << "missing key ram_xxh3";
    ASSERT_TRUE(ram->isString());
    EXPECT_EQ(ram->text.size(), 16u) << ram->text;
    EXPECT_EQ(ram->text.find_first_not_of("0123456789abcdef"), std::string::npos) << ram->text;
    EXPECT_NE(j.get("disk_xxh3"), nullptr) << "missing key disk_xxh3";
}

// `line` contains "CS:RIP" as hex, case-insensitive, RIP with any number of leading zeros.
bool namesCsRip(std::string line, const std::string& cs, const std::string& rip) {
    for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string hex = "0123456789abcdef";
    for (size_t p = line.find(cs + ":"); p != std::string::npos; p = line.find(cs + ":", p + 1)) {
        if (p > 0 && hex.find(line[p - 1]) != std::string::npos) continue;
        size_t i = p + cs.size() + 1;
        while (i < line.size() && line[i] == '0') ++i;
        if (line.compare(i, rip.size(), rip) != 0) continue;
        i += rip.size();
        if (i == line.size() || hex.find(line[i]) == std::string::npos) return true;
    }
    return false;
}

TEST(NamesCsRip, MatchesOnlyThatAddress) {
    EXPECT_TRUE(namesCsRip("shut down at f000:000000000000f007 (real mode)", "f000", "f007"));
    EXPECT_TRUE(namesCsRip("at F000:F007", "f000", "f007"));
    EXPECT_FALSE(namesCsRip("at f000:000000000000f0071", "f000", "f007"));
    EXPECT_FALSE(namesCsRip("at f000:000000000000f008", "f000", "f007"));
    EXPECT_FALSE(namesCsRip("at 1f000:f007", "f000", "f007"));
}

std::string hex16(uint64_t v) {
    char b[17];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
    return b;
}

// pio_by_port as port number -> count (the key spelling is pvx's; the numbers are the contract).
std::map<unsigned, uint64_t> portCounts(const Json& j) {
    std::map<unsigned, uint64_t> m;
    const Json* o = j.get("pio_by_port");
    if (!o) return m;
    for (const auto& [k, v] : o->members()) m[static_cast<unsigned>(std::stoul(k, nullptr, 0))] = v->u64();
    return m;
}

TEST_F(E2E, HelloOnTheDebugConsoleThenDebugExit) {
    const std::string img = rom("hello", std::string(kHello) + "  mov al, 0x10\n  out 0xF4, al\n  hlt\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "-m", "16", "--debugcon", "file:" + (dir / "con.txt"),
                           "--stats", dir / "stats.json"}, dir);
    EXPECT_EQ(r.status, (0x10 << 1) | 1);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(readFile(dir / "con.txt"), "hello");
    Json j = stats(dir / "stats.json");
    expectStatsShape(j);
    ASSERT_TRUE(j.isObject());
    EXPECT_EQ(j.get("instructions")->u64(), 1 + kHelloInsns + 2);  // jmp, 5 x (mov, out), mov, out
    EXPECT_EQ(j.get("exits")->get("pio")->u64(), 6u);
    EXPECT_EQ(portCounts(j), (std::map<unsigned, uint64_t>{{0xE9, 5}, {0xF4, 1}}));
    EXPECT_EQ(j.get("exceptions")->u64(), 0u);
    EXPECT_EQ(j.get("interrupts")->u64(), 0u);
}

TEST_F(E2E, DebugconStdioGoesToStdoutAndPvxMessagesToStderr) {
    const std::string img = rom("hello-loop", std::string(kHello) + "  jmp $\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debugcon", "stdio", "--max-insns", "5000"}, dir);
    EXPECT_EQ(r.status, 6);
    EXPECT_EQ(r.out, "hello");  // nothing of pvx's own on stdout
    ASSERT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("pvx: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("--max-insns"), std::string::npos) << r.err;
}

TEST_F(E2E, DebugExitPortIsOnlyThereWithTheFlag) {
    // Without --debug-exit, port 0xF4 is unclaimed: the OUT does nothing and the guest halts with
    // interrupts off, which nothing can end (exit status 6, see --help).
    const std::string img = rom("exit-then-halt", "  cli\n  mov al, 0x10\n  out 0xF4, al\n  hlt\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img}, dir);
    EXPECT_EQ(r.status, 6);
    ASSERT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("pvx: error: ", 0), 0u) << r.err;
    r = runPvx({"--bios", img, "--debug-exit"}, dir);
    EXPECT_EQ(r.status, 33);
    EXPECT_EQ(r.err, "");
}

TEST_F(E2E, DebugExitStatusKeepsTheLowEightBits) {
    // QEMU's isa-debug-exit: status (v << 1) | 1, of which the host sees the low 8 bits.
    for (unsigned v : {0u, 1u, 0x3Fu, 0x7Fu, 0x80u, 0xFFu}) {
        const std::string img = rom("exit" + std::to_string(v), "  mov al, " + std::to_string(v) + "\n  out 0xF4, al\n  hlt\n");
        ASSERT_FALSE(img.empty());
        ProcResult r = runPvx({"--bios", img, "--debug-exit"}, dir);
        EXPECT_EQ(r.status, static_cast<int>(((v << 1) | 1) & 0xFF)) << "v=" << v;
    }
}

TEST_F(E2E, ExactInstructionCountForALoop) {
    const std::string img = rom("loop", "  mov cx, 1000\n.l: loop .l\n  mov al, 0\n  out 0xF4, al\n  hlt\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "-m", "16", "--stats", dir / "s.json"}, dir);
    EXPECT_EQ(r.status, 1);
    Json j = stats(dir / "s.json");
    expectStatsShape(j);
    ASSERT_TRUE(j.isObject());
    EXPECT_EQ(j.get("instructions")->u64(), 1u + 1 + 1000 + 2);
}

TEST_F(E2E, MaxInsnsStopsAtExactlyThatCountWithStatusSix) {
    const std::string img = rom("forever", "  jmp $\n");
    ASSERT_FALSE(img.empty());
    for (uint64_t n : {1ull, 2ull, 1000ull, 123457ull}) {
        ProcResult r = runPvx({"--bios", img, "-m", "16", "--max-insns", std::to_string(n), "--stats", dir / "s.json"}, dir);
        EXPECT_EQ(r.status, 6) << n;
        ASSERT_EQ(lines(r.err).size(), 1u) << r.err;
        EXPECT_EQ(r.err.rfind("pvx: ", 0), 0u) << r.err;
        Json j = stats(dir / "s.json");
        expectStatsShape(j);
        ASSERT_TRUE(j.isObject());
        EXPECT_EQ(j.get("instructions")->u64(), n);
    }
}

TEST_F(E2E, MaxInsnsLargerThanTheRunDoesNotStopIt) {
    const std::string img = rom("short", "  mov al, 2\n  out 0xF4, al\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "--max-insns", "3"}, dir);
    EXPECT_EQ(r.status, 5);  // jmp, mov, out: the third instruction is the exit
    r = runPvx({"--bios", img, "--debug-exit", "--max-insns", "2"}, dir);
    EXPECT_EQ(r.status, 6);
}

TEST_F(E2E, TimeoutStopsAGuestThatNeverEnds) {
    const std::string img = rom("forever", "  jmp $\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--timeout", "0.2"}, dir);
    EXPECT_EQ(r.status, 6);
    ASSERT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find("--timeout"), std::string::npos) << r.err;
}

TEST_F(E2E, StatsDashWritesTheJsonToStderr) {
    const std::string img = rom("hello", std::string(kHello) + "  mov al, 0\n  out 0xF4, al\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "-m", "16", "--stats", "-"}, dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    Json j;
    ASSERT_NO_THROW(j = JsonParser::parse(r.err)) << r.err;
    expectStatsShape(j);
    EXPECT_EQ(j.get("instructions")->u64(), 1 + kHelloInsns + 2);
}

// Fills 64 KiB at physical 0x10000 with 16-bit words seed, seed+step, ... and exits.
std::string fillBody(unsigned seed, unsigned step) {
    return "  mov ax, 0x1000\n  mov es, ax\n  xor di, di\n  mov cx, 0x8000\n  mov ax, " + std::to_string(seed) +
           "\n.l: mov [es:di], ax\n  add ax, " + std::to_string(step) +
           "\n  add di, 2\n  loop .l\n  mov al, 0\n  out 0xF4, al\n  hlt\n";
}

std::string expectedRamDigest(uint64_t ramBytes, unsigned seed, unsigned step) {
    std::vector<uint8_t> ram(ramBytes, 0);
    uint16_t w = static_cast<uint16_t>(seed);
    for (unsigned i = 0; i < 0x8000; ++i, w = static_cast<uint16_t>(w + step)) {
        ram[0x10000 + 2 * i] = static_cast<uint8_t>(w);
        ram[0x10000 + 2 * i + 1] = static_cast<uint8_t>(w >> 8);
    }
    return hex16(XXH3_64bits(ram.data(), ram.size()));
}

TEST_F(E2E, RamDigestIsXxh3OfGuestRam) {
    const std::string img = rom("fill", fillBody(0x1234, 0x0101));
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "-m", "16", "--stats", dir / "s.json"}, dir);
    ASSERT_EQ(r.status, 1) << r.err;
    Json j = stats(dir / "s.json");
    expectStatsShape(j);
    ASSERT_TRUE(j.isObject());
    EXPECT_EQ(j.get("ram_xxh3")->text, expectedRamDigest(16u << 20, 0x1234, 0x0101));
    EXPECT_EQ(j.get("instructions")->u64(), 1u + 5 + 4 * 0x8000 + 2);  // jmp, 5 setup, 4 per word, mov+out
}

TEST_F(E2E, VirtualClockRunsAreIdentical) {
    const std::string a = rom("fill-a", fillBody(0x1234, 0x0101));
    const std::string b = rom("fill-b", fillBody(0x1234, 0x0102));
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    auto run = [&](const std::string& img, const std::string& out) {
        ProcResult r = runPvx({"--bios", img, "--debug-exit", "-m", "32", "--clock", "virtual", "--stats", out}, dir);
        EXPECT_EQ(r.status, 1) << r.err;
        Json j = stats(out);
        expectStatsShape(j);
        return j;
    };
    Json a1 = run(a, dir / "a1.json"), a2 = run(a, dir / "a2.json"), b1 = run(b, dir / "b1.json");
    ASSERT_TRUE(a1.isObject() && a2.isObject() && b1.isObject());
    EXPECT_EQ(a1.get("ram_xxh3")->text, a2.get("ram_xxh3")->text);
    EXPECT_EQ(a1.get("instructions")->u64(), a2.get("instructions")->u64());
    // Everything but the host timing is identical between the two runs.
    EXPECT_EQ(a1.keys(), a2.keys());
    for (const auto& [k, v] : a1.members()) {
        if (k == "host_seconds" || k == "mips") continue;
        const Json* w = a2.get(k);
        ASSERT_NE(w, nullptr) << k;
        EXPECT_EQ(v->text, w->text) << k;
        EXPECT_EQ(v->keys(), w->keys()) << k;
        for (const auto& [mk, mv] : v->members()) {
            ASSERT_NE(w->get(mk), nullptr) << k << "." << mk;
            EXPECT_EQ(mv->text, w->get(mk)->text) << k << "." << mk;
        }
    }
    // A different RAM image gives a different digest (the digest really covers RAM).
    EXPECT_NE(a1.get("ram_xxh3")->text, b1.get("ram_xxh3")->text);
    EXPECT_EQ(a1.get("instructions")->u64(), b1.get("instructions")->u64());
}

TEST_F(E2E, TripleFaultInRealModeExitsFourNamingCsRip) {
    // IDT limit 0: INT3's IVT entry is outside it -> #GP; #GP's entry is outside too -> #DF;
    // #DF's as well -> shutdown. The INT3 is at F000:F007.
    const std::string img = rom("triple",
                                "  lidt [cs:idtr]\n"  // 6 bytes
                                "  nop\n"             // F006
                                "  int3\n"            // F007
                                "  hlt\n"
                                "idtr: dw 0\n  dd 0\n");
    ASSERT_FALSE(img.empty());
    ProcResult r = runPvx({"--bios", img, "-m", "16", "--max-insns", "100000", "--stats", dir / "s.json"}, dir);
    EXPECT_EQ(r.status, 4);
    EXPECT_EQ(r.out, "");
    std::vector<std::string> ls = lines(r.err);
    ASSERT_EQ(ls.size(), 1u) << r.err;
    EXPECT_EQ(ls[0].rfind("pvx: error: ", 0), 0u) << ls[0];
    EXPECT_TRUE(namesCsRip(ls[0], "f000", "f007")) << ls[0];
    Json j = stats(dir / "s.json");
    expectStatsShape(j);
    ASSERT_TRUE(j.isObject());
    EXPECT_EQ(j.get("instructions")->u64(), 3u);  // jmp, lidt, nop: the INT3 never completes
}

// --bios images: last byte at 0xFFFFFFFF, and the last 128 KiB (or the whole of a smaller image)
// also ending at 0xFFFFF. The ROM's last byte is 0x2A; the guest stores 0x11 to F000:FFFF
// (physical 0xFFFFF) and exits with what it reads back: 0x2A where the ROM is mapped there
// (store dropped), 0x11 if RAM were.
class BiosWindow : public E2E {
protected:
    int runWithSize(size_t size) {
        const std::string tail = rom("probe",
                                     "  mov ax, 0xF000\n  mov ds, ax\n  mov byte [0xFFFF], 0x11\n"
                                     "  mov al, [0xFFFF]\n  out 0xF4, al\n  hlt\n",
                                     0x2A);
        EXPECT_FALSE(tail.empty());
        std::string image = std::string(size - 4096, '\xF4') + readFile(tail);
        EXPECT_EQ(image.size(), size);
        const std::string path = dir / ("bios-" + std::to_string(size) + ".rom");
        writeFile(path, image);
        return runPvx({"--bios", path, "--debug-exit"}, dir).status;
    }
};

TEST_F(BiosWindow, ImagesUpTo128KiBAreAlsoBelowOneMiB) {
    EXPECT_EQ(runWithSize(4096), (0x2A << 1) | 1);
    EXPECT_EQ(runWithSize(64 * 1024), (0x2A << 1) | 1);
    EXPECT_EQ(runWithSize(128 * 1024), (0x2A << 1) | 1);
}

TEST_F(BiosWindow, LargerImagesShowTheirLast128KiBBelowOneMiB) {
    EXPECT_EQ(runWithSize(128 * 1024 + 4096), (0x2A << 1) | 1);
    EXPECT_EQ(runWithSize(1024 * 1024), (0x2A << 1) | 1);
}

TEST_F(E2E, SixteenByteRomRunsAndHidesNoRam) {
    // A ROM image of just the reset vector (any size up to 16 MiB is accepted): its 16 bytes end at
    // 0xFFFFFFFF and at 0xFFFFF, and the RAM from 0x100000 up is still RAM. The guest stores 0x42
    // to FFFF:0010 (physical 0x100000, A20 on) and exits with what it reads back.
    const std::string img = assemble(dir, "tiny",
                                     "bits 16\norg 0xFFF0\n"
                                     "  mov ax, 0xFFFF\n  mov ds, ax\n  mov byte [0x10], 0x42\n"
                                     "  mov al, [0x10]\n  out 0xF4, al\n  hlt\n");
    ASSERT_FALSE(img.empty());
    ASSERT_EQ(readFile(img).size(), 16u);
    ProcResult r = runPvx({"--bios", img, "--debug-exit", "--max-insns", "1000"}, dir);
    EXPECT_EQ(r.status, (0x42 << 1) | 1) << r.err;
}

}  // namespace
}  // namespace pvx::apptest
