/* rt.h - the freestanding runtime every guest in guest-drivers/ links against.
 *
 * What it gives a guest (guest_main() runs with all of this ready):
 *   - 64-bit long mode with the first 4 GiB (and any RAM above) identity mapped, so a pointer is
 *     its own physical address (virt_to_phys() says so explicitly wherever hardware or pvx needs
 *     a physical address);
 *   - a small libc subset and printf, which writes to the active console driver and mirrors
 *     everything to the port 0xE9 debug console;
 *   - interrupts (IDT, 8259 PIC at vectors 0x20-0x2F, a 100 Hz PIT tick), see interrupts.h;
 *   - a page allocator for buffers and page tables, and the multiboot command line.
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define PAGE_SIZE 4096u
#define KIB 1024ull
#define MIB (1024ull * 1024ull)

/* ---- libc subset (libc.c) ---- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Decimal, or hex with a 0x prefix; the whole string must be a number. */
bool parse_u64(const char *s, size_t len, uint64_t *out);

/* ---- formatted output (printf.c) ----
 * Conversions: %d %i %u %x %X %p %s %c %%, flags '-' and '0', a width, and the length
 * modifiers l, ll, z. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* To the active console and the 0xE9 debug console. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* To the 0xE9 debug console only (one OUT per byte). */
void e9_write(const char *s, size_t n);
void e9_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- the multiboot command line (start.c) ----
 * key=value words; QEMU puts the kernel's file name first, which is ignored (no '='). */
const char *rt_cmdline(void);
/* The value of key=value as a NUL-terminated copy, or NULL when absent. */
const char *rt_arg(const char *key);
uint64_t rt_arg_u64(const char *key, uint64_t fallback);
/* True if `key` is absent, or its value (a comma list) contains `item`. */
bool rt_arg_allows(const char *key, const char *item);

/* ---- physical memory (start.c) ----
 * A bump allocator over the RAM above the kernel image: zeroed, never freed. */
void *phys_alloc(size_t bytes, size_t align);
uint64_t rt_ram_bytes(void); /* RAM the multiboot map reports */
static inline uint64_t virt_to_phys(const void *p) { return (uint64_t)(uintptr_t)p; }
static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)pa; }

/* ---- lifecycle ---- */
/* Each guest defines it; the return value is the exit code given to rt_exit(). */
int guest_main(void);
/* Ends the machine: isa-debug-exit (port 0xF4, status (code << 1) | 1 in QEMU and pvx), then
 * ACPI S5, then PVX_CALL_POWER_OFF, then halts forever. */
__attribute__((noreturn)) void rt_exit(int code);
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Small deterministic pseudo-random numbers (xorshift64*). */
static inline uint64_t rt_rand_next(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

#endif
