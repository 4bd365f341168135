// The container lifecycle of runtime-spec runtime.md as runc's CLI exposes it:
// create, start, state, kill and delete.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Lifecycle : public RuntimeTest {
  protected:
    // Creates and starts a container running `probe signals` and waits until its
    // handlers are installed; returns the file its stdout goes to.
    std::string startSignalProbe(const std::string& id) {
        std::string out = tmp_ + "/" + id + ".out";
        if (!createAndStart(id, makeBundle(id, config({"probe", "signals"})), out)) return out;
        waitForFile(out, "ready");
        return out;
    }
};

TEST_F(Lifecycle, CreateLeavesContainerCreatedWithPid) {
    auto id = newId();
    Result r = rt({"create", "--bundle", makeBundle(id, config()), id});
    ASSERT_TRUE(r.ok()) << r;
    json st = state(id);
    EXPECT_EQ(st.value("status", ""), "created");
    int pid = st.value("pid", 0);
    EXPECT_GT(pid, 0);
    EXPECT_TRUE(processRunning(pid)) << "pid " << pid << " of a created container is not alive";
}

// A created container may wait long for `start`: its init gives back the
// pages of its image and its free heap while it waits (a regression guard:
// the image's mappings must be found however the init was executed).
TEST_F(Lifecycle, CreatedContainerInitKeepsLittleMemory) {
    if (runtimeName() != "minirunc") GTEST_SKIP() << "minirunc's init footprint";
    if (std::getenv("MINIRUNC_TEST_SANITIZED")) GTEST_SKIP() << "sanitizer shadow memory";
    auto id = newId();
    Result r = rt({"create", "--bundle", makeBundle(id, config()), id});
    ASSERT_TRUE(r.ok()) << r;
    std::string rollup =
        readFile("/proc/" + std::to_string(state(id).value("pid", 0)) + "/smaps_rollup");
    long rss_kib = -1;
    for (const auto& line : splitLines(rollup))
        if (line.rfind("Rss:", 0) == 0) rss_kib = std::stol(line.substr(4));
    EXPECT_GT(rss_kib, 0) << rollup;
    EXPECT_LT(rss_kib, 512) << "the init holds on to its image while waiting: " << rollup;
}

TEST_F(Lifecycle, CreateDoesNotRunTheProcessUntilStart) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    RunOptions o;
    o.stdout_path = out;
    auto bundle = makeBundle(id, config({"sh", "-c", "echo started; exec probe sleep 100000"}));
    Result r = rt({"create", "--bundle", bundle, id}, o);
    ASSERT_TRUE(r.ok()) << r;
    usleep(200'000);
    EXPECT_EQ(readFile(out), "") << "the process ran before start";
    Result s = rt({"start", id});
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_TRUE(waitForFile(out, "started"));
}

TEST_F(Lifecycle, StartMakesContainerRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    json st = state(id);
    EXPECT_EQ(st.value("status", ""), "running");
    EXPECT_TRUE(processRunning(st.value("pid", 0)));
}

