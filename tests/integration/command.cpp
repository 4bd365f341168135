#include "command.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace minirunc::test {
namespace {

std::string errnoText(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

// Reads everything from fd starting at offset 0.
std::string readAllFrom(int fd) {
    std::string data;
    char buf[65536];
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.append(buf, static_cast<size_t>(n));
        off += n;
    }
    return data;
}

// Between fork and exec: only async-signal-safe calls (strerrordesc_np does not
// translate, so it neither allocates nor locks).
void writeExecFailure(const std::string& prefix) {
    const char* reason = strerrordesc_np(errno);
    if (!reason) reason = "unknown error";
    (void)!write(2, prefix.data(), prefix.size());
    (void)!write(2, reason, strlen(reason));
    (void)!write(2, "\n", 1);
}

// What a timed-out child was doing, read before it is killed: which program (the
// runtime, or still the test's own copy before exec), its state and kernel stack.
std::string hangReport(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    char exe[4096];
    ssize_t n = readlink((proc + "/exe").c_str(), exe, sizeof exe - 1);
    std::string text = "\n  exe: " + (n > 0 ? std::string(exe, static_cast<size_t>(n)) : "?");
    for (const char* file : {"/wchan", "/stat", "/stack"}) {
        int fd = open((proc + file).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        text += std::string("\n  ") + (file + 1) + ": " + readAllFrom(fd);
        close(fd);
    }
    DIR* tasks = opendir((proc + "/task").c_str());
    if (tasks) {
        int count = 0;
        while (dirent* entry = readdir(tasks)) count += entry->d_name[0] != '.';
        closedir(tasks);
        text += "\n  threads: " + std::to_string(count);
    }
    return text;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Result& r) {
    os << "\n$";
    for (const auto& a : r.argv) os << ' ' << a;
    os << "\n  status " << r.status;
    if (r.signal) os << " (signal " << r.signal << ")";
    if (r.timed_out) os << " (timed out)" << r.hang;
    auto clip = [](const std::string& s) {
        return s.size() > 4000 ? s.substr(0, 4000) + "...[truncated]" : s;
    };
    os << "\n  stdout: " << clip(r.out) << "\n  stderr: " << clip(r.err) << "\n";
    return os;
}

Result run(const std::vector<std::string>& argv, const RunOptions& options) {
    Result r;
    r.argv = argv;
    if (argv.empty()) {
        ADD_FAILURE() << "run: empty argv";
        return r;
    }

    // Everything the child needs is prepared before fork.
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        if (!options.env.contains(kv.substr(0, kv.find('=')))) envStrings.push_back(kv);
    }
    for (const auto& [k, v] : options.env) envStrings.push_back(k + "=" + v);
    std::vector<char*> cenv;
    for (auto& kv : envStrings) cenv.push_back(kv.data());
    cenv.push_back(nullptr);

    int outFd = options.stdout_path.empty() ? memfd_create("stdout", MFD_CLOEXEC)
                                            : open(options.stdout_path.c_str(),
                                                   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int errFd = memfd_create("stderr", MFD_CLOEXEC);
    int inFd = -1;
    if (options.stdin_text) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) == 0) {
            fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
            const std::string& text = *options.stdin_text;
            ssize_t n = write(p[1], text.data(), text.size());
            if (n != static_cast<ssize_t>(text.size())) ADD_FAILURE() << "stdin text too long";
            close(p[1]);
            inFd = p[0];
        }
    } else {
        inFd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    if (outFd < 0 || errFd < 0 || inFd < 0) {
        ADD_FAILURE() << errnoText("run: cannot set up stdio");
        for (int fd : {outFd, errFd, inFd}) {
            if (fd >= 0) close(fd);
        }
        return r;
    }

    // The child of a multithreaded process (the watchdog thread starts with each test)
    // may inherit a lock another thread held: it must not allocate before exec, so its
    // fd tables and error text are made here.
    std::vector<int> sources = {inFd, outFd, errFd};
    sources.insert(sources.end(), options.extra_fds.begin(), options.extra_fds.end());
    std::vector<int> high(sources.size(), -1);
    const std::string execFailed = "exec " + argv[0] + ": ";

    pid_t pid = fork();
    if (pid == 0) {
        // Child: move the sources out of the way, then place them at 0, 1, 2, 3...
        for (size_t i = 0; i < sources.size(); ++i)
            high[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, 1000);
        for (size_t i = 0; i < high.size(); ++i) {
            if (high[i] < 0 || dup2(high[i], static_cast<int>(i)) < 0) _exit(126);
        }
        syscall(SYS_close_range, static_cast<unsigned>(high.size()), ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
        execvpe(cargv[0], cargv.data(), cenv.data());
        writeExecFailure(execFailed);
        _exit(127);
    }
    close(inFd);
    if (pid < 0) {
        ADD_FAILURE() << errnoText("fork");
        close(outFd);
        close(errFd);
        return r;
    }

    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        pollfd pfd = {pidfd, POLLIN, 0};
        int n;
        do {
            n = poll(&pfd, 1, static_cast<int>(options.timeout.count()));
        } while (n < 0 && errno == EINTR);
        if (n == 0) {
            r.timed_out = true;
            r.hang = hangReport(pid);
            kill(pid, SIGKILL);
        }
        close(pidfd);
    } else {
        ADD_FAILURE() << errnoText("pidfd_open");
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        r.status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
        r.status = 128 + r.signal;
    }
    if (options.stdout_path.empty()) r.out = readAllFrom(outFd);
    r.err = readAllFrom(errFd);
    close(outFd);
    close(errFd);
    if (r.timed_out) {
        ADD_FAILURE() << "command timed out after " << options.timeout.count() << "ms" << r;
    }
    return r;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& output_path) {
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        ADD_FAILURE() << errnoText("spawn: open " + output_path);
        if (out >= 0) close(out);
        if (in >= 0) close(in);
        return -1;
    }
    const std::string execFailed = "exec " + argv.at(0) + ": ";
    pid_t pid = fork();
    if (pid == 0) {
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
        syscall(SYS_close_range, 3U, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execvp(cargv[0], cargv.data());
        writeExecFailure(execFailed);
        _exit(127);
    }
    close(out);
    close(in);
    if (pid < 0) ADD_FAILURE() << errnoText("fork");
    return pid;
}

}  // namespace minirunc::test
