#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/cgroup_resource_fields.hpp"
#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

// "controller/file=value", with a trailing " (retried)" when EINVAL is tolerated.
Strings lines(const std::vector<CgroupWrite>& writes) {
    Strings out;
    for (const auto& w : writes)
        out.push_back(w.controller + "/" + w.file + "=" + w.value +
                      (w.einval_retried ? " (retried)" : ""));
    return out;
}

V1Capabilities caps(std::initializer_list<const char*> files) {
    V1Capabilities c;
    for (const char* f : files) c.files.insert(f);
    return c;
}

Strings plan(const spec::Resources& r, const V1Capabilities& c = {}) {
    return lines(plan_v1_writes(r, c));
}

spec::Resources memory(std::optional<int64_t> limit, std::optional<int64_t> swap = std::nullopt) {
    spec::Resources r;
    r.memory.emplace();
    r.memory->limit = limit;
    r.memory->swap = swap;
    return r;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

const V1Capabilities kSwap = caps({"memory.memsw.limit_in_bytes"});
constexpr int64_t kG = 1024 * 1024 * 1024;

}  // namespace

TEST(CgroupV1Memory, EmptyResourcesWriteNothing) {
    EXPECT_TRUE(plan({}).empty());
    EXPECT_TRUE(plan(memory(0, 0), kSwap).empty());
}

TEST(CgroupV1Memory, LimitGoesToLimitInBytes) {
    EXPECT_EQ(plan(memory(kG)), Strings{"memory/memory.limit_in_bytes=1073741824"});
}

TEST(CgroupV1Memory, SwapGoesAfterLimitOnAFreshCgroup) {
    EXPECT_EQ(plan(memory(kG, 2 * kG), kSwap),
              (Strings{"memory/memory.limit_in_bytes=1073741824",
                       "memory/memory.memsw.limit_in_bytes=2147483648"}));
}

TEST(CgroupV1Memory, SwapGoesFirstWhenRaisingPastTheCurrentLimit) {
    V1Capabilities c = kSwap;
    c.memory_limit = 512 * 1024 * 1024;
    EXPECT_EQ(plan(memory(kG, 2 * kG), c), (Strings{"memory/memory.memsw.limit_in_bytes=2147483648",
                                                    "memory/memory.limit_in_bytes=1073741824"}));
}

TEST(CgroupV1Memory, LoweringBelowTheCurrentLimitSetsTheLimitFirst) {
    V1Capabilities c = kSwap;
    c.memory_limit = 4 * kG;
    EXPECT_EQ(plan(memory(kG, 2 * kG), c),
              (Strings{"memory/memory.limit_in_bytes=1073741824",
                       "memory/memory.memsw.limit_in_bytes=2147483648"}));
}

TEST(CgroupV1Memory, UnlimitedSwapGoesFirst) {
    EXPECT_EQ(plan(memory(kG, -1), kSwap), (Strings{"memory/memory.memsw.limit_in_bytes=-1",
                                                    "memory/memory.limit_in_bytes=1073741824"}));
}

TEST(CgroupV1Memory, UnlimitedMemoryUnlimitsSwapWhenAccounted) {
    EXPECT_EQ(plan(memory(-1), kSwap), (Strings{"memory/memory.memsw.limit_in_bytes=-1",
                                                "memory/memory.limit_in_bytes=-1"}));
    EXPECT_EQ(plan(memory(-1)), Strings{"memory/memory.limit_in_bytes=-1"});
}

TEST(CgroupV1Memory, SwapWithoutSwapAccountingIsAnError) {
    EXPECT_NE(error_of([] { plan(memory(kG, 2 * kG)); }).find("memory.memsw.limit_in_bytes"),
              std::string::npos);
}

TEST(CgroupV1Memory, SwapBelowTheLimitIsAnError) {
    EXPECT_EQ(error_of([] { plan(memory(2 * kG, kG), kSwap); }),
              "memory+swap limit should be >= memory limit");
}

