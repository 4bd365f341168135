// The cgroup2 paths on this hybrid host: `create` (or `run`) runs in a private
// mount namespace where the v1 hierarchies are unmounted, so the runtime sees
// a host with cgroup v2 only and puts the container in the cgroup2 mount
// alone. Then freeze (cgroup.freeze, cgroup.events), kill --all, ps, events
// and the device filter program (BPF_PROG_TYPE_CGROUP_DEVICE) are what a v2
// host gets. The controllers of the cgroup2 mount here are not delegated, so
// limits themselves are left to the v2 test lane.
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

class Cgroup2 : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        // runc decides its cgroup driver from /sys/fs/cgroup itself: the
        // namespace trick only shows minirunc a v2 host.
        if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's cgroup detection only";
        if (v2Mount().empty()) GTEST_SKIP() << "no cgroup2 mount";
        if (!exists("/usr/bin/unshare") && !exists("/bin/unshare")) GTEST_SKIP() << "no unshare";
    }

    // The runtime as rt() runs it, but seeing cgroup v2 only.
    Result rtV2(const std::vector<std::string>& args, const RunOptions& options = {}) {
        std::vector<std::string> argv = {runtimePath(), "--root", stateRoot_};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(withCgroup2Only(argv), options);
    }

    // Creates and starts on the cgroup2 mount; skips when this kernel's
    // cgroup2 cannot freeze.
    bool startV2(const std::string& id, const json& cfg, const std::string& out = "") {
        RunOptions options;
        options.stdout_path = out;
        Result c = rtV2({"create", "--bundle", makeBundle(id, cfg), id}, options);
        if (!c.ok()) {
            ADD_FAILURE() << c;
            return false;
        }
        Result s = rt({"start", id});
        if (!s.ok()) ADD_FAILURE() << s;
        return s.ok();
    }

    std::string dir(const std::string& id) { return v2Mount() + cgroupPathFor(id); }
};

TEST_F(Cgroup2, ContainerIsOnlyInTheCgroup2Hierarchy) {
    auto id = newId();
    ASSERT_TRUE(startV2(id, config()));
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(contains(readFile(dir(id) + "/cgroup.procs"), std::to_string(pid)));
    for (const auto& line : splitLines(readFile("/proc/" + std::to_string(pid) + "/cgroup"))) {
        if (line.rfind("0::", 0) == 0) continue;
        EXPECT_FALSE(contains(line, cgroupPathFor(id))) << line << ": placed in a v1 hierarchy";
    }
}

TEST_F(Cgroup2, PauseAndResumeUseCgroupFreeze) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startV2(id,
                        config({"sh", "-c",
                                "i=0; while true; do i=$((i+1)); echo $i; "
                                "usleep 10000; done"}),
                        out));
    if (!exists(dir(id) + "/cgroup.freeze")) GTEST_SKIP() << "no cgroup.freeze";
    ASSERT_TRUE(waitUntil([&] { return readFile(out).size() > 4; }));
    Result p = rt({"pause", id});
    ASSERT_TRUE(p.ok()) << p;
    EXPECT_EQ(trim(readFile(dir(id) + "/cgroup.freeze")), "1");
    EXPECT_TRUE(contains(readFile(dir(id) + "/cgroup.events"), "frozen 1"));
    EXPECT_EQ(state(id).value("status", ""), "paused");
    size_t before = readFile(out).size();
    usleep(200 * 1000);
    EXPECT_EQ(readFile(out).size(), before) << "the counter went on while paused";
    Result r = rt({"resume", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(readFile(dir(id) + "/cgroup.events"), "frozen 0"));
    EXPECT_EQ(state(id).value("status", ""), "running");
    EXPECT_TRUE(waitUntil([&] { return readFile(out).size() > before; }));
}

TEST_F(Cgroup2, KillAllEndsEveryProcessOfTheCgroup) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startV2(
        id,
        config({"sh", "-c", "echo started; while true; do probe sleep 100000 & usleep 2000; done"}),
        out));
    ASSERT_TRUE(waitForFile(out, "started"));
    usleep(100 * 1000);
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_TRUE(waitUntil([&] { return trim(readFile(dir(id) + "/cgroup.procs")).empty(); }))
        << readFile(dir(id) + "/cgroup.procs");
}

TEST_F(Cgroup2, PsListsTheProcessesOfTheCgroup) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(startV2(id, config({"sh", "-c", "probe sleep 100000 & echo started; wait"}), out));
    ASSERT_TRUE(waitForFile(out, "started"));
    Result r = rt({"ps", "--format", "json", id});
    ASSERT_TRUE(r.ok()) << r;
    json pids = parseJson(r.out);
    EXPECT_EQ(pids.size(), 2u) << r.out;
}

TEST_F(Cgroup2, EventsStatsReadsTheCgroup2Files) {
    auto id = newId();
    ASSERT_TRUE(startV2(id, config()));
    Result r = rt({"events", "--stats", id});
    ASSERT_TRUE(r.ok()) << r;
    json e = parseJson(r.out);
    EXPECT_EQ(e.value("type", ""), "stats");
    // cpu.stat is there without any controller.
    EXPECT_GT(e["data"]["cpu"]["usage"].value("total", 0ULL), 0u) << r.out;
}

TEST_F(Cgroup2, DeviceFilterProgramAllowsOnlyTheRulesDevices) {
    if (!hostHasFuse()) GTEST_SKIP() << "no fuse driver in this kernel: /dev/fuse cannot open";
    for (bool allow : {false, true}) {
        auto id = newId();
        Result r = rtV2(
            {"run", "--bundle",
             makeBundle(id, withFuseDevice(config({"sh", "-c", kOpenFuseScript}), allow)), id});
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(r.out, allow ? "open-ok\n" : "denied\n") << "allow=" << allow;
    }
}

TEST_F(Cgroup2, DeviceRulesAlwaysIncludeTheDefaults) {
    auto id = newId();
    json cfg = config({"sh", "-c", "echo x > /dev/null && head -c 1 /dev/zero | wc -c"});
    cfg["linux"]["resources"]["devices"] = {{{"allow", false}, {"access", "rwm"}}};
    Result r = rtV2({"run", "--bundle", makeBundle(id, cfg), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), "1");
}

TEST_F(Cgroup2, CreateRefusesACgroupWhoseCgroupFreezeIsSet) {
    auto id = newId();
    std::string path = "/minirunc-frozen-" + id;
    std::string frozen = v2Mount() + path;
    ASSERT_EQ(mkdir(frozen.c_str(), 0755), 0) << frozen;
    if (!exists(frozen + "/cgroup.freeze")) {
        rmdir(frozen.c_str());
        GTEST_SKIP() << "no cgroup.freeze on this kernel";
    }
    writeFile(frozen + "/cgroup.freeze", "1");
    json cfg = config({"probe", "sleep", "1000"});
    cfg["linux"]["cgroupsPath"] = path;
    Result r = rtV2({"run", "-d", "--bundle", makeBundle(id, cfg), id});
    writeFile(frozen + "/cgroup.freeze", "0");
    rmdir(frozen.c_str());
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(r.timed_out) << "create waited on the frozen init";
    EXPECT_TRUE(contains(r.err, "container's cgroup unexpectedly frozen")) << r;
    EXPECT_NE(rt({"state", id}).status, 0) << "a refused create leaves nothing";
}

}  // namespace
}  // namespace minirunc::test
