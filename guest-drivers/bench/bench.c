/* bench.c - the PV-vs-emulated benchmark guest (`pvx bench` boots it; it also runs under QEMU).
 *
 * Every workload runs once through each available path. Each measured phase is wrapped in
 * markers on the port 0xE9 debug console, and nothing else is written between them:
 *     @bench begin <workload> <path> <ops> <bytes>\n   ...the work...   @bench end\n
 * pvx snapshots its own counters (host time, guest instructions, port/MMIO accesses, escapes)
 * at the markers, so the guest never measures time itself. Set-up and verification happen
 * outside the markers. A wrong result prints "@bench fail ..." and ends the run with exit code
 * 1; the end is "@bench done" and exit code 0 (isa-debug-exit, else ACPI S5).
 *
 * Command line (multiboot, key=value):
 *   disk=MiB      block region size (default 16)          qd=N      block requests per submit (16)
 *   clock=N       time reads per clock path (100000)      pages=N   pages mapped+unmapped (16384)
 *   zero=MiB      memory zeroed per page-zero path (16)   text=KiB  console text per path (1024)
 *   only=a,b      run only these workloads                paths=a,b    run only these paths
 *   pv=off        ignore pvx (emulated paths only)
 */
#include "../drivers/block.h"
#include "../drivers/clock.h"
#include "../drivers/console.h"
#include "../drivers/mmu.h"
#include "../runtime/interrupts.h"
#include "../runtime/paging.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"

#define BLOCK_BYTES 4096u /* one request */
#define BLOCK_SECTORS (BLOCK_BYTES / SECTOR_SIZE)
#define RING_BLOCKS 256u  /* 1 MiB of source and destination buffers */
#define MAX_QD 64u
#define LINE_BYTES 64u    /* console-write writes the text one line per call */
#define MMU_BATCH 512u
#define MMU_FRAMES 64u    /* physical pages the mapped region pages point to, round robin */

static struct {
    uint64_t disk_mib, qd, clock_reads, mmu_pages, zero_mib, console_kib;
} cfg;
static unsigned phases_run;

/* ---- markers ---- */

static bool selected(const char *workload, const char *path) {
    return rt_arg_allows("only", workload) && rt_arg_allows("paths", path);
}

/* Say what is about to run (console and 0xE9), then the begin marker (0xE9 only): the last
 * output before the measured work. */
static void phase_begin(const char *workload, const char *path, uint64_t ops, uint64_t bytes) {
    printf("bench: %-16s %-10s %9llu ops %10llu bytes\n", workload, path, (unsigned long long)ops,
           (unsigned long long)bytes);
    e9_printf("@bench begin %s %s %llu %llu\n", workload, path, (unsigned long long)ops, (unsigned long long)bytes);
}

static void phase_end(void) {
    e9_write("@bench end\n", 11);
    phases_run++;
}

__attribute__((noreturn, format(printf, 1, 2))) static void bench_fail(const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("bench: FAILED: %s\n", msg);
    e9_printf("@bench fail %s\n", msg);
    rt_exit(1);
}

static void skip(const char *workload, const char *path, const char *why) {
    printf("bench: %-16s %-10s skipped: %s\n", workload, path, why);
}

/* ---- console-write ---- */

static void bench_console(void) {
    const struct console_dev *paths[] = {&console_uart, &console_virtio, &console_pv};
    uint64_t bytes = cfg.console_kib * KIB / LINE_BYTES * LINE_BYTES, lines = bytes / LINE_BYTES;
    char *text = phys_alloc(bytes ? bytes : 1, 64);
    for (uint64_t l = 0; l < lines; ++l) {
        char *line = text + l * LINE_BYTES;
        int n = snprintf(line, LINE_BYTES, "console-write line %08llu ", (unsigned long long)l);
        for (unsigned i = (unsigned)n; i < LINE_BYTES - 1; ++i) line[i] = (char)('a' + (l + i) % 26);
        line[LINE_BYTES - 1] = '\n';
    }
    for (size_t p = 0; p < ARRAY_SIZE(paths); ++p) {
        const struct console_dev *dev = paths[p];
        if (!selected("console-write", dev->name)) continue;
        if (!dev->init()) {
            skip("console-write", dev->name, "driver unavailable");
            continue;
        }
        phase_begin("console-write", dev->name, lines, bytes);
        for (uint64_t l = 0; l < lines; ++l) dev->write(text + l * LINE_BYTES, LINE_BYTES);
        phase_end();
    }
}