TEST_F(Lifecycle, StartOfRunningContainerFails) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    Result r = rt({"start", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Lifecycle, StartOfUnknownContainerFails) {
    Result r = rt({"start", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

TEST_F(Lifecycle, StateIsStoppedAfterProcessExits) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Lifecycle, StateReportsOciFields) {
    auto id = newId();
    json cfg = config();
    cfg["annotations"] = {{"org.example.key", "value"}};
    auto bundle = makeBundle(id, cfg);
    ASSERT_TRUE(rt({"create", "--bundle", bundle, id}).ok());
    json st = state(id);
    ASSERT_TRUE(st.is_object()) << st;
    ASSERT_TRUE(st.contains("ociVersion") && st["ociVersion"].is_string()) << st;
    EXPECT_TRUE(
        std::regex_search(st["ociVersion"].get<std::string>(), std::regex(R"(^1\.\d+\.\d+)")))
        << st;
    EXPECT_EQ(st.value("id", ""), id);
    EXPECT_GT(st.value("pid", 0), 0);
    EXPECT_EQ(st.value("status", ""), "created");
    EXPECT_EQ(st.value("bundle", ""), bundle);
    EXPECT_EQ(st.value("rootfs", ""), testRootfs());
    std::regex rfc3339(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$)");
    EXPECT_TRUE(std::regex_match(st.value("created", ""), rfc3339)) << st;
    EXPECT_TRUE(st.contains("owner") && st["owner"].is_string()) << st;
    EXPECT_EQ(st["annotations"], cfg["annotations"]) << st;
}

TEST_F(Lifecycle, StateOfUnknownContainerFailsWithDoesNotExist) {
    Result r = rt({"state", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

TEST_F(Lifecycle, KillWithoutSignalSendsTerm) {
    auto id = newId();
    std::string out = startSignalProbe(id);
    Result r = rt({"kill", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(readFile(out), "ready\nSIGTERM\n");
}

TEST_F(Lifecycle, KillDeliversSignalsGivenByNameOrNumber) {
    auto id = newId();
    std::string out = startSignalProbe(id);
    for (const char* sig : {"HUP", "SIGUSR1", "12"}) {
        Result r = rt({"kill", id, sig});
        ASSERT_TRUE(r.ok()) << r;
    }
    EXPECT_TRUE(waitForFile(out, "SIGUSR2"));
    ASSERT_TRUE(rt({"kill", id, "TERM"}).ok());
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(readFile(out), "ready\nSIGHUP\nSIGUSR1\nSIGUSR2\nSIGTERM\n");
}

TEST_F(Lifecycle, KillWithKillSignalStopsContainerWhateverTheSpelling) {
    for (const char* sig : {"KILL", "SIGKILL", "9"}) {
        SCOPED_TRACE(sig);
        auto id = newId();
        ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
        int pid = state(id).value("pid", 0);
        Result r = rt({"kill", id, sig});
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_TRUE(waitForStatus(id, "stopped"));
        EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); }));
    }
}

TEST_F(Lifecycle, KillWithUnknownSignalFails) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    for (const char* sig : {"NOSUCHSIG", "SIGFOO", "-1", "100000"}) {
        Result r = rt({"kill", id, sig});
        EXPECT_NE(r.status, 0) << r;
    }
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Lifecycle, KillOfUnknownContainerFails) {
    Result r = rt({"kill", "no-such-container", "KILL"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

TEST_F(Lifecycle, KillOfCreatedContainerStopsIt) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    Result r = rt({"kill", id, "KILL"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Lifecycle, DeleteRemovesCreatedContainerAndItsProcess) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    int pid = state(id).value("pid", 0);
    Result r = rt({"delete", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(rt({"state", id}).err, "does not exist"));
    EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); })) << "pid " << pid << " survived";
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

TEST_F(Lifecycle, DeleteRemovesStoppedContainer) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"delete", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_NE(rt({"state", id}).status, 0);
}

TEST_F(Lifecycle, DeleteOfRunningContainerFailsWithoutForce) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    Result r = rt({"delete", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Lifecycle, DeleteForceKillsRunningContainer) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    int pid = state(id).value("pid", 0);
    Result r = rt({"delete", "--force", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); })) << "pid " << pid << " survived";
    EXPECT_NE(rt({"state", id}).status, 0);
}

TEST_F(Lifecycle, DeleteForceOfUnknownContainerSucceeds) {
    Result r = rt({"delete", "--force", "no-such-container"});
    EXPECT_TRUE(r.ok()) << r;
}

TEST_F(Lifecycle, DeleteOfUnknownContainerFailsWithDoesNotExist) {
    Result r = rt({"delete", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

TEST_F(Lifecycle, CreateWithExistingIdFails) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    ASSERT_TRUE(rt({"create", "--bundle", bundle, id}).ok());
    int pid = state(id).value("pid", 0);
    Result r = rt({"create", "--bundle", bundle, id});
    EXPECT_NE(r.status, 0) << r;
    json st = state(id);
    EXPECT_EQ(st.value("status", ""), "created");
    EXPECT_EQ(st.value("pid", 0), pid) << "the first container was replaced";
}

TEST_F(Lifecycle, CreateRejectsInvalidIds) {
    auto bundle = makeBundle(newId(), config());
    for (const std::string bad : {"../escape", "a/b", "", ".", ".."}) {
        SCOPED_TRACE("id '" + bad + "'");
        Result r = rt({"create", "--bundle", bundle, bad});
        EXPECT_NE(r.status, 0) << r;
    }
    EXPECT_FALSE(exists(tmp_ + "/escape"));
    EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
}

}  // namespace
}  // namespace minirunc::test
