// Time namespaces: linux.timeOffsets shift CLOCK_MONOTONIC and CLOCK_BOOTTIME as
// the workload sees them, and nothing else.
#include <time.h>

#include "harness.hpp"

namespace minirunc::test {
namespace {

long long clockSeconds(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return static_cast<long long>(ts.tv_sec);
}

class TimeNamespace : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (hostNamespaceInode("time") == 0)
            GTEST_SKIP() << "no time namespaces in this kernel (/proc/self/ns/time: Linux 5.6+, "
                            "CONFIG_TIME_NS)";
    }

    struct Clocks {
        long long monotonic = 0, boottime = 0, realtime = 0;
    };

    // Runs `probe clock` with cfg and returns the host's clocks just before and after.
    json probeClocks(const json& cfg, Clocks& before, Clocks& after) {
        before = {clockSeconds(CLOCK_MONOTONIC), clockSeconds(CLOCK_BOOTTIME),
                  clockSeconds(CLOCK_REALTIME)};
        Result r = runProbe(cfg);
        after = {clockSeconds(CLOCK_MONOTONIC), clockSeconds(CLOCK_BOOTTIME),
                 clockSeconds(CLOCK_REALTIME)};
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(trim(r.out)) : json::object();
    }

    json timeConfig() {
        json cfg = config({"probe", "clock"});
        cfg["linux"]["namespaces"].push_back({{"type", "time"}});
        return cfg;
    }
};

constexpr long long kMonotonicOffset = 10 * 86400;
constexpr long long kBoottimeOffset = 20 * 86400;

TEST_F(TimeNamespace, OffsetsShiftMonotonicAndBoottimeClocks) {
    json cfg = timeConfig();
    cfg["linux"]["timeOffsets"] = {{"monotonic", {{"secs", kMonotonicOffset}, {"nanosecs", 0}}},
                                   {"boottime", {{"secs", kBoottimeOffset}, {"nanosecs", 0}}}};
    Clocks before, after;
    json inside = probeClocks(cfg, before, after);
    long long mono = inside.value("monotonic", 0LL) - kMonotonicOffset;
    long long boot = inside.value("boottime", 0LL) - kBoottimeOffset;
    EXPECT_GE(mono, before.monotonic) << inside;
    EXPECT_LE(mono, after.monotonic + 1) << inside;
    EXPECT_GE(boot, before.boottime) << inside;
    EXPECT_LE(boot, after.boottime + 1) << inside;
    // Wall-clock time is not namespaced.
    long long real = inside.value("realtime", 0LL);
    EXPECT_GE(real, before.realtime) << inside;
    EXPECT_LE(real, after.realtime + 1) << inside;
}

TEST_F(TimeNamespace, UptimeReflectsTheBoottimeOffset) {
    json cfg = timeConfig();
    cfg["process"]["args"] = {"cat", "/proc/uptime"};
    cfg["linux"]["timeOffsets"] = {{"boottime", {{"secs", kBoottimeOffset}, {"nanosecs", 0}}}};
    long long before = clockSeconds(CLOCK_BOOTTIME);
    Result r = runProbe(cfg);
    long long after = clockSeconds(CLOCK_BOOTTIME);
    ASSERT_TRUE(r.ok()) << r;
    long long uptime = std::stoll(r.out) - kBoottimeOffset;
    EXPECT_GE(uptime, before - 1) << r.out;
    EXPECT_LE(uptime, after + 1) << r.out;
}

TEST_F(TimeNamespace, NewTimeNamespaceWithoutOffsetsKeepsTheHostClocks) {
    json cfg = timeConfig();
    cfg["process"]["args"] = {"sh", "-c", "probe ns && probe clock"};
    Clocks before, after;
    before = {clockSeconds(CLOCK_MONOTONIC), clockSeconds(CLOCK_BOOTTIME), 0};
    Result r = runProbe(cfg);
    after = {clockSeconds(CLOCK_MONOTONIC), clockSeconds(CLOCK_BOOTTIME), 0};
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    json ns = parseJson(lines[0]), clocks = parseJson(lines[1]);
    EXPECT_NE(ns.value("time", 0ULL), hostNamespaceInode("time")) << ns;
    EXPECT_GE(clocks.value("monotonic", 0LL), before.monotonic) << clocks;
    EXPECT_LE(clocks.value("monotonic", 0LL), after.monotonic + 1) << clocks;
}

TEST_F(TimeNamespace, OffsetsWithoutATimeNamespaceAreRejected) {
    json cfg = config({"probe", "clock"});
    cfg["linux"]["timeOffsets"] = {{"monotonic", {{"secs", 1}, {"nanosecs", 0}}}};
    Result r = runProbe(cfg);
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "/linux/timeOffsets")) << r;
}

}  // namespace
}  // namespace minirunc::test