/* ---- block workloads ----
 * The data of disk block k (4 KiB at LBA k * 8) is slot k % RING_BLOCKS of the source ring - a
 * pseudo-random pattern that depends on the writing path's seed - with its first 8 bytes
 * replaced by k. So any block read back can be checked: its stamp says it is the right block,
 * the rest says it holds the data of the last write phase. Request number i of a read phase
 * reads into slot i % RING_BLOCKS of the destination ring. */

static uint8_t *src_ring, *dst_ring;
static uint64_t region_blocks;
static uint64_t disk_seed; /* seed of the data on disk (0 = nothing written yet) */
static struct block_req reqs[MAX_QD];

static uint8_t *slot(uint8_t *ring, uint64_t n) { return ring + (n % RING_BLOCKS) * BLOCK_BYTES; }

static void fill_source(uint64_t seed) {
    uint64_t state = seed;
    uint64_t *q = (uint64_t *)src_ring;
    for (uint64_t i = 0; i < RING_BLOCKS * BLOCK_BYTES / 8; ++i) q[i] = rt_rand_next(&state);
}

/* Checks a block read back from disk. */
static void check_block(const char *workload, const char *path, uint64_t block, const uint8_t *data) {
    uint64_t stamp;
    memcpy(&stamp, data, 8);
    if (stamp != block)
        bench_fail("%s %s: block %llu holds block %llu's data", workload, path, (unsigned long long)block,
                   (unsigned long long)stamp);
    const uint8_t *want = slot(src_ring, block);
    for (unsigned i = 8; i < BLOCK_BYTES; ++i)
        if (data[i] != want[i])
            bench_fail("%s %s: block %llu byte %u is 0x%02x, expected 0x%02x", workload, path,
                       (unsigned long long)block, i, data[i], want[i]);
}

/* The blocks of batch `first` .. first + n - 1 (request numbers) of a phase. */
static uint64_t rand_state;
static void batch_blocks(bool random, uint64_t first, unsigned n, uint64_t *blocks) {
    for (unsigned j = 0; j < n; ++j) blocks[j] = random ? rt_rand_next(&rand_state) % region_blocks : first + j;
}

/* Submits requests first .. first + n - 1 (n <= qd) for `blocks` as one batch. */
static int submit_batch(const struct block_dev *dev, bool write, uint64_t first, const uint64_t *blocks, unsigned n) {
    for (unsigned j = 0; j < n; ++j) {
        uint8_t *buf = write ? slot(src_ring, blocks[j]) : slot(dst_ring, first + j);
        if (write) memcpy(buf, &blocks[j], 8); /* the stamp */
        reqs[j] = (struct block_req){write, blocks[j] * BLOCK_SECTORS, BLOCK_SECTORS, buf};
    }
    return dev->submit(reqs, n);
}

#define RAND_SEED 0x5EED0F9D15C0FFEEull

/* One pass over region_blocks requests (sequential or random blocks), outside or inside a
 * phase; `check` verifies each batch of a read right after it (used for write read-back). */
