// linux.resources on a host with cgroup v2 only (the VM lane,
// tests/vm/run-in-vm.sh; skipped elsewhere): every resource read back from
// the container's cgroup2 files with runc's v1 -> v2 conversions, limits
// enforced (OOM kill and its event, a fork bomb at pids.max, device rules
// through the BPF program), pause/resume through cgroup.freeze, kill --all
// through cgroup.kill, events --stats, update, and the cgroup removed on delete.
#include <unistd.h>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

class CgroupV2Resources : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (!pureCgroupV2()) GTEST_SKIP() << "not a cgroup v2 only host (see tests/vm)";
    }

    // Creates a container whose process sleeps, with `resources`; returns its
    // cgroupsPath ("" and a failure when create fails).
    std::string createWith(const std::string& id, const json& resources, json cfg = nullptr) {
        if (cfg.is_null()) cfg = config({"probe", "sleep", kUntilEnded});
        cfg["linux"]["resources"] = resources;
        Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? cgroupPathFor(id) : "";
    }

    // A running container with memory 64 MiB, pids 50, cpu shares 512.
    std::string startLimited(const std::vector<std::string>& args = {"probe", "sleep",
                                                                     kUntilEnded}) {
        auto id = newId();
        json cfg = config(args);
        cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}},
                                     {"pids", {{"limit", 50}}},
                                     {"cpu", {{"shares", 512}}}};
        EXPECT_TRUE(createAndStart(id, makeBundle(id, cfg), tmp_ + "/" + id + ".out"));
        return id;
    }

    static std::string file(const std::string& id, const std::string& name) {
        return v2File(cgroupPathFor(id), name);
    }
    static std::string dir(const std::string& id) { return v2Mount() + cgroupPathFor(id); }
    static bool rootHas(const std::string& controller) {
        return contains(" " + trim(readFile(v2Mount() + "/cgroup.controllers")) + " ",
                        " " + controller + " ");
    }
};

TEST_F(CgroupV2Resources, MemoryLimitReservationAndSwapGoToMemoryMaxLowAndSwapMax) {
    auto id = newId();
    // v1's memory+swap total becomes v2's swap alone: 128 MiB - 64 MiB.
    auto path = createWith(
        id, {{"memory", {{"limit", 64 << 20}, {"reservation", 32 << 20}, {"swap", 128 << 20}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(file(id, "memory.max"), std::to_string(64 << 20));
    EXPECT_EQ(file(id, "memory.low"), std::to_string(32 << 20));
    if (exists(dir(id) + "/memory.swap.max")) {
        EXPECT_EQ(file(id, "memory.swap.max"), std::to_string(64 << 20));
    }
}

TEST_F(CgroupV2Resources, SwapEqualToTheLimitMeansNoSwapAndMinusOneNoLimit) {
    auto none = newId();
    ASSERT_FALSE(createWith(none, {{"memory", {{"limit", 64 << 20}, {"swap", 64 << 20}}}}).empty());
    if (!exists(dir(none) + "/memory.swap.max")) GTEST_SKIP() << "no swap accounting";
    EXPECT_EQ(file(none, "memory.swap.max"), "0");
    auto unlimited = newId();
    ASSERT_FALSE(createWith(unlimited, {{"memory", {{"limit", 64 << 20}, {"swap", -1}}}}).empty());
    EXPECT_EQ(file(unlimited, "memory.swap.max"), "max");
    EXPECT_EQ(file(unlimited, "memory.max"), std::to_string(64 << 20));
}

TEST_F(CgroupV2Resources, MemoryLimitKillsAMemoryHungryWorkloadAndCountsIt) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    json cfg = config({"sh", "-c", "probe alloc 256 >/dev/null; echo status $?; sleep 30"});
    cfg["linux"]["resources"] = {{"memory", {{"limit", 32 << 20}, {"swap", 32 << 20}}}};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg), out));
    ASSERT_TRUE(waitForFile(out, "status", 30s)) << readFile(out);
    EXPECT_EQ(trim(readFile(out)), "status 137");
    EXPECT_TRUE(contains(file(id, "memory.events"), "oom_kill 1")) << file(id, "memory.events");
}

