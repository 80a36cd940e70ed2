// Where a character device's bytes go and come from. The UART and the PV console share one
// backend, so a comparison measures the path, not the sink.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace pvx {

class CharBackend {
public:
    virtual ~CharBackend() = default;
    virtual void write(const uint8_t* data, size_t len) = 0;
    // Non-blocking: returns -1 when no byte is available.
    virtual int readByte() { return -1; }
    virtual void flush() {}
};

// Discards output, never has input.
class NullCharBackend final : public CharBackend {
public:
    void write(const uint8_t*, size_t) override {}
};

// Writes to a stdio stream or a file (not owned when it is stdout/stderr).
class FileCharBackend final : public CharBackend {
public:
    explicit FileCharBackend(std::FILE* f, bool owned = false) : f_(f), owned_(owned) {}
    ~FileCharBackend() override;
    void write(const uint8_t* data, size_t len) override;
    void flush() override;

private:
    std::FILE* f_;
    bool owned_;
};

// Collects output in memory (tests, bench runs).
class BufferCharBackend final : public CharBackend {
public:
    void write(const uint8_t* data, size_t len) override { buf.append(reinterpret_cast<const char*>(data), len); }
    std::string buf;
};

}  // namespace pvx
