// `exec`: one more process in a running container, observed from the inside
// with the probe and from the host through /proc.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <regex>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

// The hex mask /proc/self/status shows for a set of capability numbers.
std::string capMask(std::initializer_list<int> caps) {
    uint64_t mask = 0;
    for (int c : caps) mask |= uint64_t{1} << c;
    char buf[17];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(mask));
    return buf;
}

constexpr int kCapChown = 0;
constexpr int kCapKill = 5;
constexpr int kCapNetBindService = 10;
constexpr int kCapNetRaw = 13;

unsigned long long nsInode(pid_t pid, const std::string& name) {
    struct stat st;
    std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
    return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

json userNamespaceConfig(json cfg) {
    cfg["linux"]["namespaces"].push_back({{"type", "user"}});
    cfg["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    cfg["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    return cfg;
}

json withoutNamespace(json cfg, const std::string& type) {
    auto& ns = cfg["linux"]["namespaces"];
    ns.erase(std::remove_if(ns.begin(), ns.end(), [&](const json& n) { return n["type"] == type; }),
             ns.end());
    return cfg;
}

json withNamespace(json cfg, const std::string& type) {
    cfg = withoutNamespace(std::move(cfg), type);
    cfg["linux"]["namespaces"].push_back({{"type", type}});
    return cfg;
}

// A runtime process started in the background (a foreground exec), killed
// and reaped when the test ends without having waited for it.
class Background {
  public:
    Background(std::vector<std::string> argv, const std::string& output)
        : pid_(spawn(argv, output)) {}
    ~Background() {
        if (pid_ <= 0) return;
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    pid_t pid() const { return pid_; }
    // The exit status (128 + signal when killed), or -1 if it is still running after timeout.
    int wait(std::chrono::milliseconds timeout = 60s) {
        int status = 0;
        bool done = waitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
        if (!done) return -1;
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

  private:
    pid_t pid_;
};

class Exec : public RuntimeTest {
  protected:
    // Creates and starts a container running `probe sleep 100000` (or cfg).
    std::string startContainer(json cfg) {
        std::string id = newId();
        EXPECT_TRUE(createAndStart(id, makeBundle(id, std::move(cfg))));
        return id;
    }
    std::string startContainer() { return startContainer(config({"probe", "sleep", kUntilEnded})); }

    Result exec(const std::string& id, const std::vector<std::string>& flagsAndCommand,
                const RunOptions& options = {}) {
        std::vector<std::string> args = {"exec"};
        // Flags go before the id, the command after it.
        auto command = std::find(flagsAndCommand.begin(), flagsAndCommand.end(), "--");
        args.insert(args.end(), flagsAndCommand.begin(), command);
        args.push_back(id);
        if (command != flagsAndCommand.end())
            args.insert(args.end(), command + 1, flagsAndCommand.end());
        return rt(args, options);
    }

    // Runs the probe in the container and parses its one-line JSON.
    json execJson(const std::string& id, const std::vector<std::string>& flagsAndCommand) {
        Result r = exec(id, flagsAndCommand);
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(trim(r.out)) : json::object();
    }

    pid_t initPid(const std::string& id) { return state(id).value("pid", 0); }

    // `exec --detach --pid-file` of `probe sleep 100000`: the exec'd host pid.
    pid_t execDetached(const std::string& id, std::vector<std::string> flags = {}) {
        std::string pidFile = tmp_ + "/" + newId() + ".pid";
        flags.insert(flags.end(),
                     {"--detach", "--pid-file", pidFile, "--", "probe", "sleep", kUntilEnded});
        Result r = exec(id, flags);
        EXPECT_TRUE(r.ok()) << r;
        std::string text = readFile(pidFile);
        return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
    }

    // The fd numbers and targets listed by `probe fds`.
    static std::map<int, std::string> probeFds(const std::string& output) {
        std::map<int, std::string> fds;
        json j = parseJson(trim(output));
        if (!j.contains("fds")) return fds;
        for (const auto& e : j["fds"]) fds[e["fd"].get<int>()] = e["target"].get<std::string>();
        return fds;
    }
};

TEST_F(Exec, OutputAndExitCodeAreTheProcesss) {
    auto id = startContainer();
    Result r = exec(id, {"--", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 7"});
    EXPECT_EQ(r.status, 7) << r;
    EXPECT_EQ(r.out, "to-stdout\n");
    EXPECT_TRUE(contains(r.err, "to-stderr\n")) << r;
    Result ok = exec(id, {"--", "probe", "exit", "0"});
    EXPECT_TRUE(ok.ok()) << ok;
    // The container is not affected.
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Exec, DeathBySignalIs128PlusTheSignal) {
    auto id = startContainer();
    Result r = exec(id, {"--", "sh", "-c", "kill -KILL $$"});
    EXPECT_EQ(r.status, 128 + SIGKILL) << r;
}

TEST_F(Exec, StdinReachesTheProcess) {
    auto id = startContainer();
    RunOptions o;
    o.stdin_text = "one\ntwo\n";
    Result r = exec(id, {"--", "sh", "-c", "read a; read b; echo \"[$b][$a]\""}, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "[two][one]\n");
}

TEST_F(Exec, ArgumentsAfterTheCommandAreItsOwnEvenWhenTheyLookLikeFlags) {
    auto id = startContainer();
    Result r = exec(id, {"--", "sh", "-c", "printf '[%s]' \"$@\"", "sh", "--user", "-e", "a b"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "[--user][-e][a b]");
}

TEST_F(Exec, JoinsEveryNamespaceOfTheContainer) {
    json cfg = withNamespace(config({"probe", "sleep", kUntilEnded}), "cgroup");
    auto id = startContainer(cfg);
    pid_t init = initPid(id);
    ASSERT_GT(init, 0);
    json ns = execJson(id, {"--", "probe", "ns"});
    ASSERT_FALSE(ns.empty());
    for (const char* name : {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "user",
                             "uts", "time", "time_for_children"}) {
        if (!ns.contains(name)) continue;  // not supported by this kernel
        EXPECT_EQ(ns[name].get<unsigned long long>(), nsInode(init, name)) << name;
    }
    // The new namespaces of the container, not the host's.
    for (const char* name : {"cgroup", "ipc", "mnt", "net", "pid", "uts"})
        EXPECT_NE(ns.value(name, 0ULL), hostNamespaceInode(name)) << name;
}

TEST_F(Exec, JoinsTheContainersUserNamespaceFirst) {
    json cfg = userNamespaceConfig(config({"probe", "sleep", kUntilEnded}));
    cfg["root"]["path"] = rootfsForMappedUsers();
    auto id = startContainer(cfg);
    pid_t init = initPid(id);
    ASSERT_GT(init, 0);
    Result r = exec(id, {"--", "sh", "-c", "probe ns && probe ids"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    json ns = parseJson(lines[0]);
    for (const char* name : {"user", "mnt", "pid", "net", "ipc", "uts"})
        EXPECT_EQ(ns.value(name, 0ULL), nsInode(init, name)) << name;
    EXPECT_NE(ns.value("user", 0ULL), hostNamespaceInode("user"));
    json ids = parseJson(lines[1]);
    EXPECT_EQ(ids.value("uid", -1), 0) << ids;
    EXPECT_EQ(ids.value("gid", -1), 0) << ids;
}

TEST_F(Exec, UserNamespaceContainerMayJoinANetworkNamespaceOwnedByTheHost) {
    // A network namespace owned by the host's user namespace can only be
    // joined before entering the container's, at create and at exec.
    std::string out = tmp_ + "/holder.out";
    pid_t holder =
        spawnHelper({"unshare", "--net", "sh", "-c", "echo ready && exec sleep 100000"}, out);
    ASSERT_TRUE(waitForFile(out, "ready"));
    std::string netns = "/proc/" + std::to_string(holder) + "/ns/net";
    json cfg =
        userNamespaceConfig(withoutNamespace(config({"probe", "sleep", kUntilEnded}), "network"));
    cfg["linux"]["namespaces"].push_back({{"type", "network"}, {"path", netns}});
    cfg["root"]["path"] = rootfsForMappedUsers();
    // sysfs can only be mounted from the network namespace's owner.
    auto& mounts = cfg["mounts"];
    mounts.erase(std::remove_if(mounts.begin(), mounts.end(),
                                [](const json& m) {
                                    return m["destination"].get<std::string>().rfind("/sys", 0) ==
                                           0;
                                }),
                 mounts.end());
    auto id = startContainer(cfg);
    json ns = execJson(id, {"--", "probe", "ns"});
    EXPECT_EQ(ns.value("net", 0ULL), nsInode(holder, "net"));
    EXPECT_EQ(ns.value("user", 0ULL), nsInode(initPid(id), "user"));
    EXPECT_NE(ns.value("user", 0ULL), hostNamespaceInode("user"));
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    stopHelper(holder);
}

TEST_F(Exec, JoinsTheContainersTimeNamespace) {
    if (hostNamespaceInode("time") == 0) GTEST_SKIP() << "no time namespaces";
    auto id = startContainer(withNamespace(config({"probe", "sleep", kUntilEnded}), "time"));
    pid_t init = initPid(id);
    json ns = execJson(id, {"--", "probe", "ns"});
    EXPECT_EQ(ns.value("time", 0ULL), nsInode(init, "time"));
    EXPECT_NE(ns.value("time", 0ULL), hostNamespaceInode("time"));
}

TEST_F(Exec, ProcessIsAForkInThePidNamespaceNotItsInit) {
    auto id = startContainer();
    json pid = execJson(id, {"--", "probe", "pid"});
    EXPECT_GT(pid.value("pid", 0), 1) << pid;
    // Its parent (the runtime) is outside the container's pid namespace.
    EXPECT_EQ(pid.value("ppid", -1), 0) << pid;
}

TEST_F(Exec, JoinsTheContainersCgroup) {
    auto id = startContainer();
    pid_t init = initPid(id);
    pid_t pid = execDetached(id);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(readFile("/proc/" + std::to_string(pid) + "/cgroup"),
              readFile("/proc/" + std::to_string(init) + "/cgroup"));
    EXPECT_TRUE(contains(readFile("/proc/" + std::to_string(pid) + "/cgroup"), cgroupPathFor(id)));
}

// Where there is a cgroup v2 (pure v2, or hybrid's unified hierarchy) the
// process is created in it by clone3(CLONE_INTO_CGROUP), never migrated.
TEST_F(Exec, ProcessIsCreatedInsideTheContainersCgroupV2) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's debug log";
    auto id = startContainer();
    pid_t init = initPid(id);
    std::string v2Line = "0::" + cgroupPathFor(id);
    if (!contains(readFile("/proc/" + std::to_string(init) + "/cgroup"), v2Line))
        GTEST_SKIP() << "no cgroup v2 hierarchy here";
    std::string pidFile = tmp_ + "/exec.pid";
    Result r =
        rt({"--debug", "exec", "-d", "--pid-file", pidFile, id, "probe", "sleep", kUntilEnded});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "CLONE_INTO_CGROUP")) << r;
    std::string pid = trim(readFile(pidFile));
    EXPECT_TRUE(contains(readFile("/proc/" + pid + "/cgroup"), v2Line));
}

TEST_F(Exec, DefaultsAreTheContainersProcessSettings) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1001}, {"additionalGids", {10, 20}}};
    cfg["process"]["cwd"] = "/etc";
    cfg["process"]["env"] = {"PATH=/bin:/usr/bin", "FROM_CONFIG=yes"};
    json set = {"CAP_CHOWN", "CAP_KILL"};
    cfg["process"]["capabilities"] = {{"bounding", set},
                                      {"effective", set},
                                      {"permitted", set},
                                      {"inheritable", set},
                                      {"ambient", set}};
    cfg["process"]["noNewPrivileges"] = true;
    cfg["process"]["rlimits"] =
        json::array({{{"type", "RLIMIT_NOFILE"}, {"soft", 256}, {"hard", 512}},
                     {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}}});
    auto id = startContainer(cfg);
    Result r = exec(id, {"--", "sh", "-c",
                         "probe ids && probe cwd && probe caps && probe rlimits && probe env"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 5u) << r;
    json ids = parseJson(lines[0]);
    for (const char* k : {"uid", "euid", "suid"}) EXPECT_EQ(ids.value(k, -1), 1000) << ids;
    for (const char* k : {"gid", "egid", "sgid"}) EXPECT_EQ(ids.value(k, -1), 1001) << ids;
    EXPECT_EQ(ids["groups"], json::array({10, 20})) << ids;
    EXPECT_EQ(lines[1], "/etc");
    json caps = parseJson(lines[2]);
    std::string mask = capMask({kCapChown, kCapKill});
    for (const char* k : {"CapBnd", "CapPrm", "CapEff", "CapInh", "CapAmb"})
        EXPECT_EQ(caps.value(k, ""), mask) << k << " in " << caps;
    EXPECT_EQ(caps.value("NoNewPrivs", ""), "1") << caps;
    json limits = parseJson(lines[3]);
    EXPECT_EQ(limits["RLIMIT_NOFILE"], json({{"soft", 256}, {"hard", 512}})) << limits;
    EXPECT_EQ(limits["RLIMIT_CORE"], json({{"soft", 0}, {"hard", 0}})) << limits;
    std::vector<std::string> env(lines.begin() + 4, lines.end());
    for (const char* e : {"PATH=/bin:/usr/bin", "FROM_CONFIG=yes"})
        EXPECT_NE(std::find(env.begin(), env.end(), e), env.end()) << e << " in " << r.out;
}

TEST_F(Exec, UmaskIsTheContainers) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}, {"umask", 027}};
    auto id = startContainer(cfg);
    EXPECT_EQ(execJson(id, {"--", "probe", "ids"}).value("umask", -1), 027);
}

