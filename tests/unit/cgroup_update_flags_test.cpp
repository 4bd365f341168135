#include "minirunc/cgroup_update_flags.hpp"

#include <cstdint>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Flags = std::map<std::string, std::string>;

template <typename Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::string flag_error(const std::string& name, const std::string& value) {
    return error_of([&] { resources_from_update_flags({{name, value}}); });
}

constexpr int64_t kM = 1024 * 1024;

// What a container was created with.
spec::Resources current() {
    spec::Resources r;
    r.memory.emplace();
    r.memory->limit = 512 * kM;
    r.memory->reservation = 256 * kM;
    r.memory->swap = 1024 * kM;
    r.memory->swappiness = 10;
    r.memory->disable_oom_killer = true;
    r.cpu.emplace();
    r.cpu->shares = 1024;
    r.cpu->quota = 50000;
    r.cpu->period = 100000;
    r.cpu->cpus = "0-1";
    r.cpu->mems = "0";
    r.pids.emplace();
    r.pids->limit = 100;
    r.block_io.emplace();
    r.block_io->weight = 500;
    r.block_io->weight_device = {{8, 0, 300, 100}};
    r.block_io->throttle_read_bps_device = {{8, 0, 1000}};
    r.hugepage_limits = {{"2MB", 4 * kM}};
    r.unified["memory.high"] = "400000000";
    return r;
}

}  // namespace

TEST(CgroupUpdateFlags, EachFlagSetsItsField) {
    const spec::Resources r = resources_from_update_flags({
        {"blkio-weight", "300"},
        {"cpu-period", "100000"},
        {"cpu-quota", "-1"},
        {"cpu-burst", "5000"},
        {"cpu-share", "512"},
        {"cpu-rt-period", "1000000"},
        {"cpu-rt-runtime", "950000"},
        {"cpuset-cpus", "0-3"},
        {"cpuset-mems", "0"},
        {"kernel-memory", "64m"},
        {"kernel-memory-tcp", "1m"},
        {"memory", "512m"},
        {"memory-reservation", "256m"},
        {"memory-swap", "-1"},
        {"pids-limit", "64"},
        {"cpu-idle", "1"},
    });
    EXPECT_EQ(r.block_io->weight, 300);
    EXPECT_EQ(r.cpu->period, 100000u);
    EXPECT_EQ(r.cpu->quota, -1);
    EXPECT_EQ(r.cpu->burst, 5000u);
    EXPECT_EQ(r.cpu->shares, 512u);
    EXPECT_EQ(r.cpu->realtime_period, 1000000u);
    EXPECT_EQ(r.cpu->realtime_runtime, 950000);
    EXPECT_EQ(r.cpu->cpus, "0-3");
    EXPECT_EQ(r.cpu->mems, "0");
    EXPECT_EQ(r.cpu->idle, 1);
    EXPECT_EQ(r.memory->kernel, 64 * kM);
    EXPECT_EQ(r.memory->kernel_tcp, kM);
    EXPECT_EQ(r.memory->limit, 512 * kM);
    EXPECT_EQ(r.memory->reservation, 256 * kM);
    EXPECT_EQ(r.memory->swap, -1);
    EXPECT_EQ(r.pids->limit, 64);
}

TEST(CgroupUpdateFlags, NoFlagsAndEmptyValuesSetNothing) {
    const spec::Resources r = resources_from_update_flags(
        {{"memory", ""}, {"cpuset-cpus", ""}, {"cpu-quota", ""}, {"blkio-weight", "0"}});
    EXPECT_FALSE(r.memory);
    EXPECT_FALSE(r.cpu);
    EXPECT_FALSE(r.block_io);
    EXPECT_FALSE(resources_from_update_flags({}).pids);
}

TEST(CgroupUpdateFlags, DashedNamesAreAccepted) {
    EXPECT_EQ(resources_from_update_flags({{"--memory", "1g"}}).memory->limit, 1024 * kM);
    EXPECT_EQ(resources_from_update_flags({{"-pids-limit", "5"}}).pids->limit, 5);
}

TEST(CgroupUpdateFlags, PidsLimitIsSetEvenWhenZero) {
    EXPECT_EQ(resources_from_update_flags({{"pids-limit", "0"}}).pids->limit, 0);
    EXPECT_EQ(resources_from_update_flags({{"pids-limit", "-1"}}).pids->limit, -1);
    EXPECT_EQ(resources_from_update_flags({{"pids-limit", "0x10"}}).pids->limit, 16);
}

