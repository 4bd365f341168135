// checkpoint and restore with CRIU. A workload that counts in memory is
// dumped and brought back: it goes on from its count with the same pid.
// These need a kernel where `criu check` passes (the VM lane: vm.cgroup2 runs them);
// elsewhere they skip with criu's reason. The bad inputs need no CRIU.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace minirunc::test {
namespace {

// Why CRIU cannot dump and restore here; empty when `criu check` passes.
std::string criuUnavailable() {
    static const std::string reason = [] {
        Result r = run({"criu", "check"});
        if (r.ok()) return std::string();
        std::string text = r.err.empty() ? r.out : r.err;
        if (r.status == 127 || text.empty()) return std::string("criu is not installed");
        return "criu check failed: " + text.substr(0, text.find('\n'));
    }();
    return reason;
}

#define SKIP_WITHOUT_CRIU()                                                \
    do {                                                                   \
        if (!criuUnavailable().empty()) GTEST_SKIP() << criuUnavailable(); \
    } while (0)

struct Count {
    long pid = -1;
    long value = -1;
};

Count readCount(const std::string& path) {
    std::ifstream in(path);
    Count c;
    if (!(in >> c.pid >> c.value)) return {};
    return c;
}

class Checkpoint : public RuntimeTest {
  protected:
    // A bundle whose workload counts into <tmp>/out-<id>/count (bound at /out).
    std::string countingBundle(const std::string& id) {
        out_ = tmp_ + "/out-" + id;
        ::mkdir(out_.c_str(), 0755);
        json cfg = config({"probe", "count", "/out/count"});
        cfg["mounts"].push_back(
            {{"destination", "/out"}, {"type", "bind"}, {"source", out_}, {"options", {"rbind"}}});
        return makeBundle(id, cfg);
    }
    std::string countFile() const { return out_ + "/count"; }

    // Waits until the count reaches at least `value`.
    Count waitForCount(long value, std::chrono::milliseconds timeout = 60s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            Count c = readCount(countFile());
            if (c.value >= value || std::chrono::steady_clock::now() > deadline) return c;
            std::this_thread::sleep_for(5ms);
        }
    }
    // Waits for the count to change from `from`.
    Count waitForChange(long from, std::chrono::milliseconds timeout = 60s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            Count c = readCount(countFile());
            if ((c.value != from && c.value != -1) || std::chrono::steady_clock::now() > deadline)
                return c;
            std::this_thread::sleep_for(2ms);
        }
    }
    // After a final checkpoint runc removes the container; minirunc as well.
    void expectGoneOrStopped(const std::string& id) {
        Result r = rt({"state", id});
        if (r.ok())
            EXPECT_NE(r.out.find("\"stopped\""), std::string::npos) << r.out;
        else
            EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
        rt({"delete", "--force", id});
    }
    // The restored workload goes on from `checkpointed`, not from 1.
    void expectContinuesFrom(const Count& checkpointed) {
        Count next = waitForChange(checkpointed.value);
        EXPECT_GT(next.value, checkpointed.value) << "the count restarted";
        EXPECT_LE(next.value, checkpointed.value + 50) << "the count jumped";
        EXPECT_EQ(next.pid, checkpointed.pid) << "the pid inside changed";
    }

    std::string out_;
};

TEST_F(Checkpoint, CountingWorkloadContinuesFromItsCountAfterRestore) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(10).value, 10);
    std::string images = tmp_ + "/images";
    Result dump = rt({"checkpoint", "--image-path", images, id});
    ASSERT_TRUE(dump.ok()) << dump.err;
    Count checkpointed = readCount(countFile());
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(readCount(countFile()).value, checkpointed.value) << "still counting after a dump";
    expectGoneOrStopped(id);

    Result restore = rt({"restore", "-d", "--bundle", bundle, "--image-path", images, id});
    ASSERT_TRUE(restore.ok()) << restore.err;
    expectContinuesFrom(checkpointed);
    json st = state(id);
    EXPECT_EQ(st["status"], "running");
    EXPECT_GT(st["pid"].get<int>(), 0);
    Result exec = rt({"exec", id, "probe", "read", "/out/count"});
    EXPECT_TRUE(exec.ok()) << exec.err;
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_TRUE(rt({"delete", id}).ok());
}

