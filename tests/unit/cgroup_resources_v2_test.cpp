#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

// "file=value", with a trailing " (retried)" when EINVAL is tolerated.
Strings lines(const std::vector<CgroupWrite>& writes) {
    Strings out;
    for (const auto& w : writes)
        out.push_back(w.file + "=" + w.value + (w.einval_retried ? " (retried)" : ""));
    return out;
}

// A cgroup with every controller enabled on a recent kernel, minus `without`.
V2Capabilities full(std::initializer_list<const char*> without = {}) {
    V2Capabilities c;
    for (const char* f : {"cgroup.procs",
                          "cgroup.freeze",
                          "cgroup.max.depth",
                          "cgroup.max.descendants",
                          "cpu.weight",
                          "cpu.max",
                          "cpu.max.burst",
                          "cpu.idle",
                          "cpuset.cpus",
                          "cpuset.mems",
                          "memory.max",
                          "memory.low",
                          "memory.high",
                          "memory.min",
                          "memory.swap.max",
                          "memory.oom.group",
                          "io.weight",
                          "io.max",
                          "pids.max",
                          "hugetlb.2MB.max",
                          "hugetlb.2MB.rsvd.max",
                          "hugetlb.1GB.max",
                          "rdma.max"})
        c.files.insert(f);
    for (const char* f : without) c.files.erase(f);
    return c;
}

Strings plan(const spec::Resources& r, const V2Capabilities& c = full()) {
    return lines(plan_v2_writes(r, c));
}

spec::Resources memory(std::optional<int64_t> limit, std::optional<int64_t> swap = std::nullopt) {
    spec::Resources r;
    r.memory.emplace();
    r.memory->limit = limit;
    r.memory->swap = swap;
    return r;
}

spec::Resources cpu() {
    spec::Resources r;
    r.cpu.emplace();
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

constexpr int64_t kG = 1024 * 1024 * 1024;

}  // namespace

TEST(CgroupV2Memory, LimitAndReservation) {
    spec::Resources r = memory(kG);
    r.memory->reservation = 512;
    EXPECT_EQ(plan(r), (Strings{"memory.max=1073741824", "memory.low=512"}));
    r.memory->limit = -1;
    r.memory->reservation = -1;
    EXPECT_EQ(plan(r), (Strings{"memory.swap.max=max", "memory.max=max", "memory.low=max"}));
}

TEST(CgroupV2Memory, SwapIsTheSpecSwapMinusTheLimitWrittenFirst) {
    EXPECT_EQ(plan(memory(kG, 3 * kG)),
              (Strings{"memory.swap.max=2147483648", "memory.max=1073741824"}));
}

TEST(CgroupV2Memory, SwapEqualToTheLimitDisablesSwap) {
    EXPECT_EQ(plan(memory(kG, kG)), (Strings{"memory.swap.max=0", "memory.max=1073741824"}));
}

TEST(CgroupV2Memory, UnlimitedSwap) {
    EXPECT_EQ(plan(memory(kG, -1)), (Strings{"memory.swap.max=max", "memory.max=1073741824"}));
    EXPECT_EQ(plan(memory(-1)), (Strings{"memory.swap.max=max", "memory.max=max"}));
}

TEST(CgroupV2Memory, ImpossibleSwapValuesAreErrors) {
    EXPECT_EQ(error_of([] { plan(memory(std::nullopt, kG)); }),
              "unable to set swap limit without memory limit");
    EXPECT_EQ(error_of([] { plan(memory(2 * kG, kG)); }),
              "memory+swap limit should be >= memory limit");
    EXPECT_EQ(error_of([] { plan(memory(-5, kG)); }), "invalid memory value: -5");
}

TEST(CgroupV2Memory, WithoutSwapAccountingOnlyMaxAndZeroAreDropped) {
    const V2Capabilities noswap = full({"memory.swap.max"});
    EXPECT_EQ(plan(memory(-1), noswap), Strings{"memory.max=max"});
    EXPECT_EQ(plan(memory(kG, kG), noswap), Strings{"memory.max=1073741824"});
    EXPECT_NE(error_of([&] { plan(memory(kG, 2 * kG), noswap); }).find("memory.swap.max"),
              std::string::npos);
}

