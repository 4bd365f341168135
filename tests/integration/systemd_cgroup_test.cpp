// The systemd cgroup driver (--systemd-cgroup, runc's libcontainer/cgroups/
// systemd): cgroupsPath "slice:prefix:name" is a transient scope that
// systemd creates with the container's init in it, delegated, with the
// limits as unit properties and in the cgroup files; `update` changes both,
// pause/resume/kill --all/ps work on the scope's cgroup and `delete` stops the
// unit. Needs systemd as PID 1 with cgroup v2 (the systemd VM lane:
// tests/vm/run-in-vm.sh --systemd); skipped elsewhere.
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

namespace minirunc::test {
namespace {

constexpr const char* kSlice = "system.slice";
constexpr const char* kPrefix = "minirunc-test";

class SystemdCgroup : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        struct stat st;
        if (lstat("/run/systemd/system", &st) != 0 || !S_ISDIR(st.st_mode))
            GTEST_SKIP() << "systemd is not running (no /run/systemd/system)";
        if (!exists("/sys/fs/cgroup/cgroup.controllers")) GTEST_SKIP() << "not a cgroup v2 host";
        if (runtimeName() != "minirunc" && runtimeName() != "runc")
            GTEST_SKIP() << "minirunc or runc only";
    }

    void TearDown() override {
        RuntimeTest::TearDown();
        for (const auto& unit : units_) {
            Result show = systemctl({"show", "-p", "LoadState", "-p", "ActiveState", unit});
            EXPECT_TRUE(contains(show.out, "LoadState=not-found") ||
                        contains(show.out, "ActiveState=inactive"))
                << "leaked unit " << unit << ": " << show;
            run({"systemctl", "stop", unit});
            run({"systemctl", "reset-failed", unit});
        }
    }

    Result systemctl(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {"systemctl"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    }

    std::string property(const std::string& unit, const std::string& name) {
        return trim(systemctl({"show", "-P", name, unit}).out);
    }

    // A bundle placing the container in `slice` as <kPrefix>-<id>.scope.
    std::string bundle(const std::string& id, json cfg, const std::string& slice = kSlice) {
        cfg["linux"]["cgroupsPath"] = slice + ":" + kPrefix + ":" + id;
        units_.push_back(unitOf(id));
        return makeBundle(id, cfg);
    }

    static std::string unitOf(const std::string& id) {
        return std::string(kPrefix) + "-" + id + ".scope";
    }
    static std::string dirOf(const std::string& id,
                             const std::string& sliceDirs = "/system.slice") {
        return "/sys/fs/cgroup" + sliceDirs + "/" + unitOf(id);
    }

    bool createAndStartSd(const std::string& id, const std::string& dir) {
        Result c = rt({"--systemd-cgroup", "create", "--bundle", dir, id});
        if (!c.ok()) {
            ADD_FAILURE() << c;
            return false;
        }
        Result s = rt({"--systemd-cgroup", "start", id});
        if (!s.ok()) ADD_FAILURE() << s;
        return s.ok();
    }

    std::vector<std::string> units_;
};

TEST_F(SystemdCgroup, ContainerRunsInATransientScopeOfTheSlice) {
    auto id = newId();
    ASSERT_TRUE(createAndStartSd(id, bundle(id, config({"sleep", kUntilEnded}))));
    const std::string unit = unitOf(id);
    EXPECT_EQ(property(unit, "ActiveState"), "active");
    EXPECT_EQ(property(unit, "Slice"), "system.slice");
    EXPECT_EQ(property(unit, "Delegate"), "yes");
    EXPECT_EQ(property(unit, "ControlGroup"), "/system.slice/" + unit);
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(contains(readFile(dirOf(id) + "/cgroup.procs"), std::to_string(pid)));
    EXPECT_TRUE(
        contains(readFile("/proc/" + std::to_string(pid) + "/cgroup"), "0::/system.slice/" + unit));
    // exec joins the same cgroup.
    Result e = rt({"exec", id, "cat", "/proc/self/cgroup"});
    EXPECT_TRUE(e.ok()) << e;
}

TEST_F(SystemdCgroup, NestedSliceIsExpandedIntoItsParents) {
    auto id = newId();
    ASSERT_TRUE(createAndStartSd(
        id, bundle(id, config({"sleep", kUntilEnded}), "minirunc-test-nested.slice")));
    const std::string dirs = "/minirunc.slice/minirunc-test.slice/minirunc-test-nested.slice";
    EXPECT_TRUE(exists(dirOf(id, dirs))) << dirOf(id, dirs);
    EXPECT_EQ(property(unitOf(id), "ControlGroup"), dirs + "/" + unitOf(id));
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    EXPECT_FALSE(exists(dirOf(id, dirs)));
    systemctl({"stop", "minirunc.slice"});
}

TEST_F(SystemdCgroup, LimitsAreUnitPropertiesAndCgroupFiles) {
    auto id = newId();
    json cfg = config({"sleep", kUntilEnded});
    cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}},
                                 {"pids", {{"limit", 42}}},
                                 {"cpu", {{"shares", 1024}, {"quota", 50000}, {"period", 100000}}}};
    ASSERT_TRUE(createAndStartSd(id, bundle(id, cfg)));
    const std::string unit = unitOf(id), dir = dirOf(id);
    EXPECT_EQ(property(unit, "MemoryMax"), std::to_string(64 << 20));
    EXPECT_EQ(property(unit, "TasksMax"), "42");
    EXPECT_EQ(property(unit, "CPUQuotaPerSecUSec"), "500ms");
    EXPECT_EQ(trim(readFile(dir + "/memory.max")), std::to_string(64 << 20));
    EXPECT_EQ(trim(readFile(dir + "/pids.max")), "42");
    EXPECT_EQ(trim(readFile(dir + "/cpu.max")), "50000 100000");
    EXPECT_EQ(trim(readFile(dir + "/cpu.weight")), "39");  // runc's conversion of 1024 shares
}

