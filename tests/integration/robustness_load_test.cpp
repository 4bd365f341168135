// Robustness under concurrency, load, pid reuse and a hostile state directory:
// racing commands on one container are safe, 200 containers run 16 at a time
// leave nothing behind (the harness checks state entries, cgroups, mounts,
// processes, children and fds), signals never reach a process whose start time
// is not the recorded one, and an unusable --root fails clearly, creating nothing.
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class RobustnessLoad : public RuntimeTest {};

TEST_F(RobustnessLoad, ConcurrentKillDeleteStateExecOnOneContainerAreSafe) {
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        auto id = newId();
        ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
        std::vector<std::vector<std::string>> commands = {{"state", id},
                                                          {"exec", id, "probe", "exit", "0"},
                                                          {"kill", id, "KILL"},
                                                          {"state", id},
                                                          {"exec", id, "probe", "exit", "0"},
                                                          {"delete", "--force", id},
                                                          {"state", id},
                                                          {"kill", id, "TERM"}};
        std::vector<Result> results(commands.size());
        std::vector<std::thread> threads;
        for (size_t i = 0; i < commands.size(); ++i)
            threads.emplace_back([&, i] { results[i] = rt(commands[i]); });
        for (auto& t : threads) t.join();
        for (size_t i = 0; i < results.size(); ++i) {
            const Result& r = results[i];
            // Each either worked or failed with a message; none hung or crashed.
            EXPECT_FALSE(r.timed_out) << r;
            EXPECT_EQ(r.signal, 0) << r;
            // An exec whose process the concurrent kill ended reports that
            // process's status, 128 + SIGKILL, with nothing to say (as runc).
            const bool execKilled = commands[i][0] == "exec" && r.status == 128 + SIGKILL;
            if (!r.ok() && !execKilled) {
                EXPECT_FALSE(r.err.empty()) << r;
            }
        }
        EXPECT_TRUE(results[5].ok()) << results[5];
        Result d = rt({"delete", "--force", id});
        EXPECT_TRUE(d.ok()) << d;
        EXPECT_FALSE(exists(stateRoot_ + "/" + id));
    }
}

TEST_F(RobustnessLoad, TwoHundredContainersSixteenAtATimeLeaveNothing) {
    // The sanitizer lane runs each runtime several times slower: a quarter of
    // the load still races sixteen commands at a time.
    const int kContainers = std::getenv("MINIRUNC_TEST_SANITIZED") ? 50 : 200;
    constexpr int kParallel = 16;
    std::vector<std::string> ids;
    std::vector<std::string> bundles;
    json cfg = config();
    for (int i = 0; i < kContainers; ++i) {
        ids.push_back(newId());
        bundles.push_back(makeBundle(ids.back(), cfg));
    }
    std::atomic<int> next{0};
    std::atomic<int> failures{0};
    std::vector<std::string> errors(kContainers);
    auto worker = [&] {
        for (int i = next++; i < kContainers; i = next++) {
            Result c = rt({"create", "--bundle", bundles[i], ids[i]});
            Result s = c.ok() ? rt({"start", ids[i]}) : c;
            Result d = rt({"delete", "--force", ids[i]});
            if (!c.ok() || !s.ok() || !d.ok()) {
                ++failures;
                errors[i] = ::testing::PrintToString(c.err + s.err + d.err);
            }
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kParallel; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
    EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
}

TEST_F(RobustnessLoad, KillRefusesAProcessWhoseStartTimeIsNotTheRecordedOne) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    std::string path = stateRoot_ + "/" + id + "/state.json";
    json doc = parseJson(readFile(path));
    ASSERT_TRUE(doc.contains("pid_start_time")) << doc.dump();
    int pid = doc.value("pid", 0);
    // The pid now names "another" process: the one recorded started at another time.
    doc["pid_start_time"] = doc["pid_start_time"].get<unsigned long long>() + 12345;
    writeFile(path, doc.dump());
    Result k = rt({"kill", id, "KILL"});
    EXPECT_NE(k.status, 0) << k;
    EXPECT_TRUE(contains(k.err, "not running")) << k;
    EXPECT_TRUE(processRunning(pid));
    EXPECT_EQ(parseJson(rt({"state", id}).out).value("status", ""), "stopped");
    // --force still cleans it up through the cgroup.
    Result d = rt({"delete", "--force", id});
    EXPECT_TRUE(d.ok()) << d;
    EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); }));
}

TEST_F(RobustnessLoad, RootThatIsAFileFailsClearlyAndCreatesNothing) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    std::string file = tmp_ + "/not-a-dir";
    writeFile(file, "x");
    Result r = rtBare({"--root", file, "create", "--bundle", bundle, id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(r.err.empty()) << r;
    EXPECT_EQ(readFile(file), "x");
}

TEST_F(RobustnessLoad, ReadOnlyRootFailsClearlyAndCreatesNothing) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    std::string root = tmp_ + "/ro-root";
    ASSERT_EQ(mkdir(root.c_str(), 0700), 0);
    ASSERT_EQ(mount(root.c_str(), root.c_str(), nullptr, MS_BIND, nullptr), 0);
    ASSERT_EQ(mount(nullptr, root.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr), 0);
    Result r = rtBare({"--root", root, "create", "--bundle", bundle, id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "read-only")) << r;
    EXPECT_TRUE(listDir(root).empty());
    EXPECT_EQ(umount2(root.c_str(), MNT_DETACH), 0);
}

TEST_F(RobustnessLoad, FullStateFilesystemFailsClearlyAndCreatesNothing) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    std::string root = tmp_ + "/full-root";
    ASSERT_EQ(mkdir(root.c_str(), 0700), 0);
    ASSERT_EQ(mount("tmpfs", root.c_str(), "tmpfs", 0, "size=16k"), 0);
    // Fill it: one page-sized file at a time until the kernel refuses.
    std::string page(4096, 'x');
    for (int i = 0; i < 64; ++i) {
        std::string f = root + "/fill" + std::to_string(i);
        int fd = open(f.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) break;
        ssize_t n = write(fd, page.data(), page.size());
        close(fd);
        if (n != static_cast<ssize_t>(page.size())) break;
    }
    auto before = listDir(root);
    Result r = rtBare({"--root", root, "create", "--bundle", bundle, id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "no space left on device")) << r;
    EXPECT_EQ(listDir(root), before);
    for (const auto& h : cgroupHierarchies()) EXPECT_FALSE(exists(h + cgroupPathFor(id)));
    EXPECT_EQ(umount2(root.c_str(), MNT_DETACH), 0);
}

}  // namespace
}  // namespace minirunc::test