TEST(CgroupV1Memory, MemoryLimitsPlannerIsUsableAlone) {
    EXPECT_EQ(
        lines(plan_v1_memory_limits(100, 200, 150, true)),
        (Strings{"memory/memory.memsw.limit_in_bytes=200", "memory/memory.limit_in_bytes=100"}));
    EXPECT_EQ(
        lines(plan_v1_memory_limits(100, 200, 200, true)),
        (Strings{"memory/memory.limit_in_bytes=100", "memory/memory.memsw.limit_in_bytes=200"}));
    EXPECT_EQ(lines(plan_v1_memory_limits(0, 300, 200, true)),
              Strings{"memory/memory.memsw.limit_in_bytes=300"});
}

TEST(CgroupV1Memory, ReservationOomSwappinessAndHierarchy) {
    spec::Resources r = memory(std::nullopt);
    r.memory->reservation = 256;
    r.memory->disable_oom_killer = true;
    r.memory->swappiness = 60;
    r.memory->use_hierarchy = true;
    EXPECT_EQ(plan(r, caps({"memory.use_hierarchy"})),
              (Strings{"memory/memory.soft_limit_in_bytes=256", "memory/memory.oom_control=1",
                       "memory/memory.use_hierarchy=1", "memory/memory.swappiness=60"}));
    // Newer kernels have no use_hierarchy file: always hierarchical.
    EXPECT_EQ(plan(r).size(), 3u);
}

TEST(CgroupV1Memory, OomKillerLeftAloneUnlessDisabled) {
    spec::Resources r = memory(std::nullopt);
    r.memory->disable_oom_killer = false;
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV1Memory, SwappinessAbove100IsAnErrorAndMinusOneIsUnset) {
    spec::Resources r = memory(std::nullopt);
    r.memory->swappiness = 101;
    EXPECT_EQ(error_of([&] { plan(r); }),
              "invalid memory swappiness value: 101 (valid range is 0-100)");
    r.memory->swappiness = std::numeric_limits<uint64_t>::max();
    EXPECT_TRUE(plan(r).empty());
    r.memory->swappiness = 0;
    EXPECT_EQ(plan(r), Strings{"memory/memory.swappiness=0"});
}

TEST(CgroupV1Memory, KernelMemoryIsIgnoredWithAWarning) {
    spec::Resources r = memory(std::nullopt);
    r.memory->kernel = kG;
    auto with_file = caps({"memory.kmem.limit_in_bytes"});
    EXPECT_TRUE(plan(r, with_file).empty());
    auto notes = v1_ignored_settings(r, with_file);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("memory.kernel is ignored"), std::string::npos) << notes[0];
}

TEST(CgroupV1Memory, KernelTcpIsWrittenWhereTheFileExists) {
    spec::Resources r = memory(std::nullopt);
    r.memory->kernel_tcp = kG;
    auto with_file = caps({"memory.kmem.tcp.limit_in_bytes"});
    EXPECT_EQ(plan(r, with_file),
              Strings{"memory/memory.kmem.tcp.limit_in_bytes=" + std::to_string(kG)});
    EXPECT_TRUE(v1_ignored_settings(r, with_file).empty());
}

TEST(CgroupV1Memory, KernelTcpIsAWarningWhereTheFileIsMissing) {
    spec::Resources r = memory(std::nullopt);
    r.memory->kernel_tcp = kG;
    EXPECT_TRUE(plan(r, caps({"memory.limit_in_bytes"})).empty());
    auto notes = v1_ignored_settings(r, caps({"memory.limit_in_bytes"}));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0],
              "linux.resources.memory.kernelTCP is ignored: this kernel has no "
              "memory.kmem.tcp.limit_in_bytes");
}

TEST(CgroupV1Cpu, SharesThenPeriodRetriedAroundQuota) {
    spec::Resources r;
    r.cpu.emplace();
    r.cpu->shares = 512;
    r.cpu->period = 50000;
    r.cpu->quota = 25000;
    EXPECT_EQ(plan(r), (Strings{"cpu/cpu.shares=512", "cpu/cpu.cfs_period_us=50000 (retried)",
                                "cpu/cpu.cfs_quota_us=25000", "cpu/cpu.cfs_period_us=50000"}));
}

