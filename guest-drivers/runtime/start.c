/* start.c - from boot.asm's jump into C to guest_main(), and the way out (rt_exit).
 * Also the multiboot information (command line, memory map) and the page allocator. */
#include "../drivers/console.h"
#include "../drivers/power.h"
#include "interrupts.h"
#include "paging.h"
#include "pvx.h"
#include "rt.h"

#define MB_BOOT_MAGIC 0x2BADB002u
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define ISA_DEBUG_EXIT 0xF4

/* The multiboot information structure (Multiboot 0.6.96, 3.3): the fields used here. */
struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper; /* KiB below 1 MiB / above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct multiboot_mmap_entry {
    uint32_t size; /* of the rest of the entry: the next one starts size + 4 bytes further */
    uint64_t base, len;
    uint32_t type; /* 1 = available RAM */
} __attribute__((packed));

extern char __image_end[]; /* link.ld */

static char cmdline[1024];      /* the command line as given */
static char args_buf[1024];     /* the same, cut into NUL-terminated keys and values */
static const char *arg_keys[32], *arg_values[32];
static size_t arg_count;

static struct mem_range ram[32];
static size_t ram_count;
static uint64_t alloc_next, alloc_end;

/* ---- command line ---- */

static void parse_args(void) {
    memcpy(args_buf, cmdline, sizeof args_buf);
    char *p = args_buf;
    while (*p && arg_count < ARRAY_SIZE(arg_keys)) {
        while (*p == ' ') *p++ = '\0';
        if (!*p) break;
        char *word = p, *eq = NULL;
        while (*p && *p != ' ') {
            if (*p == '=' && !eq) eq = p;
            ++p;
        }
        if (eq) { /* key=value; other words (QEMU's leading kernel path) are ignored */
            *eq = '\0';
            arg_keys[arg_count] = word;
            arg_values[arg_count++] = eq + 1;
        }
    }
}

const char *rt_cmdline(void) { return cmdline; }

const char *rt_arg(const char *key) {
    for (size_t i = arg_count; i-- > 0;) /* the last occurrence wins */
        if (strcmp(arg_keys[i], key) == 0) return arg_values[i];
    return NULL;
}

uint64_t rt_arg_u64(const char *key, uint64_t fallback) {
    const char *v = rt_arg(key);
    uint64_t n;
    if (!v) return fallback;
    if (!parse_u64(v, strlen(v), &n)) {
        printf("runtime: ignoring %s=%s (not a number)\n", key, v);
        return fallback;
    }
    return n;
}

bool rt_arg_allows(const char *key, const char *item) {
    const char *v = rt_arg(key);
    if (!v) return true;
    size_t len = strlen(item);
    while (*v) {
        const char *end = v;
        while (*end && *end != ',') ++end;
        if ((size_t)(end - v) == len && strncmp(v, item, len) == 0) return true;
        v = *end ? end + 1 : end;
    }
    return false;
}

/* ---- memory ---- */

/* Copies what we need out of the multiboot information before anything can overwrite it: QEMU
 * places the structure, the command line and the memory map right after the kernel image,
 * exactly where the page allocator starts. */
static void read_multiboot(uint32_t info_pa) {
    const struct multiboot_info *mbi = phys_to_virt(info_pa);
    if (mbi->flags & MB_INFO_CMDLINE) {
        const char *s = phys_to_virt(mbi->cmdline);
        size_t n = strlen(s);
        if (n >= sizeof cmdline) n = sizeof cmdline - 1;
        memcpy(cmdline, s, n);
        cmdline[n] = '\0';
    }
    if (mbi->flags & MB_INFO_MMAP) {
        for (uint64_t off = 0; off < mbi->mmap_length && ram_count < ARRAY_SIZE(ram);) {
            const struct multiboot_mmap_entry *e = phys_to_virt(mbi->mmap_addr + off);
            if (e->type == 1 && e->len) ram[ram_count++] = (struct mem_range){e->base, e->len};
            off += e->size + 4;
        }
    }
    if (ram_count == 0 && (mbi->flags & MB_INFO_MEMORY)) {
        ram[ram_count++] = (struct mem_range){0, (uint64_t)mbi->mem_lower * 1024};
        ram[ram_count++] = (struct mem_range){MIB, (uint64_t)mbi->mem_upper * 1024};
    }
}

