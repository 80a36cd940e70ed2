// Stats registry and JsonWriter (src/common/stats.h, json_writer.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "common/json_writer.h"
#include "common/stats.h"

namespace pvx {
namespace {

// ------------------------------------------------------------------------------------ JsonWriter

TEST(JsonEscape, QuotesBackslashAndControlCharacters) {
    EXPECT_EQ(jsonEscape("plain"), "plain");
    EXPECT_EQ(jsonEscape("a\"b"), "a\\\"b");
    EXPECT_EQ(jsonEscape("a\\b"), "a\\\\b");
    EXPECT_EQ(jsonEscape("\n\t\r"), "\\n\\t\\r");
    EXPECT_EQ(jsonEscape(std::string("\x01\x1f\b\f", 4)), "\\u0001\\u001f\\u0008\\u000c");
    EXPECT_EQ(jsonEscape(std::string("a\0b", 3)), "a\\u0000b");
    EXPECT_EQ(jsonEscape(" ~\x7f/"), " ~\x7f/");  // DEL and '/' need no escape
}

TEST(JsonWriter, NestedObjectsAndArraysWithSeparators) {
    JsonWriter w;
    w.beginObject();
    w.key("a");
    w.value(uint64_t{1});
    w.key("list");
    w.beginArray();
    w.value(-2);
    w.value(true);
    w.value(false);
    w.beginObject();
    w.endObject();
    w.beginArray();
    w.endArray();
    w.value("s");
    w.endArray();
    w.key("inner");
    w.beginObject();
    w.key("x");
    w.value(3u);
    w.key("y");
    w.beginObject();
    w.key("z");
    w.value(std::string("deep"));
    w.endObject();
    w.endObject();
    w.endObject();
    EXPECT_EQ(w.str(), R"({"a":1,"list":[-2,true,false,{},[],"s"],"inner":{"x":3,"y":{"z":"deep"}}})");
}

TEST(JsonWriter, KeysAndStringValuesAreEscaped) {
    JsonWriter w;
    w.beginObject();
    w.key("we\"ird\n");
    w.value(std::string("C:\\path\t\x02"));
    w.endObject();
    EXPECT_EQ(w.str(), "{\"we\\\"ird\\n\":\"C:\\\\path\\t\\u0002\"}");
}

TEST(JsonWriter, IntegerExtremes) {
    JsonWriter w;
    w.beginArray();
    w.value(std::numeric_limits<uint64_t>::max());
    w.value(std::numeric_limits<int64_t>::min());
    w.value(0);
    w.endArray();
    EXPECT_EQ(w.str(), "[18446744073709551615,-9223372036854775808,0]");
}

TEST(JsonWriter, DoublesAndNonFiniteValuesBecomeNull) {
    JsonWriter w;
    w.beginArray();
    w.value(1.5);
    w.value(0.0);
    w.value(std::nan(""));
    w.value(std::numeric_limits<double>::infinity());
    w.value(-std::numeric_limits<double>::infinity());
    w.endArray();
    EXPECT_EQ(w.str(), "[1.5,0,null,null,null]");
}

TEST(JsonWriter, TopLevelScalar) {
    JsonWriter w;
    w.value("x");
    EXPECT_EQ(w.str(), "\"x\"");
}

// ----------------------------------------------------------------------------------------- Stats

TEST(Stats, EmptyRegistryIsAnEmptyObject) {
    Stats s;
    EXPECT_EQ(s.toJson(), "{}");
}

TEST(Stats, DottedNamesNestInRegistrationOrder) {
    Stats s;
    uint64_t hits = 7, misses = 3, insns = 100, flushes = 1, deep = 9;
    s.counter("tlb.hits", &hits);
    s.counter("instructions", &insns);
    s.counter("tlb.misses", &misses);
    s.counter("a.b.c", &deep);
    s.counter("tlb.flushes", &flushes);
    EXPECT_EQ(s.toJson(), R"({"tlb":{"hits":7,"misses":3,"flushes":1},"instructions":100,"a":{"b":{"c":9}}})");
}

TEST(Stats, CountersAreReadAtDumpTime) {
    Stats s;
    uint64_t n = 1;
    s.counter("n", &n);
    EXPECT_EQ(s.toJson(), R"({"n":1})");
    n = 42;
    EXPECT_EQ(s.toJson(), R"({"n":42})");
    EXPECT_EQ(s.get("n"), 42);
}

TEST(Stats, ComputedValuesWriteAnyJsonValueInPlace) {
    Stats s;
    uint64_t pio = 5;
    double secs = 0.25;
    s.computed("host_seconds", [&](JsonWriter& w) { w.value(secs); });
    s.counter("exits.pio", &pio);
    s.computed("exits.by_port", [](JsonWriter& w) {
        w.beginObject();
        w.key("0x00e9");
        w.value(4u);
        w.endObject();
    });
    s.computed("digest", [](JsonWriter& w) { w.value(std::string("00ff")); });
    EXPECT_EQ(s.toJson(), R"({"host_seconds":0.25,"exits":{"pio":5,"by_port":{"0x00e9":4}},"digest":"00ff"})");
    secs = 2;
    EXPECT_EQ(s.toJson(), R"({"host_seconds":2,"exits":{"pio":5,"by_port":{"0x00e9":4}},"digest":"00ff"})");
}

TEST(Stats, GetFindsPlainCountersOnly) {
    Stats s;
    uint64_t a = 11, big = uint64_t{1} << 40;
    s.counter("x.a", &a);
    s.counter("x.big", &big);
    s.computed("x.c", [](JsonWriter& w) { w.value(5u); });
    EXPECT_EQ(s.get("x.a"), 11);
    EXPECT_EQ(s.get("x.big"), int64_t{1} << 40);
    EXPECT_EQ(s.get("x.c"), -1);   // computed: not a counter
    EXPECT_EQ(s.get("x"), -1);     // an inner node
    EXPECT_EQ(s.get("a"), -1);     // a suffix is not a name
    EXPECT_EQ(s.get("nope"), -1);
}

}  // namespace
}  // namespace pvx
