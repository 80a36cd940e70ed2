#include "common/json_writer.h"

#include <cmath>
#include <cstdio>

namespace pvx {

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            case '\r': o += "\\r"; break;
            default:
                if (c < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", c);
                    o += b;
                } else {
                    o += static_cast<char>(c);
                }
        }
    }
    return o;
}

void JsonWriter::sep() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
    }
}

void JsonWriter::beginObject() { sep(); out_ += '{'; first_.push_back(true); }
void JsonWriter::endObject() { out_ += '}'; first_.pop_back(); }
void JsonWriter::beginArray() { sep(); out_ += '['; first_.push_back(true); }
void JsonWriter::endArray() { out_ += ']'; first_.pop_back(); }

void JsonWriter::key(const std::string& k) {
    sep();
    out_ += '"' + jsonEscape(k) + "\":";
    afterKey_ = true;
}

void JsonWriter::value(uint64_t v) { sep(); out_ += std::to_string(v); }
void JsonWriter::value(int64_t v) { sep(); out_ += std::to_string(v); }
void JsonWriter::value(bool v) { sep(); out_ += v ? "true" : "false"; }
void JsonWriter::value(const std::string& v) { sep(); out_ += '"' + jsonEscape(v) + '"'; }
void JsonWriter::value(double v) {
    sep();
    if (!std::isfinite(v)) { out_ += "null"; return; }
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    out_ += b;
}

}  // namespace pvx