TEST_F(Exec, OomScoreAdjIsTheContainers) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["oomScoreAdj"] = 300;
    auto id = startContainer(cfg);
    Result r = exec(id, {"--", "probe", "oom"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), "300");
}

TEST_F(Exec, UserFlagSetsUidAndGid) {
    auto id = startContainer();
    json ids = execJson(id, {"--user", "1000:1001", "--", "probe", "ids"});
    for (const char* k : {"uid", "euid", "suid"}) EXPECT_EQ(ids.value(k, -1), 1000) << ids;
    for (const char* k : {"gid", "egid", "sgid"}) EXPECT_EQ(ids.value(k, -1), 1001) << ids;
    EXPECT_EQ(ids["groups"], json::array()) << ids;
}

TEST_F(Exec, UserFlagWithoutGroupKeepsTheContainersGroup) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1234}};
    auto id = startContainer(cfg);
    json ids = execJson(id, {"-u", "2000", "--", "probe", "ids"});
    EXPECT_EQ(ids.value("uid", -1), 2000) << ids;
    EXPECT_EQ(ids.value("gid", -1), 1234) << ids;
}

TEST_F(Exec, MalformedUserIsRefused) {
    auto id = startContainer();
    for (const char* bad : {"nobody", "1000:staff", "1000:"}) {
        Result r = exec(id, {"--user", bad, "--", "probe", "ids"});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_EQ(r.out, "") << r;
    }
}