TEST(CgroupV2Memory, V1OnlyKnobsAreIgnored) {
    spec::Resources r = memory(std::nullopt);
    r.memory->swappiness = 10;
    r.memory->disable_oom_killer = true;
    r.memory->kernel = kG;
    r.memory->kernel_tcp = kG;
    r.memory->use_hierarchy = false;
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV2Memory, SwapConversionTable) {
    EXPECT_EQ(memory_swap_to_v2(0, -1), -1);
    EXPECT_EQ(memory_swap_to_v2(0, kG), 0);
    EXPECT_EQ(memory_swap_to_v2(-1, kG), -1);
    EXPECT_EQ(memory_swap_to_v2(kG, -1), kG);
    EXPECT_EQ(memory_swap_to_v2(3 * kG, kG), 2 * kG);
    EXPECT_THROW(memory_swap_to_v2(kG, 0), Error);
}

TEST(CgroupV2Memory, UsageCheckOnlyWhenAskedAndLimited) {
    spec::Resources r = memory(1000, 2000);
    EXPECT_FALSE(needs_memory_usage_check(r));
    EXPECT_NO_THROW(check_memory_usage(r, 5000));
    r.memory->check_before_update = true;
    EXPECT_TRUE(needs_memory_usage_check(r));
    EXPECT_NO_THROW(check_memory_usage(r, 999));
    EXPECT_EQ(error_of([&] { check_memory_usage(r, 1000); }),
              "rejecting memory limit 1000 <= usage 1000");
    EXPECT_EQ(error_of([&] { check_memory_usage(r, 2500); }),
              "rejecting memory+swap limit 2000 <= usage 2500");
    spec::Resources unlimited = memory(-1);
    unlimited.memory->check_before_update = true;
    EXPECT_FALSE(needs_memory_usage_check(unlimited));
}

TEST(CgroupV2Cpu, SharesBecomeWeight) {
    spec::Resources r = cpu();
    r.cpu->shares = 1024;
    EXPECT_EQ(plan(r), Strings{"cpu.weight=39"});
    r.cpu->shares = 0;
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV2Cpu, SharesToWeightConversion) {
    EXPECT_EQ(cpu_shares_to_weight(0), 0u);
    EXPECT_EQ(cpu_shares_to_weight(2), 1u);
    EXPECT_EQ(cpu_shares_to_weight(1024), 39u);
    EXPECT_EQ(cpu_shares_to_weight(262144), 10000u);
    // Outside the kernel's range runc's formula wraps; clamped here.
    EXPECT_EQ(cpu_shares_to_weight(1), 1u);
    EXPECT_EQ(cpu_shares_to_weight(1000000), 10000u);
}

TEST(CgroupV2Cpu, QuotaAndPeriodBecomeCpuMax) {
    spec::Resources r = cpu();
    r.cpu->quota = 50000;
    r.cpu->period = 200000;
    EXPECT_EQ(plan(r), Strings{"cpu.max=50000 200000"});
    r.cpu->period.reset();
    EXPECT_EQ(plan(r), Strings{"cpu.max=50000 100000"});
    r.cpu->quota = -1;
    r.cpu->period = 50000;
    EXPECT_EQ(plan(r), Strings{"cpu.max=max 50000"});
    r.cpu->quota.reset();
    EXPECT_EQ(plan(r), Strings{"cpu.max=max 50000"});
}

TEST(CgroupV2Cpu, BurstIsRetriedAfterCpuMax) {
    spec::Resources r = cpu();
    r.cpu->quota = 20000;
    r.cpu->burst = 10000;
    EXPECT_EQ(plan(r), (Strings{"cpu.max.burst=10000 (retried)", "cpu.max=20000 100000",
                                "cpu.max.burst=10000"}));
    r.cpu->quota.reset();
    EXPECT_EQ(plan(r), Strings{"cpu.max.burst=10000"});
}

TEST(CgroupV2Cpu, BurstAndIdleNeedTheirKnobsUnlessZero) {
    spec::Resources r = cpu();
    r.cpu->burst = 10;
    EXPECT_NE(error_of([&] { plan(r, full({"cpu.max.burst"})); }).find("cpu.max.burst"),
              std::string::npos);
    r.cpu->burst = 0;
    EXPECT_TRUE(plan(r, full({"cpu.max.burst"})).empty());
    r.cpu->idle = 1;
    EXPECT_NE(error_of([&] { plan(r, full({"cpu.idle"})); }).find("cpu.idle"), std::string::npos);
    r.cpu->idle = 0;
    EXPECT_TRUE(plan(r, full({"cpu.idle", "cpu.max.burst"})).empty());
}