TEST_F(CgroupV2Resources, OutOfMemoryKillIsReportedAsAnOomEvent) {
    auto id = newId();
    json cfg = config({"sh", "-c", "sleep 1; probe alloc 256 >/dev/null; sleep 1"});
    cfg["linux"]["resources"] = {{"memory", {{"limit", 32 << 20}, {"swap", 32 << 20}}}};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    Result r = rt({"events", "--interval", "1h", id}, {.timeout = 30s});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_FALSE(lines.empty()) << r;
    EXPECT_EQ(parseJson(lines[0]).dump(), json({{"type", "oom"}, {"id", id}}).dump()) << r;
}

TEST_F(CgroupV2Resources, CpuSharesBecomeCpuWeightAndQuotaCpuMax) {
    auto id = newId();
    json cpu = {{"shares", 512}, {"quota", 20000}, {"period", 50000}};
    auto path = createWith(id, {{"cpu", cpu}});
    ASSERT_FALSE(path.empty());
    bool burst = exists(dir(id) + "/cpu.max.burst");
    // runc: weight = 1 + (shares - 2) * 9999 / 262142.
    EXPECT_EQ(file(id, "cpu.weight"), "20");
    EXPECT_EQ(file(id, "cpu.max"), "20000 50000");
    if (burst) {
        auto withBurst = newId();
        cpu["burst"] = 10000;
        ASSERT_FALSE(createWith(withBurst, {{"cpu", cpu}}).empty());
        EXPECT_EQ(file(withBurst, "cpu.max.burst"), "10000");
    }
}

TEST_F(CgroupV2Resources, QuotaMinusOneIsUnlimitedCpuMax) {
    auto id = newId();
    ASSERT_FALSE(createWith(id, {{"cpu", {{"quota", -1}, {"period", 50000}}}}).empty());
    EXPECT_EQ(file(id, "cpu.max"), "max 50000");
}

TEST_F(CgroupV2Resources, CpuIdleIsWrittenToCpuIdle) {
    auto id = newId();
    auto path = createWith(id, {{"cpu", {{"idle", 1}}}});
    ASSERT_FALSE(path.empty());
    if (!exists(dir(id) + "/cpu.idle")) GTEST_SKIP() << "no cpu.idle";
    EXPECT_EQ(file(id, "cpu.idle"), "1");
}

TEST_F(CgroupV2Resources, RealtimeCpuLimitsAreRefused) {
    // runc 1.1 ignores them on v2.
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc refuses what v2 cannot do";
    auto id = newId();
    json cfg = config();
    cfg["linux"]["resources"] = {{"cpu", {{"realtimePeriod", 500000}}}};
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state left behind";
}

TEST_F(CgroupV2Resources, CpusetIsWrittenToCpusetCpusAndMems) {
    if (!rootHas("cpuset")) GTEST_SKIP() << "no cpuset controller";
    auto id = newId();
    const std::string cpu = firstAllowedCpu(), node = firstAllowedMemoryNode();
    ASSERT_FALSE(createWith(id, {{"cpu", {{"cpus", cpu}, {"mems", node}}}}).empty());
    EXPECT_EQ(file(id, "cpuset.cpus"), cpu);
    EXPECT_EQ(file(id, "cpuset.mems"), node);
    EXPECT_EQ(file(id, "cpuset.cpus.effective"), cpu);
}