TEST_F(Exec, AdditionalGidsAreAddedToTheContainers) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["user"] = {{"uid", 0}, {"gid", 0}, {"additionalGids", {5}}};
    auto id = startContainer(cfg);
    json ids = execJson(id, {"-g", "7", "-g", "9", "--", "probe", "ids"});
    EXPECT_EQ(ids["groups"], json::array({5, 7, 9})) << ids;
}

TEST_F(Exec, CwdFlagSetsTheWorkingDirectory) {
    auto id = startContainer();
    Result r = exec(id, {"--cwd", "/etc", "--", "probe", "cwd"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "/etc\n");
    Result relative = exec(id, {"--cwd", "etc", "--", "probe", "cwd"});
    EXPECT_NE(relative.status, 0) << relative;
}

TEST_F(Exec, EnvFlagAddsAndOverridesVariablesAndKeepsPath) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["env"] = {"PATH=/bin:/usr/bin", "A=1", "KEEP=me"};
    auto id = startContainer(cfg);
    Result r = exec(id, {"--env", "B=two words", "--env", "A=3", "--", "probe", "env"});
    ASSERT_TRUE(r.ok()) << r;
    auto env = splitLines(r.out);
    for (const char* e : {"PATH=/bin:/usr/bin", "A=3", "B=two words", "KEEP=me"})
        EXPECT_NE(std::find(env.begin(), env.end(), e), env.end()) << e << " in " << r.out;
    EXPECT_EQ(std::find(env.begin(), env.end(), "A=1"), env.end()) << r.out;
}