TEST_F(SystemdCgroup, UpdateChangesPropertiesAndFiles) {
    auto id = newId();
    json cfg = config({"sleep", kUntilEnded});
    cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}, {"pids", {{"limit", 42}}}};
    ASSERT_TRUE(createAndStartSd(id, bundle(id, cfg)));
    Result u = rt({"--systemd-cgroup", "update", "--memory", std::to_string(96 << 20),
                   "--pids-limit", "77", id});
    ASSERT_TRUE(u.ok()) << u;
    const std::string unit = unitOf(id), dir = dirOf(id);
    EXPECT_EQ(property(unit, "MemoryMax"), std::to_string(96 << 20));
    EXPECT_EQ(property(unit, "TasksMax"), "77");
    EXPECT_EQ(trim(readFile(dir + "/memory.max")), std::to_string(96 << 20));
    EXPECT_EQ(trim(readFile(dir + "/pids.max")), "77");
    // systemd rewrites a controller's files from the unit's properties when
    // one of them changes: the limits stay.
    Result sp =
        systemctl({"set-property", "--runtime", unit, "MemoryLow=1M", "TasksAccounting=yes"});
    ASSERT_TRUE(sp.ok()) << sp;
    EXPECT_EQ(trim(readFile(dir + "/memory.low")), "1048576");
    EXPECT_TRUE(waitUntil([&] {
        return trim(readFile(dir + "/pids.max")) == "77" &&
               trim(readFile(dir + "/memory.max")) == std::to_string(96 << 20);
    })) << readFile(dir + "/pids.max")
        << readFile(dir + "/memory.max");
}

TEST_F(SystemdCgroup, PauseResumeKillAllAndPsWorkOnTheScope) {
    auto id = newId();
    ASSERT_TRUE(
        createAndStartSd(id, bundle(id, config({"sh", "-c", "sleep 100 & sleep 100 & wait"}))));
    const std::string dir = dirOf(id);
    ASSERT_TRUE(waitUntil([&] { return splitLines(readFile(dir + "/cgroup.procs")).size() >= 3; }));
    Result ps = rt({"ps", "--format", "json", id});
    ASSERT_TRUE(ps.ok()) << ps;
    EXPECT_EQ(parseJson(ps.out).size(), 3u) << ps.out;

    ASSERT_TRUE(rt({"pause", id}).ok());
    EXPECT_EQ(state(id).value("status", ""), "paused");
    EXPECT_TRUE(contains(readFile(dir + "/cgroup.events"), "frozen 1"));
    ASSERT_TRUE(rt({"resume", id}).ok());
    EXPECT_EQ(state(id).value("status", ""), "running");

    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_TRUE(waitUntil([&] { return trim(readFile(dir + "/cgroup.procs")).empty(); }));
}

// The limit holds for what the container forks, not only for the init that
// systemd put in the scope: a fork bomb stops at pids.max and the container
// runs on (it can be paused, resumed and killed).
TEST_F(SystemdCgroup, PidsLimitHoldsForTheContainersForks) {
    auto id = newId();
    json cfg = config({"probe", "forkbomb"});
    cfg["linux"]["resources"] = {{"pids", {{"limit", 16}}}};
    ASSERT_TRUE(createAndStartSd(id, bundle(id, cfg)));
    const std::string dir = dirOf(id);
    EXPECT_EQ(trim(readFile(dir + "/pids.max")), "16");
    EXPECT_TRUE(waitUntil([&] { return trim(readFile(dir + "/pids.current")) == "16"; }))
        << "pids.current " << readFile(dir + "/pids.current");
    EXPECT_TRUE(waitUntil([&] { return trim(readFile(dir + "/pids.events")) != "max 0"; }))
        << "forks refused: " << readFile(dir + "/pids.events");
    EXPECT_EQ(state(id).value("status", ""), "running");
    ASSERT_TRUE(rt({"pause", id}).ok());
    EXPECT_EQ(state(id).value("status", ""), "paused");
    ASSERT_TRUE(rt({"resume", id}).ok());
    EXPECT_EQ(state(id).value("status", ""), "running");
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    EXPECT_FALSE(exists(dir));
}

