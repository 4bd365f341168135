#include "pty_util.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minirunc::test {
namespace {

int remainingMs(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool waitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        int n = poll(&p, 1, remainingMs(deadline));
        if (n < 0 && errno == EINTR) continue;
        return n > 0;
    }
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

Fd::~Fd() {
    reset();
}

void Fd::reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
}

ConsoleListener::ConsoleListener(std::string path) : path_(std::move(path)) {
    socket_ = Fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    EXPECT_LT(path_.size(), sizeof addr.sun_path) << path_;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(bind(socket_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0)
        << "bind " << path_ << ": " << std::strerror(errno);
    EXPECT_EQ(listen(socket_.get(), 4), 0) << std::strerror(errno);
}

Fd ConsoleListener::accept(std::chrono::milliseconds timeout) {
    if (!waitFor(socket_.get(), POLLIN, std::chrono::steady_clock::now() + timeout)) {
        ADD_FAILURE() << "nobody connected to the console socket " << path_;
        return Fd();
    }
    Fd connection(accept4(socket_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    EXPECT_TRUE(connection) << "accept: " << std::strerror(errno);
    return connection;
}

SocketMessage receiveMessage(int connection, std::chrono::milliseconds timeout) {
    SocketMessage message;
    if (!waitFor(connection, POLLIN, std::chrono::steady_clock::now() + timeout)) return message;
    char buffer[4096];
    iovec iov{buffer, sizeof buffer};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(connection, &msg, MSG_CMSG_CLOEXEC);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            message.fds.emplace_back(fd);
        }
    }
    if (n <= 0 && message.fds.empty()) return message;
    message.received = true;
    message.payload.assign(buffer, static_cast<size_t>(n > 0 ? n : 0));
    return message;
}

std::string readUntil(int fd, const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string text;
    while (text.find(needle) == std::string::npos) {
        if (!waitFor(fd, POLLIN, deadline)) break;
        char buffer[4096];
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;  // EIO: every slave is closed
        text.append(buffer, static_cast<size_t>(n));
    }
    return text;
}

void writeText(int fd, const std::string& text) {
    EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()))
        << std::strerror(errno);
}

void setWindowSize(int fd, unsigned short rows, unsigned short cols) {
    winsize size{};
    size.ws_row = rows;
    size.ws_col = cols;
    EXPECT_EQ(ioctl(fd, TIOCSWINSZ, &size), 0) << std::strerror(errno);
}

}  // namespace minirunc::test
