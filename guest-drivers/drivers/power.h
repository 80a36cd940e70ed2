/* power.h - switching the machine off.
 *   power_acpi  ACPI S5 through the PIIX4 power-management function (PCI 8086:7113): write
 *               SLP_TYP = 0 (S5 on PIIX4/QEMU/pvx) | SLP_EN to PM1a_CNT at PM base + 4.
 *               (A complete OS takes SLP_TYP from the DSDT's \_S5 object; the value is fixed
 *               for this chipset.)
 *   power_pv    PVX_CALL_POWER_OFF.
 * The exit status of a test run comes from isa-debug-exit instead (rt_exit() in start.c). */
#ifndef DRV_POWER_H
#define DRV_POWER_H

#include <stdbool.h>
#include <stdint.h>

struct power_dev {
    const char *name;   /* "acpi" / "pv" */
    bool (*init)(void); /* false = unavailable */
    void (*off)(void);  /* returns only if the machine did not switch off */
};

extern const struct power_dev power_acpi, power_pv;
const struct power_dev *power_choose(const char *force);

/* The PM I/O base power_acpi found (0 before init). */
uint16_t power_acpi_pm_base(void);

#endif