// The next container of the same cgroupsPath (a caller reusing an id) gets
// the unit name at once after delete: a fresh scope with its own limit, not
// the stopping one of the container before.
TEST_F(SystemdCgroup, UnitNameIsReusedByTheNextContainerAfterDelete) {
    auto id = newId();
    json cfg = config({"probe", "forkbomb"});
    cfg["linux"]["resources"] = {{"pids", {{"limit", 8}}}};
    const std::string dir = dirOf(id);
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        ASSERT_TRUE(createAndStartSd(id, bundle(id, cfg)));
        int pid = state(id).value("pid", 0);
        EXPECT_TRUE(contains(readFile(dir + "/cgroup.procs"), std::to_string(pid)));
        EXPECT_TRUE(waitUntil([&] { return trim(readFile(dir + "/pids.current")) == "8"; }))
            << "pids.current " << readFile(dir + "/pids.current");
        EXPECT_EQ(property(unitOf(id), "ActiveState"), "active");
        EXPECT_EQ(state(id).value("status", ""), "running");
        Result d = rt({"delete", "--force", id});
        ASSERT_TRUE(d.ok()) << d;
        EXPECT_FALSE(exists(dir));
    }
}

TEST_F(SystemdCgroup, DeleteStopsAndRemovesTheScope) {
    auto id = newId();
    ASSERT_TRUE(createAndStartSd(id, bundle(id, config({"sleep", kUntilEnded}))));
    ASSERT_TRUE(exists(dirOf(id)));
    // Without the flag: the driver is the container's, remembered from create.
    Result d = rt({"delete", "--force", id});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_FALSE(exists(dirOf(id)));
    Result show = systemctl({"show", "-P", "ActiveState", unitOf(id)});
    EXPECT_EQ(trim(show.out), "inactive");
    EXPECT_FALSE(
        contains(systemctl({"list-units", "--all", "--no-legend", unitOf(id)}).out, unitOf(id)));
}

TEST_F(SystemdCgroup, ExitedContainerIsDeletedCleanly) {
    auto id = newId();
    Result r = rt({"--systemd-cgroup", "run", "--bundle", bundle(id, config({"true"})), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_FALSE(exists(dirOf(id)));
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

TEST_F(SystemdCgroup, CgroupsPathNotSlicePrefixNameIsRefused) {
    auto id = newId();
    json cfg = config({"sleep", kUntilEnded});
    cfg["linux"]["cgroupsPath"] = "/minirunc-test/" + id;
    Result c = rt({"--systemd-cgroup", "create", "--bundle", makeBundle(id, cfg), id});
    EXPECT_FALSE(c.ok());
    EXPECT_TRUE(contains(c.err, "expected cgroupsPath to be of format \\\"slice:prefix:name\\\"") ||
                contains(c.err, "expected cgroupsPath to be of format \"slice:prefix:name\""))
        << c;
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

TEST_F(SystemdCgroup, AnnotationSetsAUnitProperty) {
    auto id = newId();
    json cfg = config({"sleep", kUntilEnded});
    cfg["annotations"] = {{"org.systemd.property.TimeoutStopUSec", "uint64 123456789"},
                          {"org.systemd.property.CollectMode", "'inactive-or-failed'"}};
    ASSERT_TRUE(createAndStartSd(id, bundle(id, cfg)));
    EXPECT_EQ(property(unitOf(id), "TimeoutStopUSec"), "2min 3.456789s");
    EXPECT_EQ(property(unitOf(id), "CollectMode"), "inactive-or-failed");
}

// A create killed after systemd made the unit but before state.json was
// written (simulated by removing it): delete --force finds the unit again
// from the frozen config, ends its processes and stops it.
TEST_F(SystemdCgroup, DeleteForceStopsTheUnitOfAContainerWithoutState) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's salvage of a lost state";
    auto id = newId();
    Result c = rt(
        {"--systemd-cgroup", "create", "--bundle", bundle(id, config({"sleep", kUntilEnded})), id});
    ASSERT_TRUE(c.ok()) << c;
    int pid = state(id).value("pid", 0);
    ASSERT_EQ(::unlink((stateRoot_ + "/" + id + "/state.json").c_str()), 0);
    Result d = rt({"delete", "--force", id});
    EXPECT_TRUE(d.ok()) << d;
    EXPECT_NE(property(unitOf(id), "ActiveState"), "active");
    EXPECT_FALSE(exists(dirOf(id)));
    for (int i = 0; i < 100 && processRunning(pid); ++i) ::usleep(20000);
    EXPECT_FALSE(processRunning(pid));
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

}  // namespace
}  // namespace minirunc::test
