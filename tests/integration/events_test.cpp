// events: runc's JSON events, one object per line: `--stats` prints one stats
// event and exits; without it, stats every --interval and OOM notifications
// until the container stops.
#include <future>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

class Events : public RuntimeTest {
  protected:
    std::vector<json> events(const std::string& output) {
        std::vector<json> out;
        for (const auto& line : splitLines(output)) out.push_back(parseJson(line));
        return out;
    }
};

TEST_F(Events, StatsPrintsOneStatsEventInRuncsFormat) {
    if (v1Mount("memory").empty() || v1Mount("pids").empty()) GTEST_SKIP() << "not a v1 host";
    auto id = newId();
    json cfg = config();
    cfg["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}, {"pids", {{"limit", 50}}}};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    Result r = rt({"events", "--stats", id});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 1u) << r;
    json e = parseJson(lines[0]);
    // runc's event struct order: scripts compare the text.
    auto ordered = nlohmann::ordered_json::parse(lines[0], nullptr, false);
    std::vector<std::string> keys;
    for (const auto& item : ordered.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"type", "id", "data"})) << lines[0];
    EXPECT_EQ(e.value("type", ""), "stats");
    EXPECT_EQ(e.value("id", ""), id);
    const json& data = e["data"];
    for (const char* key : {"cpu", "memory", "pids", "blkio", "hugetlb"})
        EXPECT_TRUE(data.contains(key)) << key << " missing: " << data.dump();
    EXPECT_TRUE(data["cpu"]["usage"].contains("kernel")) << data["cpu"].dump();
    EXPECT_TRUE(data["cpu"]["usage"].contains("user")) << data["cpu"].dump();
    EXPECT_TRUE(data["cpu"].contains("throttling")) << data["cpu"].dump();
    if (!v1Mount("cpuacct").empty()) {
        EXPECT_GT(data["cpu"]["usage"].value("total", 0ULL), 0u) << data["cpu"].dump();
    }
    const json& usage = data["memory"]["usage"];
    EXPECT_EQ(usage.value("limit", 0ULL), 64ULL << 20) << usage.dump();
    EXPECT_GT(usage.value("usage", 0ULL), 0u) << usage.dump();
    EXPECT_TRUE(usage.contains("failcnt")) << usage.dump();
    EXPECT_TRUE(data["memory"].contains("raw")) << data["memory"].dump();
    EXPECT_GE(data["pids"].value("current", 0), 1) << data["pids"].dump();
    EXPECT_EQ(data["pids"].value("limit", 0), 50) << data["pids"].dump();
    EXPECT_TRUE(data["hugetlb"].is_object());
}

TEST_F(Events, StatsEveryIntervalUntilTheContainerStops) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    // The workload runs until the test ends it: the count of documents then
    // depends on nothing but the interval, however slow the machine is.
    std::string out = tmp_ + "/events.out";
    auto running = std::async(std::launch::async, [&] {
        RunOptions o;
        o.stdout_path = out;
        o.timeout = 120s;
        return rt({"events", "--interval", "300ms", id}, o);
    });
    bool two = waitUntil([&] { return splitLines(readFile(out)).size() >= 2; }, 60s);
    EXPECT_TRUE(two) << readFile(out);
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    Result r = running.get();  // events ends by itself once the container has stopped
    ASSERT_TRUE(r.ok()) << r;
    auto all = events(readFile(out));
    EXPECT_GE(all.size(), 2u) << readFile(out);
    for (const auto& e : all) {
        EXPECT_EQ(e.value("type", ""), "stats") << e.dump();
        EXPECT_EQ(e.value("id", ""), id) << e.dump();
        EXPECT_TRUE(e.contains("data")) << e.dump();
    }
}

TEST_F(Events, OutOfMemoryKillIsReportedAsAnOomEvent) {
    std::string mount = v1Mount("memory");
    if (mount.empty()) GTEST_SKIP() << "no v1 memory hierarchy";
    auto id = newId();
    json cfg = config({"sh", "-c", "sleep 1; probe alloc 256 >/dev/null; sleep 1"});
    // Swappiness 0: with swap on and no swap accounting the limit would
    // otherwise push the workload out to swap rather than kill it.
    json memory = {{"limit", 32 << 20}, {"swappiness", 0}};
    if (exists(mount + "/memory.memsw.limit_in_bytes")) memory["swap"] = 32 << 20;
    cfg["linux"]["resources"]["memory"] = memory;
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    Result r = rt({"events", "--interval", "1h", id}, {.timeout = 30s});
    ASSERT_TRUE(r.ok()) << r;
    auto all = events(r.out);
    ASSERT_FALSE(all.empty()) << r;
    EXPECT_EQ(all[0].dump(), json({{"type", "oom"}, {"id", id}}).dump()) << r;
}

TEST_F(Events, StoppedContainerIsNotRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"events", "--stats", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "container with id " + id + " is not running")) << r;
}

TEST_F(Events, IntervalMustBeAPositiveDuration) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    Result zero = rt({"events", "--interval", "0s", id});
    EXPECT_NE(zero.status, 0) << zero;
    EXPECT_TRUE(contains(zero.err, "duration interval must be greater than 0")) << zero;
    Result bad = rt({"events", "--interval", "soon", id});
    EXPECT_NE(bad.status, 0) << bad;
    EXPECT_TRUE(contains(bad.err, "interval")) << bad;
}

TEST_F(Events, UnknownContainerDoesNotExist) {
    Result r = rt({"events", "--stats", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

}  // namespace
}  // namespace minirunc::test