TEST_F(CgroupV2Resources, ForkBombStopsAtPidsMaxAndDeleteForceEndsIt) {
    auto id = newId();
    json cfg = config({"probe", "forkbomb"});
    cfg["linux"]["resources"] = {{"pids", {{"limit", 16}}},
                                 {"cpu", {{"quota", 20000}, {"period", 100000}}}};
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, cfg), id}).ok());
    // Only ever started with the limit in place.
    ASSERT_EQ(file(id, "pids.max"), "16");
    ASSERT_TRUE(rt({"start", id}).ok());
    EXPECT_TRUE(waitUntil([&] { return file(id, "pids.current") == "16"; }, 20s))
        << "pids.current " << file(id, "pids.current");
    EXPECT_TRUE(waitUntil([&] { return file(id, "pids.events") != "max 0"; }, 10s))
        << "no fork was refused";
    Result d = rt({"delete", "--force", id}, {.timeout = 30s});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_FALSE(exists(dir(id)));
}

TEST_F(CgroupV2Resources, BlkioWeightGoesToBfqOrConvertedToIoWeight) {
    if (!rootHas("io")) GTEST_SKIP() << "no io controller";
    auto id = newId();
    json cfg = config();
    cfg["linux"]["resources"] = {{"blockIO", {{"weight", 300}}}};
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    if (!r.ok() && !exists(v2Mount() + cgroupPathFor(id))) {
        // Neither io.bfq.weight nor io.weight (no BFQ, no iocost): nothing to check.
        ASSERT_TRUE(contains(r.err, "io.weight")) << r;
        GTEST_SKIP() << "no weight file in this kernel";
    }
    ASSERT_TRUE(r.ok()) << r;
    if (exists(dir(id) + "/io.bfq.weight")) {
        EXPECT_TRUE(contains(file(id, "io.bfq.weight"), "default 300"))
            << file(id, "io.bfq.weight");
    } else {
        // runc: 1 + (weight - 10) * 9999 / 990.
        EXPECT_EQ(file(id, "io.weight"), "default 2930");
    }
}

TEST_F(CgroupV2Resources, BlockIoThrottlesAreWrittenToIoMax) {
    if (!rootHas("io")) GTEST_SKIP() << "no io controller";
    std::string dev = hostBlockDevice();
    if (dev.empty()) GTEST_SKIP() << "no block device";
    int major = std::stoi(dev.substr(0, dev.find(':')));
    int minor = std::stoi(dev.substr(dev.find(':') + 1));
    auto throttle = [&](int rate) {
        return json::array({{{"major", major}, {"minor", minor}, {"rate", rate}}});
    };
    auto id = newId();
    ASSERT_FALSE(createWith(id, {{"blockIO",
                                  {{"throttleReadBpsDevice", throttle(1048576)},
                                   {"throttleWriteBpsDevice", throttle(2097152)},
                                   {"throttleReadIOPSDevice", throttle(100)},
                                   {"throttleWriteIOPSDevice", throttle(200)}}}})
                     .empty());
    EXPECT_EQ(file(id, "io.max"), dev + " rbps=1048576 wbps=2097152 riops=100 wiops=200");
}

TEST_F(CgroupV2Resources, HugepageLimitGoesToHugetlbMaxAndRsvdMax) {
    if (!rootHas("hugetlb")) GTEST_SKIP() << "no hugetlb controller";
    auto id = newId();
    ASSERT_FALSE(
        createWith(id, {{"hugepageLimits", {{{"pageSize", "2MB"}, {"limit", 4194304}}}}}).empty());
    EXPECT_EQ(file(id, "hugetlb.2MB.max"), "4194304");
    // As runc 1.2 (1.1 leaves the reservation limit unset).
    if (runtimeName() == "minirunc" && exists(dir(id) + "/hugetlb.2MB.rsvd.max")) {
        EXPECT_EQ(file(id, "hugetlb.2MB.rsvd.max"), "4194304");
    }
}

TEST_F(CgroupV2Resources, UnifiedFilesAreWrittenVerbatim) {
    auto id = newId();
    ASSERT_FALSE(createWith(id, {{"unified",
                                  {{"memory.high", std::to_string(48 << 20)},
                                   {"pids.max", "23"},
                                   {"cgroup.max.descendants", "5"}}}})
                     .empty());
    EXPECT_EQ(file(id, "memory.high"), std::to_string(48 << 20));
    EXPECT_EQ(file(id, "pids.max"), "23");
    EXPECT_EQ(file(id, "cgroup.max.descendants"), "5");
}

