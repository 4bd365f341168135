#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "minirunc/cgroup_stats.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Files = std::map<std::string, std::string>;  // "controller/file" -> text (v2: "file")

CgroupFileReader reader(const Files& files, bool v2 = false) {
    return [files, v2](const std::string& controller,
                       const std::string& file) -> std::optional<std::string> {
        auto it = files.find(v2 ? file : controller + "/" + file);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
}

std::vector<std::string> keys(const nlohmann::ordered_json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    return out;
}

TEST(CgroupStatsV1, EmptyCgroupHasRuncsMembersInRuncsOrder) {
    auto doc = cgroup_stats_v1(reader({}), {});
    EXPECT_EQ(keys(doc), (std::vector<std::string>{"cpu", "cpuset", "memory", "pids", "blkio",
                                                   "hugetlb", "intel_rdt", "network_interfaces"}));
    EXPECT_EQ(doc["cpu"].dump(), R"({"usage":{"kernel":0,"user":0},"throttling":{}})");
    EXPECT_TRUE(doc["network_interfaces"].is_null());
    EXPECT_EQ(doc["hugetlb"].dump(), "{}");
}

TEST(CgroupStatsV1, CpuUsageFromCpuacctWithTicksInNanoseconds) {
    auto doc = cgroup_stats_v1(reader({
                                   {"cpuacct/cpuacct.usage", "3000\n"},
                                   {"cpuacct/cpuacct.usage_percpu", "1000 2000 \n"},
                                   {"cpuacct/cpuacct.usage_all",
                                    "cpu user system\n0 600 400\n1 "
                                    "1500 500\n"},
                                   {"cpuacct/cpuacct.stat", "user 3\nsystem 2\n"},
                                   {"cpu/cpu.stat",
                                    "nr_periods 10\nnr_throttled 4\n"
                                    "throttled_time 12345\n"},
                               }),
                               {});
    EXPECT_EQ(doc["cpu"].dump(),
              R"({"usage":{"total":3000,"percpu":[1000,2000],"percpu_kernel":[400,500],)"
              R"("percpu_user":[600,1500],"kernel":20000000,"user":30000000},)"
              R"("throttling":{"periods":10,"throttledPeriods":4,"throttledTime":12345}})");
}

TEST(CgroupStatsV1, MemoryEntriesAndRawStat) {
    auto doc = cgroup_stats_v1(reader({
                                   {"memory/memory.stat", "cache 4096\nrss 8192\n"},
                                   {"memory/memory.limit_in_bytes", "33554432\n"},
                                   {"memory/memory.usage_in_bytes", "12288\n"},
                                   {"memory/memory.max_usage_in_bytes", "16384\n"},
                                   {"memory/memory.failcnt", "2\n"},
                                   {"memory/memory.memsw.limit_in_bytes", "67108864\n"},
                               }),
                               {});
    const auto& m = doc["memory"];
    EXPECT_EQ(keys(m),
              (std::vector<std::string>{"cache", "usage", "swap", "kernel", "kernelTCP", "raw"}));
    EXPECT_EQ(m["cache"], 4096);
    EXPECT_EQ(m["usage"].dump(), R"({"limit":33554432,"usage":12288,"max":16384,"failcnt":2})");
    EXPECT_EQ(m["swap"].dump(), R"({"limit":67108864,"failcnt":0})");
    EXPECT_EQ(m["raw"].dump(), R"({"cache":4096,"rss":8192})");
}

TEST(CgroupStatsV1, PidsMaxIsNoLimit) {
    auto limited =
        cgroup_stats_v1(reader({{"pids/pids.current", "3\n"}, {"pids/pids.max", "10\n"}}), {});
    EXPECT_EQ(limited["pids"].dump(), R"({"current":3,"limit":10})");
    auto unlimited =
        cgroup_stats_v1(reader({{"pids/pids.current", "3\n"}, {"pids/pids.max", "max\n"}}), {});
    EXPECT_EQ(unlimited["pids"].dump(), R"({"current":3})");
}

TEST(CgroupStatsV1, BlkioPrefersBfqAndSkipsTheTotalLine) {
    auto doc = cgroup_stats_v1(
        reader({
            {"blkio/blkio.bfq.io_serviced_recursive", "8:0 Read 2\n8:0 Write 0\nTotal 2\n"},
            {"blkio/blkio.bfq.io_service_bytes_recursive", "8:0 Read 8192\nTotal 8192\n"},
            {"blkio/blkio.throttle.io_serviced_recursive", "254:0 Read 99\n"},
            {"blkio/blkio.throttle.io_service_bytes_recursive", "254:0 Read 99\n"},
        }),
        {});
    EXPECT_EQ(doc["blkio"].dump(),
              R"({"ioServiceBytesRecursive":[{"major":8,"op":"Read","value":8192}],)"
              R"("ioServicedRecursive":[{"major":8,"op":"Read","value":2},)"
              R"({"major":8,"op":"Write"}]})");
}

TEST(CgroupStatsV1, BlkioFallsBackToThrottleFiles) {
    auto doc =
        cgroup_stats_v1(reader({
                            {"blkio/blkio.throttle.io_serviced_recursive", "254:1 Write 5\n"},
                            {"blkio/blkio.throttle.io_service_bytes_recursive", ""},
                        }),
                        {});
    EXPECT_EQ(doc["blkio"].dump(),
              R"({"ioServicedRecursive":[{"major":254,"minor":1,"op":"Write","value":5}]})");
}

TEST(CgroupStatsV1, HugetlbPerPageSizeThatHasFiles) {
    auto doc = cgroup_stats_v1(reader({
                                   {"hugetlb/hugetlb.2MB.usage_in_bytes", "2097152\n"},
                                   {"hugetlb/hugetlb.2MB.max_usage_in_bytes", "4194304\n"},
                                   {"hugetlb/hugetlb.2MB.failcnt", "1\n"},
                               }),
                               {"2MB", "1GB"});
    EXPECT_EQ(doc["hugetlb"].dump(), R"({"2MB":{"usage":2097152,"max":4194304,"failcnt":1}})");
}

TEST(CgroupStatsV1, CpusetListsAndFlags) {
    auto doc = cgroup_stats_v1(reader({
                                   {"cpuset/cpuset.cpus", "0-2,5\n"},
                                   {"cpuset/cpuset.mems", "0\n"},
                                   {"cpuset/cpuset.sched_load_balance", "1\n"},
                                   {"cpuset/cpuset.sched_relax_domain_level", "-1\n"},
                               }),
                               {});
    EXPECT_EQ(doc["cpuset"]["cpus"].dump(), "[0,1,2,5]");
    EXPECT_EQ(doc["cpuset"]["mems"].dump(), "[0]");
    EXPECT_EQ(doc["cpuset"]["sched_load_balance"], 1);
    EXPECT_EQ(doc["cpuset"]["sched_relax_domain_level"], -1);
}

TEST(CgroupStatsV2, CpuStatInMicrosecondsBecomesNanoseconds) {
    auto doc = cgroup_stats_v2(reader({{"cpu.stat",
                                        "usage_usec 100\nuser_usec 60\nsystem_usec 40\n"
                                        "nr_periods 5\nnr_throttled 1\nthrottled_usec 7\n"}},
                                      true),
                               {});
    EXPECT_EQ(doc["cpu"].dump(),
              R"({"usage":{"total":100000,"kernel":40000,"user":60000},)"
              R"("throttling":{"periods":5,"throttledPeriods":1,"throttledTime":7000}})");
}

TEST(CgroupStatsV2, MemoryReportsSwapAsMemoryPlusSwapLikeV1) {
    auto doc = cgroup_stats_v2(reader(
                                   {
                                       {"memory.stat", "file 100\nanon 200\n"},
                                       {"memory.current", "300\n"},
                                       {"memory.max", "1000\n"},
                                       {"memory.peak", "400\n"},
                                       {"memory.events", "low 0\nhigh 0\nmax 3\noom 1\n"},
                                       {"memory.swap.current", "50\n"},
                                       {"memory.swap.max", "500\n"},
                                   },
                                   true),
                               {});
    const auto& m = doc["memory"];
    EXPECT_EQ(m["cache"], 100);
    EXPECT_EQ(m["usage"].dump(), R"({"limit":1000,"usage":300,"max":400,"failcnt":3})");
    EXPECT_EQ(m["swap"].dump(), R"({"limit":1500,"usage":350,"failcnt":0})");
}

TEST(CgroupStatsV2, UnlimitedMemoryIsTheLargestNumber) {
    auto doc =
        cgroup_stats_v2(reader({{"memory.max", "max\n"}, {"memory.swap.max", "max\n"}}, true), {});
    EXPECT_EQ(doc["memory"]["usage"]["limit"], UINT64_MAX);
    EXPECT_EQ(doc["memory"]["swap"]["limit"], UINT64_MAX);
}

TEST(CgroupStatsV2, IoStatBecomesBlkioEntries) {
    auto doc = cgroup_stats_v2(
        reader({{"io.stat", "8:16 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n"}}, true),
        {});
    EXPECT_EQ(doc["blkio"]["ioServiceBytesRecursive"].dump(),
              R"([{"major":8,"minor":16,"op":"Read","value":4096},)"
              R"({"major":8,"minor":16,"op":"Write"},{"major":8,"minor":16,"op":"Discard"}])");
    EXPECT_EQ(doc["blkio"]["ioServicedRecursive"][0].dump(),
              R"({"major":8,"minor":16,"op":"Read","value":1})");
}

TEST(CgroupStatsV2, PressureFilesBecomePsi) {
    auto doc = cgroup_stats_v2(reader({{"cpu.pressure",
                                        "some avg10=1.50 avg60=0.00 avg300=0.00 total=42\n"
                                        "full avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"}},
                                      true),
                               {});
    EXPECT_DOUBLE_EQ(doc["cpu"]["psi"]["some"]["avg10"].get<double>(), 1.5);
    EXPECT_EQ(doc["cpu"]["psi"]["some"]["total"], 42);
    EXPECT_EQ(doc["cpu"]["psi"]["full"]["total"], 7);
}

TEST(CgroupStatsV2, HugetlbFailcntFromEvents) {
    auto doc = cgroup_stats_v2(
        reader({{"hugetlb.2MB.current", "0\n"}, {"hugetlb.2MB.events", "max 4\n"}}, true), {"2MB"});
    EXPECT_EQ(doc["hugetlb"].dump(), R"({"2MB":{"failcnt":4}})");
}

TEST(HugepageSizes, SysfsNamesBecomeHugetlbFileNames) {
    EXPECT_EQ(hugepage_sizes({"hugepages-2048kB", "hugepages-1048576kB", "hugepages-64kB", "other",
                              "hugepages-xkB"}),
              (std::vector<std::string>{"2MB", "1GB", "64KB"}));
}

TEST(ParseCpuList, RangesAndSingles) {
    EXPECT_EQ(parse_cpu_list("0-3,8,10-11\n"), (std::vector<uint16_t>{0, 1, 2, 3, 8, 10, 11}));
    EXPECT_TRUE(parse_cpu_list("").empty());
    EXPECT_TRUE(parse_cpu_list("3-1").empty());
    EXPECT_TRUE(parse_cpu_list("a").empty());
}

TEST(ParseFlatKeyed, IgnoresMalformedLines) {
    auto kv = parse_flat_keyed("a 1\nb x\nc 2 3\nd -1\ne 5\n");
    ASSERT_EQ(kv.size(), 2u);
    EXPECT_EQ(kv[0], (std::pair<std::string, uint64_t>{"a", 1}));
    EXPECT_EQ(kv[1], (std::pair<std::string, uint64_t>{"e", 5}));
}

TEST(ParseGoDuration, AcceptsGosUnitsAndCombinations) {
    EXPECT_EQ(parse_go_duration("5s", "interval"), 5000000000);
    EXPECT_EQ(parse_go_duration("100ms", "interval"), 100000000);
    EXPECT_EQ(parse_go_duration("1m30s", "interval"), 90000000000);
    EXPECT_EQ(parse_go_duration("1.5h", "interval"), 5400000000000);
    EXPECT_EQ(parse_go_duration("10us", "interval"), 10000);
    EXPECT_EQ(parse_go_duration("0", "interval"), 0);
    EXPECT_EQ(parse_go_duration("-2s", "interval"), -2000000000);
}

TEST(ParseGoDuration, RejectsWhatGoRejectsWithFlagsMessage) {
    for (const char* bad : {"", "5", "s", "5x", "1..5s", "abc"}) {
        try {
            parse_go_duration(bad, "interval");
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()),
                      std::string("invalid value \"") + bad + "\" for flag -interval: parse error");
        }
    }
}

}  // namespace
