"""Helpers for the display tests: run png_to_ppm and index the pixels; read the BIOS font."""
import re
import subprocess


class Image:
    def __init__(self, width, height, data):
        self.width, self.height, self.data = width, height, data

    def at(self, x, y):
        i = (y * self.width + x) * 3
        return self.data[i] << 16 | self.data[i + 1] << 8 | self.data[i + 2]


def load_png(png_to_ppm, path):
    raw = subprocess.run([png_to_ppm, path], check=True, capture_output=True).stdout
    magic, dims, maxval, rest = raw.split(b"\n", 3)
    assert magic == b"P6" and maxval == b"255", "not an 8-bit PPM"
    w, h = map(int, dims.split())
    return Image(w, h, rest[: w * h * 3])


def read_font_inc(path):
    """vga_font.inc (firmware/font/psf2inc.py) -> list of 256 glyphs of 16 row bytes."""
    glyphs = []
    for line in open(path):
        m = re.match(r"\s+db ((?:0x[0-9A-F]{2},?){16})", line)
        if m:
            glyphs.append([int(b, 16) for b in m.group(1).split(",")])
    assert len(glyphs) == 256, f"{path}: {len(glyphs)} glyphs"
    return glyphs
