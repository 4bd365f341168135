#include "minirunc/sys/hook_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "minirunc/error.hpp"
#include "minirunc/sys/process.hpp"

namespace minirunc::sys {
namespace {

using Clock = std::chrono::steady_clock;

// How much of a failing hook's output an error message quotes.
constexpr size_t kOutputLimit = 4096;

// Above 0-2: a runtime started with a closed stdio fd must not have the
// child's dup2 onto 0-2 clobber one of these.
UniqueFd above_stdio(int fd) {
    if (fd < 0) throw_errno("create hook pipe");
    UniqueFd owner(fd);
    if (fd > 2) return owner;
    UniqueFd moved(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
    if (!moved) throw_errno("dup hook fd");
    return moved;
}

std::pair<UniqueFd, UniqueFd> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC)) throw_errno("create hook pipe");
    UniqueFd read_end = above_stdio(fds[0]);
    return {std::move(read_end), above_stdio(fds[1])};
}

UniqueFd make_capture(const char* name) {
    return above_stdio(::memfd_create(name, MFD_CLOEXEC));
}

std::string read_capture(int fd) {
    std::string text(kOutputLimit, '\0');
    ssize_t n = ::pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return text;
}

struct ChildFds {
    int in, out, err, exec_status;
};

// After fork: async-signal-safe calls only. An execve failure is reported
// as its errno on exec_status, which closes by itself on success.
[[noreturn]] void exec_hook(const char* path, char* const* argv, char* const* envp,
                            const ChildFds& fds, const char* cwd, const HookConfine& confine) {
    sigset_t empty;
    sigemptyset(&empty);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    ::setpgid(0, 0);
    if (::dup2(fds.in, 0) < 0 || ::dup2(fds.out, 1) < 0 || ::dup2(fds.err, 2) < 0) ::_exit(127);
    // Whatever else we hold (the caller's inherited fds too) stays with us.
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    if (cwd && ::chdir(cwd) != 0 && ::chdir("/") != 0) ::_exit(127);
    int err = confine ? confine() : 0;
    if (err == 0) {
        ::execve(path, argv, envp);
        err = errno;
    }
    (void)!::write(fds.exec_status, &err, sizeof err);
    ::_exit(127);
}

// Feeds `input` to the hook's stdin while waiting for it to exit, both bounded
// by the deadline. Returns false on timeout. A hook that exits or closes its
// stdin without reading everything is fine: the rest is dropped.
bool feed_and_wait(int pidfd, UniqueFd in, const std::string& input,
                   const Clock::time_point* deadline) {
    if (input.empty()) in.reset();
    if (in) ::fcntl(in.get(), F_SETFL, O_NONBLOCK);
    // EPIPE instead of SIGPIPE while we write, without changing what any
    // child inherits (a blocked or ignored SIGPIPE would reach the workload).
    sigset_t pipe_set, previous;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_set, &previous);
    bool broke_pipe = false;
    size_t written = 0;
    bool exited = false;
    while (!exited) {
        int wait_ms = -1;
        if (deadline) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
            wait_ms = left.count() > 0 ? static_cast<int>(left.count()) : 0;
        }
        pollfd fds[2] = {{pidfd, POLLIN, 0}, {in.get(), POLLOUT, 0}};
        int n = ::poll(fds, in ? 2 : 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // timeout (or a poll error: treated alike, the hook is killed)
        if (fds[0].revents) exited = true;
        if (in && fds[1].revents) {
            ssize_t w = ::write(in.get(), input.data() + written, input.size() - written);
            if (w > 0) written += static_cast<size_t>(w);
            if (w < 0 && errno == EPIPE) broke_pipe = true;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size())
                in.reset();  // end of input for the hook
        }
    }
    if (broke_pipe) {
        timespec zero{};
        ::sigtimedwait(&pipe_set, nullptr, &zero);  // the SIGPIPE our write raised
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return exited;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

HookOutcome run_hook_process(const spec::Hook& hook, const std::string& input,
                             const std::string& cwd, const HookConfine& confine) {
    // Everything the child needs exists before fork.
    std::vector<std::string> args = hook.args.empty() ? std::vector{hook.path} : hook.args;
    std::vector<char*> argv, envp;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = hook.env;
    for (auto& var : env) envp.push_back(var.data());
    envp.push_back(nullptr);
    auto [in_read, in_write] = make_pipe();
    auto [status_read, status_write] = make_pipe();
    UniqueFd out = make_capture("hook-stdout");
    UniqueFd err = make_capture("hook-stderr");

    pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork hook " + hook.path);
    if (pid == 0)
        exec_hook(hook.path.c_str(), argv.data(), envp.data(),
                  {in_read.get(), out.get(), err.get(), status_write.get()},
                  cwd.empty() ? nullptr : cwd.c_str(), confine);
    ::setpgid(pid, pid);  // as the child does: whoever runs first, no window for a kill
    in_read.reset();
    status_write.reset();

    HookOutcome outcome;
    UniqueFd pidfd(pidfd_open(pid));
    if (!pidfd) {
        int saved = errno;
        ::kill(-pid, SIGKILL);
        reap(pid);
        throw_errno("pidfd_open hook " + hook.path, saved);
    }
    Clock::time_point deadline;
    if (hook.timeout) deadline = Clock::now() + std::chrono::seconds(*hook.timeout);
    if (!feed_and_wait(pidfd.get(), std::move(in_write), input,
                       hook.timeout ? &deadline : nullptr)) {
        // The whole group: a shell hook's `sleep` must not outlive it.
        ::kill(-pid, SIGKILL);
        send_signal(pidfd.get(), SIGKILL);
        outcome.timed_out_after = hook.timeout.value_or(0);
    }
    outcome.wait_status = reap(pid);
    int exec_errno = 0;
    if (::read(status_read.get(), &exec_errno, sizeof exec_errno) == sizeof exec_errno)
        outcome.exec_errno = exec_errno;
    outcome.out = read_capture(out.get());
    outcome.err = read_capture(err.get());
    return outcome;
}

void run_hooks(HookKind kind, const std::vector<spec::Hook>& hooks, const nlohmann::json& state,
               const std::string& cwd, const std::function<void(const std::string&)>& on_failure,
               const HookConfine& confine) {
    if (hooks.empty()) return;
    std::string input = with_hook_status(state, kind).dump();
    for (size_t i = 0; i < hooks.size(); ++i) {
        std::string failure =
            hook_failure(hooks[i], run_hook_process(hooks[i], input, cwd, confine));
        if (failure.empty()) continue;
        std::string message = hook_error_message(kind, i, failure);
        if (!on_failure) throw Error(message);
        on_failure(message);
    }
}

}  // namespace minirunc::sys