static void pass(const struct block_dev *dev, bool write, bool random, bool check, const char *workload) {
    uint64_t blocks[MAX_QD];
    rand_state = RAND_SEED;
    for (uint64_t k = 0; k < region_blocks; k += cfg.qd) {
        unsigned n = (unsigned)(region_blocks - k < cfg.qd ? region_blocks - k : cfg.qd);
        batch_blocks(random, k, n, blocks);
        int r = submit_batch(dev, write, k, blocks, n);
        if (r) bench_fail("%s %s: error %d in the batch at request %llu", workload, dev->name, r, (unsigned long long)k);
        for (unsigned j = 0; j < n && check; ++j) check_block(workload, dev->name, blocks[j], slot(dst_ring, k + j));
    }
}

static void measured_pass(const struct block_dev *dev, bool write, bool random, const char *workload) {
    phase_begin(workload, dev->name, region_blocks, region_blocks * BLOCK_BYTES);
    pass(dev, write, random, false, workload);
    phase_end();
}

/* After a read phase the destination ring holds the last RING_BLOCKS requests' data: replay
 * the block sequence and check those. */
static void verify_ring(const struct block_dev *dev, bool random, const char *workload) {
    uint64_t blocks[MAX_QD];
    rand_state = RAND_SEED;
    for (uint64_t k = 0; k < region_blocks; k += cfg.qd) {
        unsigned n = (unsigned)(region_blocks - k < cfg.qd ? region_blocks - k : cfg.qd);
        batch_blocks(random, k, n, blocks);
        for (unsigned j = 0; j < n; ++j)
            if (k + j + RING_BLOCKS >= region_blocks) check_block(workload, dev->name, blocks[j], slot(dst_ring, k + j));
    }
}

static void bench_block(void) {
    const struct block_dev *paths[] = {&block_ata_pio, &block_ata_dma, &block_virtio, &block_pv};
    bool up[ARRAY_SIZE(paths)];
    uint64_t disk_blocks = UINT64_MAX;
    for (size_t p = 0; p < ARRAY_SIZE(paths); ++p) {
        up[p] = paths[p]->init();
        if (up[p] && paths[p]->size() / BLOCK_SECTORS < disk_blocks) disk_blocks = paths[p]->size() / BLOCK_SECTORS;
    }
    if (disk_blocks == UINT64_MAX || disk_blocks == 0) {
        printf("bench: no disk: block workloads skipped\n");
        return;
    }
    region_blocks = cfg.disk_mib * MIB / BLOCK_BYTES;
    if (region_blocks > disk_blocks) {
        printf("bench: disk=%llu MiB is larger than the disk: using %llu KiB\n", (unsigned long long)cfg.disk_mib,
               (unsigned long long)(disk_blocks * 4));
        region_blocks = disk_blocks;
    }
    src_ring = phys_alloc(RING_BLOCKS * BLOCK_BYTES, PAGE_SIZE);
    dst_ring = phys_alloc(RING_BLOCKS * BLOCK_BYTES, PAGE_SIZE);

    const char *const workloads[] = {"block-seq-write", "block-seq-read", "block-rand-read"};
    for (size_t w = 0; w < ARRAY_SIZE(workloads); ++w) {
        bool write = w == 0, random = w == 2;
        for (size_t p = 0; p < ARRAY_SIZE(paths); ++p) {
            const struct block_dev *dev = paths[p];
            if (!selected(workloads[w], dev->name)) continue;
            if (!up[p]) {
                skip(workloads[w], dev->name, "driver unavailable");
                continue;
            }
            if (write) { /* new data for every path, so that each write phase is checked */
                disk_seed = 0x1000 + p;
                fill_source(disk_seed);
            } else if (!disk_seed) { /* reads need known data on the disk: write it, unmeasured */
                disk_seed = 0x2000;
                fill_source(disk_seed);
                pass(dev, true, false, false, "block set-up");
            }
            memset(dst_ring, 0, RING_BLOCKS * BLOCK_BYTES);
            measured_pass(dev, write, random, workloads[w]);
            if (write) pass(dev, false, false, true, workloads[w]); /* read back, check everything */
            else verify_ring(dev, random, workloads[w]);
        }
    }
}

/* ---- clock-read ---- */