TEST(CgroupV2Cpu, IdleGoesBeforeWeight) {
    spec::Resources r = cpu();
    r.cpu->idle = 1;
    r.cpu->shares = 2;
    EXPECT_EQ(plan(r), (Strings{"cpu.idle=1", "cpu.weight=1"}));
}

TEST(CgroupV2Cpu, RealtimeIsRefused) {
    spec::Resources r = cpu();
    r.cpu->realtime_runtime = 950000;
    EXPECT_NE(error_of([&] { plan(r); }).find("not supported on cgroup v2"), std::string::npos);
    r.cpu->realtime_runtime = 0;
    r.cpu->realtime_period = 0;
    EXPECT_NO_THROW(plan(r));
}

TEST(CgroupV2Cpuset, CpusAndMemsAfterCpu) {
    spec::Resources r = cpu();
    r.cpu->cpus = "0,2";
    r.cpu->mems = "0-1";
    r.cpu->shares = 2;
    EXPECT_EQ(plan(r), (Strings{"cpu.weight=1", "cpuset.cpus=0,2", "cpuset.mems=0-1"}));
}

TEST(CgroupV2Pids, LimitZeroIsOneAndNegativeIsMax) {
    spec::Resources r;
    r.pids.emplace();
    EXPECT_TRUE(plan(r).empty());
    r.pids->limit = 42;
    EXPECT_EQ(plan(r), Strings{"pids.max=42"});
    r.pids->limit = 0;
    EXPECT_EQ(plan(r), Strings{"pids.max=1"});
    r.pids->limit = -1;
    EXPECT_EQ(plan(r), Strings{"pids.max=max"});
}

TEST(CgroupV2Io, WeightGoesToBfqAsIsOrConvertedToIoWeight) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->weight = 500;
    V2Capabilities bfq = full();
    bfq.files.insert("io.bfq.weight");
    EXPECT_EQ(plan(r, bfq), Strings{"io.bfq.weight=500"});
    EXPECT_EQ(plan(r), Strings{"io.weight=4950"});
}

TEST(CgroupV2Io, BlkioWeightConversion) {
    EXPECT_EQ(blkio_weight_to_io_weight(0), 0u);
    EXPECT_EQ(blkio_weight_to_io_weight(10), 1u);
    EXPECT_EQ(blkio_weight_to_io_weight(100), 910u);
    EXPECT_EQ(blkio_weight_to_io_weight(1000), 10000u);
    EXPECT_EQ(blkio_weight_to_io_weight(5), 1u);
    EXPECT_EQ(blkio_weight_to_io_weight(2000), 10000u);
}

TEST(CgroupV2Io, DeviceWeightsOnlyWhereBfqTakesThem) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->weight_device.push_back({8, 0, 300, 50});
    r.block_io->weight_device.push_back({8, 16, std::nullopt, 50});
    r.block_io->leaf_weight = 20;
    V2Capabilities bfq = full();
    bfq.files.insert("io.bfq.weight");
    EXPECT_TRUE(plan(r, bfq).empty());  // old kernel: bare number only
    bfq.bfq_weight_device = true;
    EXPECT_EQ(plan(r, bfq), Strings{"io.bfq.weight=8:0 300"});
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV2Io, ThrottlesBecomeIoMaxLines) {
    spec::Resources r;
    r.block_io.emplace();
    r.block_io->throttle_write_iops_device.push_back({8, 0, 40});
    r.block_io->throttle_read_bps_device.push_back({8, 0, 1048576});
    r.block_io->throttle_write_bps_device.push_back({253, 1, 4096});
    r.block_io->throttle_read_iops_device.push_back({8, 0, 30});
    EXPECT_EQ(plan(r), (Strings{"io.max=8:0 rbps=1048576", "io.max=253:1 wbps=4096",
                                "io.max=8:0 riops=30", "io.max=8:0 wiops=40"}));
}

TEST(CgroupV2Hugetlb, MaxAndReservationWhereAvailable) {
    spec::Resources r;
    r.hugepage_limits.push_back({"2MB", 4194304});
    r.hugepage_limits.push_back({"1GB", 1073741824});
    EXPECT_EQ(plan(r), (Strings{"hugetlb.2MB.max=4194304", "hugetlb.2MB.rsvd.max=4194304",
                                "hugetlb.1GB.max=1073741824"}));
    r.hugepage_limits = {{"2MB/../../cgroup.procs", 1}};
    EXPECT_THROW(plan(r), Error);
}