TEST_F(CgroupV2Resources, UnifiedFileOfNoControllerIsRefused) {
    auto id = newId();
    json cfg = config();
    cfg["linux"]["resources"] = {{"unified", {{"nosuch.max", "1"}}}};
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state left behind";
    EXPECT_FALSE(exists(dir(id))) << "cgroup left behind";
}

TEST_F(CgroupV2Resources, ContainerSeesItsOwnLimitsThroughItsCgroupNamespace) {
    json cfg = config({"cat", "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/pids.max"});
    bool cgroupns = false;
    for (const auto& ns : cfg["linux"]["namespaces"]) cgroupns = cgroupns || ns["type"] == "cgroup";
    if (!cgroupns) cfg["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}, {"pids", {{"limit", 30}}}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, std::to_string(64 << 20) + "\n30\n");
}

TEST_F(CgroupV2Resources, PauseAndResumeUseCgroupFreeze) {
    auto id =
        startLimited({"sh", "-c", "i=0; while true; do i=$((i+1)); echo $i; usleep 10000; done"});
    std::string out = tmp_ + "/" + id + ".out";
    ASSERT_TRUE(waitUntil([&] { return readFile(out).size() > 4; }));
    Result p = rt({"pause", id});
    ASSERT_TRUE(p.ok()) << p;
    EXPECT_EQ(file(id, "cgroup.freeze"), "1");
    EXPECT_TRUE(contains(file(id, "cgroup.events"), "frozen 1"));
    EXPECT_EQ(state(id).value("status", ""), "paused");
    size_t before = readFile(out).size();
    usleep(300 * 1000);
    EXPECT_EQ(readFile(out).size(), before) << "the counter went on while paused";
    Result r = rt({"resume", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "cgroup.freeze"), "0");
    EXPECT_TRUE(contains(file(id, "cgroup.events"), "frozen 0"));
    EXPECT_EQ(state(id).value("status", ""), "running");
    EXPECT_TRUE(waitUntil([&] { return readFile(out).size() > before; }));
}

TEST_F(CgroupV2Resources, KillAllOfAPausedForkingContainerEmptiesTheCgroup) {
    auto id = startLimited(
        {"sh", "-c", "echo started; while true; do probe sleep 100000 & usleep 2000; done"});
    ASSERT_TRUE(waitForFile(tmp_ + "/" + id + ".out", "started"));
    usleep(100 * 1000);
    ASSERT_TRUE(rt({"pause", id}).ok());
    Result k = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(k.ok()) << k;
    EXPECT_TRUE(waitForStatus(id, "stopped", 60s));
    EXPECT_TRUE(waitUntil([&] { return file(id, "cgroup.procs").empty(); }))
        << file(id, "cgroup.procs");
}

TEST_F(CgroupV2Resources, EventsStatsReportTheLimitsAndUsage) {
    auto id = startLimited();
    Result r = rt({"events", "--stats", id});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 1u) << r;
    json e = parseJson(lines[0]);
    EXPECT_EQ(e.value("type", ""), "stats");
    EXPECT_EQ(e.value("id", ""), id);
    const json& data = e["data"];
    EXPECT_GT(data["cpu"]["usage"].value("total", 0ULL), 0u) << data["cpu"].dump();
    const json& usage = data["memory"]["usage"];
    EXPECT_EQ(usage.value("limit", 0ULL), 64ULL << 20) << usage.dump();
    EXPECT_GT(usage.value("usage", 0ULL), 0u) << usage.dump();
    EXPECT_TRUE(data["memory"].contains("raw")) << data["memory"].dump();
    EXPECT_GE(data["pids"].value("current", 0), 1) << data["pids"].dump();
    EXPECT_EQ(data["pids"].value("limit", 0), 50) << data["pids"].dump();
}

