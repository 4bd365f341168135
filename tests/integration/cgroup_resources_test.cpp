// linux.resources on this host's v1 controllers: every resource read back
// from the container's cgroup files, limits really enforced (an out-of-memory
// workload is killed, a fork bomb stops at pids.max), device rules in force,
// and what a v1 host cannot do refused with the config field named.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

class CgroupResources : public RuntimeTest {
  protected:
    // Creates a container whose process sleeps, with `resources`; returns its
    // cgroupsPath ("" and a failure when create fails).
    std::string createWith(const std::string& id, const json& resources, json cfg = nullptr) {
        if (cfg.is_null()) cfg = config({"probe", "sleep", kUntilEnded});
        cfg["linux"]["resources"] = resources;
        Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? cgroupPathFor(id) : "";
    }

    // create must fail, naming `pointer` (checked for minirunc: runc words it its own way).
    void expectCreateRefused(const json& resources, const std::string& pointer) {
        auto id = newId();
        json cfg = config();
        cfg["linux"]["resources"] = resources;
        Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
        EXPECT_NE(r.status, 0) << r;
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(r.err, "config.json: " + pointer)) << r;
        }
        EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state left behind";
    }

    static bool hasV1(const std::string& controller) { return !v1Mount(controller).empty(); }
};

TEST_F(CgroupResources, MemoryLimitsAreWrittenToTheMemoryCgroup) {
    if (!hasV1("memory")) GTEST_SKIP() << "no v1 memory hierarchy";
    bool memsw = exists(v1Mount("memory") + "/memory.memsw.limit_in_bytes");
    json memory = {{"limit", 64 << 20},
                   {"reservation", 32 << 20},
                   {"swappiness", 30},
                   {"disableOOMKiller", true}};
    if (memsw) memory["swap"] = 128 << 20;
    auto path = createWith(newId(), {{"memory", memory}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "memory.limit_in_bytes"), std::to_string(64 << 20));
    EXPECT_EQ(v1File(path, "memory.soft_limit_in_bytes"), std::to_string(32 << 20));
    if (memsw) {
        EXPECT_EQ(v1File(path, "memory.memsw.limit_in_bytes"), std::to_string(128 << 20));
    }
    EXPECT_EQ(v1File(path, "memory.swappiness"), "30");
    EXPECT_TRUE(contains(v1File(path, "memory.oom_control"), "oom_kill_disable 1"));
}

// Where the kernel still has the file, kernelTCP is written (as crun does);
// where it does not, create warns and goes on.
TEST_F(CgroupResources, KernelTcpIsWrittenWhereTheKernelHasTheFile) {
    if (!hasV1("memory")) GTEST_SKIP() << "no v1 memory hierarchy";
    if (runtimeName() == "runc") GTEST_SKIP() << "runc ignores kernelTCP (crun applies it)";
    const int64_t limit = 16 << 20;
    auto id = newId();
    json cfg = config({"probe", "sleep", "30"});
    cfg["linux"]["resources"] = {{"memory", {{"kernelTCP", limit}}}};
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    ASSERT_TRUE(r.ok()) << r;
    if (exists(v1Mount("memory") + "/memory.kmem.tcp.limit_in_bytes")) {
        EXPECT_EQ(v1File(cgroupPathFor(id), "memory.kmem.tcp.limit_in_bytes"),
                  std::to_string(limit));
    } else {
        EXPECT_TRUE(contains(r.err, "kernelTCP is ignored")) << r;
    }
}

TEST_F(CgroupResources, CpuLimitsAreWrittenToTheCpuCgroup) {
    if (!hasV1("cpu")) GTEST_SKIP() << "no v1 cpu hierarchy";
    json cpu = {{"shares", 512}, {"quota", 20000}, {"period", 50000}};
    bool burst = exists(v1Mount("cpu") + "/cpu.cfs_burst_us");
    if (burst) cpu["burst"] = 10000;
    auto path = createWith(newId(), {{"cpu", cpu}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "cpu.shares"), "512");
    EXPECT_EQ(v1File(path, "cpu.cfs_quota_us"), "20000");
    EXPECT_EQ(v1File(path, "cpu.cfs_period_us"), "50000");
    if (burst) {
        EXPECT_EQ(v1File(path, "cpu.cfs_burst_us"), "10000");
    }
}

