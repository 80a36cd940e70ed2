// BlockBackend: raw disk images on the host (src/common/block_backend.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/block_backend.h"

namespace pvx {
namespace {

constexpr uint32_t kSec = BlockBackend::kSectorSize;

class BlockBackendTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/pvx-block-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        for (const std::string& f : files_) std::remove(f.c_str());
        rmdir(dir_.c_str());
    }
    std::string path(const std::string& name) {
        files_.push_back(dir_ + "/" + name);
        return files_.back();
    }
    // An image whose byte i is pattern(i).
    std::string makeImage(const std::string& name, size_t bytes) {
        std::string p = path(name);
        std::ofstream f(p, std::ios::binary);
        for (size_t i = 0; i < bytes; ++i) f.put(static_cast<char>(pattern(i)));
        return p;
    }
    static uint8_t pattern(size_t i) { return static_cast<uint8_t>((i * 7 + i / kSec) & 0xFF); }
    static std::vector<uint8_t> fileBytes(const std::string& p) {
        std::ifstream f(p, std::ios::binary);
        return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }

    std::string dir_;
    std::vector<std::string> files_;
};

TEST_F(BlockBackendTest, MissingFileIsAnErrorWithTheSystemMessage) {
    std::string err;
    auto b = BlockBackend::openRaw(dir_ + "/does-not-exist.img", false, err);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(err, "No such file or directory");
    b = BlockBackend::openRaw(dir_ + "/does-not-exist.img", true, err);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(err, "No such file or directory");
}

TEST_F(BlockBackendTest, ADirectoryIsNotAnImage) {
    std::string err;
    auto b = BlockBackend::openRaw(dir_, true, err);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(err, "not a regular file");
    b = BlockBackend::openRaw(dir_, false, err);  // O_RDWR on a directory: EISDIR
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(err, "Is a directory");
}

TEST_F(BlockBackendTest, ImageSmallerThanOneSectorIsRejected) {
    std::string err;
    std::string p = makeImage("small.img", kSec - 1);
    EXPECT_EQ(BlockBackend::openRaw(p, false, err), nullptr);
    EXPECT_EQ(err, "disk image is smaller than one 512-byte sector");
    std::string e = makeImage("empty.img", 0);
    err.clear();
    EXPECT_EQ(BlockBackend::openRaw(e, true, err), nullptr);
    EXPECT_EQ(err, "disk image is smaller than one 512-byte sector");
}

TEST_F(BlockBackendTest, OpensAndReportsGeometry) {
    std::string err;
    std::string p = makeImage("disk.img", 8 * kSec + 100);  // a trailing partial sector is not a sector
    auto b = BlockBackend::openRaw(p, false, err);
    ASSERT_NE(b, nullptr) << err;
    EXPECT_EQ(err, "");
    EXPECT_EQ(b->sectors(), 8u);
    EXPECT_FALSE(b->readOnly());
    EXPECT_EQ(b->path(), p);
    auto r = BlockBackend::openRaw(p, true, err);
    ASSERT_NE(r, nullptr) << err;
    EXPECT_TRUE(r->readOnly());
}

TEST_F(BlockBackendTest, ReadReturnsTheImageBytes) {
    std::string err;
    std::string p = makeImage("disk.img", 8 * kSec);
    auto b = BlockBackend::openRaw(p, true, err);
    ASSERT_NE(b, nullptr) << err;
    std::vector<uint8_t> buf(3 * kSec, 0);
    ASSERT_TRUE(b->read(2, 3, buf.data()));
    for (size_t i = 0; i < buf.size(); ++i) ASSERT_EQ(buf[i], pattern(2 * kSec + i)) << "byte " << i;
    ASSERT_TRUE(b->read(7, 1, buf.data()));  // the last sector
    for (size_t i = 0; i < kSec; ++i) ASSERT_EQ(buf[i], pattern(7 * kSec + i)) << "byte " << i;
    EXPECT_EQ(b->sectorsRead, 4u);
}

