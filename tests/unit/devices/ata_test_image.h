// A temporary raw disk image for ATA tests: each sector filled with a pattern derived from its
// LBA, removed when the object goes away.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/block_backend.h"

namespace pvx::test {

class AtaTestImage {
public:
    static uint8_t patternByte(uint64_t lba, unsigned i) { return static_cast<uint8_t>(lba * 31 + i * 7 + (i >> 8)); }

    explicit AtaTestImage(uint64_t sectors, bool readOnly = false) {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/pvx-ata-XXXXXX";
        std::vector<char> tmpl(path_.begin(), path_.end());
        tmpl.push_back('\0');
        int fd = mkstemp(tmpl.data());
        if (fd < 0) throw std::runtime_error("mkstemp failed");
        ::close(fd);
        path_ = tmpl.data();
        {
            std::ofstream out(path_, std::ios::binary | std::ios::trunc);
            std::vector<char> sector(512);
            for (uint64_t lba = 0; lba < sectors; ++lba) {
                for (unsigned i = 0; i < 512; ++i) sector[i] = static_cast<char>(patternByte(lba, i));
                out.write(sector.data(), 512);
            }
        }
        std::string err;
        backend_ = BlockBackend::openRaw(path_, readOnly, err);
        if (!backend_) throw std::runtime_error("openRaw: " + err);
    }
    ~AtaTestImage() { ::unlink(path_.c_str()); }

    BlockBackend& backend() { return *backend_; }
    const std::string& path() const { return path_; }

    // The sector as it is in the file now.
    std::vector<uint8_t> fileSector(uint64_t lba) const {
        std::ifstream in(path_, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(lba * 512));
        std::vector<uint8_t> s(512);
        in.read(reinterpret_cast<char*>(s.data()), 512);
        return s;
    }
    static std::vector<uint8_t> expectedSector(uint64_t lba) {
        std::vector<uint8_t> s(512);
        for (unsigned i = 0; i < 512; ++i) s[i] = patternByte(lba, i);
        return s;
    }

private:
    std::string path_;
    std::unique_ptr<BlockBackend> backend_;
};

}  // namespace pvx::test
