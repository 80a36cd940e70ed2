/* clock_emulated.c - time from the emulated PC clock hardware.
 *
 * Monotonic: the runtime programs PIT channel 0 as a rate generator that counts PIT_RELOAD
 * input clocks (1.193182 MHz) per IRQ 0 and counts the IRQs (rt_ticks()). Between two ticks,
 * the position inside the current period comes from the counter itself: a "counter latch"
 * command to port 0x43 freezes a copy of channel 0's count, which is then read low byte, high
 * byte from port 0x40.
 *
 * Wall: the MC146818-compatible CMOS RTC. Select a register at port 0x70, read it at 0x71.
 * While status A bit 7 (update in progress) is clear, the next update is at least 244 us away,
 * long enough to read the six time registers consistently. Values are BCD unless status B bit 2
 * is set; hours are 12-hour with bit 7 = PM unless status B bit 1 is set. */
#include "../runtime/interrupts.h"
#include "../runtime/rt.h"
#include "clock.h"

#define PIT_CH0 0x40
#define PIT_MODE 0x43
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B
#define RTC_A_UIP 0x80
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04

static bool ready;
static uint8_t rtc_status_b;
static uint64_t last_ns;

static uint8_t cmos_read(uint8_t reg) {
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static bool emulated_init(void) {
    if (ready) return true;
    rtc_status_b = cmos_read(RTC_STATUS_B);
    if (rtc_status_b == 0xFF) return false; /* no RTC answering */
    ready = true;
    return true;
}

/* PIT input clocks -> ns, exactly, without 128-bit division. */
static uint64_t pit_counts_to_ns(uint64_t counts) {
    return counts / PIT_HZ * 1000000000ull + counts % PIT_HZ * 1000000000ull / PIT_HZ;
}

static uint64_t pit_monotonic_ns(void) {
    int was = irq_save(); /* the tick count and the counter must belong together */
    outb(PIT_MODE, 0x00); /* channel 0, counter latch */
    uint8_t lo = inb(PIT_CH0);
    uint8_t hi = inb(PIT_CH0);
    uint64_t ticks = rt_ticks();
    uint32_t count = (uint32_t)lo | (uint32_t)hi << 8; /* counts down PIT_RELOAD .. 1 */
    if (count > PIT_RELOAD) count = PIT_RELOAD;
    uint64_t ns = pit_counts_to_ns(ticks * PIT_RELOAD + (PIT_RELOAD - count));
    /* If the counter wrapped after interrupts were disabled, IRQ 0 has not been counted yet
     * and the value is one period short; never go backwards (it catches up at the next tick). */
    if (ns < last_ns) ns = last_ns;
    last_ns = ns;
    irq_restore(was);
    return ns;
}

static unsigned rtc_value(uint8_t v) { return (rtc_status_b & RTC_B_BINARY) ? v : (v >> 4) * 10u + (v & 0x0F); }

static uint64_t cmos_wall_ns(void) {
    struct rt_deadline d = rt_deadline_ms(20); /* an update takes 2 ms at most */
    while ((cmos_read(RTC_STATUS_A) & RTC_A_UIP) && !rt_deadline_passed(&d)) {
    }
    unsigned sec = rtc_value(cmos_read(RTC_SECONDS));
    unsigned min = rtc_value(cmos_read(RTC_MINUTES));
    uint8_t hour_raw = cmos_read(RTC_HOURS);
    unsigned day = rtc_value(cmos_read(RTC_DAY));
    unsigned month = rtc_value(cmos_read(RTC_MONTH));
    unsigned year = rtc_value(cmos_read(RTC_YEAR));
    unsigned hour;
    if (rtc_status_b & RTC_B_24H) {
        hour = rtc_value(hour_raw);
    } else { /* 12-hour clock: 12 AM is midnight, bit 7 = PM */
        hour = rtc_value(hour_raw & 0x7F) % 12;
        if (hour_raw & 0x80) hour += 12;
    }
    /* The century register's location is only known from ACPI's FADT; assume 20xx. */
    int64_t s = clock_epoch_seconds(2000 + year, month, day, hour, min, sec);
    return s < 0 ? 0 : (uint64_t)s * 1000000000ull;
}

const struct clock_dev clock_emulated = {"pit-cmos", emulated_init, pit_monotonic_ns, cmos_wall_ns};
