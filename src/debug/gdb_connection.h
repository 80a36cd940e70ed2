// The stub's TCP endpoint: listens on 127.0.0.1 only, serves one client at a time. Reads never
// block while the guest runs (poll with a zero timeout between CPU slices); they block only while
// the guest is stopped and waits for the debugger.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pvx::debug {

class GdbConnection {
public:
    GdbConnection() = default;
    ~GdbConnection();
    GdbConnection(const GdbConnection&) = delete;
    GdbConnection& operator=(const GdbConnection&) = delete;

    // Binds 127.0.0.1:port (0: any free port); false with `err` set on failure.
    bool listen(uint16_t port, std::string& err);
    uint16_t port() const { return port_; }

    // Accepts a pending client; waits up to `timeoutMs` (-1: forever). True once connected.
    bool accept(int timeoutMs);
    bool connected() const { return client_ >= 0; }

    // Appends what is available after waiting up to `timeoutMs` (0: poll, -1: forever).
    // Returns false when the client went away (the connection is then closed).
    bool receive(int timeoutMs, std::vector<uint8_t>& out);
    // Sends everything (blocking); false (and closed) on error.
    bool send(const std::string& data);
    void closeClient();

private:
    int listen_ = -1;
    int client_ = -1;
    uint16_t port_ = 0;
};

}  // namespace pvx::debug
