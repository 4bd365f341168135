// The runtime's translation of linux.seccomp into BPF (libseccomp), checked
// by what the kernel does with the program: each test loads it in a forked
// child under no_new_privs (no root needed) and makes the syscall there.
#include "seccomp_compile.hpp"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"
#include "minirunc/seccomp_plan.hpp"
#include "seccomp_profile.hpp"

namespace minirunc::runtime {
namespace {

using nlohmann::json;

spec::Seccomp profile(const json& doc) {
    json config = {{"ociVersion", "1.3.0"}, {"linux", {{"seccomp", doc}}}};
    return *spec::parse(config).linux->seccomp;
}

SeccompProgram compile(const json& doc) {
    return compile_seccomp(profile(doc));
}

// How a syscall made under a filter ended.
struct Outcome {
    int signal = 0;  // the child was killed by it
    long ret = 0;
    int err = 0;
};

long load_program(const SeccompProgram& program) {
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(program.bpf.size() / sizeof(sock_filter));
    prog.filter = reinterpret_cast<sock_filter*>(const_cast<char*>(program.bpf.data()));
    return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.flags, &prog);
}

// Under ASan a call to a noreturn function (_exit) first calls
// sigaltstack, which a filter under test may refuse (a failed check, then a
// spin): the child under a filter exits by the raw syscall first.
#define exit_filtered(code)                \
    do {                                   \
        ::syscall(SYS_exit_group, (code)); \
        ::_exit(code);                     \
    } while (0)

// Forks, loads `program` in the child and runs `call` there; `with_listener`
// gets the child's notify listener (notify filters) while `call` waits on it.
Outcome run_filtered(const SeccompProgram& program, const std::function<long()>& call,
                     const std::function<void(int)>& with_listener = {}) {
    int pipe_fds[2], sock[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) || ::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sock)) {
        ADD_FAILURE() << "pipe: " << std::strerror(errno);
        return {};
    }
    pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        long listener = load_program(program);
        if (listener < 0) ::_exit(100);
        if (program.notify) {
            int fd = static_cast<int>(listener);
            char byte = 'l';
            iovec iov{&byte, 1};
            alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
            msghdr msg{};
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_SOCKET;
            cmsg->cmsg_type = SCM_RIGHTS;
            cmsg->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
            if (::sendmsg(sock[1], &msg, 0) != 1) exit_filtered(101);
            ::close(fd);
        }
        errno = 0;
        long result[2] = {call(), 0};
        result[1] = errno;
        if (::write(pipe_fds[1], result, sizeof result) != sizeof result) exit_filtered(102);
        exit_filtered(0);
    }
    ::close(pipe_fds[1]);
    ::close(sock[1]);
    if (program.notify && with_listener) {
        char byte;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        iovec iov{&byte, 1};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        if (::recvmsg(sock[0], &msg, MSG_CMSG_CLOEXEC) == 1 && CMSG_FIRSTHDR(&msg)) {
            int listener;
            std::memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof listener);
            with_listener(listener);
            ::close(listener);
        } else {
            ADD_FAILURE() << "no listener from the child";
        }
    }
    ::close(sock[0]);
    Outcome outcome;
    long result[2] = {0, 0};
    ssize_t n = ::read(pipe_fds[0], result, sizeof result);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        outcome.signal = WTERMSIG(status);
    } else if (WEXITSTATUS(status) != 0 || n != sizeof result) {
        ADD_FAILURE() << "child exit status " << WEXITSTATUS(status);
    }
    outcome.ret = result[0];
    outcome.err = static_cast<int>(result[1]);
    return outcome;
}

// dup(fd) of a descriptor that is not open: EBADF unless a rule matches.
long dup_of(long fd) {
    return ::syscall(SYS_dup, fd);
}

json rule(const std::vector<std::string>& names, const std::string& action) {
    return {{"names", names}, {"action", action}};
}

json allow_all_but(const std::vector<json>& rules) {
    return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", json(rules)}};
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SeccompCompile, ErrnoRuleReturnsTheConfiguredErrno) {
    json r = rule({"getppid"}, "SCMP_ACT_ERRNO");
    r["errnoRet"] = EXDEV;
    Outcome o = run_filtered(compile(allow_all_but({r})), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, -1);
    EXPECT_EQ(o.err, EXDEV);
}