TEST(CgroupUpdateFlags, NumberErrorsNameTheFlagLikeRunc) {
    EXPECT_EQ(flag_error("cpu-period", "abc"),
              "invalid value for cpu-period: strconv.ParseUint: parsing \"abc\": invalid syntax");
    EXPECT_EQ(flag_error("cpu-share", "-1"),
              "invalid value for cpu-share: strconv.ParseUint: parsing \"-1\": invalid syntax");
    EXPECT_EQ(flag_error("cpu-quota", "99999999999999999999"),
              "invalid value for cpu-quota: strconv.ParseInt: parsing \"99999999999999999999\": "
              "value out of range");
    EXPECT_EQ(flag_error("cpu-idle", "1.5"),
              "invalid value for cpu-idle: strconv.ParseInt: parsing \"1.5\": invalid syntax");
    EXPECT_EQ(flag_error("cpu-rt-runtime", "+"),
              "invalid value for cpu-rt-runtime: strconv.ParseInt: parsing \"+\": invalid syntax");
}

TEST(CgroupUpdateFlags, IntFlagErrorsAreGoFlagErrors) {
    EXPECT_EQ(flag_error("pids-limit", "ten"),
              "invalid value \"ten\" for flag -pids-limit: parse error");
    EXPECT_EQ(flag_error("pids-limit", ""), "invalid value \"\" for flag -pids-limit: parse error");
    EXPECT_EQ(flag_error("pids-limit", "9223372036854775808"),
              "invalid value \"9223372036854775808\" for flag -pids-limit: value out of range");
    EXPECT_EQ(resources_from_update_flags({{"pids-limit", "-9223372036854775808"}}).pids->limit,
              INT64_MIN);
    EXPECT_EQ(flag_error("blkio-weight", "x"),
              "invalid value \"x\" for flag -blkio-weight: parse error");
    EXPECT_NE(flag_error("blkio-weight", "70000").find("out of range"), std::string::npos);
}

TEST(CgroupUpdateFlags, MemoryErrorsNameTheFlag) {
    EXPECT_EQ(flag_error("memory", "lots"), "invalid value for memory: invalid size: 'lots'");
    EXPECT_EQ(flag_error("memory-swap", "1x"),
              "invalid value for memory-swap: invalid suffix: 'x'");
    EXPECT_EQ(flag_error("memory-reservation", "-2"),
              "invalid value for memory-reservation: invalid size: '-2'");
}

TEST(CgroupUpdateFlags, UnknownFlagsAreErrors) {
    EXPECT_EQ(flag_error("memory-limit", "1"), "flag provided but not defined: -memory-limit");
    EXPECT_EQ(flag_error("l3-cache-schema", ""), "flag provided but not defined: -l3-cache-schema");
}

TEST(CgroupUpdateFlags, RamInBytesTakesBinaryUnits) {
    EXPECT_EQ(ram_in_bytes("1024"), 1024);
    EXPECT_EQ(ram_in_bytes("100b"), 100);
    EXPECT_EQ(ram_in_bytes("32k"), 32768);
    EXPECT_EQ(ram_in_bytes("512m"), 512 * kM);
    EXPECT_EQ(ram_in_bytes("512M"), 512 * kM);
    EXPECT_EQ(ram_in_bytes("1g"), 1024 * kM);
    EXPECT_EQ(ram_in_bytes("1GB"), 1024 * kM);
    EXPECT_EQ(ram_in_bytes("1GiB"), 1024 * kM);
    EXPECT_EQ(ram_in_bytes("1.5g"), 1536 * kM);
    EXPECT_EQ(ram_in_bytes("2 kb"), 2048);
    EXPECT_EQ(ram_in_bytes("1t"), 1024 * 1024 * kM);
    EXPECT_EQ(ram_in_bytes("1p"), 1024LL * 1024 * 1024 * kM);
    EXPECT_EQ(ram_in_bytes("0"), 0);
}

