// Crash safety: the runtime SIGKILLed at a random moment of `create`, `start`,
// `exec` or `delete` leaves something `delete --force ID` cleans completely (no
// state entry, cgroup, mount or process), after which the id can be used again;
// an init whose runtime died before `ready` exits on its own; a truncated or
// corrupt state.json gives a clear error and is still deletable with --force.
//
// The delays come from a seeded generator: $MINIRUNC_CRASH_SEED reproduces a run
// (the seed is printed with every failure).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "harness.hpp"

namespace minirunc::test {
namespace {

constexpr int kIterations = 6;
constexpr int kMaxDelayMicros = 30000;

unsigned crashSeed() {
    const char* env = std::getenv("MINIRUNC_CRASH_SEED");
    return env ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : 20261121u;
}

class CrashSafety : public RuntimeTest {
  protected:
    // Starts the runtime with args, SIGKILLs it after delay_us and reaps it.
    void killRuntimeAfter(const std::vector<std::string>& args, int delay_us) {
        std::vector<std::string> argv = {runtimePath(), "--root", stateRoot_};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_t pid = spawn(argv, tmp_ + "/killed.out");
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
        kill(pid, SIGKILL);
        ASSERT_EQ(waitpid(pid, nullptr, 0), pid);
    }

    // Nothing of the container is left on the host.
    void expectNothingLeft(const std::string& id) {
        EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state entry left";
        for (const auto& h : cgroupHierarchies()) {
            EXPECT_FALSE(exists(h + cgroupPathFor(id))) << "cgroup left in " << h;
        }
        for (const auto& m : hostMounts()) {
            EXPECT_FALSE(startsWithPath(m.mountPoint, tmp_)) << "mount left: " << m.mountPoint;
        }
    }

    // `delete --force` cleans whatever the killed command left, and the id works again.
    void expectForceDeleteCleansAndIdIsReusable(const std::string& id, const std::string& bundle) {
        Result d = rt({"delete", "--force", id});
        EXPECT_TRUE(d.ok()) << d;
        expectNothingLeft(id);
        Result c = rt({"create", "--bundle", bundle, id});
        ASSERT_TRUE(c.ok()) << c;
        Result s = rt({"start", id});
        EXPECT_TRUE(s.ok()) << s;
        EXPECT_EQ(state(id).value("status", ""), "running");
        Result again = rt({"delete", "--force", id});
        EXPECT_TRUE(again.ok()) << again;
        expectNothingLeft(id);
    }

    std::mt19937 rng_{crashSeed()};
    int nextDelay() { return std::uniform_int_distribution<int>(0, kMaxDelayMicros)(rng_); }
    std::string trace(int delay) {
        return "seed " + std::to_string(crashSeed()) + ", delay " + std::to_string(delay) + " us";
    }
};

TEST_F(CrashSafety, RuntimeKilledDuringCreateLeavesWhatForceDeleteCleans) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    for (int i = 0; i < kIterations; ++i) {
        int delay = nextDelay();
        SCOPED_TRACE(trace(delay));
        killRuntimeAfter({"create", "--bundle", bundle, id}, delay);
        expectForceDeleteCleansAndIdIsReusable(id, bundle);
    }
}

TEST_F(CrashSafety, InitWhoseRuntimeDiedBeforeReadyExits) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    for (int i = 0; i < kIterations; ++i) {
        int delay = nextDelay();
        SCOPED_TRACE(trace(delay));
        killRuntimeAfter({"create", "--bundle", bundle, id}, delay);
        Result st = rt({"state", id});
        bool created = st.ok() && contains(st.out, "\"created\"");
        if (!created) {
            // Not ready: nothing of the container may keep running, even before delete.
            std::string procs;
            for (const auto& h : cgroupHierarchies()) {
                procs += readFile(h + cgroupPathFor(id) + "/cgroup.procs");
            }
            EXPECT_TRUE(waitUntil(
                [&] {
                    std::string now;
                    for (const auto& h : cgroupHierarchies())
                        now += readFile(h + cgroupPathFor(id) + "/cgroup.procs");
                    return trim(now).empty();
                },
                3s))
                << "processes of a half-created container outlived their runtime: " << procs;
        }
        Result d = rt({"delete", "--force", id});
        EXPECT_TRUE(d.ok()) << d;
        expectNothingLeft(id);
    }
}

TEST_F(CrashSafety, RuntimeKilledDuringStartLeavesWhatForceDeleteCleans) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    for (int i = 0; i < kIterations; ++i) {
        int delay = nextDelay();
        SCOPED_TRACE(trace(delay));
        Result c = rt({"create", "--bundle", bundle, id});
        ASSERT_TRUE(c.ok()) << c;
        killRuntimeAfter({"start", id}, delay);
        Result st = rt({"state", id});
        EXPECT_TRUE(st.ok()) << st;
        expectForceDeleteCleansAndIdIsReusable(id, bundle);
    }
}

TEST_F(CrashSafety, RuntimeKilledDuringExecLeavesTheContainerWorking) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    ASSERT_TRUE(createAndStart(id, bundle));
    for (int i = 0; i < kIterations; ++i) {
        int delay = nextDelay();
        SCOPED_TRACE(trace(delay));
        killRuntimeAfter({"exec", id, "probe", "sleep", kUntilEnded}, delay);
        EXPECT_EQ(state(id).value("status", ""), "running");
        Result e = rt({"exec", id, "probe", "exit", "0"});
        EXPECT_TRUE(e.ok()) << e;
    }
    expectForceDeleteCleansAndIdIsReusable(id, bundle);
}

TEST_F(CrashSafety, RuntimeKilledDuringDeleteLeavesWhatForceDeleteCleans) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    for (int i = 0; i < kIterations; ++i) {
        int delay = nextDelay();
        SCOPED_TRACE(trace(delay));
        ASSERT_TRUE(createAndStart(id, bundle));
        killRuntimeAfter({"delete", "--force", id}, delay);
        Result d = rt({"delete", "--force", id});
        EXPECT_TRUE(d.ok()) << d;
        expectNothingLeft(id);
    }
    expectForceDeleteCleansAndIdIsReusable(id, bundle);
}

TEST_F(CrashSafety, TruncatedStateFileGivesAClearErrorAndForceDeleteCleans) {
    for (const std::string& damage : {std::string("truncate"), std::string("garbage")}) {
        SCOPED_TRACE(damage);
        auto id = newId();
        auto bundle = makeBundle(id, config());
        ASSERT_TRUE(createAndStart(id, bundle));
        std::string path = stateRoot_ + "/" + id + "/state.json";
        std::string text = readFile(path);
        writeFile(path, damage == "truncate" ? text.substr(0, text.size() / 2) : "\x01\xff{[");
        Result st = rt({"state", id});
        EXPECT_NE(st.status, 0) << st;
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(st.err, "corrupt")) << st;
        }
        Result d = rt({"delete", id});
        EXPECT_NE(d.status, 0) << d;
        Result force = rt({"delete", "--force", id});
        EXPECT_TRUE(force.ok()) << force;
        expectNothingLeft(id);
    }
}

}  // namespace
}  // namespace minirunc::test
