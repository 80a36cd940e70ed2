/* drivers_test.c - exercises every driver through both of its implementations and checks the
 * data end to end: what one block driver writes, the others must read back (ATA PIO, ATA DMA and
 * PV block reach the same disk image); pages mapped by one MMU driver are remapped and unmapped
 * by the other; the emulated and PV clocks must agree. Prints one line per check and finally
 * "drivers: PASS" (exit code 0) or "drivers: FAIL (<n> checks)" (exit code 1).
 * Without pvx (QEMU, real hardware, pv=off) only the emulated implementations run.
 * Needs a scratch disk of at least 2 MiB as the ATA primary master; it is overwritten. */
#include "../drivers/ata.h"
#include "../drivers/block.h"
#include "../drivers/clock.h"
#include "../drivers/console.h"
#include "../drivers/mmu.h"
#include "../drivers/power.h"
#include "../drivers/sched.h"
#include "../runtime/interrupts.h"
#include "../runtime/paging.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"

static unsigned failures;

#define CHECK(cond, ...)                                                \
    do {                                                                \
        if (!(cond)) {                                                  \
            char msg_[200];                                             \
            snprintf(msg_, sizeof msg_, __VA_ARGS__);                   \
            printf("drivers: FAIL %s (line %d)\n", msg_, __LINE__);     \
            failures++;                                                 \
        }                                                               \
    } while (0)

/* Ends a group of checks: "ok" if none of them failed since the previous group. */
static void ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ok(const char *fmt, ...) {
    static unsigned reported;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("drivers: %s %s\n", failures == reported ? "ok  " : "FAILED", msg);
    reported = failures;
}

static void fill(void *buf, size_t bytes, uint64_t seed) {
    uint64_t *q = buf;
    for (size_t i = 0; i < bytes / 8; ++i) q[i] = rt_rand_next(&seed);
}

/* ---- runtime basics ---- */

static void test_interrupts(void) {
    uint64_t t0 = rt_ticks();
    struct rt_deadline d = rt_deadline_ms(1000);
    while (rt_ticks() < t0 + 3 && !rt_deadline_passed(&d)) __asm__ volatile("pause");
    CHECK(rt_ticks() >= t0 + 3, "PIT tick: IRQ 0 does not arrive");
    ok("PIT tick (IRQ 0 at %u Hz)", RT_HZ);

    uint64_t v;
    CHECK(rt_probe_read64(pg_region_va(0), &v) == -1 && rt_last_fault_addr == pg_region_va(0),
          "page-fault recovery on an unmapped region page");
    CHECK(rt_probe_read64((uint64_t)(uintptr_t)&failures, &v) == 0, "probe of a mapped address");
    ok("page-fault recovery (rt_probe_read64)");
}

static void test_pvx(void) {
    if (!pvx.present) {
        printf("drivers: pvx absent: only the emulated implementations are tested\n");
        return;
    }
    long v = pvx_call(PVX_CALL_INFO_VERSION, 0, 0, 0, 0);
    CHECK(v == PVX_ABI_VERSION, "PVX_CALL_INFO_VERSION returned %ld", v);
    long f = pvx_call(PVX_CALL_INFO_FEATURES, 0, 0, 0, 0);
    CHECK(f == (long)pvx.features, "PVX_CALL_INFO_FEATURES 0x%lx != CPUID 0x%x", f, pvx.features);
    long bad = pvx_call(0xFFFF, 0, 0, 0, 0);
    CHECK(bad == -PVX_ENOSYS, "an unknown call returned %ld, not -ENOSYS", bad);
    ok("pvx ABI %u, features 0x%x, max batch %u", pvx.abi_version, pvx.features, pvx.max_batch);
}

/* ---- console ---- */

static void test_console(void) {
    if (console_uart.init()) {
        static const char line[] = "drivers: (written through the uart console driver)\n";
        console_uart.write(line, sizeof line - 1);
        CHECK(uart_loopback_test(), "uart: loopback (MCR bit 4) did not return the bytes written");
        ok("console uart: written, loopback ok");
    } else {
        printf("drivers: skip console uart: no 16550 at 0x3F8\n");
    }
    if (console_pv.init()) {
        static const char line[] = "drivers: (written through the pv console driver)\n";
        console_pv.write(line, sizeof line - 1);
        long r = pvx_call(PVX_CALL_CONSOLE_WRITE, virt_to_phys(line), sizeof line - 1, 0, 0);
        CHECK(r == (long)sizeof line - 1, "PVX_CALL_CONSOLE_WRITE returned %ld", r);
        r = pvx_call(PVX_CALL_CONSOLE_WRITE, virt_to_phys(line), 64 * 1024 + 1, 0, 0);
        CHECK(r == -PVX_E2BIG, "a console write over 64 KiB returned %ld, not -E2BIG", r);
        ok("console pv");
    }
}

