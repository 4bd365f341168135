// update: runc's flags (before or after the id), a resources document from a
// file or stdin where zero means "unchanged" (what docker sends), limits
// read back from the host's cgroup files, and the limits in force remembered
// from one update to the next.
#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

class Update : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (v1Mount("memory").empty() || v1Mount("pids").empty() || v1Mount("cpu").empty())
            GTEST_SKIP() << "needs the v1 memory, pids and cpu hierarchies";
    }

    // A running container with memory 64 MiB, pids 50, cpu shares 512.
    std::string startLimited() {
        auto id = newId();
        json cfg = config();
        cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}},
                                     {"pids", {{"limit", 50}}},
                                     {"cpu", {{"shares", 512}}}};
        EXPECT_TRUE(createAndStart(id, makeBundle(id, cfg)));
        return id;
    }

    std::string file(const std::string& id, const std::string& name) {
        return v1File(cgroupPathFor(id), name);
    }

    bool hasMemsw() { return exists(v1Mount("memory") + "/memory.memsw.limit_in_bytes"); }
};

TEST_F(Update, FlagsChangeTheLimits) {
    auto id = startLimited();
    const std::string cpu = firstAllowedCpu();
    Result r = rt({"update", "--memory", "128m", "--pids-limit", "80", "--cpu-share", "256",
                   "--cpu-period", "60000", "--cpu-quota", "30000", "--cpuset-cpus", cpu, id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(128 << 20));
    EXPECT_EQ(file(id, "pids.max"), "80");
    EXPECT_EQ(file(id, "cpu.shares"), "256");
    EXPECT_EQ(file(id, "cpu.cfs_period_us"), "60000");
    EXPECT_EQ(file(id, "cpu.cfs_quota_us"), "30000");
    if (!v1Mount("cpuset").empty()) {
        EXPECT_EQ(file(id, "cpuset.cpus"), cpu);
    }
}

TEST_F(Update, FlagsMayFollowTheId) {
    auto id = startLimited();
    Result r = rt({"update", id, "--pids-limit", "70", "--memory=96m"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "pids.max"), "70");
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(96 << 20));
}

TEST_F(Update, UnlimitedWithMinusOne) {
    auto id = startLimited();
    Result r = rt({"update", "--memory", "-1", "--pids-limit", "-1", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "pids.max"), "max");
    EXPECT_GT(std::stoull(file(id, "memory.limit_in_bytes")), 1ULL << 60);
}

TEST_F(Update, ResourcesFromStdinWhereZeroMeansUnchanged) {
    auto id = startLimited();
    // What docker sends for `docker update --pids-limit 90`.
    json doc = {{"memory", {{"limit", 0}, {"reservation", 0}, {"swap", 0}, {"kernel", 0}}},
                {"cpu",
                 {{"shares", 0},
                  {"quota", 0},
                  {"period", 0},
                  {"realtimeRuntime", 0},
                  {"realtimePeriod", 0},
                  {"cpus", ""},
                  {"mems", ""}}},
                {"blockIO", {{"weight", 0}}},
                {"pids", {{"limit", 90}}}};
    Result r = rt({"update", "--resources", "-", id}, {.stdin_text = doc.dump()});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "pids.max"), "90");
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(64 << 20));
    EXPECT_EQ(file(id, "cpu.shares"), "512");
}

TEST_F(Update, ResourcesFromAFileIgnoreTheOtherFlags) {
    auto id = startLimited();
    std::string path = tmp_ + "/resources.json";
    writeFile(path, json({{"memory", {{"limit", 96 << 20}}}}).dump());
    Result r = rt({"update", "-r", path, "--pids-limit", "5", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(96 << 20));
    EXPECT_EQ(file(id, "pids.max"), "50") << "a flag was applied along with --resources";
}

TEST_F(Update, LimitsInForceAreRememberedForTheNextUpdate) {
    if (!hasMemsw()) GTEST_SKIP() << "no swap accounting";
    auto id = startLimited();
    ASSERT_TRUE(rt({"update", "--memory", "128m", id}).ok());
    // The swap limit is checked against the limit the first update set.
    Result below = rt({"update", "--memory-swap", "96m", id});
    EXPECT_NE(below.status, 0) << below;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(below.err, "memory+swap limit should be >= memory limit")) << below;
    }
    Result r = rt({"update", "--memory-swap", "256m", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "memory.memsw.limit_in_bytes"), std::to_string(256 << 20));
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(128 << 20));
    // And both go up together, in the order the kernel accepts.
    Result both = rt({"update", "--memory", "512m", "--memory-swap", "1g", id});
    ASSERT_TRUE(both.ok()) << both;
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(512 << 20));
    EXPECT_EQ(file(id, "memory.memsw.limit_in_bytes"), std::to_string(1 << 30));
}

TEST_F(Update, PausedContainerCanBeUpdated) {
    auto id = startLimited();
    ASSERT_TRUE(rt({"pause", id}).ok());
    Result r = rt({"update", "--pids-limit", "60", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(file(id, "pids.max"), "60");
    ASSERT_TRUE(rt({"resume", id}).ok());
}

TEST_F(Update, StoppedContainerFailsWithNotRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"update", "--pids-limit", "60", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "container not running")) << r;
}

TEST_F(Update, BadValuesAreRefusedAndChangeNothing) {
    auto id = startLimited();
    Result size = rt({"update", "--memory", "12x", id});
    EXPECT_NE(size.status, 0) << size;
    EXPECT_TRUE(contains(size.err, "invalid value for memory")) << size;
    Result quota = rt({"update", "--cpu-quota", "abc", id});
    EXPECT_NE(quota.status, 0) << quota;
    EXPECT_TRUE(contains(quota.err, "cpu-quota")) << quota;
    Result json = rt({"update", "-r", "-", id}, {.stdin_text = "{not json"});
    EXPECT_NE(json.status, 0) << json;
    Result unknown = rt({"update", "--no-such-flag", "1", id});
    EXPECT_NE(unknown.status, 0) << unknown;
    EXPECT_EQ(file(id, "memory.limit_in_bytes"), std::to_string(64 << 20));
    EXPECT_EQ(file(id, "pids.max"), "50");
}

TEST_F(Update, KernelRefusalRestoresTheLimitsInForce) {
    auto id = startLimited();
    if (v1Mount("blkio").empty()) GTEST_SKIP() << "no v1 blkio hierarchy";
    std::string dir = v1Mount("blkio") + cgroupPathFor(id);
    if (!exists(dir + "/blkio.weight") && !exists(dir + "/blkio.bfq.weight") &&
        runtimeName() != "minirunc")
        GTEST_SKIP() << "no blkio weight file: runc 1.1.5 then keeps the limits it wrote";
    // pids.max is written before the blkio weight, which the kernel refuses:
    // out of range where it has a weight file (CFQ's or BFQ's), and where it
    // has neither (no BFQ scheduler), the file cannot even be opened.
    Result r = rt({"update", "--pids-limit", "70", "--blkio-weight", "5000", id});
    EXPECT_NE(r.status, 0) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "setting blkio weight: ")) << r;
    }
    EXPECT_EQ(file(id, "pids.max"), "50");
    // And the next update starts from them.
    ASSERT_TRUE(rt({"update", "--memory", "96m", id}).ok());
    EXPECT_EQ(file(id, "pids.max"), "50");
}

TEST_F(Update, UnknownContainerDoesNotExist) {
    Result r = rt({"update", "--pids-limit", "5", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

}  // namespace
}  // namespace minirunc::test