TEST(CgroupV2Rdma, RdmaMaxLines) {
    spec::Resources r;
    r.rdma["mlx5_1"] = {3, 4};
    EXPECT_EQ(plan(r), Strings{"rdma.max=mlx5_1 hca_handle=3 hca_object=4"});
}

TEST(CgroupV2Network, IsIgnoredAsByRunc) {
    spec::Resources r;
    r.network.emplace();
    r.network->class_id = 1;
    r.network->priorities = {{"eth0", 5}};
    EXPECT_TRUE(plan(r).empty());
}

TEST(CgroupV2Unified, PassedThroughLastOneWritePerLine) {
    spec::Resources r = memory(kG);
    r.unified["memory.max"] = "2147483648";
    r.unified["io.max"] = "8:0 rbps=1\n8:16 wbps=2\n";
    r.unified["cgroup.max.depth"] = "3";
    const auto writes = plan_v2_writes(r, full());
    EXPECT_EQ(lines(writes),
              (Strings{"memory.max=1073741824", "cgroup.max.depth=3", "io.max=8:0 rbps=1",
                       "io.max=8:16 wbps=2", "memory.max=2147483648"}));
    EXPECT_EQ(writes[1].controller, "cgroup");
    EXPECT_EQ(writes[2].controller, "io");
}

TEST(CgroupV2Unified, KeysMustBeControllerFiles) {
    const V2Capabilities c = full();
    const std::string form = "must be in the form CONTROLLER.PARAMETER";
    EXPECT_NE(error_of([&] { check_unified_key("../memory.max", c); }).find("no slashes"),
              std::string::npos);
    EXPECT_NE(error_of([&] { check_unified_key("memory/max", c); }).find("no slashes"),
              std::string::npos);
    for (const char* bad :
         {"", "memory", ".max", "memory.", "memory..max", "..", "memory max", "memory.max\n"})
        EXPECT_NE(error_of([&] { check_unified_key(bad, c); }).find(form), std::string::npos)
            << bad;
    EXPECT_NO_THROW(check_unified_key("memory.high", c));
    EXPECT_NO_THROW(check_unified_key("hugetlb.2MB.rsvd.max", c));
}

TEST(CgroupV2Unified, RuntimeManagedFilesAreRefused) {
    const V2Capabilities c = full();
    for (const char* key : {"cgroup.procs", "cgroup.threads", "cgroup.freeze", "cgroup.kill",
                            "cgroup.subtree_control", "cgroup.type"})
        EXPECT_NE(error_of([&] { check_unified_key(key, c); }).find("managed by the runtime"),
                  std::string::npos)
            << key;
    EXPECT_NO_THROW(check_unified_key("cgroup.max.descendants", c));
}

TEST(CgroupV2Unified, KeysAreCheckedAgainstTheContainersCgroup) {
    const V2Capabilities c = full();
    EXPECT_EQ(error_of([&] { check_unified_key("misc.max", c); }),
              "unified resource \"misc.max\" can't be set: controller \"misc\" not available");
    EXPECT_EQ(error_of([&] { check_unified_key("memory.zswap.max", c); }),
              "unified resource \"memory.zswap.max\" can't be set: no such file in the "
              "container's cgroup");
    spec::Resources r;
    r.unified["misc.max"] = "1";
    EXPECT_THROW(plan(r, c), Error);
}

TEST(CgroupV2Plan, ControllersInRuncOrder) {
    spec::Resources r = memory(kG);
    r.cpu.emplace();
    r.cpu->cpus = "1";
    r.cpu->shares = 1024;
    r.pids.emplace();
    r.pids->limit = 10;
    r.block_io.emplace();
    r.block_io->weight = 100;
    r.hugepage_limits.push_back({"1GB", 0});
    r.rdma["mlx4_0"] = {1, std::nullopt};
    r.unified["memory.high"] = "max";
    Strings controllers;
    for (const auto& w : plan_v2_writes(r, full())) controllers.push_back(w.controller);
    EXPECT_EQ(controllers,
              (Strings{"pids", "memory", "io", "cpu", "cpuset", "hugetlb", "rdma", "memory"}));
}