TEST_F(CgroupV2Resources, UpdateFlagsAreConvertedAndWritten) {
    auto id = startLimited();
    const std::string cpu = firstAllowedCpu();
    Result r = rt({"update", "--memory", "128m", "--memory-swap", "256m", "--memory-reservation",
                   "32m", "--pids-limit", "80", "--cpu-share", "256", "--cpu-period", "60000",
                   "--cpu-quota", "30000", "--cpuset-cpus", cpu, id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "memory.max"), std::to_string(128 << 20));
    if (exists(dir(id) + "/memory.swap.max")) {
        EXPECT_EQ(file(id, "memory.swap.max"), std::to_string(128 << 20));
    }
    EXPECT_EQ(file(id, "memory.low"), std::to_string(32 << 20));
    EXPECT_EQ(file(id, "pids.max"), "80");
    EXPECT_EQ(file(id, "cpu.weight"), "10");
    EXPECT_EQ(file(id, "cpu.max"), "30000 60000");
    if (rootHas("cpuset")) {
        EXPECT_EQ(file(id, "cpuset.cpus"), cpu);
    }
    Result unlimited =
        rt({"update", "--memory", "-1", "--memory-swap", "-1", "--pids-limit", "-1", id});
    ASSERT_TRUE(unlimited.ok()) << unlimited;
    EXPECT_EQ(file(id, "memory.max"), "max");
    EXPECT_EQ(file(id, "pids.max"), "max");
}

TEST_F(CgroupV2Resources, UpdateFromAResourcesFileIgnoresTheFlags) {
    auto id = startLimited();
    std::string path = tmp_ + "/resources.json";
    writeFile(path, json({{"memory", {{"limit", 96 << 20}}},
                          {"unified", {{"memory.high", std::to_string(80 << 20)}}}})
                        .dump());
    Result r = rt({"update", "-r", path, "--pids-limit", "5", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "memory.max"), std::to_string(96 << 20));
    EXPECT_EQ(file(id, "memory.high"), std::to_string(80 << 20));
    EXPECT_EQ(file(id, "pids.max"), "50") << "a flag was applied along with --resources";
}

TEST_F(CgroupV2Resources, DeviceAccessIsOnlyWhatTheRulesAllow) {
    if (!hostHasFuse()) GTEST_SKIP() << "no fuse driver in this kernel: /dev/fuse cannot open";
    for (bool allow : {false, true}) {
        Result r = runProbe(withFuseDevice(config({"sh", "-c", kOpenFuseScript}), allow));
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(r.out, allow ? "open-ok\n" : "denied\n") << "allow=" << allow;
    }
}

TEST_F(CgroupV2Resources, DefaultDevicesStayUsableUnderDenyAll) {
    json cfg = config({"sh", "-c", "echo x > /dev/null && head -c 1 /dev/zero | wc -c"});
    cfg["linux"]["resources"]["devices"] = {{{"allow", false}, {"access", "rwm"}}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), "1");
}

// On v2 the init is created in its cgroup by clone3(CLONE_INTO_CGROUP), so
// it never runs in the runtime's cgroup and needs no migration.
TEST_F(CgroupV2Resources, InitIsCreatedInsideItsCgroup) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's debug log";
    auto id = newId();
    Result r = rt({"--debug", "create", "--bundle", makeBundle(id, config()), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "CLONE_INTO_CGROUP")) << r;
    std::string pid = std::to_string(state(id).value("pid", 0));
    EXPECT_EQ(trim(readFile("/proc/" + pid + "/cgroup")), "0::" + cgroupPathFor(id));
    EXPECT_TRUE(contains(readFile(dir(id) + "/cgroup.procs"), pid));
}

TEST_F(CgroupV2Resources, ContainerCgroupIsRemovedOnDelete) {
    auto id = startLimited();
    ASSERT_TRUE(exists(dir(id)));
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result d = rt({"delete", id});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_FALSE(exists(dir(id)));
}

}  // namespace
}  // namespace minirunc::test
