// png_to_ppm FILE.png: decodes a PNG with libpng and writes it to stdout as a binary PPM (P6),
// which the display tests' scripts read without an image library.
#include <png.h>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: png_to_ppm FILE.png\n");
        return 2;
    }
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        std::fprintf(stderr, "png_to_ppm: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB;
    std::vector<unsigned char> px(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, nullptr, px.data(), 0, nullptr)) {
        std::fprintf(stderr, "png_to_ppm: %s: %s\n", argv[1], img.message);
        return 1;
    }
    std::printf("P6\n%u %u\n255\n", img.width, img.height);
    std::fwrite(px.data(), 1, px.size(), stdout);
    return 0;
}
