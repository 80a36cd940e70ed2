/* sched.h - waiting: the sched driver interface.
 *   sched_hlt  HLT until the PIT tick (RT_HZ) has moved the emulated clock past the deadline:
 *              one wake-up, and its IRQ handling, every 10 ms.
 *   sched_pv   PVX_CALL_SCHED_HALT_UNTIL(deadline on the pvx clock): pvx halts the CPU until
 *              the deadline (or an interrupt) in one escape. */
#ifndef DRV_SCHED_H
#define DRV_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct sched_dev {
    const char *name;            /* "hlt" / "pv" */
    bool (*init)(void);          /* false = unavailable */
    void (*sleep_ns)(uint64_t ns); /* returns once at least `ns` have passed on its clock */
};

extern const struct sched_dev sched_hlt, sched_pv;
const struct sched_dev *sched_choose(const char *force);

#endif
