// `run` (create + start + wait + delete), its flags, stdio and inherited fds.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Run : public RuntimeTest {
  protected:
    // The fd numbers listed by `probe fds`.
    std::map<int, std::string> probeFds(const std::string& output) {
        std::map<int, std::string> fds;
        json j = parseJson(trim(output));
        if (!j.contains("fds")) return fds;
        for (const auto& e : j["fds"]) fds[e["fd"].get<int>()] = e["target"].get<std::string>();
        return fds;
    }

    int openTestFile(const std::string& name) {
        std::string path = tmp_ + "/" + name;
        writeFile(path, name);
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        EXPECT_GE(fd, 0) << path;
        return fd;
    }

    static std::vector<int> keys(const std::map<int, std::string>& m) {
        std::vector<int> k;
        for (const auto& [fd, _] : m) k.push_back(fd);
        return k;
    }
};

TEST_F(Run, PropagatesExitCode) {
    Result r = runProbe(config({"probe", "exit", "3"}));
    EXPECT_EQ(r.status, 3) << r;
    EXPECT_EQ(r.signal, 0) << r;
}

TEST_F(Run, ReportsDeathBySignalAs128PlusSignal) {
    json cfg = config({"sh", "-c", "kill -KILL $$"});
    // Outside a pid namespace the shell is not an init that ignores SIGKILL from itself.
    auto& ns = cfg["linux"]["namespaces"];
    ns.erase(std::remove_if(ns.begin(), ns.end(), [](const json& n) { return n["type"] == "pid"; }),
             ns.end());
    Result r = runProbe(cfg);
    EXPECT_EQ(r.status, 128 + 9) << r;
}

