// The hook runner with real /bin/sh hooks (no root needed).
#include "minirunc/sys/hook_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using nlohmann::json;

namespace {

class HookProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* tmp = std::getenv("TMPDIR");
        dir_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/minirunc-hooks-XXXXXX";
        ASSERT_NE(::mkdtemp(dir_.data()), nullptr);
    }
    void TearDown() override {
        std::string cmd = "rm -rf '" + dir_ + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0);
    }

    // A hook running `script` with /bin/sh.
    spec::Hook shell(const std::string& script, std::optional<int> timeout = std::nullopt) {
        spec::Hook h;
        h.path = "/bin/sh";
        h.args = {"sh", "-c", script};
        h.timeout = timeout;
        return h;
    }

    std::string read(const std::string& name) {
        std::ifstream in(dir_ + "/" + name);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::string dir_;
};

bool succeeded(const spec::Hook& h, const HookOutcome& o) {
    return hook_failure(h, o).empty();
}

}  // namespace

TEST_F(HookProcess, ArgvAndEnvironmentAreExactlyTheHooks) {
    spec::Hook h = shell("tr '\\0' '\\n' < /proc/$$/cmdline > " + dir_ +
                         "/argv; tr '\\0' '\\n' < /proc/$$/environ > " + dir_ + "/env");
    h.args[0] = "custom-name";
    h.args.push_back("extra arg");
    h.env = {"A=1", "WITH SPACE=x y", "EMPTY="};
    ASSERT_TRUE(succeeded(h, sys::run_hook_process(h, "", "")));
    EXPECT_EQ(read("argv"), "custom-name\n-c\n" + h.args[2] + "\nextra arg\n");
    EXPECT_EQ(read("env"), "A=1\nWITH SPACE=x y\nEMPTY=\n");
}

TEST_F(HookProcess, NoArgsMeansThePathAsArgv0) {
    std::string script = dir_ + "/hook.sh";
    std::ofstream(script) << "#!/bin/sh\ntr '\\0' '\\n' < /proc/$$/cmdline > " << dir_ << "/argv\n";
    ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
    spec::Hook h;
    h.path = script;
    ASSERT_TRUE(succeeded(h, sys::run_hook_process(h, "", "")));
    // The kernel runs "/bin/sh <script>" for a #! script started as <script>.
    EXPECT_EQ(read("argv"), "/bin/sh\n" + script + "\n");
}

TEST_F(HookProcess, StateArrivesOnStdinAndCwdIsSet) {
    spec::Hook h = shell("cat > stdin; pwd > cwd");
    ASSERT_TRUE(succeeded(h, sys::run_hook_process(h, R"({"id":"x"})", dir_)));
    EXPECT_EQ(read("stdin"), R"({"id":"x"})");
    EXPECT_EQ(read("cwd"), dir_ + "\n");
}

TEST_F(HookProcess, MissingCwdFallsBackToRoot) {
    spec::Hook h = shell("pwd > " + dir_ + "/cwd");
    ASSERT_TRUE(succeeded(h, sys::run_hook_process(h, "", dir_ + "/gone")));
    EXPECT_EQ(read("cwd"), "/\n");
}

TEST_F(HookProcess, OnlyStdioIsInherited) {
    int leaked = ::open("/dev/null", O_RDONLY);  // not close-on-exec on purpose
    ASSERT_GE(leaked, 3);
    std::string fd = std::to_string(leaked);
    spec::Hook h = shell("for fd in 0 1 2 " + fd +
                         "; do ! [ -e /proc/$$/fd/$fd ] || echo $fd; done > " + dir_ + "/fds");
    HookOutcome o = sys::run_hook_process(h, "", "");
    ::close(leaked);
    ASSERT_TRUE(succeeded(h, o));
    EXPECT_EQ(read("fds"), "0\n1\n2\n");
}

TEST_F(HookProcess, OutputIsCapturedAndExitStatusReported) {
    spec::Hook h = shell("echo out-text; echo err-text >&2; exit 2");
    HookOutcome o = sys::run_hook_process(h, "", "");
    EXPECT_EQ(hook_failure(h, o), "exit status 2, stdout: out-text, stderr: err-text");
}