TEST_F(Exec, CapFlagAddsToTheContainersSets) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    json set = {"CAP_CHOWN", "CAP_KILL"};
    cfg["process"]["capabilities"] = {{"bounding", set}, {"effective", set}, {"permitted", set}};
    auto id = startContainer(cfg);
    json caps = execJson(
        id, {"--cap", "CAP_NET_BIND_SERVICE", "--cap", "CAP_NET_RAW", "--", "probe", "caps"});
    std::string mask = capMask({kCapChown, kCapKill, kCapNetBindService, kCapNetRaw});
    EXPECT_EQ(caps.value("CapBnd", ""), mask) << caps;
    EXPECT_EQ(caps.value("CapPrm", ""), mask) << caps;
    EXPECT_EQ(caps.value("CapEff", ""), mask) << caps;
    // No inheritable set in the container: nothing becomes ambient.
    EXPECT_EQ(caps.value("CapInh", ""), capMask({})) << caps;
    EXPECT_EQ(caps.value("CapAmb", ""), capMask({})) << caps;
}

TEST_F(Exec, UnknownCapIsRefused) {
    auto id = startContainer();
    Result r = exec(id, {"--cap", "CAP_NO_SUCH_THING", "--", "probe", "caps"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(r.out, "") << r;
}

TEST_F(Exec, NoNewPrivsFlagSetsIt) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["noNewPrivileges"] = false;
    auto id = startContainer(cfg);
    EXPECT_EQ(execJson(id, {"--", "probe", "caps"}).value("NoNewPrivs", ""), "0");
    EXPECT_EQ(execJson(id, {"--no-new-privs", "--", "probe", "caps"}).value("NoNewPrivs", ""), "1");
}

TEST_F(Exec, ProcessFileIsTheWholeProcess) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["process"]["env"] = {"PATH=/bin:/usr/bin", "FROM_CONFIG=yes"};
    auto id = startContainer(cfg);
    json process = {{"args", {"sh", "-c", "probe ids; probe cwd; probe env"}},
                    {"cwd", "/etc"},
                    {"env", {"PATH=/bin", "FROM_FILE=yes"}},
                    {"user", {{"uid", 1234}, {"gid", 5678}, {"additionalGids", {42}}}},
                    {"terminal", false}};
    std::string file = tmp_ + "/process.json";
    writeFile(file, process.dump());
    // Flags other than the file's are ignored, as runc does.
    Result r = rt({"exec", "--process", file, id, "probe", "exit", "3"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 3u) << r;
    json ids = parseJson(lines[0]);
    EXPECT_EQ(ids.value("uid", -1), 1234) << ids;
    EXPECT_EQ(ids.value("gid", -1), 5678) << ids;
    EXPECT_EQ(ids["groups"], json::array({42})) << ids;
    EXPECT_EQ(lines[1], "/etc");
    std::vector<std::string> env(lines.begin() + 2, lines.end());
    EXPECT_NE(std::find(env.begin(), env.end(), "FROM_FILE=yes"), env.end()) << r.out;
    EXPECT_EQ(std::find(env.begin(), env.end(), "FROM_CONFIG=yes"), env.end()) << r.out;
}

TEST_F(Exec, ProcessFileWithoutCapabilitiesOrRlimitsGetsTheContainers) {
    json cfg = config({"probe", "sleep", kUntilEnded});
    json set = {"CAP_CHOWN", "CAP_KILL"};
    cfg["process"]["capabilities"] = {{"bounding", set}, {"effective", set}, {"permitted", set}};
    cfg["process"]["rlimits"] =
        json::array({{{"type", "RLIMIT_NOFILE"}, {"soft", 256}, {"hard", 512}}});
    auto id = startContainer(cfg);
    json process = {{"args", {"sh", "-c", "probe caps; probe rlimits"}},
                    {"cwd", "/"},
                    {"env", {"PATH=/bin:/usr/bin"}}};
    std::string file = tmp_ + "/process.json";
    writeFile(file, process.dump());
    Result r = rt({"exec", "--process", file, id});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    json caps = parseJson(lines[0]);
    std::string mask = capMask({kCapChown, kCapKill});
    for (const char* k : {"CapBnd", "CapPrm", "CapEff"}) EXPECT_EQ(caps.value(k, ""), mask) << caps;
    json limits = parseJson(lines[1]);
    EXPECT_EQ(limits["RLIMIT_NOFILE"], json({{"soft", 256}, {"hard", 512}})) << limits;
}

TEST_F(Exec, ProcessFileWithoutArgsIsRefused) {
    auto id = startContainer();
    std::string file = tmp_ + "/process.json";
    writeFile(file, json({{"args", json::array()}, {"cwd", "/"}}).dump());
    Result r = rt({"exec", "--process", file, id});
    EXPECT_NE(r.status, 0) << r;
    writeFile(file, "{not json");
    Result bad = rt({"exec", "-p", file, id});
    EXPECT_NE(bad.status, 0) << bad;
}

TEST_F(Exec, DetachReturnsAtOnceAndThePidFileHoldsBareDigits) {
    auto id = startContainer();
    std::string pidFile = tmp_ + "/exec.pid";
    auto start = std::chrono::steady_clock::now();
    Result r = exec(id, {"-d", "--pid-file", pidFile, "--", "probe", "sleep", kUntilEnded});
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_LT(elapsed, 10s);
    std::string text = readFile(pidFile);
    ASSERT_TRUE(std::regex_match(text, std::regex("[0-9]+"))) << "pid file: '" << text << "'";
    pid_t pid = static_cast<pid_t>(std::stol(text));
    EXPECT_TRUE(processRunning(pid));
    EXPECT_EQ(nsInode(pid, "pid"), nsInode(initPid(id), "pid"));
    EXPECT_TRUE(contains(readFile("/proc/" + std::to_string(pid) + "/cmdline"), "sleep"));
}

// The runtime returns only once the process is the workload: a failed
// execve is the command's error (with the phrase docker maps to 126), and
// never a detached exec that reported success.
TEST_F(Exec, FailedExecveIsTheCommandsErrorAttachedOrDetached) {
    std::string rootfs = copyRootfs();
    writeFile(rootfs + "/not-a-program", "neither ELF nor script\n");
    ASSERT_EQ(chmod((rootfs + "/not-a-program").c_str(), 0755), 0);
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["root"] = {{"path", rootfs}, {"readonly", false}};
    auto id = startContainer(cfg);
    for (bool detach : {false, true}) {
        std::vector<std::string> args = {"--", "/not-a-program"};
        if (detach) args.insert(args.begin(), "-d");
        Result r = exec(id, args);
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "exec format error")) << r;
    }
    Result state = rt({"state", id});
    EXPECT_TRUE(contains(state.out, "\"running\"")) << state;
}

