// The stub's packet handling against a machine at its reset state (no socket): registers,
// memory through segmentation/paging, breakpoints, the target description and hostile input.
#include "debug/gdb_stub.h"

#include <gtest/gtest.h>

#include "cpu/cpu.h"
#include "debug/gdb_registers.h"
#include "debug/target_xml.h"
#include "machine/machine.h"

namespace pvx::debug {
namespace {

struct StubTest : ::testing::Test {
    MachineConfig cfg() {
        MachineConfig c;
        c.memoryMiB = 16;
        c.serial = "none";
        return c;
    }
    Machine m{cfg()};
    GdbStub stub{m, false};
    std::string ask(const std::string& p) { return stub.handlePacketForTest(p); }
};

TEST_F(StubTest, RegistersAtResetReportTheLinearPc) {
    // rip (register 16) is CS.base + IP: 0xFFFF0000 + 0xFFF0 (SDM Vol.3A 9.1.4).
    EXPECT_EQ(ask("p10"), "f0ffffff00000000");
    EXPECT_EQ(ask("p12"), "00f00000");  // cs
    const std::string g = ask("g");
    size_t bytes = 0;
    for (unsigned n = 0; n < reg::kCount; ++n) bytes += registerInfo(n).bits / 8;
    EXPECT_EQ(g.size(), 2 * bytes);
    EXPECT_EQ(ask("p41"), "E01");  // past the last register
}

TEST_F(StubTest, WritesRegistersAndMemory) {
    EXPECT_EQ(ask("P0=efcdab8967452301"), "OK");
    EXPECT_EQ(m.cpu().gpr[cpu::RAX], 0x0123456789abcdefull);
    EXPECT_EQ(ask("P0=12"), "E01");  // wrong width
    EXPECT_EQ(ask("M1000,4:11223344"), "OK");
    EXPECT_EQ(ask("m1000,4"), "11223344");
    EXPECT_EQ(ask("X1000,2:ab"), "OK");
    EXPECT_EQ(ask("m1000,4"), "61623344");
    EXPECT_EQ(ask("m100000000,4"), "E14");  // above 4 GiB outside long mode
}

TEST_F(StubTest, ReadsTheResetVectorFromRom) {
    // The far jump of the built-in BIOS at 0xFFFFFFF0: opcode EA.
    EXPECT_EQ(ask("mfffffff0,1"), "ea");
}

TEST_F(StubTest, BreakpointsAndWatchpoints) {
    EXPECT_EQ(ask("Z0,fffffff0,1"), "OK");
    EXPECT_TRUE(stub.watchesPage(0) == false);
    EXPECT_EQ(ask("Z2,5000,4"), "OK");
    EXPECT_TRUE(stub.watchesPage(0x5123));
    EXPECT_FALSE(stub.watchesPage(0x6000));
    EXPECT_EQ(ask("z2,5000,4"), "OK");
    EXPECT_FALSE(stub.watchesPage(0x5123));
    EXPECT_EQ(ask("Z2,5000,0"), "E01");
    EXPECT_EQ(ask("Z9,0,0"), "");
}

TEST_F(StubTest, TargetDescriptionIsChunked) {
    const std::string& x = targetXml();
    std::string got;
    for (size_t off = 0;;) {
        char q[64];
        std::snprintf(q, sizeof q, "qXfer:features:read:target.xml:%zx,100", off);
        const std::string r = ask(q);
        ASSERT_FALSE(r.empty());
        got += r.substr(1);
        off += r.size() - 1;
        if (r[0] == 'l') break;
        ASSERT_EQ(r[0], 'm');
    }
    EXPECT_EQ(got, x);
    EXPECT_NE(x.find("org.gnu.gdb.i386.core"), std::string::npos);
    EXPECT_NE(x.find("name=\"efer\""), std::string::npos);
}

TEST_F(StubTest, HostileInputNeverCrashes) {
    const char* junk[] = {"m", "m,", "mffffffffffffffff,ffffffffffffffff", "M0,2:0", "M0,1:zz", "X0,5:ab", "P", "P=",
                          "Pzz=00", "Z", "Z0", "Z0,", "Z0,1", "z4,1,", "qXfer:features:read:target.xml:",
                          "qXfer:features:read:target.xml:ffffffffff,1", "qRcmd,0", "qRcmd,7068797320302031303030303030",
                          "vCont;", "vCont;x", "G", "Gzz", "c1zz", "C", "S05;zz", "H", "qSupported:multiprocess+"};
    for (const char* p : junk) (void)ask(p);
    SUCCEED();
}

}  // namespace
}  // namespace pvx::debug
