// The target description GDB reads with qXfer:features:read:target.xml (GDB manual, Appendix G
// "Target Descriptions"): architecture i386:x86-64 with the standard features GDB's amd64 code
// requires by name (G.5.1 "i386 Features": org.gnu.gdb.i386.core, .sse, .segments) and pvx's
// own org.pvx.x86.control feature for CR0/CR2/CR3/CR4/CR8/EFER. Register numbers follow
// gdb_registers.h.
#pragma once
#include <string>

namespace pvx::debug {

const std::string& targetXml();

}  // namespace pvx::debug