TEST_F(Exec, ForegroundPidFileHoldsTheHostPid) {
    auto id = startContainer();
    std::string pidFile = tmp_ + "/exec.pid";
    // Written before the process runs: the host pid, bare digits.
    Result r = exec(id, {"--pid-file", pidFile, "--", "probe", "exit", "0"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(std::regex_match(readFile(pidFile), std::regex("[1-9][0-9]*")))
        << "pid file: '" << readFile(pidFile) << "'";
}

TEST_F(Exec, RefusedInAStoppedContainer) {
    auto id = startContainer(config({"probe", "exit", "0"}));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = exec(id, {"--", "probe", "ids"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(r.out, "") << r;
    EXPECT_TRUE(contains(r.err, "container not running")) << r;
}

TEST_F(Exec, RunsInACreatedContainerWhichStaysCreated) {
    // As runc: the init waits for `start`, its namespaces and cgroup exist,
    // so a process can join them; the workload still waits for `start`.
    auto id = newId();
    Result c = rt({"create", "--bundle", makeBundle(id, config({"probe", "sleep", "1000"})), id});
    ASSERT_TRUE(c.ok()) << c;
    pid_t init = initPid(id);
    ASSERT_GT(init, 0);
    Result r = exec(id, {"--", "probe", "ns"});
    ASSERT_TRUE(r.ok()) << r;
    json ns = parseJson(trim(r.out));
    for (const char* name : {"ipc", "mnt", "net", "pid", "uts"})
        EXPECT_EQ(ns.value(name, 0ULL), nsInode(init, name)) << name;
    pid_t pid = execDetached(id);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(readFile("/proc/" + std::to_string(pid) + "/cgroup"),
              readFile("/proc/" + std::to_string(init) + "/cgroup"));
    EXPECT_EQ(state(id).value("status", ""), "created");
    Result s = rt({"start", id});
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Exec, UnknownContainerDoesNotExist) {
    Result r = rt({"exec", "no-such-container", "probe", "ids"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

TEST_F(Exec, CommandIsRequired) {
    auto id = startContainer();
    Result r = rt({"exec", id});
    EXPECT_NE(r.status, 0) << r;
}

TEST_F(Exec, MissingExecutableIsReportedInRuncsWords) {
    auto id = startContainer();
    Result r = exec(id, {"--", "no-such-command"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "executable file not found in $PATH")) << r;
    Result abs = exec(id, {"--", "/no/such/file"});
    EXPECT_NE(abs.status, 0) << abs;
    EXPECT_TRUE(contains(abs.err, "no such file or directory")) << abs;
    // Nothing was left running in the container.
    EXPECT_EQ(trim(rt({"ps", "--format", "json", id}).out),
              "[" + std::to_string(initPid(id)) + "]");
}

TEST_F(Exec, NoHostFdReachesTheProcess) {
    auto id = startContainer();
    // An inheritable fd of the caller, not passed with --preserve-fds.
    int fd = open("/dev/null", O_RDONLY);
    ASSERT_GE(fd, 0);
    RunOptions o;
    o.extra_fds = {fd};
    Result r = exec(id, {"--", "probe", "fds"}, o);
    close(fd);
    ASSERT_TRUE(r.ok()) << r;
    auto fds = probeFds(r.out);
    std::vector<int> numbers;
    for (const auto& [n, target] : fds) numbers.push_back(n);
    EXPECT_EQ(numbers, (std::vector<int>{0, 1, 2})) << r.out;
}

TEST_F(Exec, PreserveFdsPassesTheCallersFds) {
    auto id = startContainer();
    std::string path = tmp_ + "/passed";
    writeFile(path, "passed-content");
    int passed = open(path.c_str(), O_RDONLY);
    int extra = open("/dev/null", O_RDONLY);
    ASSERT_GE(passed, 0);
    ASSERT_GE(extra, 0);
    RunOptions o;
    o.extra_fds = {passed, extra};  // fds 3 and 4 of the runtime
    Result r = exec(id, {"--preserve-fds", "1", "--", "sh", "-c", "probe fds; cat <&3"}, o);
    close(passed);
    close(extra);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    auto fds = probeFds(lines[0]);
    std::vector<int> numbers;
    for (const auto& [n, target] : fds) numbers.push_back(n);
    EXPECT_EQ(numbers, (std::vector<int>{0, 1, 2, 3})) << r.out;
    EXPECT_EQ(lines[1], "passed-content");
}

TEST_F(Exec, SignalsAreForwardedToAForegroundExec) {
    auto id = startContainer();
    std::string out = tmp_ + "/exec.out";
    Background execProcess({runtimePath(), "--root", stateRoot_, "exec", id, "probe", "signals"},
                           out);
    ASSERT_GT(execProcess.pid(), 0);
    ASSERT_TRUE(waitForFile(out, "ready"));
    kill(execProcess.pid(), SIGUSR1);
    EXPECT_TRUE(waitForFile(out, "SIGUSR1"));
    kill(execProcess.pid(), SIGHUP);
    EXPECT_TRUE(waitForFile(out, "SIGHUP"));
    kill(execProcess.pid(), SIGTERM);
    EXPECT_EQ(execProcess.wait(), 0) << readFile(out);
    EXPECT_TRUE(contains(readFile(out), "SIGTERM")) << readFile(out);
}

TEST_F(Exec, ForegroundExecEndsWhenTheContainerIsKilled) {
    auto id = startContainer();
    std::string out = tmp_ + "/exec.out";
    Background execProcess({runtimePath(), "--root", stateRoot_, "exec", id, "probe", "signals"},
                           out);
    ASSERT_TRUE(waitForFile(out, "ready"));
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_EQ(execProcess.wait(), 128 + SIGKILL) << readFile(out);
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Exec, KillAllKillsExecdProcessesAndDeleteLeavesNothing) {
    auto id = startContainer();
    pid_t first = execDetached(id);
    pid_t second = execDetached(id, {"--user", "1000"});
    ASSERT_GT(first, 0);
    ASSERT_GT(second, 0);
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_TRUE(waitUntil([&] { return !processRunning(first) && !processRunning(second); }));
    Result d = rt({"delete", id});
    EXPECT_TRUE(d.ok()) << d;
    EXPECT_TRUE(listDir(stateRoot_).empty());
    // TearDown checks that no process, cgroup or mount is left.
}

TEST_F(Exec, CgroupFlagPlacesTheProcessInASubCgroup) {
    // Without a cgroup namespace the process sees its host cgroup path.
    auto id = startContainer(withoutNamespace(config({"probe", "sleep", kUntilEnded}), "cgroup"));
    pid_t init = initPid(id);
    std::string cgroupFile = readFile("/proc/" + std::to_string(init) + "/cgroup");
    bool v1Memory = contains(cgroupFile, ":memory:");
    // Mounted where the host mounts them (not always under /sys/fs/cgroup/<name>).
    std::string dir = (v1Memory ? v1Mount("memory") : v2Mount()) + cgroupPathFor(id) + "/sub";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    Result r =
        exec(id, {"--cgroup", v1Memory ? "memory:sub" : "sub", "--", "cat", "/proc/self/cgroup"});
    EXPECT_TRUE(r.ok()) << r;
    // Wait for the exited process to leave the sub-cgroup, then remove it.
    EXPECT_TRUE(waitUntil([&] { return rmdir(dir.c_str()) == 0; })) << dir;
    std::string expected = (v1Memory ? ":memory:" : "0::") + cgroupPathFor(id) + "/sub\n";
    EXPECT_TRUE(contains(r.out, expected)) << r.out;
}

TEST_F(Exec, CgroupFlagEscapingTheContainersCgroupIsRefused) {
    auto id = startContainer();
    for (const char* bad : {"../x", "a/../../x", "memory:../../x"}) {
        Result r = exec(id, {"--cgroup", bad, "--", "probe", "exit", "0"});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "is not a sub cgroup path")) << r;
    }
    EXPECT_EQ(trim(rt({"ps", "--format", "json", id}).out),
              "[" + std::to_string(initPid(id)) + "]");
}

TEST_F(Exec, CgroupFlagNamingAMissingSubCgroupFailsInRuncsWords) {
    if (v1Mount("cpu").empty()) GTEST_SKIP() << "no v1 cpu hierarchy";
    auto id = startContainer();
    Result r = exec(id, {"--cgroup", "cpu:nonexistent", "--", "probe", "exit", "0"});
    EXPECT_NE(r.status, 0) << r;
    // runc's words, which its suite matches ("exec --cgroup sub-cgroups [v1]").
    EXPECT_TRUE(contains(r.err, " adding pid ")) << r;
    EXPECT_TRUE(contains(r.err, "/nonexistent/cgroup.procs: no such file ")) << r;
    Result typo = exec(id, {"--cgroup", "whaaat:/", "--", "probe", "exit", "0"});
    EXPECT_NE(typo.status, 0) << typo;
    EXPECT_TRUE(contains(typo.err, "unknown controller ")) << typo;
}

// Terminal checks that need no terminal: the flags' combinations (runc's rules).
TEST_F(Exec, DetachedTtyNeedsAConsoleSocket) {
    auto id = startContainer();
    Result r = exec(id, {"--tty", "--detach", "--", "probe", "exit", "0"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot allocate tty")) << r;
}

TEST_F(Exec, ConsoleSocketNeedsATty) {
    auto id = startContainer();
    Result r =
        exec(id, {"--console-socket", tmp_ + "/no.sock", "--detach", "--", "probe", "exit", "0"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot use console socket")) << r;
}

}  // namespace
}  // namespace minirunc::test
