/* power.c - ACPI S5 and the PV power-off. */
#include "power.h"

#include "../runtime/pci.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"

#define PIIX4_PM 0x7113
#define PIIX4_PMBA 0x40      /* PM base address: bits 15:6, bit 0 reads 1 (I/O) */
#define PIIX4_PMREGMISC 0x80 /* bit 0: PM I/O space enable */
#define DEFAULT_PM_BASE 0x600 /* what SeaBIOS programs on QEMU's pc machine */
#define PM1A_CNT 0x04
#define SLP_TYP_S5 0u
#define SLP_EN (1u << 13)

static uint16_t pm_base;

static bool acpi_init(void) {
    if (pm_base) return true;
    struct pci_fn pm;
    if (!pci_find(0x8086, PIIX4_PM, &pm)) return false;
    uint16_t base = (uint16_t)(pci_read32(pm, PIIX4_PMBA) & 0xFFC0);
    if (base == 0) { /* firmware did not set it up (direct kernel boot): do it ourselves */
        pci_write32(pm, PIIX4_PMBA, DEFAULT_PM_BASE | 1);
        base = (uint16_t)(pci_read32(pm, PIIX4_PMBA) & 0xFFC0);
        if (base == 0) return false;
    }
    uint8_t misc = pci_read8(pm, PIIX4_PMREGMISC);
    if (!(misc & 1)) pci_write8(pm, PIIX4_PMREGMISC, misc | 1);
    pm_base = base;
    return true;
}

static void acpi_off(void) {
    if (!acpi_init()) return;
    outw(pm_base + PM1A_CNT, (uint16_t)(SLP_TYP_S5 << 10 | SLP_EN));
}

uint16_t power_acpi_pm_base(void) { return pm_base; }

static bool pv_power_init(void) { return pvx_has(PVX_FEAT_POWER); }
static void pv_off(void) { pvx_call(PVX_CALL_POWER_OFF, 0, 0, 0, 0); }

const struct power_dev power_acpi = {"acpi", acpi_init, acpi_off};
const struct power_dev power_pv = {"pv", pv_power_init, pv_off};

const struct power_dev *power_choose(const char *force) {
    const struct power_dev *all[] = {&power_pv, &power_acpi};
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}
