/* clock_pv.c - time from pvx without leaving the guest.
 *
 * The guest registers a 32-byte struct pvx_time_page (PVX_CALL_CLOCK_SET_PAGE, once). pvx keeps
 * it current; reading the time is then plain memory reads plus RDTSC (KVM's pvclock formula):
 *     ns = system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32
 * (a negative shift shifts right). The page is a seqlock: pvx makes `version` odd while it
 * updates the page, so a reader retries while it is odd or has changed under the read.
 * (A multi-CPU guest would also want LFENCE before RDTSC; these guests run on one CPU.) */
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "clock.h"

static volatile struct pvx_time_page page __attribute__((aligned(32)));
static bool ready;

static bool pv_clock_init(void) {
    if (ready) return true;
    if (!pvx_has(PVX_FEAT_CLOCK)) return false;
    ready = pvx_call(PVX_CALL_CLOCK_SET_PAGE, virt_to_phys((const void *)&page), 0, 0, 0) == 0;
    return ready;
}

static uint64_t pv_monotonic_ns(void) {
    uint32_t version;
    uint64_t tsc, stamp, system_time;
    uint32_t mul;
    int8_t shift;
    do {
        version = page.version;
        barrier();
        tsc = rdtsc();
        stamp = page.tsc_timestamp;
        system_time = page.system_time;
        mul = page.tsc_to_system_mul;
        shift = page.tsc_shift;
        barrier();
    } while ((version & 1) || version != page.version);
    uint64_t delta = tsc - stamp;
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return system_time + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static uint64_t pv_wall_ns(void) {
    long r = pvx_call(PVX_CALL_CLOCK_WALLCLOCK, 0, 0, 0, 0); /* also returns the machine clock in RBX */
    return r < 0 ? 0 : (uint64_t)r;
}

const struct clock_dev clock_pv = {"pv", pv_clock_init, pv_monotonic_ns, pv_wall_ns};