TEST(CgroupUpdateFlags, RamInBytesRejectsWhatGoUnitsRejects) {
    for (const char* bad : {"", "m", "abc", "-1", "0x10", "inf", "1..2m", "9999999999999p"})
        EXPECT_NE(error_of([&] { ram_in_bytes(bad); }).find("invalid size"), std::string::npos)
            << bad;
    for (const char* bad : {"1kbb", "1x", "1bb", "1kibb", "1mi"})
        EXPECT_NE(error_of([&] { ram_in_bytes(bad); }).find("invalid suffix"), std::string::npos)
            << bad;
}

TEST(CgroupMergeUpdate, DockerStyleZerosKeepEverything) {
    spec::Resources update;
    update.memory.emplace();
    update.memory->limit = 0;
    update.memory->reservation = 0;
    update.memory->swap = 0;
    update.cpu.emplace();
    update.cpu->shares = 0;
    update.cpu->quota = 0;
    update.cpu->period = 0;
    update.cpu->realtime_period = 0;
    update.cpu->realtime_runtime = 0;
    update.block_io.emplace();
    update.block_io->weight = 0;
    update.pids.emplace();
    update.pids->limit = 0;
    const spec::Resources merged = merge_update(current(), update);
    const spec::Resources before = current();
    EXPECT_EQ(merged.memory->limit, before.memory->limit);
    EXPECT_EQ(merged.memory->reservation, before.memory->reservation);
    EXPECT_EQ(merged.memory->swap, before.memory->swap);
    EXPECT_EQ(merged.cpu->shares, before.cpu->shares);
    EXPECT_EQ(merged.cpu->quota, before.cpu->quota);
    EXPECT_EQ(merged.cpu->period, before.cpu->period);
    EXPECT_EQ(merged.cpu->cpus, "0-1");
    EXPECT_EQ(merged.block_io->weight, 500);
    EXPECT_EQ(merged.pids->limit, 100);
    EXPECT_FALSE(merge_update({}, {}).memory);
}

TEST(CgroupMergeUpdate, GivenValuesReplaceTheCurrentOnes) {
    const spec::Resources update = resources_from_update_flags(
        {{"memory", "1g"}, {"cpu-quota", "20000"}, {"cpuset-cpus", "2"}, {"pids-limit", "-1"}});
    const spec::Resources merged = merge_update(current(), update);
    EXPECT_EQ(merged.memory->limit, 1024 * kM);
    EXPECT_EQ(merged.memory->swap, 1024 * kM);  // kept
    EXPECT_EQ(merged.cpu->quota, 20000);
    EXPECT_EQ(merged.cpu->period, 100000u);  // the other half of cpu.max is kept
    EXPECT_EQ(merged.cpu->cpus, "2");
    EXPECT_EQ(merged.cpu->mems, "0");
    EXPECT_EQ(merged.pids->limit, -1);
    // What runc's update cannot change stays as created.
    EXPECT_EQ(merged.memory->swappiness, 10u);
    EXPECT_EQ(merged.memory->disable_oom_killer, true);
    EXPECT_EQ(merged.hugepage_limits.size(), 1u);
}

TEST(CgroupMergeUpdate, UnlimitedMemoryWithoutSwapUnlimitsSwap) {
    const spec::Resources merged =
        merge_update(current(), resources_from_update_flags({{"memory", "-1"}}));
    EXPECT_EQ(merged.memory->limit, -1);
    EXPECT_FALSE(merged.memory->swap);
    // And the planners then unlimit both.
    V2Capabilities caps;
    caps.files = {"memory.swap.max", "memory.max", "memory.low"};
    const auto writes = plan_v2_writes(spec::Resources{.memory = merged.memory}, caps);
    ASSERT_EQ(writes.size(), 3u);
    EXPECT_EQ(writes[0].file + "=" + writes[0].value, "memory.swap.max=max");
    EXPECT_EQ(writes[1].file + "=" + writes[1].value, "memory.max=max");
}

TEST(CgroupMergeUpdate, IdleWithoutSharesDropsTheWeight) {
    const spec::Resources merged =
        merge_update(current(), resources_from_update_flags({{"cpu-idle", "1"}}));
    EXPECT_EQ(merged.cpu->idle, 1);
    EXPECT_FALSE(merged.cpu->shares);
    const spec::Resources both = merge_update(
        current(), resources_from_update_flags({{"cpu-idle", "0"}, {"cpu-share", "2048"}}));
    EXPECT_EQ(both.cpu->idle, 0);
    EXPECT_EQ(both.cpu->shares, 2048u);
}