// cpu.rt_period_us exists only in kernels with CONFIG_RT_GROUP_SCHED (not
// Debian's, nor those that leave it off by default): there the period is
// written, elsewhere create is refused naming the field (runc fails alike).
TEST_F(CgroupResources, RealtimePeriodIsWrittenOrRefusedWhereTheKernelLacksIt) {
    if (!hasV1("cpu")) GTEST_SKIP() << "no v1 cpu hierarchy";
    json resources = {{"cpu", {{"realtimePeriod", 500000}}}};
    if (!exists(v1Mount("cpu") + "/cpu.rt_period_us")) {
        expectCreateRefused(resources, "/linux/resources/cpu/realtimePeriod");
        return;
    }
    auto path = createWith(newId(), resources);
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "cpu.rt_period_us"), "500000");
}

// cpu.idle is Linux 5.15+: written where the kernel has it, else refused
// naming the field (runc 1.1.5 ignores the field either way).
TEST_F(CgroupResources, CpuIdleIsWrittenToTheCpuCgroup) {
    if (!hasV1("cpu")) GTEST_SKIP() << "no v1 cpu hierarchy";
    if (!exists(v1Mount("cpu") + "/cpu.idle")) {
        if (runtimeName() != "minirunc") GTEST_SKIP() << "no cpu.idle, which runc ignores";
        expectCreateRefused({{"cpu", {{"idle", 1}}}}, "/linux/resources/cpu");
        return;
    }
    auto path = createWith(newId(), {{"cpu", {{"idle", 1}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "cpu.idle"), "1");
}

TEST_F(CgroupResources, CpusetIsWrittenToTheCpusetCgroup) {
    if (!hasV1("cpuset")) GTEST_SKIP() << "no v1 cpuset hierarchy";
    const std::string cpu = firstAllowedCpu(), node = firstAllowedMemoryNode();
    auto path = createWith(newId(), {{"cpu", {{"cpus", cpu}, {"mems", node}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "cpuset.cpus"), cpu);
    EXPECT_EQ(v1File(path, "cpuset.mems"), node);
}

TEST_F(CgroupResources, PidsLimitIsWrittenToThePidsCgroup) {
    if (!hasV1("pids")) GTEST_SKIP() << "no v1 pids hierarchy";
    auto path = createWith(newId(), {{"pids", {{"limit", 42}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "pids.max"), "42");
}

TEST_F(CgroupResources, BlockIoThrottlesAreWrittenToTheBlkioCgroup) {
    if (!hasV1("blkio")) GTEST_SKIP() << "no v1 blkio hierarchy";
    std::string dev = hostBlockDevice();
    if (dev.empty()) GTEST_SKIP() << "no block device";
    int major = std::stoi(dev.substr(0, dev.find(':')));
    int minor = std::stoi(dev.substr(dev.find(':') + 1));
    auto throttle = [&](int rate) {
        return json::array({{{"major", major}, {"minor", minor}, {"rate", rate}}});
    };
    // The throttle files need CONFIG_BLK_DEV_THROTTLING: without them create says so.
    if (!exists(v1Mount("blkio") + "/blkio.throttle.read_bps_device")) {
        expectCreateRefused({{"blockIO", {{"throttleReadBpsDevice", throttle(1048576)}}}},
                            "/linux/resources/blockIO/throttleReadBpsDevice");
        return;
    }
    auto path = createWith(newId(), {{"blockIO",
                                      {{"throttleReadBpsDevice", throttle(1048576)},
                                       {"throttleWriteBpsDevice", throttle(2097152)},
                                       {"throttleReadIOPSDevice", throttle(100)},
                                       {"throttleWriteIOPSDevice", throttle(200)}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "blkio.throttle.read_bps_device"), dev + " 1048576");
    EXPECT_EQ(v1File(path, "blkio.throttle.write_bps_device"), dev + " 2097152");
    EXPECT_EQ(v1File(path, "blkio.throttle.read_iops_device"), dev + " 100");
    EXPECT_EQ(v1File(path, "blkio.throttle.write_iops_device"), dev + " 200");
}

// Which weight file a blkio cgroup has depends on the block devices' I/O
// schedulers (CFQ: blkio.weight, BFQ: blkio.bfq.weight, mq-deadline/kyber/none:
// neither), so both outcomes are the contract: the weight written where the
// kernel has a file, a refusal naming the field where it has none.
TEST_F(CgroupResources, BlkioWeightIsWrittenToTheWeightFileTheKernelHasOrRefused) {
    std::string mount = v1Mount("blkio");
    if (mount.empty()) GTEST_SKIP() << "no v1 blkio hierarchy";
    // What a new blkio cgroup offers (the weight files are not on the root).
    std::string probe = mount + "/minirunc-weight-probe-" + std::to_string(getpid());
    ASSERT_EQ(mkdir(probe.c_str(), 0755), 0) << probe << ": " << strerror(errno);
    const bool cfq = exists(probe + "/blkio.weight");
    const bool bfq = exists(probe + "/blkio.bfq.weight");
    rmdir(probe.c_str());

    auto id = newId();
    json cfg = config({"probe", "sleep", kUntilEnded});
    cfg["linux"]["resources"] = {{"blockIO", {{"weight", 300}}}};
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    std::string dir = mount + cgroupPathFor(id);
    if (cfq || bfq) {
        ASSERT_TRUE(r.ok()) << r;
        std::string file = cfq ? "blkio.weight" : "blkio.bfq.weight";
        // CFQ reads back "300", BFQ "default 300".
        EXPECT_TRUE(contains(readFile(dir + "/" + file), "300"))
            << file << ": " << readFile(dir + "/" + file);
        return;
    }
    std::cout
        << "[ INFO     ] no blkio weight file (no CFQ or BFQ scheduler): expecting a refusal\n";
    EXPECT_NE(r.status, 0) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "config.json: /linux/resources/blockIO/weight")) << r;
    }
    EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state left behind";
    EXPECT_FALSE(exists(dir)) << "cgroup left behind";
}

TEST_F(CgroupResources, HugepageLimitIsWrittenToTheHugetlbCgroup) {
    if (!hasV1("hugetlb")) GTEST_SKIP() << "no v1 hugetlb hierarchy";
    if (!exists(v1Mount("hugetlb") + "/hugetlb.2MB.limit_in_bytes"))
        GTEST_SKIP() << "no 2MB huge pages on this machine";
    auto path =
        createWith(newId(), {{"hugepageLimits", {{{"pageSize", "2MB"}, {"limit", 4194304}}}}});
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "hugetlb.2MB.limit_in_bytes"), "4194304");
}

TEST_F(CgroupResources, HugepageLimitWithoutAHugetlbHierarchyIsRefusedNamingTheField) {
    if (hasV1("hugetlb") || v1Mount("memory").empty())
        GTEST_SKIP() << "not a v1 host without hugetlb";
    expectCreateRefused({{"hugepageLimits", {{{"pageSize", "2MB"}, {"limit", 4194304}}}}},
                        "/linux/resources/hugepageLimits");
}

// Not every v1 host mounts net_cls: written where it is mounted, else create
// is refused naming the field (runc fails too).
TEST_F(CgroupResources, NetworkClassIdIsWrittenToTheNetClsCgroup) {
    json network = {{"network", {{"classID", 1048577}}}};
    if (!hasV1("net_cls")) {
        if (!hasV1("memory")) GTEST_SKIP() << "not a v1 host";
        expectCreateRefused(network, "/linux/resources/network/classID");
        return;
    }
    auto path = createWith(newId(), network);
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(v1File(path, "net_cls.classid"), "1048577");
}

TEST_F(CgroupResources, UnifiedOnCgroupV1IsRefusedNamingTheField) {
    if (!hasV1("memory")) GTEST_SKIP() << "not a v1 host";
    expectCreateRefused({{"unified", {{"memory.high", "1000000"}}}}, "/linux/resources/unified");
}

TEST_F(CgroupResources, SwapBelowTheMemoryLimitIsRefusedNamingTheField) {
    if (!hasV1("memory")) GTEST_SKIP() << "no v1 memory hierarchy";
    expectCreateRefused({{"memory", {{"limit", 64 << 20}, {"swap", 32 << 20}}}},
                        "/linux/resources/memory");
}

TEST_F(CgroupResources, DeviceRulesAreWrittenToTheDevicesCgroup) {
    if (!hasV1("devices")) GTEST_SKIP() << "no v1 devices hierarchy";
    json devices = {
        {{"allow", false}, {"access", "rwm"}},
        {{"allow", true}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"access", "rw"}}};
    auto path = createWith(newId(), {{"devices", devices}});
    ASSERT_FALSE(path.empty());
    auto list = splitLines(readFile(v1Mount("devices") + path + "/devices.list"));
    for (const char* rule : {"c 10:229 rw", "c 1:3 rwm", "c 1:5 rwm", "c 1:9 rwm", "c 5:2 rwm",
                             "c 136:* rwm", "c *:* m", "b *:* m"})
        EXPECT_NE(std::find(list.begin(), list.end(), rule), list.end()) << rule;
    EXPECT_EQ(std::find(list.begin(), list.end(), "a *:* rwm"), list.end()) << "all allowed";
}

TEST_F(CgroupResources, DeviceAccessIsOnlyWhatTheRulesAllow) {
    if (!hasV1("devices")) GTEST_SKIP() << "no v1 devices hierarchy";
    if (!hostHasFuse()) GTEST_SKIP() << "no fuse driver in this kernel: /dev/fuse cannot open";
    Result denied = runProbe(withFuseDevice(config({"sh", "-c", kOpenFuseScript}), false));
    ASSERT_TRUE(denied.ok()) << denied;
    EXPECT_EQ(denied.out, "denied\n");
    Result allowed = runProbe(withFuseDevice(config({"sh", "-c", kOpenFuseScript}), true));
    ASSERT_TRUE(allowed.ok()) << allowed;
    EXPECT_EQ(allowed.out, "open-ok\n");
}

TEST_F(CgroupResources, MemoryLimitKillsAMemoryHungryWorkload) {
    if (!hasV1("memory")) GTEST_SKIP() << "no v1 memory hierarchy";
    json cfg = config({"probe", "alloc", "256"});
    // Swappiness 0: with swap on and no swap accounting the limit would
    // otherwise push the workload out to swap rather than kill it.
    json memory = {{"limit", 32 << 20}, {"swappiness", 0}};
    if (exists(v1Mount("memory") + "/memory.memsw.limit_in_bytes")) memory["swap"] = 32 << 20;
    cfg["linux"]["resources"]["memory"] = memory;
    Result r = runProbe(cfg, {.timeout = 60s});
    EXPECT_EQ(r.status, 128 + 9) << r;
    EXPECT_FALSE(contains(r.out, "allocated")) << r;
    auto lines = splitLines(r.out);
    ASSERT_FALSE(lines.empty()) << r;
    EXPECT_LT(std::stoi(lines.back()), 32) << "allocated past the limit";
}

TEST_F(CgroupResources, ForkBombStopsAtPidsMaxAndDeleteForceEndsIt) {
    if (!hasV1("pids")) GTEST_SKIP() << "no v1 pids hierarchy";
    auto id = newId();
    json cfg = config({"probe", "forkbomb"});
    cfg["linux"]["resources"] = {{"pids", {{"limit", 16}}},
                                 {"cpu", {{"quota", 20000}, {"period", 100000}}}};
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, cfg), id}).ok());
    const std::string path = cgroupPathFor(id);
    // Only ever started with the limit in place.
    ASSERT_EQ(v1File(path, "pids.max"), "16");
    ASSERT_TRUE(rt({"start", id}).ok());
    EXPECT_TRUE(waitUntil([&] { return v1File(path, "pids.current") == "16"; }, 10s))
        << "pids.current " << v1File(path, "pids.current");
    for (int i = 0; i < 30; ++i) {
        EXPECT_LE(std::stoi(v1File(path, "pids.current")), 16);
        usleep(10 * 1000);
    }
    std::string events = v1File(path, "pids.events");
    if (!events.empty()) {
        EXPECT_NE(events, "max 0") << "no fork was refused";
    }
    Result d = rt({"delete", "--force", id}, {.timeout = 30s});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_FALSE(exists(v1Mount("pids") + path));
}

}  // namespace
}  // namespace minirunc::test
