#include "host/terminal.h"

#include <csignal>
#include <cstdlib>
#include <initializer_list>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace pvx::host {

namespace {
bool g_saved = false;
struct termios g_orig;
int g_origFlags = 0;

void onSignal(int sig) {
    terminalRestore();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
}  // namespace

void terminalRawMode() {
    if (g_saved || !isatty(STDIN_FILENO)) return;
    if (tcgetattr(STDIN_FILENO, &g_orig) != 0) return;
    g_origFlags = fcntl(STDIN_FILENO, F_GETFL);
    g_saved = true;
    std::atexit(terminalRestore);
    // Every signal whose default action ends the process: pvx must not leave a raw terminal
    // behind (SIGPIPE when stdout's reader goes away, SIGQUIT/SIGABRT as well as the usual
    // three). Faults (SIGSEGV...) stay with the sanitizers' handlers.
    for (int sig : {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGABRT}) std::signal(sig, onSignal);
    struct termios raw = g_orig;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST | ONLCR;  // keep "\n" -> "\r\n" for output
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    fcntl(STDIN_FILENO, F_SETFL, g_origFlags | O_NONBLOCK);
}

void terminalRestore() {
    if (!g_saved) return;
    tcsetattr(STDIN_FILENO, TCSANOW, &g_orig);
    fcntl(STDIN_FILENO, F_SETFL, g_origFlags);
    g_saved = false;
}

int stdinReadByte() {
    unsigned char c;
    ssize_t n = read(STDIN_FILENO, &c, 1);
    return n == 1 ? c : -1;
}

}  // namespace pvx::host
