#include "foreground.hpp"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "minirunc/error.hpp"
#include "minirunc/sys/process.hpp"
#include "tty_proxy.hpp"

namespace minirunc::runtime {

UniqueFd block_forwarded_signals() {
    sigset_t all;
    sigfillset(&all);
    // Faults must stay fatal to us.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigdelset(&all, sig);
    ::sigprocmask(SIG_BLOCK, &all, nullptr);
    UniqueFd fd(::signalfd(-1, &all, SFD_CLOEXEC));
    if (!fd) throw_errno("signalfd");
    return fd;
}

int wait_forwarding_signals(pid_t pid, uint64_t start_time, int signal_fd, TtyProxy* tty) {
    UniqueFd process = sys::open_live_process(pid, start_time);
    for (;;) {
        int status = 0;
        pid_t reaped;
        while ((reaped = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (reaped != pid) continue;
            if (tty) tty->drain();
            return sys::exit_code_of(status);
        }
        if (reaped < 0 && errno == ECHILD) return 255;
        std::vector<pollfd> fds = {{signal_fd, POLLIN, 0}};
        if (tty) tty->add_poll_fds(fds);
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("poll");
        }
        if (tty) tty->handle_events(fds.data() + 1);
        if (!(fds[0].revents & POLLIN)) continue;
        signalfd_siginfo info{};
        ssize_t n = ::read(signal_fd, &info, sizeof info);
        if (n != sizeof info) {
            if (n < 0 && errno == EINTR) continue;
            throw_errno("read signalfd");
        }
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGWINCH) {
            if (tty) tty->resize();
        } else if (sig != SIGCHLD && process) {
            sys::send_signal(process.get(), sig);
        }
    }
}

}  // namespace minirunc::runtime