TEST(CgroupV1Cpu, PeriodOrQuotaAloneIsOneWrite) {
    spec::Resources r;
    r.cpu.emplace();
    r.cpu->period = 50000;
    EXPECT_EQ(plan(r), Strings{"cpu/cpu.cfs_period_us=50000"});
    r.cpu->period.reset();
    r.cpu->quota = -1;
    EXPECT_EQ(plan(r), Strings{"cpu/cpu.cfs_quota_us=-1"});
}

TEST(CgroupV1Cpu, BurstIsRetriedAfterQuotaWhenTheKernelHasIt) {
    spec::Resources r;
    r.cpu.emplace();
    r.cpu->quota = 20000;
    r.cpu->burst = 10000;
    EXPECT_EQ(plan(r, caps({"cpu.cfs_burst_us"})),
              (Strings{"cpu/cpu.cfs_burst_us=10000 (retried)", "cpu/cpu.cfs_quota_us=20000",
                       "cpu/cpu.cfs_burst_us=10000"}));
    // Older kernels: runc ignores the burst.
    EXPECT_EQ(plan(r), Strings{"cpu/cpu.cfs_quota_us=20000"});
    r.cpu->quota.reset();
    r.cpu->burst = 0;
    EXPECT_EQ(plan(r, caps({"cpu.cfs_burst_us"})), Strings{"cpu/cpu.cfs_burst_us=0"});
}

TEST(CgroupV1Cpu, IdleNeedsTheKnobUnlessZero) {
    spec::Resources r;
    r.cpu.emplace();
    r.cpu->idle = 1;
    EXPECT_EQ(plan(r, caps({"cpu.idle"})), Strings{"cpu/cpu.idle=1"});
    EXPECT_NE(error_of([&] { plan(r); }).find("cpu.idle"), std::string::npos);
    r.cpu->idle = 0;
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV1Cpu, RealtimeAloneIsOneWrite) {
    EXPECT_EQ(lines(plan_v1_rt_limits(1000000, 0, 1000000, 0)),
              Strings{"cpu/cpu.rt_period_us=1000000"});
    EXPECT_EQ(lines(plan_v1_rt_limits(0, 950000, 1000000, 0)),
              Strings{"cpu/cpu.rt_runtime_us=950000"});
    EXPECT_TRUE(plan_v1_rt_limits(0, 0, 1000000, 0).empty());
}

TEST(CgroupV1Cpu, RealtimeOrderKeepsTheRatioWithinBounds) {
    // Growing the product: period first.
    EXPECT_EQ(lines(plan_v1_rt_limits(1000000, 500000, 1000000, 0)),
              (Strings{"cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=500000"}));
    // Shrinking it: runtime first.
    EXPECT_EQ(lines(plan_v1_rt_limits(500000, 100000, 1000000, 950000)),
              (Strings{"cpu/cpu.rt_runtime_us=100000", "cpu/cpu.rt_period_us=500000"}));
    // An unlimited (-1) old runtime wraps to a huge product, as in Go: runtime first.
    EXPECT_EQ(lines(plan_v1_rt_limits(500000, 100000, 1000000, -1)),
              (Strings{"cpu/cpu.rt_runtime_us=100000", "cpu/cpu.rt_period_us=500000"}));
}

TEST(CgroupV1Cpu, RealtimeFromTheSpecUsesTheCurrentValues) {
    spec::Resources r;
    r.cpu.emplace();
    r.cpu->realtime_period = 1000000;
    r.cpu->realtime_runtime = 500000;
    EXPECT_EQ(plan(r), (Strings{"cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=500000"}));
    V1Capabilities c;
    c.rt_runtime = 900000;
    EXPECT_EQ(plan(r, c),
              (Strings{"cpu/cpu.rt_runtime_us=500000", "cpu/cpu.rt_period_us=1000000"}));
}

TEST(CgroupV1Cpuset, CpusAndMemsComeFirst) {
    spec::Resources r = memory(kG);
    r.cpu.emplace();
    r.cpu->cpus = "0-3";
    r.cpu->mems = "0";
    r.cpu->shares = 100;
    EXPECT_EQ(plan(r), (Strings{"cpuset/cpuset.cpus=0-3", "cpuset/cpuset.mems=0",
                                "memory/memory.limit_in_bytes=1073741824", "cpu/cpu.shares=100"}));
}

