// Host terminal control for `--serial stdio`: raw mode on stdin, restored on every exit path.
#pragma once

namespace pvx::host {
// Puts stdin in raw, non-blocking mode if it is a terminal. Safe to call more than once.
void terminalRawMode();
// Restores the saved terminal state (idempotent; also registered with atexit and signals).
void terminalRestore();
// Reads one byte from stdin without blocking; -1 if none.
int stdinReadByte();
}  // namespace pvx::host
