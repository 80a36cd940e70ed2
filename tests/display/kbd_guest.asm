; The SDL display's keyboard path, end to end: run with `--display sdl` and
; PVX_SDL_INJECT=4 (SDL_SCANCODE_A pressed and released), under SDL_VIDEODRIVER=dummy. The key
; goes SDL event -> set 2 (1Ch, F0h 1Ch) -> the PS/2 keyboard -> the i8042, which translates to
; set 1: the guest polls port 64h/60h and must see make 1Eh then break 9Eh.
; expect-output: display/kbd: PASS
%define TEST_NAME "display/kbd"
%include "pvxtest.inc"

test_main:
        call read_key
        CHECK_EQ 0x1E, "first byte: make code 1Eh for 'a' (set 1 via the i8042's translation)"
        call read_key
        CHECK_EQ 0x9E, "second byte: its break code 9Eh"
        PASS

; read_key: waits for the i8042's output buffer -> EAX = the byte from port 60h
read_key:
        in al, 0x64
        test al, 0x01                   ; output buffer full
        jz read_key
        in al, 0x60
        movzx eax, al
        ret