TEST(CgroupV1Pids, LimitZeroIsOneAndNegativeIsMax) {
    spec::Resources r;
    r.pids.emplace();
    EXPECT_TRUE(plan(r).empty());
    r.pids->limit = 100;
    EXPECT_EQ(plan(r), Strings{"pids/pids.max=100"});
    r.pids->limit = 0;
    EXPECT_EQ(plan(r), Strings{"pids/pids.max=1"});
    r.pids->limit = -1;
    EXPECT_EQ(plan(r), Strings{"pids/pids.max=max"});
}

TEST(CgroupV1Blkio, WeightsUseCfqFilesWhenPresentElseBfq) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->weight = 500;
    r.block_io->leaf_weight = 300;
    r.block_io->weight_device.push_back({8, 0, 700, 100});
    r.block_io->weight_device.push_back({8, 16, std::nullopt, 200});
    EXPECT_EQ(
        plan(r, caps({"blkio.weight"})),
        (Strings{"blkio/blkio.weight=500", "blkio/blkio.leaf_weight=300",
                 "blkio/blkio.weight_device=8:0 700", "blkio/blkio.leaf_weight_device=8:0 100",
                 "blkio/blkio.leaf_weight_device=8:16 200"}));
    EXPECT_EQ(plan(r)[0], "blkio/blkio.bfq.weight=500");
    EXPECT_EQ(plan(r)[2], "blkio/blkio.bfq.weight_device=8:0 700");
}

// Kernels whose schedulers are mq-deadline, kyber or none have neither weight
// file: the plan still names BFQ's, so the write fails and the error names
// /linux/resources/blockIO/weight (the field of blkio.bfq.weight) rather than
// the weight being dropped in silence.
TEST(CgroupV1Blkio, WeightWithNeitherWeightFileStillPlansTheBfqWriteThatNamesTheField) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->weight = 300;
    auto writes = plan_v1_writes(r, caps({"blkio.throttle.read_bps_device"}));
    ASSERT_EQ(lines(writes), Strings{"blkio/blkio.bfq.weight=300"});
    EXPECT_EQ(resource_field(writes[0]).pointer, "/linux/resources/blockIO/weight");
}

TEST(CgroupV1Blkio, ThrottlesGoToTheirFourFiles) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->throttle_write_iops_device.push_back({8, 0, 40});
    r.block_io->throttle_read_bps_device.push_back({8, 0, 1048576});
    r.block_io->throttle_read_bps_device.push_back({8, 16, 2048});
    r.block_io->throttle_write_bps_device.push_back({8, 0, 4096});
    r.block_io->throttle_read_iops_device.push_back({8, 0, 30});
    EXPECT_EQ(plan(r), (Strings{"blkio/blkio.throttle.read_bps_device=8:0 1048576",
                                "blkio/blkio.throttle.read_bps_device=8:16 2048",
                                "blkio/blkio.throttle.write_bps_device=8:0 4096",
                                "blkio/blkio.throttle.read_iops_device=8:0 30",
                                "blkio/blkio.throttle.write_iops_device=8:0 40"}));
}

TEST(CgroupV1Hugetlb, LimitAndReservationWhenTheKernelHasIt) {
    spec::Resources r;
    r.hugepage_limits.push_back({"2MB", 209715200});
    r.hugepage_limits.push_back({"1GB", 0});
    EXPECT_EQ(plan(r, caps({"hugetlb.2MB.rsvd.limit_in_bytes"})),
              (Strings{"hugetlb/hugetlb.2MB.limit_in_bytes=209715200",
                       "hugetlb/hugetlb.2MB.rsvd.limit_in_bytes=209715200",
                       "hugetlb/hugetlb.1GB.limit_in_bytes=0"}));
}