/* ---- block ---- */

#define TEST_LBA 2048u /* 1 MiB into the disk */
#define MAX_TEST_SECTORS 300u

static const struct block_dev *blocks[4]; /* every driver of test_block() */
static size_t nblocks;
static uint8_t *wbuf, *rbuf, *area64k;

/* Writes `sectors` at `lba` with `w`, reads them back with `r`, compares. */
static void cross_check(const struct block_dev *w, const struct block_dev *r, uint64_t lba, uint32_t sectors,
                        uint8_t *wb, uint8_t *rb, uint64_t seed) {
    size_t bytes = (size_t)sectors * SECTOR_SIZE;
    fill(wb, bytes, seed);
    memset(rb, 0xEE, bytes);
    int e = block_write(w, lba, sectors, wb);
    CHECK(e == 0, "%s: write of %u sectors at %llu: error %d", w->name, sectors, (unsigned long long)lba, e);
    e = block_read(r, lba, sectors, rb);
    CHECK(e == 0, "%s: read of %u sectors at %llu: error %d", r->name, sectors, (unsigned long long)lba, e);
    size_t i = 0;
    while (i < bytes && wb[i] == rb[i]) ++i;
    CHECK(i == bytes, "%s wrote, %s read %u sectors at LBA %llu: first difference at byte %zu", w->name, r->name,
          sectors, (unsigned long long)lba, i);
}

