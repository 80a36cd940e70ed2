#include "common/stats.h"

#include <map>
#include <memory>

#include "common/json_writer.h"

namespace pvx {

void Stats::counter(const std::string& dottedName, const uint64_t* value) {
    entries_.push_back(Entry{dottedName, value, {}});
}

void Stats::computed(const std::string& dottedName, std::function<void(JsonWriter&)> write) {
    entries_.push_back(Entry{dottedName, nullptr, std::move(write)});
}

int64_t Stats::get(const std::string& dottedName) const {
    for (const Entry& e : entries_)
        if (e.name == dottedName && e.value) return static_cast<int64_t>(*e.value);
    return -1;
}

namespace {
struct Node {
    std::vector<std::string> order;  // keys in registration order
    std::map<std::string, std::unique_ptr<Node>> kids;
    const Stats* owner = nullptr;
    const uint64_t* value = nullptr;
    const std::function<void(JsonWriter&)>* write = nullptr;
};

void emit(const Node& n, JsonWriter& w) {
    if (n.value) { w.value(*n.value); return; }
    if (n.write) { (*n.write)(w); return; }
    w.beginObject();
    for (const std::string& k : n.order) {
        w.key(k);
        emit(*n.kids.at(k), w);
    }
    w.endObject();
}
}  // namespace

std::string Stats::toJson() const {
    Node root;
    for (const Entry& e : entries_) {
        Node* n = &root;
        size_t start = 0;
        while (true) {
            size_t dot = e.name.find('.', start);
            std::string part = e.name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            auto it = n->kids.find(part);
            if (it == n->kids.end()) {
                n->order.push_back(part);
                it = n->kids.emplace(part, std::make_unique<Node>()).first;
            }
            n = it->second.get();
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        n->value = e.value;
        n->write = e.value ? nullptr : &e.write;
    }
    JsonWriter w;
    emit(root, w);
    return w.str();
}

}  // namespace pvx
