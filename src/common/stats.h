// The stats registry. Components own their counters as plain uint64_t fields (an increment on a
// hot path is one add, always on); they register a pointer under a dotted name once at setup.
// `--stats FILE` dumps everything as nested JSON: "tlb.hits" becomes {"tlb": {"hits": N}}.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pvx {

class JsonWriter;

class Stats {
public:
    void counter(const std::string& dottedName, const uint64_t* value);
    // A value computed at dump time (floats, digests, maps): writes one JSON value.
    void computed(const std::string& dottedName, std::function<void(JsonWriter&)> write);

    std::string toJson() const;
    // Looks up a registered plain counter; -1 when absent (tests and the bench runner use it).
    int64_t get(const std::string& dottedName) const;

private:
    struct Entry {
        std::string name;
        const uint64_t* value = nullptr;
        std::function<void(JsonWriter&)> write;
    };
    std::vector<Entry> entries_;
};

}  // namespace pvx
