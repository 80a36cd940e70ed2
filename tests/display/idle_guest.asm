; Spins forever (with interrupts off, so only the display can end the run): the SDL test
; closes the window (PVX_SDL_INJECT=quit) and pvx must exit with status 0, like QEMU quitting.
%define TEST_NAME "display/idle"
%include "pvxtest.inc"

test_main:
        cli
.spin:  pause
        jmp .spin
