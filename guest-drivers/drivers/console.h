/* console.h - the console driver interface: a byte sink for text.
 *   console_uart  16550 UART at COM1 (0x3F8): poll LSR.THRE, then write THR - two port I/Os
 *                 per byte.
 *   console_pv    PVX_CALL_CONSOLE_WRITE - one escape per write() of up to 64 KiB.
 * Both reach the same host character sink in pvx (COM1's backend). */
#ifndef DRV_CONSOLE_H
#define DRV_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct console_dev {
    const char *name;                       /* "uart" / "pv": also the benchmark path name */
    bool (*init)(void);                     /* probe and set up (idempotent); false = unavailable */
    void (*write)(const char *s, size_t n); /* all n bytes, in order, no newline translation */
};

extern const struct console_dev console_uart, console_pv;
/* console_virtio: virtio-console port 0 (PCI 1AF4:1003), one notification per write()
 * (console_virtio.c); named explicitly, not chosen automatically. */
extern const struct console_dev console_virtio;

/* Picks a driver: `force` names one ("uart", "pv"); NULL or "auto" takes pv when pvx offers
 * it, else uart. Returns NULL if the wanted driver (or every driver) is unavailable. */
const struct console_dev *console_choose(const char *force);

/* The driver printf() writes to (besides the 0xE9 debug console); NULL = none yet. */
void console_set_active(const struct console_dev *dev);
const struct console_dev *console_active(void);
void console_write_active(const char *s, size_t n);

/* The 16550's internal loopback (MCR bit 4): a byte written to THR comes back in RBR. Checks
 * the UART end to end without anything attached; restores normal mode. */
bool uart_loopback_test(void);

#endif
