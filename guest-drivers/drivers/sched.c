/* sched.c - the two ways to wait. */
#include "sched.h"

#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "clock.h"

static bool hlt_init(void) { return clock_emulated.init(); }

static void hlt_sleep_ns(uint64_t ns) {
    uint64_t deadline = clock_emulated.monotonic_ns() + ns;
    for (;;) {
        cli(); /* check and halt atomically (see sti_hlt()) */
        if (clock_emulated.monotonic_ns() >= deadline) break;
        sti_hlt();
    }
    sti();
}

static bool pv_sched_init(void) { return pvx_has(PVX_FEAT_SCHED) && clock_pv.init(); }

static void pv_sleep_ns(uint64_t ns) {
    uint64_t deadline = clock_pv.monotonic_ns() + ns;
    /* An interrupt (the PIT tick) ends the halt early; then halt again for the rest. */
    while (clock_pv.monotonic_ns() < deadline) pvx_call(PVX_CALL_SCHED_HALT_UNTIL, deadline, 0, 0, 0);
}

const struct sched_dev sched_hlt = {"hlt", hlt_init, hlt_sleep_ns};
const struct sched_dev sched_pv = {"pv", pv_sched_init, pv_sleep_ns};

const struct sched_dev *sched_choose(const char *force) {
    const struct sched_dev *all[] = {&sched_pv, &sched_hlt};
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}
