/* pci.h - PCI configuration space through configuration mechanism #1: write the address of a
 * dword (enable bit 31 | bus << 16 | device << 11 | function << 8 | offset) to port 0xCF8, then
 * access it at 0xCFC..0xCFF. Every access is two port I/Os. */
#ifndef RT_PCI_H
#define RT_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct pci_fn {
    uint8_t bus, dev, fn;
};

uint32_t pci_read32(struct pci_fn f, uint8_t offset);
uint16_t pci_read16(struct pci_fn f, uint8_t offset);
uint8_t pci_read8(struct pci_fn f, uint8_t offset);
void pci_write32(struct pci_fn f, uint8_t offset, uint32_t value);
void pci_write16(struct pci_fn f, uint8_t offset, uint16_t value);
void pci_write8(struct pci_fn f, uint8_t offset, uint8_t value);

/* Finds a function by vendor and device ID on bus 0 (where a PC's chipset functions - the
 * PIIX IDE and power-management functions - always are). */
bool pci_find(uint16_t vendor, uint16_t device, struct pci_fn *out);

#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10

#endif
