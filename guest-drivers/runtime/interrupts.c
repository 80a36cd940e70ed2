/* interrupts.c - IDT setup, PIC remapping, the PIT tick and the common interrupt dispatcher. */
#include "interrupts.h"

#include "rt.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_MODE 0x43

/* A 64-bit interrupt gate (Intel SDM vol. 3, 6.14.1). */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr; /* 0x8E: present, DPL 0, 64-bit interrupt gate (clears IF on entry) */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const uint64_t isr_stub_table[256]; /* isr.asm */
extern char rt_probe_insn[], rt_probe_fixup[];

static irq_handler_t irq_handlers[16];
static volatile uint64_t irq_counts[16];
static volatile uint64_t ticks;
static uint16_t pic_mask = 0xFFFF; /* bit n set = IRQ n masked */
volatile uint64_t rt_last_fault_addr;

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
    "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27", "reserved 28", "reserved 29",
    "reserved 30", "reserved 31"};

static void pic_write_mask(void) {
    outb(PIC1_DATA, (uint8_t)pic_mask);
    outb(PIC2_DATA, (uint8_t)(pic_mask >> 8));
}

void irq_mask(unsigned irq) {
    int was = irq_save();
    pic_mask |= (uint16_t)(1u << irq);
    pic_write_mask();
    irq_restore(was);
}

void irq_unmask(unsigned irq) {
    int was = irq_save();
    pic_mask &= (uint16_t)~(1u << irq);
    if (irq >= 8) pic_mask &= (uint16_t)~(1u << 2); /* the slave PIC is cascaded on IRQ 2 */
    pic_write_mask();
    irq_restore(was);
}

void irq_set_handler(unsigned irq, irq_handler_t handler) {
    irq_handlers[irq] = handler;
    irq_unmask(irq);
}

uint64_t rt_ticks(void) { return ticks; }
uint64_t rt_irq_count(unsigned irq) { return irq_counts[irq]; }

/* Reprogram both 8259s so the IRQs do not overlap the CPU exceptions (the BIOS leaves IRQ 0-7
 * at vectors 8-15). ICW1: edge triggered, cascade, ICW4 follows; ICW2: vector base; ICW3:
 * slave on IRQ 2; ICW4: 8086 mode. Old hardware needed a short delay between the writes;
 * emulated PICs do not. */
static void pic_init(void) {
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, IRQ_VECTOR_BASE);
    outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
    outb(PIC1_DATA, 0x04);
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);
    outb(PIC2_DATA, 0x01);
    pic_mask = 0xFFFF;
    pic_write_mask();
}

/* In-service register of one PIC (OCW3 "read ISR"; the next read of the command port returns it). */
static uint8_t pic_isr(uint16_t cmd_port) {
    outb(cmd_port, 0x0B);
    uint8_t v = inb(cmd_port);
    outb(cmd_port, 0x0A); /* back to reading the IRR, the power-on default */
    return v;
}

static void pit_tick(unsigned irq) {
    (void)irq;
    ticks++;
}

/* PIT channel 0, mode 2 (rate generator), lobyte/hibyte access, binary: IRQ 0 every PIT_RELOAD
 * input clocks. The emulated clock driver (drivers/clock_emulated.c) reads the same counter. */
static void pit_init(void) {
    outb(PIT_MODE, 0x34);
    outb(PIT_CH0, PIT_RELOAD & 0xFF);
    outb(PIT_CH0, PIT_RELOAD >> 8);
}

static void set_gate(unsigned vector, uint64_t handler) {
    struct idt_gate *g = &idt[vector];
    g->offset_lo = (uint16_t)handler;
    g->selector = 0x08; /* the 64-bit code segment of boot.asm's GDT */
    g->ist = 0;
    g->type_attr = 0x8E;
    g->offset_mid = (uint16_t)(handler >> 16);
    g->offset_hi = (uint32_t)(handler >> 32);
    g->reserved = 0;
}

void interrupts_init(void) {
    for (unsigned v = 0; v < 256; ++v) set_gate(v, isr_stub_table[v]);
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" ::"m"(idtr));
    pic_init();
    pit_init();
    irq_set_handler(0, pit_tick);
    sti();
}

static void exception(struct isr_frame *f) {
    /* The one instruction allowed to fault: rt_probe_read64's load. */
    if (f->vector == 14 && f->rip == (uint64_t)(uintptr_t)rt_probe_insn) {
        rt_last_fault_addr = read_cr2();
        f->rip = (uint64_t)(uintptr_t)rt_probe_fixup;
        return;
    }
    e9_printf("\nexception %llu (%s) error=0x%llx rip=0x%llx rsp=0x%llx cr2=0x%llx\n",
              (unsigned long long)f->vector, exception_names[f->vector], (unsigned long long)f->error,
              (unsigned long long)f->rip, (unsigned long long)f->rsp, (unsigned long long)read_cr2());
    e9_printf("rax=%llx rbx=%llx rcx=%llx rdx=%llx rsi=%llx rdi=%llx rbp=%llx\n", (unsigned long long)f->rax,
              (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx,
              (unsigned long long)f->rsi, (unsigned long long)f->rdi, (unsigned long long)f->rbp);
    panic("unhandled exception %llu at rip 0x%llx", (unsigned long long)f->vector, (unsigned long long)f->rip);
}

void isr_dispatch(struct isr_frame *f);
void isr_dispatch(struct isr_frame *f) {
    if (f->vector < 32) {
        exception(f);
        return;
    }
    if (f->vector < IRQ_VECTOR_BASE || f->vector >= IRQ_VECTOR_BASE + 16)
        panic("unexpected interrupt vector %llu", (unsigned long long)f->vector);

    unsigned irq = (unsigned)(f->vector - IRQ_VECTOR_BASE);
    /* IRQ 7 and 15 are also what a PIC reports for a request that vanished before the CPU
     * acknowledged it ("spurious"): then the in-service bit is clear and no EOI is due (except
     * to the master for a spurious slave IRQ, which the master did see on IRQ 2). */
    if (irq == 7 && !(pic_isr(PIC1_CMD) & 0x80)) return;
    if (irq == 15 && !(pic_isr(PIC2_CMD) & 0x80)) {
        outb(PIC1_CMD, PIC_EOI);
        return;
    }
    irq_counts[irq]++;
    if (irq_handlers[irq]) irq_handlers[irq](irq);
    if (irq >= 8) outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}
