// Integration test harness: runs the runtime binary (minirunc, or any runc-compatible
// runtime named by $MINIRUNC_BIN) as a child process and checks that every test
// cleans up after itself.
//
// Each test gets a private temporary directory holding its `--root` state directory
// and its bundles, unique container ids and one cgroup per container
// ("/minirunc-test/<id>"). TearDown force-deletes every container the test made and
// then fails the test on any leak: state entries, mounts, cgroups, processes,
// children of the test process or file descriptors.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "host.hpp"
#include "watchdog.hpp"

namespace minirunc::test {

// The lifetime, in seconds, of a workload that must outlive its test: long
// enough that no machine is slow enough to see it end by itself; the test (or
// TearDown's forced delete) ends it.
inline constexpr const char* kUntilEnded = "100000";

// Where things are, from the build (compile definitions) and the environment.
std::string runtimePath();  // $MINIRUNC_BIN or <build>/bin/minirunc
std::string runtimeName();  // basename of runtimePath(): "minirunc" or "runc"
std::string testRootfs();   // the shared, read-only test rootfs (with /bin/probe)
std::string bundlesDir();   // <source>/bundles

// The base fixture for tests that run containers.
class RuntimeTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // A new unique container id, remembered for cleanup.
    std::string newId();

    // The runtime's default spec (from `<runtime> spec`) with terminal=false,
    // root.path = the shared test rootfs (absolute, read-only) and process.args = args.
    json config(const std::vector<std::string>& args = {"probe", "sleep", kUntilEnded});

    // Writes cfg as <tmp>/<id>/config.json with linux.cgroupsPath "/minirunc-test/<id>"
    // (unless the test set one), and returns the bundle directory.
    std::string makeBundle(const std::string& id, json cfg);

    // A private writable copy of the test rootfs; returns its path.
    std::string copyRootfs(const std::string& name = "rootfs");
    // A rootfs the container's root can reach in a user namespace (it maps to
    // an unprivileged host uid): the shared one when every directory above
    // it lets others through, else a copy under tmp (a checkout in /root or
    // a 0700 temp directory).
    std::string rootfsForMappedUsers();

    // Runs the runtime with `--root <private state dir>` before args.
    Result rt(const std::vector<std::string>& args, const RunOptions& options = {});
    // Runs the runtime with exactly args (no --root).
    Result rtBare(const std::vector<std::string>& args, const RunOptions& options = {});

    // `state ID` parsed; fails the test (and returns {}) when the command fails.
    json state(const std::string& id);
    // Polls `state` until status matches.
    bool waitForStatus(const std::string& id, const std::string& status,
                       std::chrono::milliseconds timeout = 30s);
    // Polls a file until it contains text.
    bool waitForFile(const std::string& path, const std::string& text,
                     std::chrono::milliseconds timeout = 30s);

    // create + start in one step (create's stdout goes to stdout_path when given);
    // returns false and records a failure when either command fails.
    bool createAndStart(const std::string& id, const std::string& bundle,
                        const std::string& stdout_path = "");

    // `run ID` in the foreground with the given bundle; returns its result.
    Result runContainer(const std::string& id, const std::string& bundle,
                        const RunOptions& options = {});
    // makeBundle + `run`, for the common "run a probe and look at its output" case.
    Result runProbe(json cfg, const RunOptions& options = {});

    // Background processes (not containers) owned by the test; killed in TearDown.
    pid_t spawnHelper(const std::vector<std::string>& argv, const std::string& output_path);
    void stopHelper(pid_t pid);

    // A cgroupsPath for a container id.
    static std::string cgroupPathFor(const std::string& id) { return "/minirunc-test/" + id; }

    std::string tmp_;        // private temporary directory of the test
    std::string stateRoot_;  // <tmp>/state, passed as --root

  private:
    void cleanUpContainers();
    void checkNoLeaks();
    // What the watchdog does when the test overruns: force-deletes whatever
    // is in the state root (by the directory, not ids_, which the test's own
    // thread may be changing) and removes the test directory.
    void cleanUpAfterDeadline();

    std::unique_ptr<Watchdog> watchdog_;

    std::vector<std::string> ids_;
    std::set<std::string> cgroupPaths_;
    std::vector<pid_t> helpers_;
    std::map<int, std::string> fdsAtStart_;
    int suiteLockFd_ = -1;
    bool skipped_ = false;
};

}  // namespace minirunc::test
