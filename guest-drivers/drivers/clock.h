/* clock.h - the clock driver interface: a monotonic nanosecond clock and the wall-clock time.
 *   clock_emulated  monotonic: PIT channel 0 latched and read (3 port I/Os) on top of the
 *                   runtime's tick count; wall: the CMOS RTC (0x70/0x71, 14 port I/Os).
 *   clock_pv        monotonic: the pvx time page, read with RDTSC - no exit at all;
 *                   wall: PVX_CALL_CLOCK_WALLCLOCK (one escape). */
#ifndef DRV_CLOCK_H
#define DRV_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock_dev {
    const char *name;                /* "pit-cmos" / "pv" */
    bool (*init)(void);              /* probe and set up (idempotent); false = unavailable */
    uint64_t (*monotonic_ns)(void);  /* from an arbitrary origin; never goes backwards */
    uint64_t (*wall_ns)(void);       /* since 1970-01-01 00:00 UTC (the RTC: whole seconds) */
};

extern const struct clock_dev clock_emulated, clock_pv;

/* `force` names a driver; NULL or "auto" prefers pv. */
const struct clock_dev *clock_choose(const char *force);

/* Civil date/time (UTC) -> seconds since the Unix epoch. */
int64_t clock_epoch_seconds(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned min, unsigned sec);

#endif
