/* block.c - choosing a block driver, and one-request helpers. */
#include "block.h"

#include "../runtime/rt.h"

const struct block_dev *block_choose(const char *force) {
    const struct block_dev *all[] = {&block_pv, &block_ata_dma, &block_ata_pio}; /* preference */
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}

int block_read(const struct block_dev *dev, uint64_t lba, uint32_t sectors, void *buf) {
    struct block_req r = {false, lba, sectors, buf};
    return dev->submit(&r, 1);
}

int block_write(const struct block_dev *dev, uint64_t lba, uint32_t sectors, const void *buf) {
    struct block_req r = {true, lba, sectors, (void *)buf};
    return dev->submit(&r, 1);
}