TEST(SeccompCompile, ErrnoWithoutErrnoRetIsEperm) {
    Outcome o = run_filtered(compile(allow_all_but({rule({"getppid"}, "SCMP_ACT_ERRNO")})),
                             [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, -1);
    EXPECT_EQ(o.err, EPERM);
}

TEST(SeccompCompile, DefaultActionAndDefaultErrnoRetApplyToUnlistedSyscalls) {
    json doc = {
        {"defaultAction", "SCMP_ACT_ERRNO"},
        {"defaultErrnoRet", ENOSYS},
        {"syscalls", json::array({rule({"write", "exit_group", "exit"}, "SCMP_ACT_ALLOW")})}};
    Outcome o = run_filtered(compile(doc), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, -1);
    EXPECT_EQ(o.err, ENOSYS);
}

TEST(SeccompCompile, KillActionsKillTheProcessWithSigsys) {
    for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS"}) {
        SCOPED_TRACE(action);
        Outcome o = run_filtered(compile(allow_all_but({rule({"getppid"}, action)})),
                                 [] { return ::syscall(SYS_getppid); });
        EXPECT_EQ(o.signal, SIGSYS);
    }
}

TEST(SeccompCompile, TrapRaisesSigsys) {
    Outcome o = run_filtered(compile(allow_all_but({rule({"getppid"}, "SCMP_ACT_TRAP")})),
                             [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.signal, SIGSYS);
}

TEST(SeccompCompile, TraceWithoutATracerFailsWithEnosys) {
    json r = rule({"getppid"}, "SCMP_ACT_TRACE");
    r["errnoRet"] = 7;  // the tracer's message; without a tracer the kernel answers ENOSYS
    Outcome o = run_filtered(compile(allow_all_but({r})), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, -1);
    EXPECT_EQ(o.err, ENOSYS);
}

TEST(SeccompCompile, LogAndAllowLetTheSyscallThrough) {
    json doc = {{"defaultAction", "SCMP_ACT_LOG"},
                {"syscalls", json::array({rule({"getppid"}, "SCMP_ACT_ALLOW")})}};
    Outcome o = run_filtered(compile(doc), [] { return ::syscall(SYS_getpid); });
    EXPECT_GT(o.ret, 0);
    o = run_filtered(compile(doc), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, ::getpid());
}

TEST(SeccompCompile, EveryComparisonOperatorMatchesAsLibseccompDefinesIt) {
    struct Case {
        const char* op;
        uint64_t value, value_two;
        long arg;
        bool blocked;
    };
    const Case cases[] = {
        {"SCMP_CMP_EQ", 100, 0, 100, true},
        {"SCMP_CMP_EQ", 100, 0, 101, false},
        {"SCMP_CMP_NE", 100, 0, 101, true},
        {"SCMP_CMP_NE", 100, 0, 100, false},
        {"SCMP_CMP_LT", 100, 0, 99, true},
        {"SCMP_CMP_LT", 100, 0, 100, false},
        {"SCMP_CMP_LE", 100, 0, 100, true},
        {"SCMP_CMP_LE", 100, 0, 101, false},
        {"SCMP_CMP_GT", 100, 0, 101, true},
        {"SCMP_CMP_GT", 100, 0, 100, false},
        {"SCMP_CMP_GE", 100, 0, 100, true},
        {"SCMP_CMP_GE", 100, 0, 99, false},
        {"SCMP_CMP_MASKED_EQ", 0xf0, 0x30, 0x35, true},
        {"SCMP_CMP_MASKED_EQ", 0xf0, 0x30, 0x45, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.op) + " arg " + std::to_string(c.arg));
        json r = rule({"dup"}, "SCMP_ACT_ERRNO");
        r["errnoRet"] = EDOM;
        r["args"] = {{{"index", 0}, {"value", c.value}, {"valueTwo", c.value_two}, {"op", c.op}}};
        long arg = c.arg;
        Outcome o = run_filtered(compile(allow_all_but({r})), [arg] { return dup_of(arg); });
        EXPECT_EQ(o.ret, -1);
        EXPECT_EQ(o.err, c.blocked ? EDOM : EBADF);
    }
}

