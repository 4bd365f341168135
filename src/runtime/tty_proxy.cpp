#include "tty_proxy.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "minirunc/error.hpp"
#include "minirunc/terminal.hpp"

namespace minirunc::runtime {
namespace {

constexpr size_t kChunk = 64 * 1024;
// After the process exited: how long to wait for more output when the pty
// still has a writer (a process outside its pid namespace, say).
constexpr int kDrainQuietMs = 100;

}  // namespace

TtyProxy::TtyProxy(UniqueFd master) : master_(std::move(master)) {
    // Our own open of the master: non-blocking, so a container that does not
    // read its input never blocks us.
    int flags = ::fcntl(master_.get(), F_GETFL);
    if (flags < 0 || ::fcntl(master_.get(), F_SETFL, flags | O_NONBLOCK))
        throw_errno("set pty master non-blocking");
    for (int fd = 0; fd < 3 && own_tty_ < 0; ++fd)
        if (::isatty(fd)) own_tty_ = fd;
    resize();
    if (::fcntl(0, F_GETFL) < 0) {
        stdin_open_ = false;
    } else if (::isatty(0) && ::tcgetattr(0, &saved_) == 0) {
        termios raw = saved_;
        ::cfmakeraw(&raw);
        raw_ = ::tcsetattr(0, TCSANOW, &raw) == 0;
    }
}

TtyProxy::~TtyProxy() {
    if (raw_) ::tcsetattr(0, TCSANOW, &saved_);
}

void TtyProxy::add_poll_fds(std::vector<pollfd>& fds) const {
    bool want_stdin = stdin_open_ && master_open_ && to_master_.empty();
    fds.push_back({want_stdin ? 0 : -1, POLLIN, 0});
    short master_events = static_cast<short>(POLLIN | (to_master_.empty() ? 0 : POLLOUT));
    fds.push_back({master_open_ ? master_.get() : -1, master_events, 0});
}

void TtyProxy::handle_events(const pollfd* fds) {
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) copy_master_output();
    if (master_open_ && (fds[1].revents & POLLOUT)) write_master();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) read_stdin();
}

void TtyProxy::resize() {
    winsize size{};
    if (own_tty_ < 0 || ::ioctl(own_tty_, TIOCGWINSZ, &size)) return;
    // A terminal that does not know its size (0x0) leaves consoleSize alone.
    if (size.ws_row || size.ws_col) ::ioctl(master_.get(), TIOCSWINSZ, &size);
}

void TtyProxy::drain() {
    while (master_open_) {
        pollfd fd{master_.get(), POLLIN, 0};
        int n = ::poll(&fd, 1, kDrainQuietMs);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        copy_master_output();
    }
}

void TtyProxy::read_stdin() {
    char buffer[kChunk];
    ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n > 0) {
        to_master_.append(buffer, static_cast<size_t>(n));
        mid_line_ = buffer[n - 1] != '\n';
        write_master();
        return;
    }
    stdin_open_ = false;
    // A pipe or file ended: the program reading the pty sees end-of-file too.
    // (A terminal in raw mode only "ends" when it hangs up: SIGHUP says it.)
    termios pty{};
    if (!raw_ && ::tcgetattr(master_.get(), &pty) == 0 && pty.c_cc[VEOF] != _POSIX_VDISABLE) {
        to_master_ += pty_eof_input(static_cast<char>(pty.c_cc[VEOF]), mid_line_);
        write_master();
    }
}

void TtyProxy::write_master() {
    while (!to_master_.empty()) {
        ssize_t n = ::write(master_.get(), to_master_.data(), to_master_.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;  // POLLOUT tells when to go on
        if (n < 0) {
            to_master_.clear();  // the pty is gone: reading it tells
            return;
        }
        to_master_.erase(0, static_cast<size_t>(n));
    }
}

bool TtyProxy::copy_master_output() {
    char buffer[kChunk];
    for (;;) {
        ssize_t n = ::read(master_.get(), buffer, sizeof buffer);
        if (n > 0) {
            write_stdout(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        // EIO: no process has the pty open any more.
        master_open_ = false;
        to_master_.clear();
        return false;
    }
}

void TtyProxy::write_stdout(const char* data, size_t size) {
    while (stdout_open_ && size > 0) {
        ssize_t n = ::write(1, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd fd{1, POLLOUT, 0};
            ::poll(&fd, 1, -1);
            continue;
        }
        // Nobody reads our output any more: keep draining the pty regardless,
        // so the container never blocks on it.
        if (n <= 0) {
            stdout_open_ = false;
            return;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

}  // namespace minirunc::runtime
