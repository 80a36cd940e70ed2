#!/usr/bin/env python3
"""pvx --screenshot end to end: boots a guest through pvx's BIOS from a disk, headless, saves the
screen as PNG, decodes it (png_to_ppm, libpng) and checks exact pixels.
  text   (tests/guest/boot/vga_screen.asm): a 720x400 mode 03h screen, the three cells the guest
         wrote ("pvx", attribute 1Eh) drawn with the BIOS font's glyph bits in yellow (FFFF55h)
         on blue (0000AAh) including the blue 9th column, and blank cells black.
  mode13 (tests/guest/boot/vga_mode13.asm): a 320x200 screen, pixel (17, 10) in DAC colour D7h
         (6-bit 3F/00/26, each scaled to 8 bits as c << 2 | c >> 4: FF009Ah), the rest black.

usage: check_screenshot.py text|mode13 PVX BIOS NASM GUEST_SRC VGA_FONT_INC PNG_TO_PPM"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppm import load_png, read_font_inc  # noqa: E402

YELLOW, BLUE, BLACK = 0xFFFF55, 0x0000AA, 0x000000


def main():
    kind, pvx, bios, nasm, src, font_inc, png_to_ppm = sys.argv[1:8]
    name = os.path.splitext(os.path.basename(src))[0]
    glyphs = read_font_inc(font_inc)
    with tempfile.TemporaryDirectory() as work:
        guest = os.path.join(work, "guest.bin")
        subprocess.run([nasm, "-f", "bin", "-I" + os.path.dirname(src) + "/", "-o", guest, src], check=True)
        disk = os.path.join(work, "disk.img")
        with open(guest, "rb") as g, open(disk, "wb") as d:
            d.write(g.read())
            d.truncate(2 << 20)
        png = os.path.join(work, "screen.png")
        run = subprocess.run([pvx, "--bios", bios, "--disk", disk, "--serial", "none", "--debug-exit",
                              "--debugcon", "stdio", "--max-insns", "3000000000", "-m", "64",
                              "--screenshot", png], capture_output=True, text=True, timeout=300)
        print(run.stdout, end="")
        if run.returncode != 1 or f"boot/{name}: PASS" not in run.stdout:
            print(f"FAIL: pvx exit status {run.returncode}\n{run.stderr}")
            return 1
        img = load_png(png_to_ppm, png)
    failures = 0

    def expect(cond, what):
        nonlocal failures
        if not cond:
            failures += 1
            print("FAIL:", what)

    if kind == "mode13":
        expect((img.width, img.height) == (320, 200), f"size {img.width}x{img.height}, expected 320x200")
        if failures:
            return 1
        six = lambda c: (c << 2) | (c >> 4)  # noqa: E731
        want = six(0x3F) << 16 | six(0x00) << 8 | six(0x26)
        expect(img.at(17, 10) == want, f"pixel (17, 10) = {img.at(17, 10):06X}, expected {want:06X}")
        others = sum(1 for y in range(200) for x in range(320) if (x, y) != (17, 10) and img.at(x, y) != BLACK)
        expect(others == 0, f"{others} other pixels are not black")
        if failures:
            return 1
        print("PASS: mode 13h screenshot pixels")
        return 0
    expect((img.width, img.height) == (720, 400), f"size {img.width}x{img.height}, expected 720x400")
    if failures:
        return 1
    for i, ch in enumerate("pvx"):
        col, row = 10 + i, 5
        bad = 0
        for line in range(16):
            bits = glyphs[ord(ch)][line]
            for x in range(9):
                on = x < 8 and (bits >> (7 - x)) & 1
                want = YELLOW if on else BLUE
                got = img.at(col * 9 + x, row * 16 + line)
                if got != want:
                    bad += 1
                    if bad <= 3:
                        print(f"  '{ch}' line {line} x {x}: {got:06X}, expected {want:06X}")
        expect(bad == 0, f"cell '{ch}' at row 5 column {col}: {bad} pixels differ")
        expect(any(glyphs[ord(ch)]), f"font glyph for '{ch}' is blank")
    # The cells around are blank (space, attribute 07h): black.
    for (col, row) in [(9, 5), (13, 5), (10, 4), (10, 6), (79, 24)]:
        cell = [img.at(col * 9 + x, row * 16 + y) for y in range(16) for x in range(9)]
        expect(all(p == BLACK for p in cell), f"blank cell at row {row} column {col} is not black")
    if failures:
        return 1
    print("PASS: screenshot pixels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