TEST(SeccompCompile, ConditionsOnDistinctArgumentsMustAllMatch) {
    json r = rule({"dup3"}, "SCMP_ACT_ERRNO");
    r["errnoRet"] = EDOM;
    r["args"] = {{{"index", 0}, {"value", 100}, {"op", "SCMP_CMP_EQ"}},
                 {{"index", 1}, {"value", 200}, {"op", "SCMP_CMP_EQ"}}};
    SeccompProgram program = compile(allow_all_but({r}));
    EXPECT_EQ(run_filtered(program, [] { return ::syscall(SYS_dup3, 100, 200, 0); }).err, EDOM);
    EXPECT_EQ(run_filtered(program, [] { return ::syscall(SYS_dup3, 100, 201, 0); }).err, EBADF);
    EXPECT_EQ(run_filtered(program, [] { return ::syscall(SYS_dup3, 101, 200, 0); }).err, EBADF);
}

TEST(SeccompCompile, TwoConditionsOnOneArgumentMatchEitherAsInRunc) {
    json r = rule({"dup"}, "SCMP_ACT_ERRNO");
    r["errnoRet"] = EDOM;
    r["args"] = {{{"index", 0}, {"value", 100}, {"op", "SCMP_CMP_EQ"}},
                 {{"index", 0}, {"value", 200}, {"op", "SCMP_CMP_EQ"}}};
    SeccompProgram program = compile(allow_all_but({r}));
    EXPECT_EQ(run_filtered(program, [] { return dup_of(100); }).err, EDOM);
    EXPECT_EQ(run_filtered(program, [] { return dup_of(200); }).err, EDOM);
    EXPECT_EQ(run_filtered(program, [] { return dup_of(300); }).err, EBADF);
}

TEST(SeccompCompile, UnknownSyscallNamesAreSkipped) {
    json r = rule({"no_such_syscall", "getppid"}, "SCMP_ACT_ERRNO");
    Outcome o = run_filtered(compile(allow_all_but({r})), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.err, EPERM);
}

TEST(SeccompCompile, RuleWithTheDefaultActionIsSkipped) {
    json doc = allow_all_but({rule({"getppid"}, "SCMP_ACT_ALLOW")});
    Outcome o = run_filtered(compile(doc), [] { return ::syscall(SYS_getppid); });
    EXPECT_EQ(o.ret, ::getpid());
}

TEST(SeccompCompile, ExtraArchitecturesAreAddedAndTheNativeOneIsAccepted) {
    json doc = allow_all_but({rule({"getppid"}, "SCMP_ACT_ERRNO")});
    SeccompProgram native = compile(doc);
    doc["architectures"] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    SeccompProgram multi = compile(doc);
    EXPECT_GT(multi.bpf.size(), native.bpf.size()) << "one section per architecture";
    EXPECT_EQ(run_filtered(multi, [] { return ::syscall(SYS_getppid); }).err, EPERM);
}

// runc's -ENOSYS: close_range (436) is newer than rseq (334), the last
// syscall these profiles name; getpid (39) is older, so it is denied.
TEST(SeccompCompile, SyscallsNewerThanEveryNamedOneGetEnosysUnderADenyingDefault) {
    auto close_range = [] { return ::syscall(SYS_close_range, 1000, 999, 0); };
    for (const char* action : {"SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP"}) {
        for (bool multi_arch : {false, true}) {
            SCOPED_TRACE(std::string(action) + (multi_arch ? " x86_64+x86+x32" : ""));
            json doc = {
                {"defaultAction", action},
                {"syscalls",
                 json::array({rule({"write", "exit_group", "exit", "rseq"}, "SCMP_ACT_ALLOW")})}};
            if (multi_arch)
                doc["architectures"] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
            SeccompProgram program = compile(doc);
            Outcome o = run_filtered(program, close_range);
            EXPECT_EQ(o.signal, 0);
            EXPECT_EQ(o.ret, -1);
            EXPECT_EQ(o.err, ENOSYS);
            if (std::string(action) == "SCMP_ACT_ERRNO") {
                EXPECT_EQ(run_filtered(program, [] { return ::syscall(SYS_getpid); }).err, EPERM);
            }
        }
    }
}

TEST(SeccompCompile, ANamedSyscallRaisesTheLimitWhateverItsAction) {
    json doc = {{"defaultAction", "SCMP_ACT_ERRNO"},
                {"syscalls", json::array({rule({"write", "exit_group", "exit"}, "SCMP_ACT_ALLOW"),
                                          rule({"faccessat2"}, "SCMP_ACT_ERRNO")})}};
    Outcome o = run_filtered(compile(doc), [] { return ::syscall(SYS_close_range, 1000, 999, 0); });
    EXPECT_EQ(o.err, EPERM) << "close_range (436) is older than faccessat2 (439)";
}