static void allocator_init(void) {
    uint64_t start = ALIGN_UP(virt_to_phys(__image_end), PAGE_SIZE);
    for (size_t i = 0; i < ram_count; ++i)
        if (start >= ram[i].base && start < ram[i].base + ram[i].len) {
            alloc_next = start;
            alloc_end = (ram[i].base + ram[i].len) & ~(uint64_t)(PAGE_SIZE - 1);
        }
    if (!alloc_end) panic("no RAM after the kernel image in the memory map");
}

void *phys_alloc(size_t bytes, size_t align) {
    uint64_t p = ALIGN_UP(alloc_next, align ? align : 8);
    if (p + bytes > alloc_end || p + bytes < p)
        panic("out of memory: %zu bytes wanted, %llu left", bytes, (unsigned long long)(alloc_end - alloc_next));
    alloc_next = p + bytes;
    memset(phys_to_virt(p), 0, bytes);
    return phys_to_virt(p);
}

uint64_t rt_ram_bytes(void) {
    uint64_t sum = 0;
    for (size_t i = 0; i < ram_count; ++i) sum += ram[i].len;
    return sum;
}

/* ---- the way out ---- */

/* An emulator acts on a power-off request between instructions, a little later: give it
 * 100 ms before trying the next method (and printing that this one did not work). */
static void settle(void) {
    uint64_t end = rt_ticks() + RT_HZ / 10; /* bounded too: interrupts may not be running */
    for (uint64_t i = 0; i < 100000000ull && rt_ticks() < end; ++i) __asm__ volatile("pause");
}

void rt_exit(int code) {
    /* isa-debug-exit: QEMU's (-device isa-debug-exit,iobase=0xf4) and pvx's (--debug-exit)
     * end the emulator with status (code << 1) | 1 at once. Absent, the write goes nowhere. */
    outb(ISA_DEBUG_EXIT, (uint8_t)code);
    if (code) e9_printf("runtime: exit code %d cannot be reported without isa-debug-exit\n", code);
    power_acpi.off();
    settle();
    if (power_pv.init()) power_pv.off();
    settle();
    e9_printf("runtime: could not power off; halting\n");
    for (;;) {
        cli();
        hlt();
    }
}

void panic(const char *fmt, ...) {
    static bool panicking;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (panicking) { /* panicked while panicking (in a console driver?): the bare minimum */
        e9_write(buf, strlen(buf));
        outb(ISA_DEBUG_EXIT, 2);
        for (;;) hlt();
    }
    panicking = true;
    printf("\npanic: %s\n", buf);
    rt_exit(2);
}

/* ---- entry ---- */

void rt_main64(uint32_t magic, uint32_t info_pa);
void rt_main64(uint32_t magic, uint32_t info_pa) {
    if (magic != MB_BOOT_MAGIC) panic("not started by a Multiboot loader (EAX=0x%x)", magic);
    read_multiboot(info_pa);
    parse_args();
    allocator_init();
    paging_init(ram, ram_count);
    interrupts_init();

    const char *pv = rt_arg("pv");
    pvx_detect(!(pv && strcmp(pv, "off") == 0));
    const char *want = rt_arg("console");
    const struct console_dev *con = console_choose(want);
    if (!con && want) con = console_choose(NULL);
    console_set_active(con);

    printf("runtime: %llu MiB RAM, console %s, cmdline \"%s\"\n", (unsigned long long)(rt_ram_bytes() / MIB),
           con ? con->name : "none (0xE9 only)", cmdline);
    if (pvx.present)
        printf("runtime: pvx ABI %u, features 0x%x, max batch %u\n", pvx.abi_version, pvx.features, pvx.max_batch);
    else if (pvx.signature)
        printf("runtime: pvx signature found but ABI version %u / features 0x%x unusable: emulated devices only\n",
               pvx.abi_version, pvx.features);
    else
        printf("runtime: pvx not found%s: emulated devices only\n", pv && strcmp(pv, "off") == 0 ? " (pv=off)" : "");

    rt_exit(guest_main());
}
