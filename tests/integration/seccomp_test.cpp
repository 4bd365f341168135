// linux.seccomp enforced from the inside: the probe makes raw syscalls
// (`probe syscall NR ARGS...`) under the container's filter; a test agent
// answers SCMP_ACT_NOTIFY; docker's and podman's default profiles
// (fixtures/, see fixtures/README.md) run real workloads.
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "harness.hpp"
#include "seccomp_profile.hpp"

namespace minirunc::test {
namespace {

// A seccomp agent listening at `path`: records each container process state
// it is sent and answers every notified syscall with `answer`.
class SeccompAgent {
  public:
    SeccompAgent(const std::string& path, long answer) : answer_(answer) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) ||
            listen(listen_fd_, 4))
            ADD_FAILURE() << "agent socket: " << std::strerror(errno);
        thread_ = std::thread([this] { serve(); });
    }
    ~SeccompAgent() {
        stop_ = true;
        thread_.join();
        for (int fd : listeners_) close(fd);
        close(listen_fd_);
    }
    // The container process states received so far.
    std::vector<json> states() {
        std::lock_guard<std::mutex> lock(mutex_);
        return states_;
    }
    int answered() const { return answered_; }

  private:
    void serve() {
        while (!stop_) {
            std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}};
            for (int fd : listeners_) fds.push_back({fd, POLLIN, 0});
            if (poll(fds.data(), fds.size(), 50) <= 0) continue;
            if (fds[0].revents & POLLIN) receive();
            for (size_t i = 1; i < fds.size(); ++i)
                if (fds[i].revents & POLLIN) answer(fds[i].fd);
        }
    }
    // One connection: the state as JSON, the listener fd with the first bytes.
    void receive() {
        int conn = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0) return;
        std::string text;
        char buf[4096];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
        iovec iov{buf, sizeof buf};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        if (n > 0) text.append(buf, n);
        if (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg)) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
            listeners_.push_back(fd);
        }
        while ((n = read(conn, buf, sizeof buf)) > 0) text.append(buf, n);
        close(conn);
        std::lock_guard<std::mutex> lock(mutex_);
        states_.push_back(json::parse(text, nullptr, false));
    }
    void answer(int listener) {
        seccomp_notif request{};
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request)) return;
        seccomp_notif_resp response{};
        response.id = request.id;
        response.val = answer_;
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) == 0) ++answered_;
    }

    long answer_;
    int listen_fd_ = -1;
    std::vector<int> listeners_;
    std::mutex mutex_;
    std::vector<json> states_;
    std::atomic<bool> stop_{false};
    std::atomic<int> answered_{0};
    std::thread thread_;
};

json fixture(const std::string& name) {
    return parseJson(readFile(std::string(MINIRUNC_TEST_FIXTURES) + "/" + name));
}

class Seccomp : public RuntimeTest {
  protected:
    // cfg with linux.seccomp = profile.
    json withSeccomp(json cfg, const json& profile) {
        cfg["linux"]["seccomp"] = profile;
        return cfg;
    }
    // The default-ALLOW profile with the given rules.
    static json allowAllBut(std::vector<json> rules) {
        return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", json(rules)}};
    }
    // An engine's profile as the engine hands it to the runtime, for cfg's capabilities.
    json engineProfile(const std::string& file, const json& cfg) {
        return engine_seccomp_profile(
            fixture(file),
            cfg["process"]["capabilities"]["bounding"].get<std::vector<std::string>>());
    }
    // `probe syscall NR ARGS...` in a container run with cfg: {"ret":R,"errno":E}.
    json syscallResult(json cfg, std::vector<std::string> syscall) {
        syscall.insert(syscall.begin(), {"probe", "syscall"});
        cfg["process"]["args"] = syscall;
        Result r = runProbe(cfg);
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(trim(r.out)) : json::object();
    }
    Result exec(const std::string& id, std::vector<std::string> command) {
        command.insert(command.begin(), {"exec", id});
        return rt(command);
    }
};

std::string nr(long number) {
    return std::to_string(number);
}