TEST(CgroupMergeUpdate, BurstAppliesEvenAtZero) {
    spec::Resources with_burst = current();
    with_burst.cpu->burst = 1000;
    const spec::Resources merged =
        merge_update(with_burst, resources_from_update_flags({{"cpu-burst", "0"}}));
    EXPECT_EQ(merged.cpu->burst, 0u);
    EXPECT_EQ(merge_update(with_burst, {}).cpu->burst, 1000u);
}

TEST(CgroupMergeUpdate, BlockIoDevicesAreUpdatedOrAdded) {
    spec::Resources update;
    update.block_io.emplace();
    update.block_io->weight_device = {{8, 0, std::nullopt, 50}, {8, 16, 200, std::nullopt}};
    update.block_io->throttle_read_bps_device = {{8, 0, 2000}, {8, 32, 10}};
    update.block_io->throttle_write_iops_device = {{8, 0, 7}};
    const spec::Resources merged = merge_update(current(), update);
    const auto& b = *merged.block_io;
    ASSERT_EQ(b.weight_device.size(), 2u);
    EXPECT_EQ(b.weight_device[0].weight, 300);  // absent in the update: kept
    EXPECT_EQ(b.weight_device[0].leaf_weight, 50);
    EXPECT_EQ(b.weight_device[1].major, 8);
    EXPECT_EQ(b.weight_device[1].minor, 16);
    ASSERT_EQ(b.throttle_read_bps_device.size(), 2u);
    EXPECT_EQ(b.throttle_read_bps_device[0].rate, 2000u);
    EXPECT_EQ(b.throttle_read_bps_device[1].minor, 32);
    ASSERT_EQ(b.throttle_write_iops_device.size(), 1u);
    EXPECT_EQ(b.weight, 500);
}

TEST(CgroupMergeUpdate, UnifiedKeysAreMerged) {
    spec::Resources update;
    update.unified["memory.high"] = "max";
    update.unified["pids.max"] = "10";
    const spec::Resources merged = merge_update(current(), update);
    EXPECT_EQ(merged.unified.size(), 2u);
    EXPECT_EQ(merged.unified.at("memory.high"), "max");
}

TEST(CgroupMergeUpdate, CheckBeforeUpdateHoldsForThisUpdateOnly) {
    spec::Resources created = current();
    created.memory->check_before_update = true;
    EXPECT_FALSE(merge_update(created, {}).memory->check_before_update);
    spec::Resources update;
    update.memory.emplace();
    update.memory->limit = 300 * kM;
    update.memory->check_before_update = true;
    const spec::Resources merged = merge_update(current(), update);
    EXPECT_TRUE(needs_memory_usage_check(merged));
    EXPECT_THROW(check_memory_usage(merged, 400 * kM), Error);
}

TEST(CgroupMergeUpdate, DevicesHugepagesNetworkAndRdmaAreNotUpdated) {
    spec::Resources update;
    update.devices.push_back({true, "a", std::nullopt, std::nullopt, "rwm"});
    update.hugepage_limits = {{"1GB", 1}};
    update.network.emplace();
    update.network->class_id = 5;
    update.rdma["mlx4_0"] = {1, 1};
    const spec::Resources merged = merge_update(current(), update);
    EXPECT_TRUE(merged.devices.empty());
    EXPECT_EQ(merged.hugepage_limits[0].page_size, "2MB");
    EXPECT_FALSE(merged.network);
    EXPECT_TRUE(merged.rdma.empty());
}

TEST(CgroupMergeUpdate, MergedResourcesPlanTheNewLimitsOnV1) {
    spec::Resources created = current();
    created.unified.clear();  // v2 only
    const spec::Resources merged = merge_update(
        created, resources_from_update_flags({{"memory", "2g"}, {"memory-swap", "4g"}}));
    V1Capabilities caps;
    caps.files = {"memory.memsw.limit_in_bytes", "blkio.weight"};
    caps.memory_limit = 512 * kM;  // raising: swap first
    std::vector<std::string> limits;
    for (const auto& w : plan_v1_writes(merged, caps)) {
        if (w.file == "memory.limit_in_bytes" || w.file == "memory.memsw.limit_in_bytes")
            limits.push_back(w.file + "=" + w.value);
    }
    EXPECT_EQ(limits, (std::vector<std::string>{"memory.memsw.limit_in_bytes=4294967296",
                                                "memory.limit_in_bytes=2147483648"}));
}
