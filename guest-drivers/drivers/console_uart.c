/* console_uart.c - a 16550 UART at COM1, polled (no interrupts). */
#include "../runtime/interrupts.h"
#include "../runtime/rt.h"
#include "console.h"

#define COM1 0x3F8
#define UART_THR 0 /* transmit holding (write) / receive buffer RBR (read) */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control; bit 7 = DLAB (divisor latch access) */
#define UART_DLL 0 /* with DLAB: divisor low byte */
#define UART_DLM 1 /* with DLAB: divisor high byte */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define LSR_DR 0x01   /* a received byte is waiting */
#define LSR_THRE 0x20 /* the transmitter can take a byte */
#define MCR_DTR_RTS 0x03
#define MCR_LOOP 0x10

static bool ready;

static bool uart_init(void) {
    if (ready) return true;
    /* Existence test (as Linux's 8250 autoconfig does): IER keeps what is written to its low
     * four bits. An unclaimed port reads 0xFF. */
    outb(COM1 + UART_IER, 0x0F);
    if (inb(COM1 + UART_IER) != 0x0F) return false;
    outb(COM1 + UART_IER, 0x00); /* no UART interrupts: we poll */
    if (inb(COM1 + UART_IER) != 0x00) return false;
    outb(COM1 + UART_LCR, 0x80);        /* DLAB: the next two registers are the divisor */
    outb(COM1 + UART_DLL, 1);           /* 115200 baud = 115200 / 1 */
    outb(COM1 + UART_DLM, 0);
    outb(COM1 + UART_LCR, 0x03);        /* 8 data bits, no parity, 1 stop bit, DLAB off */
    outb(COM1 + UART_FCR, 0x07);        /* enable and clear both FIFOs */
    outb(COM1 + UART_MCR, MCR_DTR_RTS); /* OUT2 stays off: the UART's IRQ is not routed */
    ready = true;
    return true;
}

static void uart_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        while (!(inb(COM1 + UART_LSR) & LSR_THRE)) {
        }
        outb(COM1 + UART_THR, (uint8_t)s[i]);
    }
}

bool uart_loopback_test(void) {
    if (!uart_init()) return false;
    outb(COM1 + UART_MCR, MCR_LOOP | MCR_DTR_RTS);
    for (int i = 0; i < 64 && (inb(COM1 + UART_LSR) & LSR_DR); ++i) inb(COM1 + UART_THR); /* drain */
    bool ok = true;
    static const uint8_t probe[] = {0x55, 0xAA, 'p', 'v', 'x'};
    for (size_t k = 0; k < sizeof probe && ok; ++k) {
        outb(COM1 + UART_THR, probe[k]);
        struct rt_deadline d = rt_deadline_ms(20); /* far more than one character time */
        while (!(inb(COM1 + UART_LSR) & LSR_DR) && !rt_deadline_passed(&d)) {
        }
        ok = (inb(COM1 + UART_LSR) & LSR_DR) && inb(COM1 + UART_THR) == probe[k];
    }
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
    return ok;
}

const struct console_dev console_uart = {"uart", uart_init, uart_write};
