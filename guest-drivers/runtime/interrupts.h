/* interrupts.h - the IDT, the two 8259 PICs and the PIT tick.
 *
 * Vectors 0-31 are CPU exceptions (an unexpected one prints the frame and ends the run),
 * 0x20-0x2F are the 16 ISA IRQs (PIC master at 0x20, slave at 0x28). IRQ 0 is the PIT, channel
 * 0 in mode 2 at RT_HZ; its handler only counts ticks. Drivers register their own IRQ handlers;
 * the dispatcher sends the EOI after the handler returns. */
#ifndef RT_INTERRUPTS_H
#define RT_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_BASE 0x20
#define RT_HZ 100u
#define PIT_HZ 1193182u                                /* the PIT input clock */
#define PIT_RELOAD ((PIT_HZ + RT_HZ / 2) / RT_HZ)       /* counts per tick: 11932 */

/* What isr_common (isr.asm) pushed, lowest address first. */
struct isr_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*irq_handler_t)(unsigned irq);

void interrupts_init(void);
/* Installs a handler for ISA IRQ 0-15 and unmasks it at the PIC (and the cascade for 8-15). */
void irq_set_handler(unsigned irq, irq_handler_t handler);
void irq_mask(unsigned irq);
void irq_unmask(unsigned irq);

/* PIT ticks since interrupts_init() (RT_HZ per second). */
uint64_t rt_ticks(void);

/* A time limit for polling loops: `ms` milliseconds of PIT ticks, or a fixed number of polls
 * (10000 per ms) should the tick not be running, so that a missing device never hangs a loop:
 *     struct rt_deadline d = rt_deadline_ms(5000);
 *     while (!ready()) if (rt_deadline_passed(&d)) return error; */
struct rt_deadline {
    uint64_t tick, polls;
};
static inline struct rt_deadline rt_deadline_ms(uint64_t ms) {
    struct rt_deadline d = {rt_ticks() + (ms * RT_HZ + 999) / 1000, ms * 10000};
    return d;
}
static inline bool rt_deadline_passed(struct rt_deadline *d) { return rt_ticks() > d->tick || d->polls-- == 0; }

/* How many times each IRQ was delivered. */
uint64_t rt_irq_count(unsigned irq);

/* Reads a qword, surviving a page fault: 0 on success, -1 if it faulted (rt_last_fault_addr
 * then holds CR2). */
int rt_probe_read64(uint64_t va, uint64_t *out);
extern volatile uint64_t rt_last_fault_addr;

#endif