static void test_block(void) {
    const struct block_dev *all[] = {&block_ata_pio, &block_ata_dma, &block_virtio, &block_pv};
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        if (all[i]->init()) blocks[nblocks++] = all[i];
        else printf("drivers: skip block %s: unavailable\n", all[i]->name);
    }
    if (!nblocks) {
        printf("drivers: skip block: no disk\n");
        return;
    }
    uint64_t size = blocks[0]->size();
    for (size_t i = 1; i < nblocks; ++i)
        CHECK(blocks[i]->size() == size, "%s sees %llu sectors, %s %llu", blocks[i]->name,
              (unsigned long long)blocks[i]->size(), blocks[0]->name, (unsigned long long)size);
    ok("block: %zu drivers see the same disk: %llu sectors (ATA model \"%s\", LBA48 %s)", nblocks,
       (unsigned long long)size, ata_drive.present ? ata_drive.model : "-", ata_drive.lba48 ? "yes" : "no");
    if (size < TEST_LBA + 4 * MAX_TEST_SECTORS) {
        printf("drivers: skip block: the disk is too small (%llu sectors)\n", (unsigned long long)size);
        return;
    }
    wbuf = phys_alloc(MAX_TEST_SECTORS * SECTOR_SIZE, PAGE_SIZE);
    rbuf = phys_alloc(MAX_TEST_SECTORS * SECTOR_SIZE, PAGE_SIZE);
    area64k = phys_alloc(4 * 64 * KIB, 64 * KIB);

    /* Every writer against every reader, with sizes around the 256-sector command limit. */
    static const uint32_t sizes[] = {1, 8, 255, 256, 257};
    uint64_t seed = 1;
    for (size_t w = 0; w < nblocks; ++w)
        for (size_t r = 0; r < nblocks; ++r) {
            for (size_t s = 0; s < ARRAY_SIZE(sizes); ++s)
                cross_check(blocks[w], blocks[r], TEST_LBA + 7 * s, sizes[s], wbuf, rbuf, seed++);
            ok("block: %s writes, %s reads back (1..257 sectors)", blocks[w]->name, blocks[r]->name);
        }

    /* Buffers crossing a 64 KiB boundary (a DMA PRD must be split there), at odd LBAs. */
    for (size_t w = 0; w < nblocks; ++w)
        for (size_t r = 0; r < nblocks; ++r)
            cross_check(blocks[w], blocks[r], TEST_LBA + 1001, 40, area64k + 64 * KIB - 6 * SECTOR_SIZE + 2,
                        area64k + 2 * 64 * KIB - 2 * SECTOR_SIZE, seed++);
    ok("block: buffers across 64 KiB boundaries");

    /* The 48-bit (EXT) commands, at an LBA a 28-bit command could also address. */
    if (ata_drive.present && ata_drive.lba48) {
        ata_force_lba48 = true;
        for (size_t w = 0; w < nblocks; ++w)
            for (size_t r = 0; r < nblocks; ++r) cross_check(blocks[w], blocks[r], TEST_LBA + 333, 24, wbuf, rbuf, seed++);
        ata_force_lba48 = false;
        ok("block: LBA48 commands");
    }
    /* The last sectors of the disk. */
    for (size_t w = 0; w < nblocks; ++w)
        for (size_t r = 0; r < nblocks; ++r) cross_check(blocks[w], blocks[r], size - 8, 8, wbuf, rbuf, seed++);
    ok("block: the last sectors of the disk");

    /* A batch in order: write two places, then read both back, in one submit(). */
    for (size_t d = 0; d < nblocks; ++d) {
        fill(wbuf, 16 * SECTOR_SIZE, seed++);
        memset(rbuf, 0, 16 * SECTOR_SIZE);
        struct block_req q[4] = {
            {true, TEST_LBA + 500, 8, wbuf},
            {true, TEST_LBA + 600, 8, wbuf + 8 * SECTOR_SIZE},
            {false, TEST_LBA + 600, 8, rbuf + 8 * SECTOR_SIZE},
            {false, TEST_LBA + 500, 8, rbuf},
        };
        int e = blocks[d]->submit(q, 4);
        CHECK(e == 0 && memcmp(wbuf, rbuf, 16 * SECTOR_SIZE) == 0, "%s: a batch of 4 requests (error %d)",
              blocks[d]->name, e);
    }
    ok("block: batches of mixed requests");

    /* Out of range: an error, and nothing written. */
    for (size_t d = 0; d < nblocks; ++d) {
        struct block_req q = {true, size - 4, 8, wbuf};
        CHECK(blocks[d]->submit(&q, 1) < 0, "%s: a write past the end of the disk succeeded", blocks[d]->name);
    }
    ok("block: a request past the end of the disk fails");
    /* PV list semantics: entries before a failing one are done, the ones after it untouched. */
    if (block_pv.init()) {
        const struct block_dev *check = nblocks > 1 ? blocks[0] : &block_pv; /* an ATA driver if any */
        memset(rbuf, 0x11, 8 * SECTOR_SIZE);
        block_write(check, TEST_LBA + 700, 8, rbuf);
        block_write(check, TEST_LBA + 800, 8, rbuf);
        fill(wbuf, 8 * SECTOR_SIZE, seed++);
        struct block_req q[3] = {
            {true, TEST_LBA + 700, 8, wbuf},
            {true, size - 4, 8, wbuf}, /* beyond the end */
            {true, TEST_LBA + 800, 8, wbuf},
        };
        int e = block_pv.submit(q, 3);
        CHECK(e == -PVX_EINVAL, "pv: a list with a bad entry returned %d, not -EINVAL", e);
        block_read(check, TEST_LBA + 700, 8, rbuf);
        CHECK(memcmp(rbuf, wbuf, 8 * SECTOR_SIZE) == 0, "pv: the entry before the failing one was not done");
        block_read(check, TEST_LBA + 800, 8, rbuf);
        CHECK(rbuf[0] == 0x11 && rbuf[8 * SECTOR_SIZE - 1] == 0x11, "pv: an entry after the failing one was done");
        ok("block pv: list error semantics (checked through %s)", check->name);
    }
}

/* ---- clocks and sleeping ---- */

