// Test-side terminal helpers: an fd owner, a --console-socket listener that
// receives the pty master, and reading a pty with a deadline.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "command.hpp"

namespace minirunc::test {

// Owns one file descriptor (the harness checks the test leaks none).
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    void reset();

  private:
    int fd_ = -1;
};

// One message read from a unix socket: its payload and the fds it carried.
struct SocketMessage {
    bool received = false;  // false: end of stream or timeout
    std::string payload;
    std::vector<Fd> fds;
};

// A listening unix stream socket at `path`, as containerd or podman make for
// --console-socket.
class ConsoleListener {
  public:
    explicit ConsoleListener(std::string path);
    const std::string& path() const { return path_; }
    // Accepts one connection (fails the test on timeout).
    Fd accept(std::chrono::milliseconds timeout = 30s);

  private:
    std::string path_;
    Fd socket_;
};

SocketMessage receiveMessage(int connection, std::chrono::milliseconds timeout = 30s);

// Reads from fd (a pty master) until the text read contains `needle` or the
// timeout passes; returns everything read. An ended pty ends the wait too.
std::string readUntil(int fd, const std::string& needle, std::chrono::milliseconds timeout = 30s);
void writeText(int fd, const std::string& text);
void setWindowSize(int fd, unsigned short rows, unsigned short cols);

}  // namespace minirunc::test
