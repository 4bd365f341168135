// The lifecycle's less travelled paths: kill --all, real-time signals, a
// container whose process died behind the runtime's back, start in the wrong
// state, delete of a created container.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class LifecycleEdge : public RuntimeTest {
  protected:
    // Pids (as the host sees them) of the processes in the container's cgroup.
    std::vector<pid_t> cgroupPids(const std::string& id) {
        std::vector<pid_t> pids;
        for (const auto& h : cgroupHierarchies()) {
            std::istringstream in(readFile(h + cgroupPathFor(id) + "/cgroup.procs"));
            pid_t pid;
            while (in >> pid) pids.push_back(pid);
            if (!pids.empty()) break;
        }
        return pids;
    }
};

TEST_F(LifecycleEdge, KillAllSignalsEveryProcessInTheContainer) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    // pid 1 ignores SIGTERM by default in a pid namespace: only SIGKILL ends it.
    json cfg = config({"sh", "-c", "probe sleep 100000 & probe sleep 100000 & echo started; wait"});
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg), out));
    ASSERT_TRUE(waitForFile(out, "started"));
    std::vector<pid_t> pids;
    ASSERT_TRUE(waitUntil([&] {
        pids = cgroupPids(id);
        return pids.size() == 3;
    })) << ::testing::PrintToString(pids);
    Result r = rt({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    for (pid_t pid : pids)
        EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); }))
            << "pid " << pid << " survived";
    EXPECT_TRUE(waitUntil([&] { return cgroupPids(id).empty(); }));
}

TEST_F(LifecycleEdge, KillAllOfAStoppedContainerSucceeds) {
    // runc accepts it (containerd sends it after the init exited).
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"kill", "--all", id, "KILL"});
    EXPECT_TRUE(r.ok()) << r;
}

TEST_F(LifecycleEdge, KillOfAStoppedContainerFailsWithNotRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"kill", id, "KILL"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "container not running")) << r;
}

TEST_F(LifecycleEdge, KillWithSignalZeroIsALivenessProbe) {
    // kill(2)'s signal 0: delivered to nobody, it only says whether the
    // container's processes exist; callers poll with it, as with runc.
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", "1000"}))));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"kill", id, "0"}, {"kill", "--all", id, "0"}}) {
        Result r = rt(args);
        EXPECT_TRUE(r.ok()) << r;
    }
    EXPECT_EQ(state(id).value("status", ""), "running") << "signal 0 must deliver nothing";
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result stopped = rt({"kill", id, "0"});
    EXPECT_NE(stopped.status, 0) << stopped;
    EXPECT_TRUE(contains(stopped.err, "container not running")) << stopped;
}

TEST_F(LifecycleEdge, KillDeliversRealTimeSignals) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "signals"})), out));
    ASSERT_TRUE(waitForFile(out, "ready"));
    // runc's numbering: RTMIN is 34 (glibc reserves the first two). Names are a
    // minirunc extension (runc 1.1 takes real-time signals by number only).
    std::vector<std::pair<std::string, std::string>> signals = {{"37", "SIG37"}, {"62", "SIG62"}};
    if (runtimeName() == "minirunc")
        signals.insert(signals.end(), {{"RTMIN+3", "SIG37"}, {"SIGRTMAX-2", "SIG62"}});
    std::string expected = "ready\n";
    for (const auto& [sig, printed] : signals) {
        Result r = rt({"kill", id, sig});
        ASSERT_TRUE(r.ok()) << r;
        // One at a time: pending real-time signals are delivered lowest first.
        expected += printed + "\n";
        EXPECT_TRUE(waitUntil([&] { return readFile(out) == expected; }))
            << sig << ": " << readFile(out);
    }
    ASSERT_TRUE(rt({"kill", id, "TERM"}).ok());
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(readFile(out), expected + "SIGTERM\n");
}

TEST_F(LifecycleEdge, StateShowsStoppedWhenTheProcessWasKilledOutsideTheRuntime) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    Result d = rt({"delete", id});
    EXPECT_TRUE(d.ok()) << "a stopped container is deleted without --force" << d;
}

TEST_F(LifecycleEdge, CreatedContainerKilledOutsideTheRuntimeIsStopped) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    int pid = state(id).value("pid", 0);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    EXPECT_TRUE(waitForStatus(id, "stopped"));
    Result s = rt({"start", id});
    EXPECT_NE(s.status, 0) << s;
    EXPECT_TRUE(contains(s.err, "cannot start a container that has stopped")) << s;
}

TEST_F(LifecycleEdge, StartOfAStoppedContainerFailsWithRuncsMessage) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"start", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot start a container that has stopped")) << r;
}

TEST_F(LifecycleEdge, SecondStartFailsAndLeavesTheContainerRunning) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    json cfg = config({"sh", "-c", "echo once; exec probe sleep 100000"});
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg), out));
    ASSERT_TRUE(waitForFile(out, "once"));
    Result r = rt({"start", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot start an already running container")) << r;
    EXPECT_EQ(state(id).value("status", ""), "running");
    EXPECT_EQ(readFile(out), "once\n") << "the workload ran twice";
}

TEST_F(LifecycleEdge, DeleteOfACreatedContainerKillsItsInitAndRemovesItsCgroup) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    int pid = state(id).value("pid", 0);
    Result r = rt({"delete", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); })) << "pid " << pid << " survived";
    for (const auto& h : cgroupHierarchies())
        EXPECT_FALSE(exists(h + cgroupPathFor(id))) << h + cgroupPathFor(id);
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

TEST_F(LifecycleEdge, RunForwardsSignalsAndExitsWithTheContainersStatus) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    pid_t run = spawn({runtimePath(), "--root", stateRoot_, "run", "--bundle",
                       makeBundle(id, config({"probe", "signals"})), id},
                      out);
    ASSERT_GT(run, 0);
    ASSERT_TRUE(waitForFile(out, "ready"));
    ASSERT_EQ(kill(run, SIGUSR1), 0);
    EXPECT_TRUE(waitForFile(out, "SIGUSR1"));
    ASSERT_EQ(kill(run, SIGHUP), 0);
    EXPECT_TRUE(waitForFile(out, "SIGHUP"));
    ASSERT_EQ(kill(run, SIGTERM), 0);
    int status = 0;
    ASSERT_EQ(waitpid(run, &status, 0), run);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
    EXPECT_EQ(readFile(out), "ready\nSIGUSR1\nSIGHUP\nSIGTERM\n");
    EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "run removes the container";
}

TEST_F(LifecycleEdge, StateAndListAgreeOnEveryStatus) {
    auto created = newId(), running = newId(), stopped = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(created, config()), created}).ok());
    ASSERT_TRUE(createAndStart(running, makeBundle(running, config())));
    ASSERT_TRUE(createAndStart(stopped, makeBundle(stopped, config({"probe", "exit", "0"}))));
    ASSERT_TRUE(waitForStatus(stopped, "stopped"));
    Result l = rt({"list", "--format", "json"});
    ASSERT_TRUE(l.ok()) << l;
    json list = parseJson(l.out);
    ASSERT_TRUE(list.is_array()) << l;
    std::map<std::string, std::string> statuses;
    for (const auto& entry : list) statuses[entry.value("id", "")] = entry.value("status", "");
    EXPECT_EQ(statuses[created], "created");
    EXPECT_EQ(statuses[running], "running");
    EXPECT_EQ(statuses[stopped], "stopped");
}

}  // namespace
}  // namespace minirunc::test