static void test_clock_sched(void) {
    if (!clock_emulated.init()) {
        CHECK(false, "clock: no CMOS RTC");
        ok("clock pit-cmos");
        return;
    }
    uint64_t wall = clock_emulated.wall_ns() / 1000000000ull;
    CHECK(wall > 946684800ull, "cmos: implausible time %llu", (unsigned long long)wall);
    uint64_t a = clock_emulated.monotonic_ns();

    CHECK(sched_hlt.init(), "sched hlt: unavailable");
    sched_hlt.sleep_ns(50 * 1000000ull);
    uint64_t b = clock_emulated.monotonic_ns();
    CHECK(b - a >= 50 * 1000000ull && b - a < 5000 * 1000000ull, "sched hlt: slept %llu ns for 50 ms",
          (unsigned long long)(b - a));
    ok("clock pit-cmos: wall %llu s; sched hlt: 50 ms took %llu us", (unsigned long long)wall,
       (unsigned long long)((b - a) / 1000));

    if (!clock_pv.init()) return;
    uint64_t pwall = clock_pv.wall_ns() / 1000000000ull;
    CHECK(pwall + 2 >= wall && pwall <= wall + 4, "pv wall clock %llu s, cmos %llu s", (unsigned long long)pwall,
          (unsigned long long)wall);
    uint64_t p0 = clock_pv.monotonic_ns(), e0 = clock_emulated.monotonic_ns();
    sched_hlt.sleep_ns(100 * 1000000ull);
    uint64_t p1 = clock_pv.monotonic_ns(), e1 = clock_emulated.monotonic_ns();
    /* Both clocks run on the same machine clock: over 100 ms they agree within a tick or so. */
    CHECK(p1 > p0 && (p1 - p0) * 10 > (e1 - e0) * 8 && (p1 - p0) * 10 < (e1 - e0) * 12,
          "pv clock advanced %llu ns while the pit clock advanced %llu ns", (unsigned long long)(p1 - p0),
          (unsigned long long)(e1 - e0));
    ok("clock pv: wall %llu s, rate matches the PIT", (unsigned long long)pwall);

    if (!sched_pv.init()) return;
    p0 = clock_pv.monotonic_ns();
    e0 = clock_emulated.monotonic_ns();
    sched_pv.sleep_ns(50 * 1000000ull);
    p1 = clock_pv.monotonic_ns();
    e1 = clock_emulated.monotonic_ns();
    CHECK(p1 - p0 >= 50 * 1000000ull, "sched pv: woke after %llu ns of 50 ms", (unsigned long long)(p1 - p0));
    CHECK(e1 - e0 >= 40 * 1000000ull, "sched pv: the pit clock saw only %llu ns", (unsigned long long)(e1 - e0));
    ok("sched pv: 50 ms took %llu us", (unsigned long long)((p1 - p0) / 1000));
}

/* ---- MMU ---- */

static uint64_t read_va(uint64_t va) { return *(volatile uint64_t *)va; }

/* map -> read -> remap (TLB must forget) -> read -> unmap (must fault), with `a` doing the
 * first map and `b` the remap and unmap. */
static void mmu_sequence(const struct mmu_dev *a, const struct mmu_dev *b, uint64_t *f1, uint64_t *f2) {
    uint64_t va = pg_region_va(7);
    f1[0] = 0x1111111111111111ull;
    f2[0] = 0x2222222222222222ull;
    struct mmu_update u = {va, virt_to_phys(f1) | PTE_P | PTE_W};
    CHECK(a->update(&u, 1) == 0, "%s: map", a->name);
    CHECK(read_va(va) == f1[0], "%s: mapped page reads 0x%llx", a->name, (unsigned long long)read_va(va));
    *(volatile uint64_t *)(va + 8) = 0xABCD; /* write through the mapping, see it in the frame */
    CHECK(f1[1] == 0xABCD, "%s: a write through the mapping did not reach the frame", a->name);
    u.pte = virt_to_phys(f2) | PTE_P | PTE_W; /* the translation to f1 is in the TLB now */
    CHECK(b->update(&u, 1) == 0, "%s: remap", b->name);
    CHECK(read_va(va) == f2[0], "%s after %s: remapped page still reads the old frame (stale TLB)", b->name, a->name);
    u.pte = 0;
    CHECK(b->update(&u, 1) == 0, "%s: unmap", b->name);
    uint64_t v;
    CHECK(rt_probe_read64(va, &v) == -1, "%s: an unmapped page is still readable (stale TLB)", b->name);
    ok("mmu: %s maps, %s remaps and unmaps", a->name, b->name);
}

static void zero_check(const struct mmu_dev *d, uint8_t *area, uint64_t pages) {
    memset(area, 0x5A, (pages + 2) * PAGE_SIZE);
    int e = d->zero(virt_to_phys(area + PAGE_SIZE), pages);
    CHECK(e == 0, "%s: zero %llu pages: error %d", d->zero_name, (unsigned long long)pages, e);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < pages * PAGE_SIZE; ++i) bad += area[PAGE_SIZE + i] != 0;
    for (uint64_t i = 0; i < PAGE_SIZE; ++i) bad += (area[i] != 0x5A) + (area[(pages + 1) * PAGE_SIZE + i] != 0x5A);
    CHECK(bad == 0, "%s: zeroing %llu pages left %llu wrong bytes", d->zero_name, (unsigned long long)pages,
          (unsigned long long)bad);
}

