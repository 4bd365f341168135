// run: create + start, then (in the foreground) forward signals to the
// container and exit with its status.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container_ops.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/process.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {
namespace {

// Waits for the container's init (our child thanks to CLONE_PARENT), passing
// on every signal we get. Returns the shell-style exit status.
int forward_signals_until_exit(const Container& container, int signal_fd) {
    UniqueFd init = sys::open_live_process(container.state.pid, container.state.pid_start_time);
    for (;;) {
        int status = 0;
        pid_t reaped;
        while ((reaped = ::waitpid(-1, &status, WNOHANG)) > 0)
            if (reaped == container.state.pid) return sys::exit_code_of(status);
        if (reaped < 0 && errno == ECHILD) return 255;
        signalfd_siginfo info{};
        ssize_t n = ::read(signal_fd, &info, sizeof info);
        if (n != sizeof info) {
            if (n < 0 && errno == EINTR) continue;
            throw_errno("read signalfd");
        }
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGCHLD) continue;
        if (init) sys::send_signal(init.get(), sig);
    }
}

}  // namespace

int cmd_run(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    CreateOptions options = create_options_from(command);
    options.detach = command.flags.flag("detach");

    // Signals are taken from a signalfd from here on, so none can kill us
    // half-way through creating the container.
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGILL);
    sigdelset(&all, SIGFPE);
    sigset_t previous;
    UniqueFd signal_fd;
    if (!options.detach) {
        ::sigprocmask(SIG_BLOCK, &all, &previous);
        signal_fd.reset(::signalfd(-1, &all, SFD_CLOEXEC));
        if (!signal_fd) throw_errno("signalfd");
        if (!command.flags.flag("no-subreaper")) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    Container container = create_container(runtime, id, options);
    try {
        start_container(container);
    } catch (...) {
        destroy_container(container);
        throw;
    }
    if (options.detach) return 0;
    int status = forward_signals_until_exit(container, signal_fd.get());
    if (!command.flags.flag("keep")) destroy_container(container);
    return status;
}

}  // namespace minirunc::runtime