TEST(SeccompCompile, AllowingDefaultGetsNoEnosys) {
    Outcome o = run_filtered(compile(allow_all_but({rule({"getppid"}, "SCMP_ACT_ERRNO")})),
                             [] { return ::syscall(SYS_close_range, 1000, 999, 0); });
    EXPECT_EQ(o.err, EINVAL) << "close_range's own answer";
}

TEST(SeccompCompile, FlagsBecomeSeccompFilterFlagsTheKernelTakes) {
    json doc = allow_all_but({rule({"getppid"}, "SCMP_ACT_ERRNO")});
    doc["flags"] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                    "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};
    SeccompProgram program = compile(doc);
    EXPECT_EQ(program.flags,
              SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
    EXPECT_FALSE(program.notify);
    EXPECT_EQ(run_filtered(program, [] { return ::syscall(SYS_getppid); }).err, EPERM);
}

TEST(SeccompCompile, NotifyHandsTheSyscallToTheListener) {
    json doc = allow_all_but({rule({"getppid"}, "SCMP_ACT_NOTIFY")});
    doc["listenerPath"] = "/run/agent.sock";
    doc["flags"] = {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_TSYNC"};
    SeccompProgram program = compile(doc);
    EXPECT_TRUE(program.notify);
    EXPECT_EQ(program.flags, SECCOMP_FILTER_FLAG_NEW_LISTENER | kSeccompFlagWaitKillableRecv);
    int seen_nr = -1;
    Outcome o = run_filtered(
        program, [] { return ::syscall(SYS_getppid); },
        [&](int listener) {
            seccomp_notif request{};
            ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request), 0)
                << std::strerror(errno);
            seen_nr = request.data.nr;
            seccomp_notif_resp response{};
            response.id = request.id;
            response.val = 4242;
            ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response), 0)
                << std::strerror(errno);
        });
    EXPECT_EQ(seen_nr, SYS_getppid);
    EXPECT_EQ(o.ret, 4242);
}

TEST(SeccompCompile, FilterLongerThanTheKernelAcceptsIsRefused) {
    std::vector<json> rules;
    for (int i = 0; i < 6000; ++i) {
        json r = rule({"dup"}, "SCMP_ACT_ERRNO");
        r["args"] = {{{"index", 0}, {"value", 1000 + i}, {"op", "SCMP_CMP_EQ"}}};
        rules.push_back(r);
    }
    std::string error = error_of([&] { compile(allow_all_but(rules)); });
    SCOPED_TRACE(error);
    EXPECT_NE(error.find("more than the kernel accepts (4096)"), std::string::npos) << error;
}

json fixture(const std::string& name) {
    std::ifstream in(std::string(MINIRUNC_TEST_FIXTURES) + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

TEST(SeccompCompile, DockerAndPodmanDefaultProfilesLoadAndBlockWhatTheyDeny) {
    const std::vector<std::string> docker_caps = {
        "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
        "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
        "CAP_KILL",    "CAP_AUDIT_WRITE"};
    struct Case {
        const char* file;
        long nr;
        long arg;
        int err;  // 0: allowed
    };
    const Case cases[] = {
        {"docker-default-seccomp.json", SYS_getppid, 0, 0},
        {"docker-default-seccomp.json", SYS_unshare, CLONE_NEWUSER, EPERM},  // CAP_SYS_ADMIN only
        {"docker-default-seccomp.json", SYS_add_key, 0, EPERM},              // default: errno 1
        {"docker-default-seccomp.json", SYS_clone3, 0, ENOSYS},  // glibc falls back to clone
        {"podman-default-seccomp.json", SYS_getppid, 0, 0},
        {"podman-default-seccomp.json", SYS_kexec_load, 0, EPERM},  // listed: errno 1
        {"podman-default-seccomp.json", SYS_add_key, 0, ENOSYS},    // default: errno 38
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.file) + " syscall " + std::to_string(c.nr));
        SeccompProgram program =
            compile(minirunc::test::engine_seccomp_profile(fixture(c.file), docker_caps));
        long nr = c.nr, arg = c.arg;
        Outcome o = run_filtered(program, [nr, arg] { return ::syscall(nr, arg, 0, 0, 0); });
        if (c.err == 0) {
            EXPECT_EQ(o.ret, ::getpid());
        } else {
            EXPECT_EQ(o.ret, -1);
            EXPECT_EQ(o.err, c.err);
        }
    }
}

}  // namespace
}  // namespace minirunc::runtime
