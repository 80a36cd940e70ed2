/* x86.h - the handful of privileged instructions the runtime and drivers need, as inline
 * functions. Everything here is a single instruction (or a short fixed sequence); nothing
 * hides a loop or a policy. */
#ifndef RT_X86_H
#define RT_X86_H

#include <stdint.h>

/* ---- port I/O: each call is exactly one IN/OUT (one "PIO exit" in an emulator) ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port) {
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port) {
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
/* REP INSW / REP OUTSW: `count` 16-bit transfers (one port access each) to/from memory. */
static inline void insw(uint16_t port, void *dst, uint32_t count) {
    __asm__ volatile("rep insw" : "+D"(dst), "+c"(count) : "d"(port) : "memory");
}
static inline void outsw(uint16_t port, const void *src, uint32_t count) {
    __asm__ volatile("rep outsw" : "+S"(src), "+c"(count) : "d"(port) : "memory");
}

/* ---- CPU identification, time stamp counter ---- */
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* ---- interrupts ---- */
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* STI;HLT as one unit: STI enables interrupts only after the next instruction, so an interrupt
 * that is already pending wakes the HLT instead of being taken just before it (no lost wakeup). */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline uint64_t read_flags(void) {
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}
#define X86_FLAGS_IF (1u << 9)
/* Disable interrupts and return whether they were enabled; irq_restore() undoes it. */
static inline int irq_save(void) {
    int was = (read_flags() & X86_FLAGS_IF) != 0;
    cli();
    return was;
}
static inline void irq_restore(int was) {
    if (was) sti();
}

/* ---- control registers, TLB ---- */
static inline uint64_t read_cr2(void) {
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline uint64_t read_cr3(void) {
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }

/* A compiler barrier: memory accesses are not moved across it (the CPU keeps program order for
 * the single-CPU guests here). */
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

#endif
