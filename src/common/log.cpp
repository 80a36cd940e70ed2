#include "common/log.h"

#include <cstdio>

namespace pvx {

static bool g_quiet = false;

void setLogQuiet(bool quiet) { g_quiet = quiet; }

static void vlog(const char* prefix, const char* fmt, va_list ap) {
    std::fprintf(stderr, "pvx: %s", prefix);
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
}

void logError(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vlog("error: ", fmt, ap);
    va_end(ap);
}

void logWarn(const char* fmt, ...) {
    if (g_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vlog("warning: ", fmt, ap);
    va_end(ap);
}

void logInfo(const char* fmt, ...) {
    if (g_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vlog("", fmt, ap);
    va_end(ap);
}

}  // namespace pvx