TEST_F(Run, StdoutAndStderrAreTheContainers) {
    Result r = runProbe(config({"sh", "-c", "echo to-stdout; echo to-stderr >&2"}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "to-stdout\n");
    EXPECT_TRUE(contains(r.err, "to-stderr\n")) << r;
    EXPECT_FALSE(contains(r.out, "to-stderr")) << r;
}

TEST_F(Run, StdinPipeReachesTheContainer) {
    RunOptions o;
    o.stdin_text = "first line\nsecond line\n";
    Result r = runProbe(config({"sh", "-c", "read a; read b; echo \"[$b][$a]\""}), o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "[second line][first line]\n");
}

TEST_F(Run, RemovesTheContainerAfterItExits) {
    auto id = newId();
    Result r = runContainer(id, makeBundle(id, config({"probe", "exit", "0"})));
    ASSERT_TRUE(r.ok()) << r;
    Result st = rt({"state", id});
    EXPECT_NE(st.status, 0) << st;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Run, DetachReturnsWhileTheContainerRuns) {
    auto id = newId();
    auto bundle = makeBundle(id, config({"probe", "sleep", kUntilEnded}));
    auto begin = std::chrono::steady_clock::now();
    Result r = rt({"run", "--detach", "--bundle", bundle, id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Run, ShortDetachFlagIsAccepted) {
    auto id = newId();
    Result r = rt({"run", "-d", "--bundle", makeBundle(id, config()), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Run, KeepLeavesTheStoppedContainer) {
    auto id = newId();
    Result r =
        rt({"run", "--keep", "--bundle", makeBundle(id, config({"probe", "exit", "0"})), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(state(id).value("status", ""), "stopped");
    EXPECT_TRUE(rt({"delete", id}).ok());
}

TEST_F(Run, PidFileHoldsBareDigits) {
    auto id = newId();
    std::string pidFile = tmp_ + "/container.pid";
    Result r = rt({"run", "-d", "--pid-file", pidFile, "--bundle", makeBundle(id, config()), id});
    ASSERT_TRUE(r.ok()) << r;
    std::string content = readFile(pidFile);
    EXPECT_EQ(content, std::to_string(state(id).value("pid", -1)))
        << "expected the pid as bare digits without a newline";
}

TEST_F(Run, CreatePidFileRelativePathIsResolvedAgainstCwd) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    RunOptions o;
    o.cwd = tmp_;
    Result r = rt({"create", "--pid-file", "relative.pid", "--bundle", bundle, id}, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(readFile(tmp_ + "/relative.pid"), std::to_string(state(id).value("pid", -1)));
}

TEST_F(Run, BundleDefaultsToTheCurrentDirectory) {
    auto id = newId();
    RunOptions o;
    o.cwd = makeBundle(id, config({"sh", "-c", "echo from-cwd-bundle"}));
    Result r = rt({"run", id}, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "from-cwd-bundle\n");
}

TEST_F(Run, DefaultBundleTemplateRunsTheReadmeDemo) {
    json cfg = parseJson(readFile(bundlesDir() + "/default/config.json"));
    ASSERT_TRUE(cfg.is_object());
    EXPECT_EQ(cfg.value("ociVersion", ""), "1.3.0");
    cfg["root"]["path"] = testRootfs();  // instead of the bundle's own rootfs/
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "hello from minirunc, pid 1\nuid=0(root) gid=0(root)\n");
}

TEST_F(Run, PreserveFdsPassesExactlyTheRequestedFds) {
    int a = openTestFile("three"), b = openTestFile("four"), c = openTestFile("five");
    auto id = newId();
    RunOptions o;
    o.extra_fds = {a, b, c};  // fds 3, 4 and 5 of the runtime
    Result r =
        rt({"run", "--preserve-fds", "2", "--bundle", makeBundle(id, config({"probe", "fds"})), id},
           o);
    close(a);
    close(b);
    close(c);
    ASSERT_TRUE(r.ok()) << r;
    auto fds = probeFds(r.out);
    EXPECT_EQ(keys(fds), (std::vector<int>{0, 1, 2, 3, 4})) << r.out;
    EXPECT_EQ(fds[3], tmp_ + "/three");
    EXPECT_EQ(fds[4], tmp_ + "/four");
}

TEST_F(Run, WorkloadGetsOnlyStdioFds) {
    int extra = openTestFile("inherited");
    RunOptions o;
    o.extra_fds = {extra};  // not preserved: must not reach the workload
    Result r = runProbe(config({"probe", "fds"}), o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(keys(probeFds(r.out)), (std::vector<int>{0, 1, 2})) << r.out;

    // The same through create and start.
    auto id = newId();
    std::string out = tmp_ + "/fds.out";
    o.stdout_path = out;
    Result c = rt({"create", "--bundle", makeBundle(id, config({"probe", "fds"})), id}, o);
    close(extra);
    ASSERT_TRUE(c.ok()) << c;
    ASSERT_TRUE(rt({"start", id}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(keys(probeFds(readFile(out))), (std::vector<int>{0, 1, 2})) << readFile(out);
}

TEST_F(Run, MissingExecutableIsReportedAtCreate) {
    auto id = newId();
    Result r = rt({"create", "--bundle", makeBundle(id, config({"no-such-binary"})), id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "executable file not found in $PATH")) << r;
    EXPECT_NE(rt({"state", id}).status, 0) << "a failed create left a container";
}

TEST_F(Run, MissingExecutableFailsRun) {
    Result r = runProbe(config({"no-such-binary"}));
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "executable file not found in $PATH")) << r;
}

TEST_F(Run, MissingConfigIsAnError) {
    auto id = newId();
    std::string empty = tmp_ + "/empty-bundle";
    ASSERT_EQ(mkdir(empty.c_str(), 0755), 0);
    Result r = rt({"create", "--bundle", empty, id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "config.json")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Run, MissingBundleIsAnError) {
    auto id = newId();
    Result r = rt({"create", "--bundle", tmp_ + "/no-such-bundle", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "no such file or directory")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Run, MalformedConfigIsAnError) {
    auto id = newId();
    std::string bundle = makeBundle(id, config());
    for (const char* text : {"{\"ociVersion\": ", "[]", "not json at all"}) {
        SCOPED_TRACE(text);
        writeFile(bundle + "/config.json", text);
        Result r = rt({"create", "--bundle", bundle, id});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_FALSE(r.err.empty()) << r;
    }
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

}  // namespace
}  // namespace minirunc::test
