// Helpers for the tests that run the real pvx binary: a scratch directory, a subprocess runner
// that captures stdout/stderr and the exit status, nasm for test ROMs, and a small strict JSON
// parser (no JSON library is among the project's packages).
#pragma once
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace pvx::apptest {

inline std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

inline void writeFile(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary);
    f << data;
}

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/pvx-apptest-XXXXXX";
        if (!mkdtemp(tmpl)) std::abort();
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct ProcResult {
    int status = -1;      // exit status, or 128 + signal number
    bool signaled = false;
    std::string out, err;
};

// Runs `argv` (argv[0] is the program; searched in PATH when it has no '/') with stdin from
// /dev/null and stdout/stderr captured through files in `dir`. A process still running after
// 120 s is killed (status 128 + SIGALRM), so no test can hang.
inline ProcResult runProcess(const std::vector<std::string>& argv, const TempDir& dir) {
    static int seq = 0;
    const std::string outPath = dir / ("stdout." + std::to_string(seq)), errPath = dir / ("stderr." + std::to_string(seq));
    ++seq;
    ProcResult r;
    pid_t pid = fork();
    if (pid < 0) return r;
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(125);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        alarm(120);  // survives exec: a run that never ends dies of SIGALRM instead of hanging the test
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(st)) {
        r.status = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        r.signaled = true;
        r.status = 128 + WTERMSIG(st);
    }
    r.out = readFile(outPath);
    r.err = readFile(errPath);
    return r;
}

inline ProcResult runPvx(const std::vector<std::string>& args, const TempDir& dir) {
    std::vector<std::string> argv{PVX_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv, dir);
}

// Assembles `source` with `nasm -f bin`; returns the image path ("" and a test failure on error).
inline std::string assemble(const TempDir& dir, const std::string& name, const std::string& source) {
    const std::string src = dir / (name + ".asm"), bin = dir / (name + ".bin");
    writeFile(src, source);
    ProcResult r = runProcess({"nasm", "-f", "bin", "-o", bin, src}, dir);
    EXPECT_EQ(r.status, 0) << "nasm failed for " << name << ":\n" << r.err;
    return r.status == 0 ? bin : "";
}

inline std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> v;
    std::istringstream is(s);
    for (std::string l; std::getline(is, l);) v.push_back(l);
    return v;
}

// ------------------------------------------------------------------------------------------ JSON

struct Json {
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    bool b = false;
    std::string text;  // number literal or string value
    std::vector<Json> items;        // array elements, or object values
    std::vector<std::string> names;  // object keys, parallel to items, in document order

    bool isObject() const { return type == Type::Object; }
    bool isNumber() const { return type == Type::Number; }
    bool isString() const { return type == Type::String; }
    bool isInteger() const { return isNumber() && text.find_first_of(".eE-") == std::string::npos; }
    uint64_t u64() const { return std::stoull(text); }
    double num() const { return std::stod(text); }
    const Json* get(const std::string& k) const {
        if (!isObject()) return nullptr;
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i] == k) return &items[i];
        return nullptr;
    }
    const std::vector<std::string>& keys() const { return names; }
    // (key, value) pairs of an object, in document order.
    std::vector<std::pair<std::string, const Json*>> members() const {
        std::vector<std::pair<std::string, const Json*>> v;
        for (size_t i = 0; i < names.size(); ++i) v.emplace_back(names[i], &items[i]);
        return v;
    }
};

// Strict RFC 8259 parser: throws std::runtime_error with the offset on any deviation, including
// duplicate keys in one object and trailing garbage (trailing whitespace is allowed).
class JsonParser {
public:
    static Json parse(const std::string& s) {
        JsonParser p(s);
        p.ws();
        Json v = p.value(0);
        p.ws();
        if (p.i_ != s.size()) p.fail("trailing characters");
        return v;
    }

private:
    explicit JsonParser(const std::string& s) : s_(s) {}
    [[noreturn]] void fail(const std::string& why) {
        throw std::runtime_error("JSON: " + why + " at offset " + std::to_string(i_));
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    char peek() { return i_ < s_.size() ? s_[i_] : '\0'; }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    void literal(const char* lit) {
        for (const char* p = lit; *p; ++p) expect(*p);
    }
    Json value(int depth) {
        if (depth > 64) fail("too deep");
        Json v;
        switch (peek()) {
            case '{': {
                v.type = Json::Type::Object;
                ++i_;
                ws();
                if (peek() == '}') { ++i_; return v; }
                while (true) {
                    ws();
                    if (peek() != '"') fail("expected a key");
                    std::string k = string();
                    if (v.get(k)) fail("duplicate key '" + k + "'");
                    ws();
                    expect(':');
                    ws();
                    Json member = value(depth + 1);
                    v.names.push_back(std::move(k));
                    v.items.push_back(std::move(member));
                    ws();
                    if (peek() == ',') { ++i_; continue; }
                    expect('}');
                    return v;
                }
            }
            case '[': {
                v.type = Json::Type::Array;
                ++i_;
                ws();
                if (peek() == ']') { ++i_; return v; }
                while (true) {
                    ws();
                    v.items.push_back(value(depth + 1));
                    ws();
                    if (peek() == ',') { ++i_; continue; }
                    expect(']');
                    return v;
                }
            }
            case '"': v.type = Json::Type::String; v.text = string(); return v;
            case 't': literal("true"); v.type = Json::Type::Bool; v.b = true; return v;
            case 'f': literal("false"); v.type = Json::Type::Bool; return v;
            case 'n': literal("null"); return v;
            default: v.type = Json::Type::Number; v.text = number(); return v;
        }
    }
    std::string string() {
        expect('"');
        std::string o;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            unsigned char c = static_cast<unsigned char>(s_[i_++]);
            if (c == '"') return o;
            if (c < 0x20) fail("raw control character in a string");
            if (c != '\\') { o += static_cast<char>(c); continue; }
            char e = peek();
            ++i_;
            switch (e) {
                case '"': o += '"'; break;
                case '\\': o += '\\'; break;
                case '/': o += '/'; break;
                case 'b': o += '\b'; break;
                case 'f': o += '\f'; break;
                case 'n': o += '\n'; break;
                case 'r': o += '\r'; break;
                case 't': o += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    for (int k = 0; k < 4; ++k) {
                        char h = peek();
                        ++i_;
                        cp <<= 4;
                        if (h >= '0' && h <= '9') cp |= static_cast<unsigned>(h - '0');
                        else if (h >= 'a' && h <= 'f') cp |= static_cast<unsigned>(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F') cp |= static_cast<unsigned>(h - 'A' + 10);
                        else fail("bad \\u escape");
                    }
                    if (cp < 0x80) o += static_cast<char>(cp);
                    else o += '?';  // enough for validation
                    break;
                }
                default: fail("bad escape");
            }
        }
    }
    std::string number() {
        const size_t start = i_;
        if (peek() == '-') ++i_;
        if (peek() == '0') {
            ++i_;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9') ++i_;
        } else {
            fail("expected a value");
        }
        if (peek() == '.') {
            ++i_;
            if (!(peek() >= '0' && peek() <= '9')) fail("digit expected after '.'");
            while (peek() >= '0' && peek() <= '9') ++i_;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++i_;
            if (peek() == '+' || peek() == '-') ++i_;
            if (!(peek() >= '0' && peek() <= '9')) fail("digit expected in exponent");
            while (peek() >= '0' && peek() <= '9') ++i_;
        }
        return s_.substr(start, i_ - start);
    }

    const std::string& s_;
    size_t i_ = 0;
};

}  // namespace pvx::apptest