static void test_mmu(void) {
    const struct mmu_dev *all[] = {&mmu_native, &mmu_pv};
    const struct mmu_dev *up[2];
    size_t n = 0;
    for (size_t i = 0; i < 2; ++i)
        if (all[i]->init()) up[n++] = all[i];
    pg_region_reserve(2048);
    uint64_t *f1 = phys_alloc(PAGE_SIZE, PAGE_SIZE), *f2 = phys_alloc(PAGE_SIZE, PAGE_SIZE);
    for (size_t a = 0; a < n; ++a)
        for (size_t b = 0; b < n; ++b) mmu_sequence(up[a], up[b], f1, f2);

    /* Big batches: 1500 pages mapped in one update() (several PV lists, and past pvx's work
     * budget per escape), all checked, all unmapped in one update(). */
    enum { BIG = 1500, FRAMES = 16 };
    struct mmu_update *u = phys_alloc(BIG * sizeof *u, 8);
    uint64_t *frames = phys_alloc(FRAMES * PAGE_SIZE, PAGE_SIZE);
    for (size_t d = 0; d < n; ++d) {
        for (uint64_t f = 0; f < FRAMES; ++f) frames[f * 512] = f;
        for (uint64_t i = 0; i < BIG; ++i)
            u[i] = (struct mmu_update){pg_region_va(i), (virt_to_phys(frames) + (i % FRAMES) * PAGE_SIZE) | PTE_P};
        CHECK(up[d]->update(u, BIG) == 0, "%s: map %d pages", up[d]->name, BIG);
        uint64_t bad = 0;
        for (uint64_t i = 0; i < BIG; ++i) bad += read_va(pg_region_va(i)) != i % FRAMES;
        CHECK(bad == 0, "%s: %llu of %d pages map the wrong frame", up[d]->name, (unsigned long long)bad, BIG);
        for (uint64_t i = 0; i < BIG; ++i) u[i].pte = 0;
        CHECK(up[d]->update(u, BIG) == 0, "%s: unmap %d pages", up[d]->name, BIG);
        uint64_t v, still = 0;
        for (uint64_t i = 0; i < BIG; i += 97) still += rt_probe_read64(pg_region_va(i), &v) == 0;
        CHECK(still == 0, "%s: %llu sampled pages still readable after unmapping", up[d]->name, (unsigned long long)still);
        ok("mmu %s: %d pages mapped, checked, unmapped in one update", up[d]->name, BIG);
    }
    if (mmu_pv.init()) { /* a bad entry fails with nothing after it applied */
        struct mmu_update bad[1] = {{PG_REGION_BASE - PAGE_SIZE, 0}};
        CHECK(mmu_pv.update(bad, 1) == -PVX_EINVAL, "pv: update outside the region accepted");
        long r = pvx_call(PVX_CALL_MMU_ZERO, virt_to_phys(f1) + 8, 1, 0, 0);
        CHECK(r == -PVX_EINVAL, "PVX_CALL_MMU_ZERO of an unaligned address returned %ld", r);
        ok("mmu pv: bad requests are refused");
    }

    /* Zeroing: small, and (PV) more than one call's worth and more than one escape's budget. */
    uint8_t *area = phys_alloc((1100 + 2) * PAGE_SIZE, PAGE_SIZE);
    for (size_t d = 0; d < n; ++d) {
        zero_check(up[d], area, 1);
        zero_check(up[d], area, 3);
        zero_check(up[d], area, 1100);
        ok("mmu %s: zeroed 1, 3 and 1100 pages, neighbours intact", up[d]->zero_name);
    }
}

/* ---- power ---- */

static void test_power(void) {
    if (power_acpi.init()) ok("power acpi: PIIX4 PM at I/O 0x%x (S5 is used to end the run)", power_acpi_pm_base());
    else printf("drivers: skip power acpi: no PIIX4 PM function\n");
    if (power_pv.init()) ok("power pv: available");
}

int guest_main(void) {
    test_interrupts();
    test_pvx();
    test_console();
    test_block();
    test_clock_sched();
    test_mmu();
    test_power();
    if (failures) {
        printf("drivers: FAIL (%u checks)\n", failures);
        return 1;
    }
    printf("drivers: PASS\n");
    return 0;
}
