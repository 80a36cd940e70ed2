// pvx's own messages go to stderr, never stdout: guest console output (COM1, port 0xE9) may be on
// stdout and must not mix with them (ARCHITECTURE.md).
#pragma once
#include <cstdarg>

namespace pvx {

[[gnu::format(printf, 1, 2)]] void logError(const char* fmt, ...);
[[gnu::format(printf, 1, 2)]] void logWarn(const char* fmt, ...);
[[gnu::format(printf, 1, 2)]] void logInfo(const char* fmt, ...);
void setLogQuiet(bool quiet);

}  // namespace pvx
