// The pvx command line as a user meets it: the real binary, its exit status and its stderr
// (ARCHITECTURE.md "Command line" and "Exit status").
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "app_test_util.h"

namespace pvx::apptest {
namespace {

struct BadCase {
    const char* label;
    std::vector<std::string> args;  // "@DIR@" is replaced by the scratch directory
    const char* mentions;           // the error line must contain this
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.label; }

class CliError : public ::testing::TestWithParam<BadCase> {
protected:
    TempDir dir;
};

// Exit status 2 and exactly one line on stderr, "pvx: error: ...", nothing on stdout.
void expectUsageError(const ProcResult& r, const std::string& mentions, const std::string& what) {
    EXPECT_FALSE(r.signaled) << what << ": killed by signal " << r.status - 128 << "\nstderr:\n" << r.err;
    EXPECT_EQ(r.status, 2) << what << "\nstderr:\n" << r.err;
    std::vector<std::string> ls = lines(r.err);
    ASSERT_EQ(ls.size(), 1u) << what << ": stderr has " << ls.size() << " lines:\n" << r.err;
    EXPECT_EQ(r.err.back(), '\n') << what;
    EXPECT_EQ(ls[0].rfind("pvx: error: ", 0), 0u) << what << ": " << ls[0];
    EXPECT_NE(ls[0].find(mentions), std::string::npos) << what << ": '" << ls[0] << "' does not mention '" << mentions << "'";
    EXPECT_EQ(r.out, "") << what;
}

TEST_P(CliError, ExitsTwoWithOneErrorLine) {
    const BadCase& c = GetParam();
    std::vector<std::string> args;
    for (std::string a : c.args) {
        // Fixture files some cases need.
        if (a == "@DIR@/empty.rom") writeFile(dir / "empty.rom", "");
        if (a == "@DIR@/huge.rom") writeFile(dir / "huge.rom", std::string((16u << 20) + 1, '\xF4'));
        if (a == "@DIR@/tiny.bz") {
            // The smallest bzImage the loader accepts: one setup sector, protocol 2.15, loaded
            // high, no 64-bit entry (xloadflags 0), 512 bytes of protected-mode kernel.
            std::string bz(0x600, '\0');
            bz[0x1F1] = 1;
            bz[0x1FE] = '\x55';
            bz[0x1FF] = '\xAA';
            bz.replace(0x202, 4, "HdrS");
            bz[0x206] = 0x0F;
            bz[0x207] = 0x02;
            bz[0x211] = 1;
            writeFile(dir / "tiny.bz", bz);
        }
        for (size_t p; (p = a.find("@DIR@")) != std::string::npos;) a.replace(p, 5, dir.path());
        args.push_back(a);
    }
    std::string mentions = c.mentions;
    for (size_t p; (p = mentions.find("@DIR@")) != std::string::npos;) mentions.replace(p, 5, dir.path());
    expectUsageError(runPvx(args, dir), mentions, c.label);
}

const BadCase kBadCases[] = {
    {"unknown flag", {"--no-such-flag"}, "--no-such-flag"},
    {"unknown short flag", {"-Z"}, "-Z"},
    {"memory zero", {"-m", "0"}, "memory"},
    {"memory negative", {"-m", "-5"}, "memory"},
    {"memory negative attached", {"--memory=-5"}, "memory"},
    {"memory above 64 GiB", {"-m", "65537"}, "memory"},
    {"memory overflowing int64", {"-m", "99999999999999999999999"}, "memory"},
    {"memory not a number", {"-m", "lots"}, "memory"},
    {"memory fractional", {"-m", "1.5"}, "memory"},
    {"memory without value", {"-m"}, "memory"},
    {"bios missing file", {"--bios", "@DIR@/nope.rom"}, "@DIR@/nope.rom"},
    {"bios empty file", {"--bios", "@DIR@/empty.rom"}, "empty"},
    {"bios larger than 16 MiB", {"--bios", "@DIR@/huge.rom"}, "larger than 16 MiB"},
    {"bios is a directory", {"--bios", "@DIR@"}, "--bios"},
    {"kernel is a directory", {"--kernel", "@DIR@"}, "--kernel"},
    {"bad clock", {"--clock", "wallclock"}, "--clock"},
    {"empty clock", {"--clock", ""}, "--clock"},
    {"bad debugcon", {"--debugcon", "tty"}, "--debugcon"},
    {"debugcon file without path", {"--debugcon", "file:"}, "--debugcon"},
    {"debugcon file in a missing directory", {"--debugcon", "file:@DIR@/no/such/dir/out.txt"}, "--debugcon"},
    {"bad pv", {"--pv", "maybe"}, "--pv"},
    {"max-insns zero", {"--max-insns", "0"}, "--max-insns"},
    {"max-insns negative", {"--max-insns", "-1"}, "max-insns"},
    {"max-insns not a number", {"--max-insns", "many"}, "max-insns"},
    {"timeout zero", {"--timeout", "0"}, "--timeout"},
    {"timeout negative", {"--timeout", "-3"}, "--timeout"},
    {"timeout nan", {"--timeout", "nan"}, "--timeout"},
    {"initrd without kernel", {"--initrd", "@DIR@/empty.rom"}, "--kernel"},
    {"append without kernel", {"--append", "console=ttyS0"}, "--kernel"},
    {"kernel-entry without kernel", {"--kernel-entry", "32"}, "--kernel-entry"},
    {"kernel-entry not 16/32/64", {"--kernel", "@DIR@/tiny.bz", "--kernel-entry", "48"}, "--kernel-entry"},
    {"kernel-entry 64 without XLF_KERNEL_64", {"--kernel", "@DIR@/tiny.bz", "--kernel-entry", "64"}, "64-bit entry"},
    {"bzImage with a foreign BIOS", {"--kernel", "@DIR@/tiny.bz", "--bios", "@DIR@/tiny.bz"}, "built-in BIOS"},
    {"bad firmware-log", {"--firmware-log", "tty"}, "--firmware-log"},
};

INSTANTIATE_TEST_SUITE_P(Pvx, CliError, ::testing::ValuesIn(kBadCases), [](const auto& info) {
    std::string n;
    for (const char* p = info.param.label; *p; ++p) n += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return n;
});

TEST(Cli, HelpListsTheFlagsAndExitsZero) {
    TempDir dir;
    for (const char* flag : {"--help", "-h"}) {
        ProcResult r = runPvx({flag}, dir);
        EXPECT_EQ(r.status, 0) << flag;
        EXPECT_EQ(r.err, "") << flag;
        for (const char* f : {"--help", "--version", "--memory", "-m", "--bios", "--kernel", "--initrd", "--append",
                              "--debug-exit", "--debugcon", "--pv", "--clock", "--max-insns", "--timeout", "--stats"})
            EXPECT_NE(r.out.find(f), std::string::npos) << flag << " output does not list " << f << ":\n" << r.out;
    }
}

TEST(Cli, HelpWinsOverOtherwiseBadArguments) {
    TempDir dir;
    ProcResult r = runPvx({"-m", "0", "--help"}, dir);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--memory"), std::string::npos);
}

TEST(Cli, VersionPrintsOneLine) {
    TempDir dir;
    ProcResult r = runPvx({"--version"}, dir);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "");
    // "pvx MAJOR.MINOR.PATCH[anything]\n", one line.
    ASSERT_EQ(lines(r.out).size(), 1u) << r.out;
    ASSERT_EQ(r.out.rfind("pvx ", 0), 0u) << r.out;
    EXPECT_EQ(r.out.back(), '\n');
    size_t i = 4;
    for (int part = 0; part < 3; ++part) {
        const size_t start = i;
        while (i < r.out.size() && std::isdigit(static_cast<unsigned char>(r.out[i]))) ++i;
        EXPECT_GT(i, start) << "version part " << part << " in " << r.out;
        if (part < 2) {
            EXPECT_EQ(r.out[i], '.') << r.out;
            ++i;
        }
    }
}

// ----------------------------------------------------------------------- the JSON validator itself

TEST(JsonValidator, AcceptsWellFormedDocuments) {
    Json j = JsonParser::parse(" {\"a\":1,\"b\":{\"c\":[1,2.5,-3e+2,true,false,null,\"x\\\"\\u0041\"]},\"d\":{}}\n");
    ASSERT_TRUE(j.isObject());
    EXPECT_EQ(j.keys(), (std::vector<std::string>{"a", "b", "d"}));
    EXPECT_EQ(j.get("a")->u64(), 1u);
    const Json* c = j.get("b")->get("c");
    ASSERT_NE(c, nullptr);
    ASSERT_EQ(c->items.size(), 7u);
    EXPECT_EQ(c->items[6].text, "x\"A");
    EXPECT_TRUE(j.get("a")->isInteger());
    EXPECT_FALSE(c->items[1].isInteger());
}

TEST(JsonValidator, RejectsMalformedDocuments) {
    for (const char* bad : {"", "{", "}", "{\"a\":1", "{\"a\":1}}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{a:1}",
                            "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":1}{}",
                            "{\"a\":1,\"a\":2}", "{\"a\":\"\x01\"}", "[1 2]", "{\"a\":nan}", "{\"a\":\"\\q\"}"}) {
        EXPECT_THROW(JsonParser::parse(bad), std::runtime_error) << bad;
    }
}

}  // namespace
}  // namespace pvx::apptest