TEST_F(Seccomp, BlockedSyscallFailsWithTheConfiguredErrno) {
    json cfg = withSeccomp(
        config(),
        allowAllBut({{{"names", {"getppid"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", EXDEV}}}));
    EXPECT_EQ(syscallResult(cfg, {nr(SYS_getppid)}), json({{"ret", -1}, {"errno", EXDEV}}));
}

TEST_F(Seccomp, DefaultErrnoRetAppliesToEverySyscallNotListed) {
    // A profile that lists only what the static probe needs after execve.
    json profile = {{"defaultAction", "SCMP_ACT_ERRNO"},
                    {"defaultErrnoRet", ENOSYS},
                    {"syscalls",
                     {{{"names",
                        {"execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list",
                         "rseq", "prlimit64", "readlink", "getrandom", "mprotect", "newfstatat",
                         "fstat", "write", "exit_group", "mmap", "munmap"}},
                       {"action", "SCMP_ACT_ALLOW"}}}}};
    EXPECT_EQ(syscallResult(withSeccomp(config(), profile), {nr(SYS_getppid)}),
              json({{"ret", -1}, {"errno", ENOSYS}}));
}

TEST_F(Seccomp, KillActionKillsTheWorkloadWithSigsys) {
    json cfg =
        withSeccomp(config({"probe", "syscall", nr(SYS_getppid)}),
                    allowAllBut({{{"names", {"getppid"}}, {"action", "SCMP_ACT_KILL_PROCESS"}}}));
    Result r = runProbe(cfg);
    EXPECT_EQ(r.status, 128 + SIGSYS) << r;
    EXPECT_EQ(r.out, "") << r;
}

TEST_F(Seccomp, ArgumentConditionsSelectTheCalls) {
    // personality(0xffffffff) only queries; anything else changes the persona.
    json rule = {
        {"names", {"dup"}},
        {"action", "SCMP_ACT_ERRNO"},
        {"errnoRet", EDOM},
        {"args",
         {{{"index", 0}, {"value", 0xf0}, {"valueTwo", 0x30}, {"op", "SCMP_CMP_MASKED_EQ"}}}}};
    json cfg = withSeccomp(config(), allowAllBut({rule}));
    EXPECT_EQ(syscallResult(cfg, {nr(SYS_dup), "0x35"}), json({{"ret", -1}, {"errno", EDOM}}));
    EXPECT_EQ(syscallResult(cfg, {nr(SYS_dup), "0x45"}), json({{"ret", -1}, {"errno", EBADF}}));
}

TEST_F(Seccomp, UnknownSyscallNamesAreSkipped) {
    json cfg = withSeccomp(
        config(),
        allowAllBut({{{"names", {"no_such_syscall", "getppid"}}, {"action", "SCMP_ACT_ERRNO"}}}));
    EXPECT_EQ(syscallResult(cfg, {nr(SYS_getppid)}), json({{"ret", -1}, {"errno", EPERM}}));
}

// After the filter is loaded, a naive runtime still talks to its parent,
// waits for `start`, closes fds... (runc loads it before its sync-pipe write):
// with those syscalls denied, only a filter loaded right before execve lets
// the container start. `probe exit 0` itself uses none of them.
TEST_F(Seccomp, FilterIsLoadedWhenOnlyExecveIsLeft) {
    json rule = {{"names", {"close_range", "close",     "sendmsg",   "sendto", "recvmsg", "write",
                            "read",        "open",      "openat",    "fcntl",  "chdir",   "capset",
                            "setresuid",   "setresgid", "setgroups", "prctl",  "dup2",    "dup3",
                            "clone",       "clone3",    "fork",      "vfork",  "wait4"}},
                 {"action", "SCMP_ACT_ERRNO"}};
    json cfg = withSeccomp(config({"probe", "exit", "0"}), allowAllBut({rule}));
    cfg["process"]["noNewPrivileges"] = true;
    Result r = runProbe(cfg);
    EXPECT_TRUE(r.ok()) << r;

    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Seccomp, ExecRunsUnderTheContainersFilter) {
    json cfg = withSeccomp(
        config({"probe", "sleep", kUntilEnded}),
        allowAllBut({{{"names", {"getppid"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", EXDEV}}}));
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    Result r = exec(id, {"probe", "syscall", nr(SYS_getppid)});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)), json({{"ret", -1}, {"errno", EXDEV}}));
}

TEST_F(Seccomp, DockerDefaultProfileRunsAShellAndDeniesNamespacesAndKeyrings) {
    json cfg = config();
    cfg = withSeccomp(cfg, engineProfile("docker-default-seccomp.json", cfg));
    cfg["process"]["args"] = {"sh", "-c",
                              "echo hello | cat; unshare -U true 2>/dev/null; echo unshare=$?; "
                              "probe syscall " +
                                  nr(SYS_add_key) + "; probe syscall " + nr(SYS_keyctl) +
                                  " 0; probe syscall " + nr(SYS_clone3)};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(splitLines(r.out),
              (std::vector<std::string>{"hello", "unshare=1", R"({"ret":-1,"errno":1})",
                                        R"({"ret":-1,"errno":1})", R"({"ret":-1,"errno":38})"}))
        << r;
}

// The compiled program is cached outside the state root, which holds
// containers only ($MINIRUNC_CACHE_DIR/seccomp here, /run/minirunc-cache by
// default): a second container with the same profile reuses it, and a
// damaged cache entry is recompiled rather than loaded.
TEST_F(Seccomp, CompiledProfileIsCachedOutsideTheStateRootAndADamagedEntryIsRecompiled) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's own cache";
    RunOptions cached;
    cached.env["MINIRUNC_CACHE_DIR"] = tmp_ + "/cache";
    json cfg = config({"sh", "-c", "probe syscall " + nr(SYS_add_key)});
    cfg = withSeccomp(cfg, engineProfile("docker-default-seccomp.json", cfg));
    const std::string expected = R"({"ret":-1,"errno":1})";
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, cfg), id}, cached).ok());
    EXPECT_EQ(listDir(stateRoot_), std::vector<std::string>{id}) << "only containers in the root";
    Result list = rt({"list", "-q"});
    EXPECT_EQ(splitLines(list.out), std::vector<std::string>{id}) << list;
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    std::string cache = tmp_ + "/cache/seccomp";
    std::vector<std::string> entries = listDir(cache);
    ASSERT_EQ(entries.size(), 1u);
    struct stat st;
    ASSERT_EQ(stat(cache.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u) << "a program from the cache is loaded as it is";
    Result second = runProbe(cfg, cached);
    ASSERT_TRUE(second.ok()) << second;
    EXPECT_EQ(trim(second.out), expected);
    {
        std::ofstream damage(cache + "/" + entries[0], std::ios::trunc);
        damage << "{\"key\": 1}";
    }
    Result third = runProbe(cfg, cached);
    ASSERT_TRUE(third.ok()) << third;
    EXPECT_EQ(trim(third.out), expected) << "the filter must still be applied";
}

// Bounded at 32 entries (and 4 MiB), the least recently used out first: a
// profile used again stays while older ones go.
TEST_F(Seccomp, CompiledProgramCacheKeepsTheMostRecentlyUsedWithinItsBound) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's own cache";
    RunOptions cached;
    cached.env["MINIRUNC_CACHE_DIR"] = tmp_ + "/cache";
    std::string cache = tmp_ + "/cache/seccomp";
    // One distinct profile per errno; `create` compiles it, `delete` cleans up.
    auto use = [&](int err) {
        json cfg = withSeccomp(
            config({"probe", "exit", "0"}),
            allowAllBut(
                {{{"names", {"getppid"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", err}}}));
        auto id = newId();
        ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, cfg), id}, cached).ok());
        ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    };
    auto cachedErrnos = [&] {
        std::set<int> errnos;
        for (const auto& name : listDir(cache)) {
            json entry = parseJson(readFile(cache + "/" + name));
            json key = parseJson(entry.value("key", "{}"));
            errnos.insert(key["syscalls"][0].value("errnoRet", 0));
        }
        return errnos;
    };
    for (int err = 1; err <= 20; ++err) use(err);
    EXPECT_EQ(cachedErrnos().size(), 20u);
    use(1);  // a hit: now the most recently used
    for (int err = 21; err <= 40; ++err) use(err);
    std::set<int> left = cachedErrnos();
    EXPECT_EQ(left.size(), 32u);
    EXPECT_TRUE(left.count(1)) << "the entry used again was evicted";
    for (int err = 2; err <= 9; ++err) EXPECT_FALSE(left.count(err)) << err;
    EXPECT_TRUE(left.count(40));
    uint64_t bytes = 0;
    for (const auto& name : listDir(cache)) bytes += readFile(cache + "/" + name).size();
    EXPECT_LE(bytes, 4u << 20);
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

// Without no_new_privs and without CAP_SYS_ADMIN the init keeps the
// privilege to load the filter through the user switch.
TEST_F(Seccomp, DockerDefaultProfileWorksForAnUnprivilegedUserWithoutNoNewPrivileges) {
    json cfg = config({"sh", "-c", "probe ids; probe syscall " + nr(SYS_add_key)});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    cfg["process"]["noNewPrivileges"] = false;
    cfg = withSeccomp(cfg, engineProfile("docker-default-seccomp.json", cfg));
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    EXPECT_EQ(parseJson(lines[0]).value("uid", -1), 1000) << r;
    EXPECT_EQ(lines[1], R"({"ret":-1,"errno":1})");
}

TEST_F(Seccomp, PodmanDefaultProfileRunsAShellAndAnswersEnosysByDefault) {
    json cfg = config();
    cfg = withSeccomp(cfg, engineProfile("podman-default-seccomp.json", cfg));
    cfg["process"]["args"] = {"sh", "-c",
                              "echo hello | cat; probe syscall " + nr(SYS_add_key) +
                                  "; probe syscall " + nr(SYS_kexec_load)};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(splitLines(r.out), (std::vector<std::string>{"hello", R"({"ret":-1,"errno":38})",
                                                           R"({"ret":-1,"errno":1})"}))
        << r;
}

TEST_F(Seccomp, NotifyReachesTheAgentWithTheContainerProcessState) {
    std::string socket = tmp_ + "/agent.sock";
    // sysinfo: what agents typically answer (lxcfs-style); the init never calls it.
    SeccompAgent agent(socket, 4242);
    json profile = allowAllBut({{{"names", {"sysinfo"}}, {"action", "SCMP_ACT_NOTIFY"}}});
    profile["listenerPath"] = socket;
    profile["listenerMetadata"] = "opaque to the runtime";
    json cfg = withSeccomp(config({"probe", "sleep", kUntilEnded}), profile);
    cfg["annotations"] = {{"org.example.key", "value"}};
    auto id = newId();
    std::string bundle = makeBundle(id, cfg);
    ASSERT_TRUE(createAndStart(id, bundle));
    pid_t init = state(id).value("pid", 0);
    Result r = exec(id, {"probe", "syscall", nr(SYS_sysinfo)});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)), json({{"ret", 4242}, {"errno", 0}}));
    // The agent counts after its answer returns, which may be after the workload's.
    EXPECT_TRUE(waitUntil([&] { return agent.answered() == 1; }, 5s)) << agent.answered();

    auto states = agent.states();
    ASSERT_EQ(states.size(), 2u);
    for (const auto& s : states) {
        EXPECT_EQ(s.value("fds", json()), json::array({"seccompFd"})) << s;
        EXPECT_EQ(s.value("metadata", ""), "opaque to the runtime") << s;
        EXPECT_TRUE(s.value("ociVersion", "").rfind("1.", 0) == 0) << s;
        EXPECT_EQ(s["state"].value("id", ""), id) << s;
        EXPECT_EQ(s["state"].value("pid", 0), init) << s;
        EXPECT_EQ(s["state"].value("bundle", ""), bundle) << s;
        EXPECT_EQ(s["state"]["annotations"], cfg["annotations"]) << s;
    }
    // create: the container's init; exec: the new process, in a running container.
    EXPECT_EQ(states[0]["state"].value("status", ""), "creating");
    EXPECT_EQ(states[0].value("pid", 0), init);
    EXPECT_EQ(states[1]["state"].value("status", ""), "running");
    EXPECT_NE(states[1].value("pid", 0), init);
    EXPECT_GT(states[1].value("pid", 0), 0);
}

TEST_F(Seccomp, NotifyWithoutAReachableAgentFailsCreateAndLeavesNothing) {
    json profile = allowAllBut({{{"names", {"getppid"}}, {"action", "SCMP_ACT_NOTIFY"}}});
    profile["listenerPath"] = tmp_ + "/nobody-listens.sock";
    auto id = newId();
    Result r = rt({"create", "--bundle", makeBundle(id, withSeccomp(config(), profile)), id});
    EXPECT_NE(r.status, 0) << r;
    // runc's words, which its suite matches ("SCMP_ACT_NOTIFY no seccompagent").
    EXPECT_TRUE(contains(r.err, "failed to connect with seccomp agent")) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "nobody-listens.sock")) << r;
    }
    // Nothing of the container is left.
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Seccomp, InvalidProfileIsRefusedAtCreate) {
    for (json profile :
         {json{{"defaultAction", "SCMP_ACT_NOPE"}},
          allowAllBut({{{"names", {"getppid"}},
                        {"action", "SCMP_ACT_ALLOW"},
                        {"args", {{{"index", 0}, {"value", 1}, {"op", "SCMP_CMP_ALMOST"}}}}}}),
          json{{"defaultAction", "SCMP_ACT_ALLOW"}, {"architectures", {"SCMP_ARCH_PDP11"}}}}) {
        SCOPED_TRACE(profile.dump());
        auto id = newId();
        Result r = rt({"create", "--bundle", makeBundle(id, withSeccomp(config(), profile)), id});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(listDir(stateRoot_).empty());
    }
}

}  // namespace
}  // namespace minirunc::test