static void clock_phase(const char *path, uint64_t (*read)(void), bool monotonic) {
    if (!selected("clock-read", path)) return;
    uint64_t prev = 0, backwards = 0, first = 0;
    phase_begin("clock-read", path, cfg.clock_reads, 0);
    for (uint64_t i = 0; i < cfg.clock_reads; ++i) {
        uint64_t t = read();
        backwards += t < prev;
        prev = t;
        if (i == 0) first = t;
    }
    phase_end();
    if (monotonic && backwards) bench_fail("clock-read %s: time went backwards %llu times", path, (unsigned long long)backwards);
    if (!monotonic && first < 946684800ull * 1000000000ull) /* before 2000-01-01 */
        bench_fail("clock-read %s: implausible wall-clock time %llu s", path, (unsigned long long)(first / 1000000000ull));
}

static void bench_clock(void) {
    if (clock_emulated.init()) {
        clock_phase("pit", clock_emulated.monotonic_ns, true);
        clock_phase("cmos", clock_emulated.wall_ns, false);
    } else {
        skip("clock-read", "pit/cmos", "no RTC");
    }
    if (clock_pv.init()) clock_phase("pv", clock_pv.monotonic_ns, true);
    else if (selected("clock-read", "pv")) skip("clock-read", "pv", "driver unavailable");
}

/* ---- mmu-map-unmap ----
 * Map a batch of region pages (round robin onto MMU_FRAMES physical pages), write to each,
 * unmap the batch (with invalidation), repeat until cfg.mmu_pages pages. */

static void bench_mmu(void) {
    const struct mmu_dev *paths[] = {&mmu_native, &mmu_pv};
    uint64_t pages = cfg.mmu_pages;
    if (!pg_region_reserve(pages)) {
        printf("bench: pages=%llu is more than the region holds (%llu)\n", (unsigned long long)pages,
               (unsigned long long)PG_REGION_MAX_PAGES);
        pages = PG_REGION_MAX_PAGES;
        pg_region_reserve(pages);
    }
    uint8_t *frames = phys_alloc(MMU_FRAMES * PAGE_SIZE, PAGE_SIZE);
    struct mmu_update *u = phys_alloc(MMU_BATCH * sizeof *u, 8);

    for (size_t p = 0; p < ARRAY_SIZE(paths); ++p) {
        const struct mmu_dev *dev = paths[p];
        if (!selected("mmu-map-unmap", dev->name)) continue;
        if (!dev->init()) {
            skip("mmu-map-unmap", dev->name, "driver unavailable");
            continue;
        }
        memset(frames, 0, MMU_FRAMES * PAGE_SIZE);
        phase_begin("mmu-map-unmap", dev->name, pages, 0);
        for (uint64_t base = 0; base < pages; base += MMU_BATCH) {
            size_t n = pages - base < MMU_BATCH ? (size_t)(pages - base) : MMU_BATCH;
            for (size_t i = 0; i < n; ++i) {
                uint64_t frame = virt_to_phys(frames) + ((base + i) % MMU_FRAMES) * PAGE_SIZE;
                u[i] = (struct mmu_update){pg_region_va(base + i), frame | PTE_P | PTE_W};
            }
            int r = dev->update(u, n);
            if (r) bench_fail("mmu-map-unmap %s: map error %d", dev->name, r);
            for (size_t i = 0; i < n; ++i) *(volatile uint64_t *)pg_region_va(base + i) = pg_region_va(base + i);
            for (size_t i = 0; i < n; ++i) u[i].pte = 0;
            r = dev->update(u, n);
            if (r) bench_fail("mmu-map-unmap %s: unmap error %d", dev->name, r);
        }
        phase_end();

        /* Every frame holds the address of the last page mapped onto it; nothing stays mapped,
         * and no stale translation survives the unmap. */
        for (uint64_t f = 0; f < MMU_FRAMES && f < pages; ++f) {
            uint64_t last = (pages - 1 - f) / MMU_FRAMES * MMU_FRAMES + f;
            uint64_t got = *(uint64_t *)(frames + f * PAGE_SIZE);
            if (got != pg_region_va(last))
                bench_fail("mmu-map-unmap %s: frame %llu holds 0x%llx, expected 0x%llx", dev->name,
                           (unsigned long long)f, (unsigned long long)got, (unsigned long long)pg_region_va(last));
        }
        for (uint64_t i = 0; i < pages; ++i)
            if (*pg_region_pte(pg_region_va(i)))
                bench_fail("mmu-map-unmap %s: page %llu still mapped", dev->name, (unsigned long long)i);
        uint64_t v;
        if (rt_probe_read64(pg_region_va(0), &v) == 0 || rt_probe_read64(pg_region_va(pages - 1), &v) == 0)
            bench_fail("mmu-map-unmap %s: an unmapped page is still readable (stale TLB entry)", dev->name);
    }
}

