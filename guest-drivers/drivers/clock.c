/* clock.c - choosing a clock driver; calendar arithmetic. */
#include "clock.h"

#include "../runtime/rt.h"

const struct clock_dev *clock_choose(const char *force) {
    const struct clock_dev *all[] = {&clock_pv, &clock_emulated};
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): years
 * start in March so the leap day is the last day of the year. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                       /* [0, 399] */
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t clock_epoch_seconds(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned min, unsigned sec) {
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}
