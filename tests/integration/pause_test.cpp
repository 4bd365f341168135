// pause and resume with the host's freezer (v1 freezer.state here), `state`
// reporting "paused", runc's refusals, and signals to a paused container:
// kill --all and delete --force end every process, a paused one included.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

// Prints a growing counter, one line every 10 ms.
const std::vector<std::string> kCounter = {
    "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i; usleep 10000; done"};

class Pause : public RuntimeTest {
  protected:
    // Starts a counter container; its output goes to `out`.
    bool startCounter(const std::string& id, const std::string& out) {
        if (!createAndStart(id, makeBundle(id, config(kCounter)), out)) return false;
        return waitUntil([&] { return readFile(out).size() > 4; });
    }

    // The counter's output does not grow for a while.
    bool outputStands(const std::string& out) {
        size_t before = readFile(out).size();
        usleep(200 * 1000);
        return readFile(out).size() == before;
    }

    // The container's freezer, as the host sees it: v1 freezer.state, else v2 cgroup.freeze.
    std::string freezerState(const std::string& id) {
        if (!v1Mount("freezer").empty()) return v1File(cgroupPathFor(id), "freezer.state");
        return trim(readFile(v2Mount() + cgroupPathFor(id) + "/cgroup.freeze"));
    }
};

TEST_F(Pause, PauseFreezesEveryProcessAndResumeThawsThem) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startCounter(id, out));
    Result p = rt({"pause", id});
    ASSERT_TRUE(p.ok()) << p;
    EXPECT_EQ(state(id).value("status", ""), "paused");
    std::string frozen = freezerState(id);
    EXPECT_TRUE(frozen == "FROZEN" || frozen == "1") << frozen;
    EXPECT_TRUE(outputStands(out)) << "the counter went on while paused";
    Result r = rt({"resume", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
    size_t before = readFile(out).size();
    EXPECT_TRUE(waitUntil([&] { return readFile(out).size() > before; }))
        << "the counter did not go on after resume";
}

TEST_F(Pause, CreatedContainerCanBePausedAndResumed) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    Result p = rt({"pause", id});
    ASSERT_TRUE(p.ok()) << p;
    EXPECT_EQ(state(id).value("status", ""), "paused");
    Result r = rt({"resume", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(state(id).value("status", ""), "created");
}

TEST_F(Pause, PauseOfAStoppedContainerFailsWithNotRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"pause", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "container not running")) << r;
}

TEST_F(Pause, ResumeOfARunningContainerFailsWithNotPaused) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    Result r = rt({"resume", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "container not paused")) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Pause, PauseAndResumeOfAnUnknownContainerFail) {
    for (const char* command : {"pause", "resume"}) {
        Result r = rt({command, "no-such-container"});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "does not exist")) << r;
    }
}

TEST_F(Pause, DeleteForceEndsAPausedContainer) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startCounter(id, out));
    ASSERT_TRUE(rt({"pause", id}).ok());
    Result d = rt({"delete", id});
    EXPECT_NE(d.status, 0) << "a paused container was deleted without --force";
    Result f = rt({"delete", "--force", id});
    ASSERT_TRUE(f.ok()) << f;
    // The harness fails the test on any process or cgroup left.
}

TEST_F(Pause, KillAllWithSigkillEndsAPausedContainer) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startCounter(id, out));
    ASSERT_TRUE(rt({"pause", id}).ok());
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Pause, OtherSignalsToAPausedContainerWaitForResume) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "signals"})), out));
    ASSERT_TRUE(waitForFile(out, "ready"));
    ASSERT_TRUE(rt({"pause", id}).ok());
    Result k = rt({"kill", "--all", id, "USR1"});
    ASSERT_TRUE(k.ok()) << k;
    usleep(100 * 1000);
    EXPECT_EQ(state(id).value("status", ""), "paused") << "kill --all thawed the container";
    EXPECT_FALSE(contains(readFile(out), "SIGUSR1"));
    ASSERT_TRUE(rt({"resume", id}).ok());
    EXPECT_TRUE(waitForFile(out, "SIGUSR1")) << readFile(out);
}

TEST_F(Pause, KillAllSignalsEveryProcessAndLeavesTheContainerRunning) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    // Two receivers besides pid 1; each prints "SIGUSR1" when it gets it.
    json cfg = config({"sh", "-c", "probe signals & probe signals & wait"});
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg), out));
    ASSERT_TRUE(waitUntil([&] { return splitLines(readFile(out)).size() == 2; })) << readFile(out);
    Result k = rt({"kill", "--all", id, "USR1"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitUntil([&] {
        auto text = readFile(out);
        return text.find("SIGUSR1") != text.rfind("SIGUSR1");
    })) << readFile(out);
    EXPECT_EQ(state(id).value("status", ""), "running") << "left frozen";
}

TEST_F(Pause, KillAllEndsEveryProcessOfAForkingContainer) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    // A new process every millisecond, each living 100 seconds.
    json cfg =
        config({"sh", "-c", "echo started; while true; do probe sleep 100000 & usleep 1000; done"});
    cfg["linux"]["resources"]["pids"] = {{"limit", 200}};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg), out));
    ASSERT_TRUE(waitForFile(out, "started"));
    usleep(200 * 1000);
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    std::string procs;
    EXPECT_TRUE(waitUntil([&] {
        procs.clear();
        for (const auto& h : cgroupHierarchies())
            procs += readFile(h + cgroupPathFor(id) + "/cgroup.procs");
        return procs.empty();
    })) << "left in the cgroup: "
        << procs;
}

TEST_F(Pause, CreateRefusesACgroupThatIsAlreadyFrozen) {
    // The test's own cgroup, made and frozen beforehand (v1 freezer, else
    // v2 cgroup.freeze): an init joining it would freeze, and create with it.
    std::string mount = !v1Mount("freezer").empty() ? v1Mount("freezer") : v2Mount();
    if (mount.empty()) GTEST_SKIP() << "no freezer: neither a v1 freezer nor cgroup2";
    bool v1 = mount == v1Mount("freezer");
    auto id = newId();
    std::string path = "/minirunc-frozen-" + id;
    std::string dir = mount + path;
    if (!v1 && !exists(mount + "/cgroup.subtree_control")) GTEST_SKIP() << "cgroup2 not usable";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    if (!v1 && !exists(dir + "/cgroup.freeze")) {
        rmdir(dir.c_str());
        GTEST_SKIP() << "no cgroup.freeze on this kernel";
    }
    writeFile(dir + (v1 ? "/freezer.state" : "/cgroup.freeze"), v1 ? "FROZEN" : "1");
    bool frozen = waitUntil([&] {
        return v1 ? trim(readFile(dir + "/freezer.state")) == "FROZEN"
                  : contains(readFile(dir + "/cgroup.events"), "frozen 1");
    });
    json cfg = config({"probe", "sleep", "1000"});
    cfg["linux"]["cgroupsPath"] = path;
    Result r;
    if (frozen) r = rt({"run", "-d", "--bundle", makeBundle(id, cfg), id});
    writeFile(dir + (v1 ? "/freezer.state" : "/cgroup.freeze"), v1 ? "THAWED" : "0");
    rmdir(dir.c_str());
    ASSERT_TRUE(frozen) << "could not freeze " << dir;
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(r.timed_out) << "create waited on the frozen init";
    EXPECT_TRUE(contains(r.err, "container's cgroup unexpectedly frozen")) << r;
    Result s = rt({"state", id});
    EXPECT_NE(s.status, 0) << s << ": a refused create leaves nothing";
}

}  // namespace
}  // namespace minirunc::test
