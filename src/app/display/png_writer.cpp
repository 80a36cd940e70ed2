#include "app/display/png_writer.h"

#include <png.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace pvx {

std::string writePng(const std::string& path, const VgaFrame& frame) {
    if (frame.width == 0 || frame.height == 0) return "empty frame";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return "cannot open '" + path + "': " + std::strerror(errno);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_write_struct(&png, nullptr);
        std::fclose(f);
        return "libpng: out of memory";
    }
    std::vector<uint8_t> row(static_cast<size_t>(frame.width) * 3);
    // libpng reports errors by longjmp: nothing with a destructor is created after this point.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(f);
        return "libpng: error writing '" + path + "'";
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, frame.width, frame.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (unsigned y = 0; y < frame.height; ++y) {
        for (unsigned x = 0; x < frame.width; ++x) {
            const uint32_t p = frame.at(x, y);
            row[x * 3] = static_cast<uint8_t>(p >> 16);
            row[x * 3 + 1] = static_cast<uint8_t>(p >> 8);
            row[x * 3 + 2] = static_cast<uint8_t>(p);
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (std::fclose(f) != 0) return "cannot write '" + path + "': " + std::strerror(errno);
    return {};
}

}  // namespace pvx
