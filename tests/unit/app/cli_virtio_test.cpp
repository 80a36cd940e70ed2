// The command line's virtio choices: `--disk FILE,if=...`, --virtio-console, --virtio-rng, seen
// from a guest ROM that reads the PCI IDs at 00:03.0-00:05.0 (exit status 1 = all as expected).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_test_util.h"

namespace pvx::apptest {
namespace {

// Compares the ID dwords of 00:03.0, 00:04.0 and 00:05.0 with the ones the test expects
// (patched into the ROM), and exits through isa-debug-exit: 0 (status 1) if all match, else the
// number of the first mismatch.
std::string romSource(uint32_t blk, uint32_t con, uint32_t rng) {
    return "bits 16\norg 0\nstart:\n"
           "  mov si, ids\n  mov ebx, 0x80001800\n  mov cl, 1\n"
           ".next:\n  mov eax, ebx\n  mov dx, 0xCF8\n  out dx, eax\n  mov dx, 0xCFC\n  in eax, dx\n"
           "  cmp eax, [cs:si]\n  jne .bad\n  add si, 4\n  add ebx, 0x800\n  inc cl\n  cmp cl, 4\n  jb .next\n"
           "  mov al, 0\n  out 0xF4, al\n  hlt\n"
           ".bad:\n  mov al, cl\n  out 0xF4, al\n  hlt\n"
           "ids: dd " + std::to_string(blk) + ", " + std::to_string(con) + ", " + std::to_string(rng) + "\n"
           "times 0xFFF0 - ($ - $$) db 0\n  jmp 0xF000:start\ntimes 0x10000 - ($ - $$) db 0\n";
}

constexpr uint32_t kAbsent = 0xFFFFFFFF;

TEST(CliVirtio, DiskInterfaceAndDeviceSwitches) {
    TempDir dir;
    const std::string disk = dir / "disk.img";
    writeFile(disk, std::string(64 * 1024, '\0'));
    struct Case {
        std::vector<std::string> args;
        uint32_t blk, con, rng;
    } cases[] = {
        {{"--disk", disk}, kAbsent, kAbsent, kAbsent},
        {{"--disk", disk + ",if=ide"}, kAbsent, kAbsent, kAbsent},
        {{"--disk", disk + ",if=virtio"}, 0x10011AF4, kAbsent, kAbsent},
        {{"--disk", disk + ",readonly,if=all"}, 0x10011AF4, kAbsent, kAbsent},
        {{"--disk", disk + ",if=virtio,readonly", "--virtio-console", "--virtio-rng"}, 0x10011AF4, 0x10031AF4, 0x10051AF4},
        {{"--virtio-rng"}, kAbsent, kAbsent, 0x10051AF4},
    };
    int n = 0;
    for (const Case& c : cases) {
        const std::string rom = assemble(dir, "ids" + std::to_string(n++), romSource(c.blk, c.con, c.rng));
        ASSERT_FALSE(rom.empty());
        std::vector<std::string> args{"--bios", rom, "--debug-exit", "--serial", "none", "--max-insns", "1000000"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        ProcResult r = runPvx(args, dir);
        EXPECT_EQ(r.status, 1) << c.args.back() << ": exit status " << r.status << " (3/5/7: device 1/2/3 differs)\n" << r.err;
    }
}

TEST(CliVirtio, UnknownDiskInterfaceIsAUsageError) {
    TempDir dir;
    const std::string disk = dir / "disk.img";
    writeFile(disk, std::string(4096, '\0'));
    ProcResult r = runPvx({"--disk", disk + ",if=scsi"}, dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown interface 'scsi'"), std::string::npos) << r.err;
}

TEST(CliVirtio, HelpDocumentsTheVirtioChoices) {
    TempDir dir;
    ProcResult r = runPvx({"--help"}, dir);
    EXPECT_EQ(r.status, 0);
    for (const char* s : {"if=ide|virtio|all", "--virtio-console", "--virtio-rng"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace pvx::apptest
