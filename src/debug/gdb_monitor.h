// `monitor ...` commands (GDB manual E.2 "qRcmd,command"): text in, text out.
//   phys ADDR LEN      hexdump of guest-physical memory (RAM/ROM; MMIO is not read)
//   translate ADDR     linear -> physical through the current paging, with the PAT memory type
//   info               CPU mode, CPL, CS:RIP, flags, control and segment registers, icount
//   stats              the --stats JSON counters as they are now
//   help               this list
#pragma once
#include <string>

namespace pvx {
class Machine;
}

namespace pvx::debug {

std::string runMonitorCommand(Machine& m, const std::string& command);

}  // namespace pvx::debug
