/* console_pv.c - the console through PVX_CALL_CONSOLE_WRITE: the whole buffer (up to 64 KiB)
 * in one escape; pvx copies it out of guest RAM into COM1's character sink. */
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "console.h"

#define PV_CONSOLE_MAX (64 * 1024) /* per call (abi.h) */

static bool pv_console_init(void) {
    if (!pvx_has(PVX_FEAT_CONSOLE)) return false;
    /* A zero-length write succeeds only if pvx has a console sink attached (else -ENODEV). */
    static const char nothing[1];
    return pvx_call(PVX_CALL_CONSOLE_WRITE, virt_to_phys(nothing), 0, 0, 0) == 0;
}

static void pv_console_write(const char *s, size_t n) {
    while (n) {
        size_t chunk = n < PV_CONSOLE_MAX ? n : PV_CONSOLE_MAX;
        long r = pvx_call(PVX_CALL_CONSOLE_WRITE, virt_to_phys(s), chunk, 0, 0);
        if (r <= 0) return; /* nothing sensible to report to: this is the console */
        s += r;
        n -= (size_t)r;
    }
}

const struct console_dev console_pv = {"pv", pv_console_init, pv_console_write};
