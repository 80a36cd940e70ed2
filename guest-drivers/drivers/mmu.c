/* mmu.c - choosing an MMU driver. */
#include "mmu.h"

#include "../runtime/rt.h"

const struct mmu_dev *mmu_choose(const char *force) {
    const struct mmu_dev *all[] = {&mmu_pv, &mmu_native};
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}