TEST_F(HookProcess, ExecFailureIsReported) {
    spec::Hook h;
    h.path = dir_ + "/missing";
    HookOutcome o = sys::run_hook_process(h, "{}", "");
    EXPECT_EQ(o.exec_errno, ENOENT);
    EXPECT_EQ(hook_failure(h, o), "fork/exec " + h.path + ": no such file or directory");
}

TEST_F(HookProcess, IgnoringALargeStdinIsFine) {
    std::string big(4 << 20, 'x');
    spec::Hook quits = shell("exit 0");
    EXPECT_TRUE(succeeded(quits, sys::run_hook_process(quits, big, "")));
    // Closes stdin and goes on: our writes get EPIPE, and no SIGPIPE kills us.
    spec::Hook closes = shell("exec 0<&-; sleep 0.2; echo done > " + dir_ + "/done");
    EXPECT_TRUE(succeeded(closes, sys::run_hook_process(closes, big, "")));
    EXPECT_EQ(read("done"), "done\n");
}

TEST_F(HookProcess, TimeoutKillsTheHookAndItsChildren) {
    spec::Hook h = shell("sleep 30 & echo $! > " + dir_ + "/child; wait", 1);
    auto begin = std::chrono::steady_clock::now();
    HookOutcome o = sys::run_hook_process(h, std::string(1 << 20, 'x'), "");
    auto took = std::chrono::steady_clock::now() - begin;
    EXPECT_EQ(hook_failure(h, o), "hook ran past specified timeout of 1.0s");
    EXPECT_LT(took, std::chrono::seconds(5));
    pid_t child = std::atoi(read("child").c_str());
    ASSERT_GT(child, 0);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
        std::string line;
        gone = !std::getline(stat, line) || line.find(") Z") != std::string::npos;
        if (!gone) ::usleep(10000);
    }
    EXPECT_TRUE(gone) << "the hook's child survived its timeout";
}

TEST_F(HookProcess, SignalMaskAndDispositionsAreReset) {
    sigset_t term_set, previous;
    sigemptyset(&term_set);
    sigaddset(&term_set, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &term_set, &previous);
    auto old_usr1 = ::signal(SIGUSR1, SIG_IGN);
    spec::Hook h = shell("grep -E '^Sig(Blk|Ign)' /proc/self/status > " + dir_ + "/sig");
    HookOutcome o = sys::run_hook_process(h, "", "");
    ::signal(SIGUSR1, old_usr1);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    ASSERT_TRUE(succeeded(h, o));
    EXPECT_EQ(read("sig"), "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_F(HookProcess, RunHooksStopsAtTheFirstFailure) {
    std::vector<spec::Hook> hooks = {shell("echo one >> " + dir_ + "/order"), shell("exit 1"),
                                     shell("echo three >> " + dir_ + "/order")};
    try {
        sys::run_hooks(HookKind::Poststart, hooks, json{{"status", "x"}}, "");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "error running hook #1 (poststart): exit status 1, stdout: , stderr: ");
    }
    EXPECT_EQ(read("order"), "one\n");
}

TEST_F(HookProcess, RunHooksCanCarryOnAfterFailures) {
    std::vector<spec::Hook> hooks = {shell("exit 1"), shell("cat >> " + dir_ + "/state")};
    std::vector<std::string> failures;
    sys::run_hooks(HookKind::Poststop, hooks, json{{"status", "running"}, {"pid", 7}}, "",
                   [&](const std::string& m) { failures.push_back(m); });
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0], "error running hook #0 (poststop): exit status 1, stdout: , stderr: ");
    EXPECT_EQ(json::parse(read("state")), json({{"status", "stopped"}}));
}

TEST_F(HookProcess, ConfineRunsInTheChildAndItsErrnoFailsTheHookBeforeExecve) {
    spec::Hook h = shell("touch " + dir_ + "/ran");
    HookOutcome o = sys::run_hook_process(h, "", "", [] { return EPERM; });
    EXPECT_EQ(o.exec_errno, EPERM);
    EXPECT_FALSE(std::ifstream(dir_ + "/ran").good()) << "the hook was executed";
    EXPECT_TRUE(succeeded(h, sys::run_hook_process(h, "", "", [] { return 0; })));
    EXPECT_TRUE(std::ifstream(dir_ + "/ran").good());
}
