// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), used by the
// RTC to turn elapsed seconds into date registers and back. Pure integer math, valid for any
// int64 day number the RTC can reach.
#pragma once
#include <cstdint>

namespace pvx {

struct CivilDate {
    int64_t year;
    unsigned month;  // 1-12
    unsigned day;    // 1-31
};

class CivilCalendar {
public:
    static bool isLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }
    static unsigned daysInMonth(int64_t year, unsigned month);
    // Day number of a date. Out-of-range days roll into the following months.
    static int64_t dayNumber(int64_t year, unsigned month, unsigned day);
    static CivilDate fromDayNumber(int64_t days);
    // 1 = Sunday ... 7 = Saturday (the MC146818 day-of-week convention).
    static unsigned weekday(int64_t days);
    static int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
};

}  // namespace pvx