/* ---- page-zero ---- */

static void bench_zero(void) {
    const struct mmu_dev *paths[] = {&mmu_native, &mmu_pv};
    uint64_t pages = cfg.zero_mib * MIB / PAGE_SIZE;
    /* A guard page on each side: zeroing must stay inside its range. */
    uint8_t *area = phys_alloc((pages + 2) * PAGE_SIZE, PAGE_SIZE), *buf = area + PAGE_SIZE;
    for (size_t p = 0; p < ARRAY_SIZE(paths); ++p) {
        const struct mmu_dev *dev = paths[p];
        if (!selected("page-zero", dev->zero_name)) continue;
        if (!dev->init()) {
            skip("page-zero", dev->zero_name, "driver unavailable");
            continue;
        }
        memset(area, 0xA5, (pages + 2) * PAGE_SIZE);
        phase_begin("page-zero", dev->zero_name, pages, pages * PAGE_SIZE);
        int r = dev->zero(virt_to_phys(buf), pages);
        phase_end();
        if (r) bench_fail("page-zero %s: error %d", dev->zero_name, r);
        const uint64_t *q = (const uint64_t *)buf;
        for (uint64_t i = 0; i < pages * PAGE_SIZE / 8; ++i)
            if (q[i]) bench_fail("page-zero %s: byte %llu not zeroed", dev->zero_name, (unsigned long long)i * 8);
        for (unsigned i = 0; i < PAGE_SIZE; ++i)
            if (area[i] != 0xA5 || buf[pages * PAGE_SIZE + i] != 0xA5)
                bench_fail("page-zero %s: zeroed outside its range", dev->zero_name);
    }
}

int guest_main(void) {
    cfg.disk_mib = rt_arg_u64("disk", 16);
    cfg.qd = rt_arg_u64("qd", 16);
    cfg.clock_reads = rt_arg_u64("clock", 100000);
    cfg.mmu_pages = rt_arg_u64("pages", 16384);
    cfg.zero_mib = rt_arg_u64("zero", 16);
    cfg.console_kib = rt_arg_u64("text", 1024);
    if (cfg.qd == 0 || cfg.qd > MAX_QD) cfg.qd = cfg.qd ? MAX_QD : 1;
    printf("bench: disk=%llu MiB qd=%llu clock=%llu pages=%llu zero=%llu MiB text=%llu KiB; pvx %s\n",
           (unsigned long long)cfg.disk_mib, (unsigned long long)cfg.qd, (unsigned long long)cfg.clock_reads,
           (unsigned long long)cfg.mmu_pages, (unsigned long long)cfg.zero_mib, (unsigned long long)cfg.console_kib,
           pvx.present ? "present" : "absent: emulated paths only");

    bench_console();
    bench_block();
    bench_clock();
    bench_mmu();
    bench_zero();

    printf("bench: %u phases done\n", phases_run);
    e9_write("@bench done\n", 12);
    return 0;
}
