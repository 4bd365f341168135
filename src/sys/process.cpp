#include "minirunc/sys/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "minirunc/error.hpp"

namespace minirunc::sys {

std::optional<ProcStat> read_proc_stat(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buf[1024];
    ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return std::nullopt;
    buf[n] = '\0';
    // The command name may contain spaces and parentheses: parse after the last ')'.
    char* close_paren = std::strrchr(buf, ')');
    if (!close_paren) return std::nullopt;
    ProcStat stat;
    char* field = close_paren + 2;  // state (field 3)
    stat.state = *field;
    // Field 22 is start time: skip 19 more fields after state.
    for (int i = 3; i < 22 && field; ++i) {
        field = std::strchr(field, ' ');
        if (field) ++field;
    }
    if (!field) return std::nullopt;
    stat.start_time = std::strtoull(field, nullptr, 10);
    return stat;
}

int pidfd_open(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

UniqueFd open_live_process(pid_t pid, uint64_t start_time) {
    if (pid <= 0) return {};
    UniqueFd fd(pidfd_open(pid));
    if (!fd) return {};
    // Checked after opening the pidfd: if the pid was recycled before, the
    // start time differs; if it is recycled after, the pidfd still names ours.
    auto stat = read_proc_stat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X' || stat->start_time != start_time)
        return {};
    return fd;
}

void send_signal(int pidfd, int signal) {
    if (::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) != 0 && errno != ESRCH)
        throw_errno("send signal " + std::to_string(signal));
}

bool wait_exit(int pidfd, int timeout_ms) {
    pollfd pfd{pidfd, POLLIN, 0};
    for (;;) {
        int n = ::poll(&pfd, 1, timeout_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("poll pidfd");
        return n > 0;
    }
}

int exit_code_of(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return 255;
}

}  // namespace minirunc::sys
