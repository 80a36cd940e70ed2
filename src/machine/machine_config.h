// Everything a user chooses on the command line that shapes the machine.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/char_backend.h"
#include "common/clock.h"

namespace pvx {

struct MachineConfig {
    uint64_t memoryMiB = 256;
    std::vector<uint8_t> biosImage;  // empty: the built-in firmware
    std::string biosName = "built-in";
    std::vector<uint8_t> kernel;     // --kernel image (Multiboot v1 ELF)
    std::string kernelPath;
    std::vector<uint8_t> initrd;     // --initrd: first Multiboot module
    std::string initrdPath;
    std::string append;              // --append: kernel command line
    unsigned kernelEntry = 16;       // --kernel-entry: a bzImage's 16-, 32- or 64-bit entry
    std::string diskPath;
    bool diskReadOnly = false;
    // Which views of the --disk image the guest gets (`if=`): the ATA primary master (ide, the
    // default), virtio-blk at 00:03.0 (virtio), or both (all). PV block device 0 always sees it.
    bool diskAta = true;
    bool diskVirtio = false;
    bool virtioConsole = false;      // virtio-console at 00:04.0 on COM1's backend
    bool virtioRng = false;          // virtio-rng at 00:05.0 from host entropy
    std::string serial = "stdio";    // stdio | none | file:PATH
    std::string serial2 = "none";    // COM2: stdio | none | file:PATH (none: no COM2)
    std::string debugcon = "none";   // stdio | none | file:PATH
    std::string firmwareLog = "none"; // port 0x402 (SeaBIOS's log): stdio | none | file:PATH
    std::shared_ptr<CharBackend> debugconBackend;  // overrides `debugcon` (pvx bench's recorder)
    bool debugExit = false;
    bool pvEnabled = true;
    ClockMode clock = ClockMode::Virtual;
    uint64_t maxInsns = 0;           // 0: unlimited
    double timeoutSeconds = 0;       // 0: none
    std::string statsPath;           // "" none, "-" stderr
};

}  // namespace pvx
