/* console.c - choosing a console driver; where printf() output goes. */
#include "console.h"

#include "../runtime/pvx.h"
#include "../runtime/rt.h"

static const struct console_dev *active;

const struct console_dev *console_choose(const char *force) {
    const struct console_dev *all[] = {&console_pv, &console_uart}; /* preference order */
    for (size_t i = 0; i < ARRAY_SIZE(all); ++i) {
        bool wanted = force && strcmp(force, "auto") != 0 ? strcmp(force, all[i]->name) == 0 : true;
        if (wanted && all[i]->init()) return all[i];
    }
    return NULL;
}

void console_set_active(const struct console_dev *dev) { active = dev; }
const struct console_dev *console_active(void) { return active; }

void console_write_active(const char *s, size_t n) {
    if (active) active->write(s, n);
}
