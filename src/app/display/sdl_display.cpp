// The SDL2 window (Display). Frames are blitted to the window surface (works with every SDL
// video driver, including "dummy" for tests); keys go through sdl_keymap.h.
//
// Test hook: PVX_SDL_INJECT="4,40,quit" pushes, after the first frame, a press and release of
// each listed SDL scancode (decimal) and, for "quit", a window close, through SDL's own event
// queue, so tests exercise the same path a real key press takes.
#include <SDL.h>

#include <cstdlib>
#include <sstream>

#include "app/display/display.h"
#include "app/display/sdl_keymap.h"

namespace pvx {

namespace {

class SdlDisplay final : public Display {
public:
    bool open(std::string& err) {
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");  // Ctrl-C stays pvx's
        if (SDL_Init(SDL_INIT_VIDEO) != 0) {
            err = std::string("--display sdl: ") + SDL_GetError();
            return false;
        }
        window_ = SDL_CreateWindow("pvx", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 640, 480, 0);
        if (!window_) {
            err = std::string("--display sdl: ") + SDL_GetError();
            return false;
        }
        if (const char* inject = std::getenv("PVX_SDL_INJECT")) inject_ = inject;
        return true;
    }

    ~SdlDisplay() override {
        if (window_) SDL_DestroyWindow(window_);
        SDL_Quit();
    }

    void present(const VgaFrame& f) override {
        if (f.width == 0 || f.height == 0) return;
        if (static_cast<int>(f.width) != w_ || static_cast<int>(f.height) != h_) {
            w_ = static_cast<int>(f.width);
            h_ = static_cast<int>(f.height);
            SDL_SetWindowSize(window_, w_, h_);  // the window follows the mode
        }
        SDL_Surface* dst = SDL_GetWindowSurface(window_);
        SDL_Surface* src = SDL_CreateRGBSurfaceWithFormatFrom(const_cast<uint32_t*>(f.pixels.data()), w_, h_, 32, w_ * 4,
                                                              SDL_PIXELFORMAT_RGB888);
        if (dst && src) {
            SDL_BlitSurface(src, nullptr, dst, nullptr);
            SDL_UpdateWindowSurface(window_);
        }
        if (src) SDL_FreeSurface(src);
        presented_ = true;
    }

    bool poll(const KeySink& keys) override {
        if (presented_ && !inject_.empty()) pushInjected();
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            switch (e.type) {
                case SDL_QUIT: return false;
                case SDL_WINDOWEVENT:
                    if (e.window.event == SDL_WINDOWEVENT_CLOSE) return false;
                    break;
                case SDL_KEYDOWN:
                case SDL_KEYUP: {
                    const bool release = e.type == SDL_KEYUP;
                    const Set2Key k = set2ForHidUsage(e.key.keysym.scancode);
                    if (k.length == 0) break;
                    if (!k.special) {
                        if (keys.key) keys.key(std::span<const uint8_t>(k.bytes, k.length), release);
                    } else if (!release) {
                        if (keys.sequence) keys.sequence(std::span<const uint8_t>(k.bytes, k.length));
                    } else if (k.length == 4 && keys.sequence) {  // Print Screen's break (Pause has none)
                        keys.sequence(printScreenBreak());
                    }
                    break;
                }
                default: break;
            }
        }
        return true;
    }

private:
    void pushInjected() {
        std::istringstream in(inject_);
        inject_.clear();
        std::string tok;
        while (std::getline(in, tok, ',')) {
            SDL_Event e{};
            if (tok == "quit") {
                e.type = SDL_QUIT;
                SDL_PushEvent(&e);
                continue;
            }
            const int code = std::atoi(tok.c_str());
            if (code <= 0 || code >= SDL_NUM_SCANCODES) continue;
            for (const Uint32 type : {SDL_KEYDOWN, SDL_KEYUP}) {
                e = SDL_Event{};
                e.type = type;
                e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
                e.key.keysym.scancode = static_cast<SDL_Scancode>(code);
                e.key.windowID = SDL_GetWindowID(window_);
                SDL_PushEvent(&e);
            }
        }
    }

    SDL_Window* window_ = nullptr;
    int w_ = 640, h_ = 480;
    bool presented_ = false;
    std::string inject_;
};

}  // namespace

std::unique_ptr<Display> createSdlDisplay(std::string& err) {
    auto d = std::make_unique<SdlDisplay>();
    if (!d->open(err)) return nullptr;
    return d;
}

}  // namespace pvx