TEST_F(Checkpoint, LeaveRunningKeepsTheContainerAndTheImageRestoresItsCount) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(5).value, 5);
    Count beforeDump = readCount(countFile());
    std::string images = tmp_ + "/images";
    Result dump = rt({"checkpoint", "--leave-running", "--image-path", images, id});
    ASSERT_TRUE(dump.ok()) << dump.err;
    Count afterDump = readCount(countFile());
    EXPECT_EQ(state(id)["status"], "running");
    // It goes on counting: well past the count the image holds.
    ASSERT_GE(waitForCount(afterDump.value + 200).value, afterDump.value + 200);
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    Count beforeRestore = readCount(countFile());

    Result restore = rt({"restore", "-d", "--bundle", bundle, "--image-path", images, id});
    ASSERT_TRUE(restore.ok()) << restore.err;
    // Back to the count of the dump (between the reads around it), not the last one.
    Count next = waitForChange(beforeRestore.value);
    EXPECT_LT(next.value, beforeRestore.value);
    EXPECT_GT(next.value, beforeDump.value);
    // A slow guest may run a few rounds before we look again.
    EXPECT_LE(next.value, afterDump.value + 100);
    EXPECT_EQ(next.pid, afterDump.pid);
    EXPECT_TRUE(rt({"delete", "--force", id}).ok());
}

TEST_F(Checkpoint, PreDumpThenDumpWithParentPathRestores) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(5).value, 5);
    std::string pre = tmp_ + "/pre";
    std::string final_images = tmp_ + "/final";
    Result preDump = rt({"checkpoint", "--pre-dump", "--image-path", pre, id});
    ASSERT_TRUE(preDump.ok()) << preDump.err;
    EXPECT_EQ(state(id)["status"], "running");
    Count afterPre = readCount(countFile());
    ASSERT_GT(waitForCount(afterPre.value + 5).value, afterPre.value);
    Result dump = rt({"checkpoint", "--image-path", final_images, "--parent-path", "../pre", id});
    ASSERT_TRUE(dump.ok()) << dump.err;
    Count checkpointed = readCount(countFile());
    expectGoneOrStopped(id);
    Result restore = rt({"restore", "-d", "--bundle", bundle, "--image-path", final_images, id});
    ASSERT_TRUE(restore.ok()) << restore.err;
    expectContinuesFrom(checkpointed);
    EXPECT_TRUE(rt({"delete", "--force", id}).ok());
}

TEST_F(Checkpoint, RestoreOntoAnExistingIdIsRefusedAndLeavesItRunning) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(3).value, 3);
    std::string images = tmp_ + "/images";
    ASSERT_TRUE(rt({"checkpoint", "--leave-running", "--image-path", images, id}).ok());
    json before = state(id);
    Result restore = rt({"restore", "-d", "--bundle", bundle, "--image-path", images, id});
    EXPECT_FALSE(restore.ok());
    EXPECT_NE(restore.err.find("exists"), std::string::npos) << restore.err;
    json after = state(id);
    EXPECT_EQ(after["status"], "running");
    EXPECT_EQ(after["pid"], before["pid"]);
    EXPECT_TRUE(rt({"delete", "--force", id}).ok());
}

TEST_F(Checkpoint, RestoreFromADamagedImageFailsAndLeavesNothing) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(3).value, 3);
    std::string images = tmp_ + "/images";
    ASSERT_TRUE(rt({"checkpoint", "--image-path", images, id}).ok());
    rt({"delete", "--force", id});
    std::ofstream(images + "/inventory.img", std::ios::trunc) << "not a CRIU image";
    Result r = rt({"restore", "-d", "--bundle", bundle, "--image-path", images, id});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.err.find("criu failed"), std::string::npos) << r.err;
    // No state dir; TearDown finds any cgroup, mount or process left.
    EXPECT_FALSE(rt({"state", id}).ok());
}

TEST_F(Checkpoint, RestoreRunsPrestartAndCreateRuntimeHooksWithTheRestoredPid) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(3).value, 3);
    std::string images = tmp_ + "/images";
    ASSERT_TRUE(rt({"checkpoint", "--image-path", images, id}).ok());
    rt({"delete", "--force", id});
    // The same config with hooks that record their state and kind.
    json cfg = json::parse(std::ifstream(bundle + "/config.json"));
    std::string log = tmp_ + "/hooks.log";
    for (const char* kind : {"prestart", "createRuntime", "createContainer", "poststart"})
        cfg["hooks"][kind] = {
            {{"path", "/bin/sh"},
             {"args",
              {"sh", "-c", std::string("cat >> ") + log + "; echo \" " + kind + "\" >> " + log}}}};
    std::ofstream(bundle + "/config.json", std::ios::trunc) << cfg.dump();
    Result restore = rt({"restore", "-d", "--bundle", bundle, "--image-path", images, id});
    ASSERT_TRUE(restore.ok()) << restore.err;
    int pid = state(id)["pid"].get<int>();
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::string got = text.str();
    // runc runs prestart and createRuntime at restore (CRIU's setup-namespaces).
    EXPECT_NE(got.find(" prestart"), std::string::npos) << got;
    EXPECT_NE(got.find(" createRuntime"), std::string::npos) << got;
    EXPECT_NE(got.find("\"pid\":" + std::to_string(pid)), std::string::npos) << got;
    EXPECT_TRUE(rt({"delete", "--force", id}).ok());
}

