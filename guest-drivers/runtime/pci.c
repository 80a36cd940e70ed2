/* pci.c - see pci.h. */
#include "pci.h"

#include "rt.h"

#define PCI_ADDR 0xCF8
#define PCI_DATA 0xCFC

static void select(struct pci_fn f, uint8_t offset) {
    outl(PCI_ADDR, 0x80000000u | (uint32_t)f.bus << 16 | (uint32_t)f.dev << 11 | (uint32_t)f.fn << 8 | (offset & 0xFC));
}

uint32_t pci_read32(struct pci_fn f, uint8_t offset) {
    select(f, offset);
    return inl(PCI_DATA);
}
uint16_t pci_read16(struct pci_fn f, uint8_t offset) {
    select(f, offset);
    return inw(PCI_DATA + (offset & 2));
}
uint8_t pci_read8(struct pci_fn f, uint8_t offset) {
    select(f, offset);
    return inb(PCI_DATA + (offset & 3));
}
void pci_write32(struct pci_fn f, uint8_t offset, uint32_t value) {
    select(f, offset);
    outl(PCI_DATA, value);
}
void pci_write16(struct pci_fn f, uint8_t offset, uint16_t value) {
    select(f, offset);
    outw(PCI_DATA + (offset & 2), value);
}
void pci_write8(struct pci_fn f, uint8_t offset, uint8_t value) {
    select(f, offset);
    outb(PCI_DATA + (offset & 3), value);
}

bool pci_find(uint16_t vendor, uint16_t device, struct pci_fn *out) {
    for (uint8_t dev = 0; dev < 32; ++dev) {
        for (uint8_t fn = 0; fn < 8; ++fn) {
            struct pci_fn f = {0, dev, fn};
            uint32_t id = pci_read32(f, 0);
            if ((id & 0xFFFF) == 0xFFFF) { /* nothing here */
                if (fn == 0) break;
                continue;
            }
            if ((id & 0xFFFF) == vendor && (id >> 16) == device) {
                *out = f;
                return true;
            }
            /* Functions 1-7 exist only on multi-function devices (header type bit 7). */
            if (fn == 0 && !(pci_read8(f, PCI_HEADER_TYPE) & 0x80)) break;
        }
    }
    return false;
}
