// `run` in the foreground with process.terminal: the runtime holds the pty
// master and copies between it and its own stdio (a terminal or pipes).
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness.hpp"
#include "pty_util.hpp"

namespace minirunc::test {
namespace {

// `minirunc run` started from a shell on a terminal of its own.
struct TerminalRun {
    Fd master;  // the terminal the "user" types into
    Fd slave;   // the runtime's stdio, kept to look at its mode
    pid_t pid = -1;
    termios before{};

    TerminalRun() = default;
    TerminalRun(TerminalRun&& other) noexcept
        : master(std::move(other.master)),
          slave(std::move(other.slave)),
          pid(std::exchange(other.pid, -1)),
          before(other.before) {}
    // A test that failed half-way leaves no child behind.
    ~TerminalRun() {
        if (pid <= 0) return;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
};

class RunTty : public RuntimeTest {
  protected:
    json ttyConfig(const std::vector<std::string>& args) {
        json cfg = config(args);
        cfg["process"]["terminal"] = true;
        return cfg;
    }

    TerminalRun startOnTerminal(const json& cfg, unsigned short rows, unsigned short cols) {
        auto id = newId();
        std::vector<std::string> argv = {
            runtimePath(), "--root", stateRoot_, "run", "--bundle", makeBundle(id, cfg), id};
        std::vector<char*> cargv;
        for (auto& a : argv) cargv.push_back(a.data());
        cargv.push_back(nullptr);

        TerminalRun t;
        int master = -1, slave = -1;
        winsize size{};
        size.ws_row = rows;
        size.ws_col = cols;
        if (openpty(&master, &slave, nullptr, nullptr, &size) != 0) {
            ADD_FAILURE() << "openpty: " << std::strerror(errno);
            return t;
        }
        t.master = Fd(master);
        t.slave = Fd(slave);
        fcntl(master, F_SETFD, FD_CLOEXEC);
        fcntl(slave, F_SETFD, FD_CLOEXEC);
        tcgetattr(slave, &t.before);
        t.pid = fork();
        if (t.pid == 0) {
            // As a login shell would: own session, the terminal as controlling tty.
            setsid();
            ioctl(slave, TIOCSCTTY, 0);
            for (int fd = 0; fd < 3; ++fd) dup2(slave, fd);
            execv(cargv[0], cargv.data());
            _exit(127);
        }
        EXPECT_GT(t.pid, 0) << "fork: " << std::strerror(errno);
        return t;
    }

    // Reads the terminal until the runtime exits; returns its exit status.
    int waitExit(TerminalRun& t, std::string& output) {
        auto deadline = std::chrono::steady_clock::now() + 20s;
        for (;;) {
            int status = 0;
            pid_t done = waitpid(t.pid, &status, WNOHANG);
            if (done == t.pid) {
                output += readUntil(t.master.get(), "\x01never", 200ms);
                t.pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "run on a terminal did not exit; output: " << output;
                kill(t.pid, SIGKILL);
                waitpid(t.pid, nullptr, 0);
                t.pid = -1;
                return -1;
            }
            output += readUntil(t.master.get(), "\x01never", 50ms);
        }
    }

    static void expectSameMode(const termios& a, const termios& b) {
        EXPECT_EQ(a.c_iflag, b.c_iflag);
        EXPECT_EQ(a.c_oflag, b.c_oflag);
        EXPECT_EQ(a.c_cflag, b.c_cflag);
        EXPECT_EQ(a.c_lflag, b.c_lflag);
        EXPECT_EQ(0, std::memcmp(a.c_cc, b.c_cc, sizeof a.c_cc));
    }
};

TEST_F(RunTty, PipedStdinAndOutput) {
    RunOptions o;
    o.stdin_text = "hello\n";
    Result r = runProbe(ttyConfig({"sh", "-c", "read x; echo \"got:$x\"; tty; exit 3"}), o);
    EXPECT_EQ(r.status, 3) << r;
    EXPECT_TRUE(contains(r.out, "got:hello\r\n")) << r;
    EXPECT_TRUE(contains(r.out, "/dev/pts/0\r\n")) << r;
}

TEST_F(RunTty, EndOfPipedStdinIsEndOfFileInside) {
    RunOptions o;
    o.stdin_text = "one\ntwo";  // the last line unfinished
    Result r = runProbe(ttyConfig({"sh", "-c", "cat; echo \"[cat done]\""}), o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "one\r\n")) << r;
    EXPECT_TRUE(contains(r.out, "two")) << r;
    EXPECT_TRUE(contains(r.out, "[cat done]")) << r;
}

TEST_F(RunTty, OutputAfterStdinEndsIsKept) {
    // stdin is /dev/null: ended at once, the container still gets to finish.
    Result r = runProbe(ttyConfig({"sh", "-c", "sleep 0.3; echo late output; exit 4"}));
    EXPECT_EQ(r.status, 4) << r;
    EXPECT_TRUE(contains(r.out, "late output\r\n")) << r;
}

TEST_F(RunTty, ThroughATerminal) {
    TerminalRun t = startOnTerminal(
        ttyConfig({"sh", "-c", "stty size; tty; read x; echo \"got:$x\"; exit 5"}), 30, 100);
    ASSERT_GT(t.pid, 0);
    std::string out = readUntil(t.master.get(), "/dev/pts/0");
    EXPECT_TRUE(contains(out, "30 100\r\n")) << "the container got our size: " << out;
    termios during{};
    ASSERT_EQ(tcgetattr(t.slave.get(), &during), 0);
    EXPECT_EQ(during.c_lflag & (ICANON | ECHO | ISIG), 0u) << "our terminal is not raw";
    writeText(t.master.get(), "typed\r");
    int status = waitExit(t, out);
    EXPECT_EQ(status, 5) << out;
    EXPECT_TRUE(contains(out, "got:typed")) << out;
    termios after{};
    ASSERT_EQ(tcgetattr(t.slave.get(), &after), 0);
    expectSameMode(t.before, after);
}

TEST_F(RunTty, CtrlCThroughATerminalReachesTheContainer) {
    TerminalRun t = startOnTerminal(
        ttyConfig({"sh", "-c",
                   "trap 'echo GOTINT; exit 0' INT; echo ready; while :; do sleep 0.1; done"}),
        24, 80);
    ASSERT_GT(t.pid, 0);
    std::string out = readUntil(t.master.get(), "ready");
    ASSERT_TRUE(contains(out, "ready")) << out;
    writeText(t.master.get(), "\x03");
    int status = waitExit(t, out);
    EXPECT_EQ(status, 0) << out;
    EXPECT_TRUE(contains(out, "GOTINT")) << out;
    termios after{};
    ASSERT_EQ(tcgetattr(t.slave.get(), &after), 0);
    expectSameMode(t.before, after);
}

TEST_F(RunTty, WindowChangesReachTheContainer) {
    TerminalRun t = startOnTerminal(
        ttyConfig({"sh", "-c", "stty -echo; echo ready; while read l; do stty size; done"}), 24,
        80);
    ASSERT_GT(t.pid, 0);
    std::string out = readUntil(t.master.get(), "ready");
    ASSERT_TRUE(contains(out, "ready")) << out;
    setWindowSize(t.master.get(), 50, 132);  // SIGWINCH to the runtime
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        writeText(t.master.get(), "\r");
        out += readUntil(t.master.get(), "50 132", 200ms);
        seen = contains(out, "50 132");
    }
    EXPECT_TRUE(seen) << out;
    writeText(t.master.get(), "\x04");  // end of input: the loop ends
    EXPECT_EQ(waitExit(t, out), 0) << out;
}

}  // namespace
}  // namespace minirunc::test