TEST_F(Checkpoint, ForegroundRestoreWaitsForTheContainerThenDeletesIt) {
    SKIP_WITHOUT_CRIU();
    std::string id = newId();
    std::string bundle = countingBundle(id);
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_GE(waitForCount(3).value, 3);
    std::string images = tmp_ + "/images";
    ASSERT_TRUE(rt({"checkpoint", "--image-path", images, id}).ok());
    Count checkpointed = readCount(countFile());
    rt({"delete", "--force", id});
    pid_t restore = spawnHelper({runtimePath(), "--root", stateRoot_, "restore", "--bundle", bundle,
                                 "--image-path", images, id},
                                tmp_ + "/restore.out");
    expectContinuesFrom(checkpointed);
    ASSERT_TRUE(waitForStatus(id, "running"));
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    // The foreground restore sees it exit and deletes it, as run does.
    bool gone = false;
    for (int i = 0; i < 6000 && !gone; ++i) {
        gone = !rt({"state", id}).ok();
        if (!gone) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(gone) << "the container is still there after its process was killed";
    stopHelper(restore);
}

// No CRIU needed: refused before it runs.
TEST_F(Checkpoint, RestoreFromAMissingImageDirFailsAndLeavesNothing) {
    std::string id = newId();
    std::string bundle = makeBundle(id, config());
    Result r = rt({"restore", "-d", "--bundle", bundle, "--image-path", tmp_ + "/nothing", id});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.err.find("no such file or directory"), std::string::npos) << r.err;
    EXPECT_FALSE(rt({"state", id}).ok());
}

TEST_F(Checkpoint, RestoreFromADirWithoutImagesFailsAndLeavesNothing) {
    std::string id = newId();
    std::string bundle = makeBundle(id, config());
    std::string empty = tmp_ + "/empty";
    ::mkdir(empty.c_str(), 0700);
    std::ofstream(empty + "/inventory.img.bak") << "junk";
    Result r = rt({"restore", "-d", "--bundle", bundle, "--image-path", empty, id});
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(rt({"state", id}).ok());
}

TEST_F(Checkpoint, CheckpointOfAStoppedContainerIsRefused) {
    std::string id = newId();
    std::string bundle = makeBundle(id, config({"probe", "exit", "0"}));
    ASSERT_TRUE(rt({"run", "-d", "--bundle", bundle, id}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    Result r = rt({"checkpoint", "--image-path", tmp_ + "/images", id});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.err.find("stopped"), std::string::npos) << r.err;
    EXPECT_EQ(state(id)["status"], "stopped");
    EXPECT_TRUE(rt({"delete", id}).ok());
}

TEST_F(Checkpoint, CheckpointWhereCriuCannotRunSaysWhyAndLeavesTheContainerRunning) {
    if (criuUnavailable().empty()) GTEST_SKIP() << "criu check passes here";
    if (runtimeName() != "minirunc") GTEST_SKIP() << "the reason is minirunc's wording";
    std::string id = newId();
    ASSERT_TRUE(rt({"run", "-d", "--bundle", makeBundle(id, config()), id}).ok());
    Result r = rt({"checkpoint", "--image-path", tmp_ + "/images", id});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.err.find("criu failed: type DUMP"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("log file: " + tmp_ + "/images/dump.log"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("criu check failed on this host"), std::string::npos) << r.err;
    EXPECT_EQ(state(id)["status"], "running");
    EXPECT_TRUE(rt({"delete", "--force", id}).ok());
}

TEST_F(Checkpoint, FeaturesSayCheckpointIsEnabled) {
    Result r = rtBare({"features"});
    ASSERT_TRUE(r.ok()) << r.err;
    json doc = json::parse(r.out);
    EXPECT_EQ(doc["annotations"].value("org.opencontainers.runc.checkpoint.enabled", ""), "true")
        << r.out;
}

}  // namespace
}  // namespace minirunc::test