TEST_F(BlockBackendTest, WriteAndFlushReachTheFile) {
    std::string err;
    std::string p = makeImage("disk.img", 4 * kSec);
    auto b = BlockBackend::openRaw(p, false, err);
    ASSERT_NE(b, nullptr) << err;
    std::vector<uint8_t> data(2 * kSec);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(0xA5 ^ i);
    ASSERT_TRUE(b->write(1, 2, data.data()));
    EXPECT_TRUE(b->flush());
    EXPECT_EQ(b->sectorsWritten, 2u);
    EXPECT_EQ(b->flushes, 1u);
    std::vector<uint8_t> onDisk = fileBytes(p);
    ASSERT_EQ(onDisk.size(), 4u * kSec);
    for (size_t i = 0; i < onDisk.size(); ++i) {
        uint8_t want = (i >= kSec && i < 3 * kSec) ? data[i - kSec] : pattern(i);
        ASSERT_EQ(onDisk[i], want) << "byte " << i;
    }
    std::vector<uint8_t> back(2 * kSec);
    ASSERT_TRUE(b->read(1, 2, back.data()));
    EXPECT_EQ(back, data);
}

TEST_F(BlockBackendTest, OutOfRangeAccessesFailAndTouchNothing) {
    std::string err;
    std::string p = makeImage("disk.img", 4 * kSec);
    auto b = BlockBackend::openRaw(p, false, err);
    ASSERT_NE(b, nullptr) << err;
    const std::vector<uint8_t> before = fileBytes(p);
    std::vector<uint8_t> buf(8 * kSec, 0x5A);
    const std::vector<uint8_t> sentinel = buf;
    struct Case { uint64_t lba; uint32_t count; };
    const Case cases[] = {
        {4, 1},                        // just past the end
        {3, 2},                        // straddles the end
        {0, 5},                        // longer than the disk
        {5, 0},                        // starts past the end
        {UINT64_MAX, 1},               // lba * 512 would wrap
        {UINT64_MAX / kSec + 1, 1},    // lba * 512 wraps to a small offset
        {1, UINT32_MAX},               // count overflows
    };
    for (const Case& c : cases) {
        EXPECT_FALSE(b->read(c.lba, c.count, buf.data())) << c.lba << "+" << c.count;
        EXPECT_EQ(buf, sentinel) << c.lba << "+" << c.count;
        EXPECT_FALSE(b->write(c.lba, c.count, buf.data())) << c.lba << "+" << c.count;
    }
    EXPECT_EQ(fileBytes(p), before);
    EXPECT_EQ(b->sectorsRead, 0u);
    EXPECT_EQ(b->sectorsWritten, 0u);
}

TEST_F(BlockBackendTest, ReadOnlyBackendRejectsWrites) {
    std::string err;
    std::string p = makeImage("disk.img", 4 * kSec);
    auto b = BlockBackend::openRaw(p, true, err);
    ASSERT_NE(b, nullptr) << err;
    const std::vector<uint8_t> before = fileBytes(p);
    std::vector<uint8_t> data(kSec, 0xEE);
    EXPECT_FALSE(b->write(0, 1, data.data()));
    EXPECT_EQ(b->sectorsWritten, 0u);
    EXPECT_TRUE(b->flush());  // nothing to flush, not an error
    EXPECT_EQ(fileBytes(p), before);
}

TEST_F(BlockBackendTest, DigestFollowsTheContents) {
    std::string err;
    std::string p1 = makeImage("a.img", 4 * kSec);
    std::string p2 = makeImage("b.img", 4 * kSec);
    auto a = BlockBackend::openRaw(p1, false, err);
    auto b = BlockBackend::openRaw(p2, false, err);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    const uint64_t d0 = a->digest();
    EXPECT_EQ(d0, b->digest());  // same bytes, same digest
    EXPECT_EQ(d0, a->digest());  // and reading is stable
    std::vector<uint8_t> sector(kSec);
    ASSERT_TRUE(a->read(3, 1, sector.data()));
    std::vector<uint8_t> changed = sector;
    changed[511] ^= 1;  // one bit in the last byte of the disk
    ASSERT_TRUE(a->write(3, 1, changed.data()));
    const uint64_t d1 = a->digest();
    EXPECT_NE(d1, d0);
    ASSERT_TRUE(a->write(3, 1, sector.data()));
    EXPECT_EQ(a->digest(), d0);
    // Different length, same prefix: different digest.
    std::string p3 = makeImage("c.img", 5 * kSec);
    auto c = BlockBackend::openRaw(p3, true, err);
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->digest(), d0);
}

}  // namespace
}  // namespace pvx
