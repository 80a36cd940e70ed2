// Header-only device; this file anchors it in the devices library.
#include "devices/debug/debug_console.h"
#include "devices/debug/debug_exit.h"
