#include "debug/gdb_connection.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pvx::debug {

GdbConnection::~GdbConnection() {
    closeClient();
    if (listen_ >= 0) ::close(listen_);
}

bool GdbConnection::listen(uint16_t port, std::string& err) {
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_ < 0) {
        err = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    int one = 1;
    ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(listen_, 1) < 0) {
        err = "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
        ::close(listen_);
        listen_ = -1;
        return false;
    }
    socklen_t len = sizeof a;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    return true;
}

bool GdbConnection::accept(int timeoutMs) {
    if (client_ >= 0) return true;
    if (listen_ < 0) return false;
    pollfd p{listen_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeoutMs);
    while (r < 0 && errno == EINTR);
    if (r <= 0) return false;
    client_ = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client_ < 0) return false;
    int one = 1;
    ::setsockopt(client_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // packets are tiny
    return true;
}

bool GdbConnection::receive(int timeoutMs, std::vector<uint8_t>& out) {
    if (client_ < 0) return false;
    pollfd p{client_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeoutMs);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        closeClient();
        return false;
    }
    if (r == 0) return true;
    uint8_t buf[4096];
    const ssize_t n = ::recv(client_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
        out.insert(out.end(), buf, buf + n);
        return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    closeClient();  // EOF or error
    return false;
}

bool GdbConnection::send(const std::string& data) {
    size_t done = 0;
    while (client_ >= 0 && done < data.size()) {
        const ssize_t n = ::send(client_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{client_, POLLOUT, 0};
            ::poll(&p, 1, 1000);
            continue;
        }
        if (n <= 0) {
            closeClient();
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return client_ >= 0;
}

void GdbConnection::closeClient() {
    if (client_ >= 0) ::close(client_);
    client_ = -1;
}

}  // namespace pvx::debug