TEST(CgroupV1Hugetlb, PageSizeMustBeNumberAndUnit) {
    for (const char* bad : {"", "MB", "2mb", "2MB/../../x", "02MB", "2 MB", "2TB", "2MB\n"}) {
        spec::Resources r;
        r.hugepage_limits.push_back({bad, 1});
        EXPECT_NE(error_of([&] { plan(r); }).find("invalid hugepage size"), std::string::npos)
            << bad;
    }
    EXPECT_NO_THROW(check_hugepage_size("64KB"));
    EXPECT_NO_THROW(check_hugepage_size("16GB"));
}

TEST(CgroupV1Network, ClassIdAndInterfacePriorities) {
    spec::Resources r;
    r.network.emplace();
    r.network->class_id = 0x100001;
    r.network->priorities = {{"eth0", 500}, {"lo", 0}};
    EXPECT_EQ(plan(r),
              (Strings{"net_cls/net_cls.classid=1048577", "net_prio/net_prio.ifpriomap=eth0 500",
                       "net_prio/net_prio.ifpriomap=lo 0"}));
    r.network->class_id = 0;
    r.network->priorities = {{"eth0 1\nlo", 5}};
    EXPECT_NE(error_of([&] { plan(r); }).find("invalid network interface name"), std::string::npos);
}

TEST(CgroupV1Rdma, OneLinePerDevice) {
    spec::Resources r;
    r.rdma["mlx5_1"] = {3, std::nullopt};
    r.rdma["mlx4_0"] = {1, 1000};
    EXPECT_EQ(plan(r), (Strings{"rdma/rdma.max=mlx4_0 hca_handle=1 hca_object=1000",
                                "rdma/rdma.max=mlx5_1 hca_handle=3"}));
    EXPECT_EQ(rdma_max_line("dev", {std::nullopt, 7}), "dev hca_object=7");
    EXPECT_NE(error_of([] { rdma_max_line("dev", {}); }).find("at least one"), std::string::npos);
    EXPECT_NE(error_of([] {
                  rdma_max_line("a b", {1, 1});
              }).find("invalid rdma device"),
              std::string::npos);
}

TEST(CgroupV1Unified, EntriesAreAnErrorAndEmptyIsFine) {
    spec::Resources r;
    EXPECT_NO_THROW(plan(r));
    r.unified["memory.min"] = "1024";
    EXPECT_EQ(error_of([&] { plan(r); }), "invalid configuration: cannot use unified on cgroup v1");
}

TEST(CgroupV1Plan, ControllersInRuncOrder) {
    spec::Resources r = memory(kG);
    r.cpu.emplace();
    r.cpu->cpus = "1";
    r.cpu->shares = 1024;
    r.pids.emplace();
    r.pids->limit = 10;
    r.block_io.emplace();
    r.block_io->weight = 100;
    r.hugepage_limits.push_back({"2MB", 4194304});
    r.network.emplace();
    r.network->class_id = 7;
    r.network->priorities = {{"eth0", 1}};
    r.rdma["mlx4_0"] = {1, std::nullopt};
    Strings controllers;
    for (const auto& w : plan_v1_writes(r, caps({"blkio.weight"})))
        controllers.push_back(w.controller);
    EXPECT_EQ(controllers, (Strings{"cpuset", "memory", "cpu", "pids", "blkio", "hugetlb",
                                    "net_cls", "net_prio", "rdma"}));
}

// A rootless create on a cgroup v2 host asks whether the config needs a
// cgroup at all: a swap limit (which an empty v1 view would refuse) is a yes,
// not the v1 planner's "memory.memsw.limit_in_bytes does not exist".
TEST(AsksForCgroupLimits, SwapAndUnifiedCountWithoutThrowing) {
    EXPECT_FALSE(asks_for_cgroup_limits(spec::Resources{}));
    EXPECT_TRUE(asks_for_cgroup_limits(memory(32 << 20)));
    EXPECT_NO_THROW(EXPECT_TRUE(asks_for_cgroup_limits(memory(32 << 20, 32 << 20))));
    spec::Resources unified;
    unified.unified["pids.max"] = "10";
    EXPECT_NO_THROW(EXPECT_TRUE(asks_for_cgroup_limits(unified)));
}
