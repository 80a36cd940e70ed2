// A minimal streaming JSON writer (objects, arrays, strings, numbers) for stats and bench output.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pvx {

class JsonWriter {
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(const std::string& k);
    void value(uint64_t v);
    void value(int64_t v);
    void value(int v) { value(static_cast<int64_t>(v)); }
    void value(unsigned v) { value(static_cast<uint64_t>(v)); }
    void value(double v);
    void value(const std::string& v);
    void value(const char* v) { value(std::string(v)); }
    void value(bool v);
    const std::string& str() const { return out_; }

private:
    void sep();
    std::string out_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool afterKey_ = false;
};

std::string jsonEscape(const std::string& s);

}  // namespace pvx
