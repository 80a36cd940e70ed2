#include "devices/rtc/civil_date.h"

namespace pvx {

unsigned CivilCalendar::daysInMonth(int64_t year, unsigned month) {
    static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 31;
    return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

// Counts in 400-year eras starting on March 1st, so the leap day is the last day of a year and
// every month length is a fixed pattern: day-of-year = (153 * m' + 2) / 5 with m' = 0 for March.
int64_t CivilCalendar::dayNumber(int64_t year, unsigned month, unsigned day) {
    const int64_t y = month <= 2 ? year - 1 : year;
    const int64_t era = floorDiv(y, 400);
    const int64_t yoe = y - era * 400;                              // [0, 399]
    const int64_t mp = month > 2 ? month - 3 : month + 9;           // [0, 11], March = 0
    const int64_t doy = (153 * mp + 2) / 5 + static_cast<int64_t>(day) - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;     // [0, 146096]
    return era * 146097 + doe - 719468;                             // 719468: 0000-03-01 to 1970-01-01
}

CivilDate CivilCalendar::fromDayNumber(int64_t days) {
    const int64_t z = days + 719468;
    const int64_t era = floorDiv(z, 146097);
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    return CivilDate{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

unsigned CivilCalendar::weekday(int64_t days) {
    // 1970-01-01 was a Thursday (5 when Sunday = 1).
    int64_t w = (days + 4) % 7;
    if (w < 0) w += 7;
    return static_cast<unsigned>(w) + 1;
}

}  // namespace pvx
