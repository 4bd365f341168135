// process.scheduler, process.ioPriority, process.execCPUAffinity,
// linux.personality and linux.memoryPolicy, seen from inside the container
// (/proc/self/stat, ioprio_get, /proc/self/status, uname -m,
// /proc/self/numa_maps) for `run` and for `exec --process`; bad values
// refused naming the field, with nothing left behind.
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.hpp"

namespace minirunc::test {
namespace {

// Fields 3.. of /proc/<pid>/stat (after "pid (comm) "): field n is at n - 3.
std::vector<std::string> statFields(const std::string& stat) {
    std::vector<std::string> fields;
    size_t pos = stat.rfind(") ");
    if (pos == std::string::npos) return fields;
    std::string rest = trim(stat.substr(pos + 2));
    size_t start = 0;
    while (start < rest.size()) {
        size_t end = rest.find(' ', start);
        if (end == std::string::npos) end = rest.size();
        fields.push_back(rest.substr(start, end - start));
        start = end + 1;
    }
    return fields;
}

struct Sched {
    int nice = -100;
    int rtPriority = -1;
    int policy = -1;
};

Sched schedOf(const std::string& stat) {
    auto f = statFields(stat);
    Sched s;
    if (f.size() < 39) return s;
    s.nice = std::stoi(f[19 - 3]);
    s.rtPriority = std::stoi(f[40 - 3]);
    s.policy = std::stoi(f[41 - 3]);
    return s;
}

std::string statusField(const std::string& status, const std::string& name) {
    for (const auto& line : splitLines(status))
        if (line.rfind(name + ":", 0) == 0) return trim(line.substr(name.size() + 1));
    return "";
}

// The allowed CPUs of this test process, as the kernel lists them.
std::string ownCpusAllowed() {
    return statusField(readFile("/proc/self/status"), "Cpus_allowed_list");
}

class ProcessAttributes : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        // Debian's runc 1.1.5 predates every field here (runtime-spec 1.2/1.3).
        if (runtimeName() != "minirunc") {
            Result v = rtBare({"--version"});
            if (contains(v.out, "runc version 1.0.") || contains(v.out, "runc version 1.1."))
                GTEST_SKIP() << "runc " << trim(splitLines(v.out).at(0))
                             << " predates scheduler, ioPriority, execCPUAffinity, "
                                "personality and memoryPolicy";
        }
    }

    std::string startContainer(json cfg) {
        std::string id = newId();
        EXPECT_TRUE(createAndStart(id, makeBundle(id, std::move(cfg))));
        return id;
    }

    // `exec --process FILE ID` of `args` with `extra` merged into the process.
    Result execProcess(const std::string& id, const std::vector<std::string>& args,
                       const json& extra = json::object()) {
        json process = {{"args", args}, {"cwd", "/"}, {"env", {"PATH=/bin:/usr/bin"}}};
        process.update(extra);
        std::string file = tmp_ + "/" + newId() + ".json";
        writeFile(file, process.dump());
        return rt({"exec", "--process", file, id});
    }

    // `create` fails naming the field (minirunc's wording), leaving no state.
    void expectCreateRefused(const std::string& what, json cfg, const std::string& message) {
        SCOPED_TRACE(what);
        auto id = newId();
        Result r = rt({"create", "--bundle", makeBundle(id, std::move(cfg)), id});
        EXPECT_NE(r.status, 0) << r;
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(r.err, message)) << r;
        }
        EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
    }
};

constexpr int kSchedOther = 0, kSchedBatch = 3, kSchedIdle = 5;

TEST_F(ProcessAttributes, SchedulerPolicyAndNiceAreApplied) {
    json cfg = config({"probe", "read", "/proc/self/stat"});
    cfg["process"]["scheduler"] = {{"policy", "SCHED_BATCH"}, {"nice", 7}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    Sched s = schedOf(r.out);
    EXPECT_EQ(s.policy, kSchedBatch) << r.out;
    EXPECT_EQ(s.nice, 7) << r.out;
}

TEST_F(ProcessAttributes, SchedulerOfExecIsTheProcessFilesOrTheContainers) {
    json cfg = config({"probe", "sleep", "60"});
    cfg["process"]["scheduler"] = {{"policy", "SCHED_BATCH"}, {"nice", 7}};
    auto id = startContainer(cfg);
    // A process file without a scheduler gets the container's (as runc).
    Result r = execProcess(id, {"probe", "read", "/proc/self/stat"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(schedOf(r.out).policy, kSchedBatch) << r.out;
    EXPECT_EQ(schedOf(r.out).nice, 7) << r.out;
    r = execProcess(id, {"probe", "read", "/proc/self/stat"},
                    {{"scheduler", {{"policy", "SCHED_IDLE"}}}});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(schedOf(r.out).policy, kSchedIdle) << r.out;
    r = execProcess(id, {"probe", "read", "/proc/self/stat"},
                    {{"scheduler", {{"policy", "SCHED_OTHER"}, {"nice", 3}}}});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(schedOf(r.out).policy, kSchedOther) << r.out;
    EXPECT_EQ(schedOf(r.out).nice, 3) << r.out;
}

TEST_F(ProcessAttributes, BadSchedulerIsRefusedNamingTheField) {
    json cfg = config();
    cfg["process"]["scheduler"] = {{"policy", "SCHED_FAST"}};
    expectCreateRefused("unknown policy", cfg, "/process/scheduler/policy");
    cfg["process"]["scheduler"] = {{"policy", "SCHED_OTHER"}, {"flags", {"SCHED_FLAG_FAST"}}};
    expectCreateRefused("unknown flag", cfg, "/process/scheduler/flags/0");
    cfg["process"]["scheduler"] = {{"policy", "SCHED_BATCH"}, {"nice", 40}};
    expectCreateRefused("nice out of range", cfg, "/process/scheduler/nice");
    // Valid JSON the kernel refuses (runtime longer than the deadline): the
    // init's error names the field.
    cfg["process"]["scheduler"] = {{"policy", "SCHED_DEADLINE"},
                                   {"runtime", 2000000},
                                   {"deadline", 1000000},
                                   {"period", 1000000}};
    expectCreateRefused("deadline refused by the kernel", cfg,
                        "/process/scheduler: sched_setattr: invalid argument");
    // exec: the same checks on a process file, nothing left running.
    auto id = startContainer(config({"probe", "sleep", "60"}));
    Result r = execProcess(id, {"probe", "exit", "0"}, {{"scheduler", {{"policy", "SCHED_X"}}}});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "scheduler/policy")) << r;
}

// ioprio_get(IOPRIO_WHO_PROCESS, 0) inside the container.
std::vector<std::string> ioprioGet() {
    return {"probe", "syscall", std::to_string(SYS_ioprio_get), "1", "0"};
}

TEST_F(ProcessAttributes, IoPriorityIsApplied) {
    json cfg = config(ioprioGet());
    cfg["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_BE"}, {"priority", 6}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)).value("ret", -1), 2 << 13 | 6) << r.out;
    // busybox's view, as a user would look.
    cfg = config({"sh", "-c", "ionice -p $$"});
    cfg["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_IDLE"}, {"priority", 0}};
    r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "idle")) << r.out;
}

TEST_F(ProcessAttributes, IoPriorityOfExecIsTheProcessFilesOrTheContainers) {
    json cfg = config({"probe", "sleep", "60"});
    cfg["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_BE"}, {"priority", 6}};
    auto id = startContainer(cfg);
    Result r = execProcess(id, ioprioGet());
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)).value("ret", -1), 2 << 13 | 6) << r.out;
    r = execProcess(id, ioprioGet(),
                    {{"ioPriority", {{"class", "IOPRIO_CLASS_IDLE"}, {"priority", 0}}}});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)).value("ret", -1), 3 << 13) << r.out;
}

TEST_F(ProcessAttributes, BadIoPriorityIsRefusedNamingTheField) {
    json cfg = config();
    cfg["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_FAST"}, {"priority", 0}};
    expectCreateRefused("unknown class", cfg, "/process/ioPriority/class");
    cfg["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_BE"}, {"priority", 8}};
    expectCreateRefused("priority out of range", cfg, "/process/ioPriority/priority");
    auto id = startContainer(config({"probe", "sleep", "60"}));
    Result r = execProcess(id, {"probe", "exit", "0"},
                           {{"ioPriority", {{"class", "IOPRIO_CLASS_X"}, {"priority", 0}}}});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "ioPriority/class")) << r;
}

// Runs `fn` with this test process (and so the runtime it starts) pinned to
// CPU 0, then restores its affinity.
template <class Fn>
void pinnedToCpu0(Fn fn) {
    cpu_set_t saved, one;
    ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    fn();
    sched_setaffinity(0, sizeof saved, &saved);
}

class ExecCpuAffinity : public ProcessAttributes {
  protected:
    void SetUp() override {
        ProcessAttributes::SetUp();
        if (IsSkipped()) return;
        allCpus_ = ownCpusAllowed();
        if (cpusAllowedToSelf() < 2)
            GTEST_SKIP() << "needs two CPUs allowed to the test (has " << allCpus_ << ")";
        cpu_set_t set;
        sched_getaffinity(0, sizeof set, &set);
        if (!CPU_ISSET(0, &set) || !CPU_ISSET(1, &set))
            GTEST_SKIP() << "needs CPUs 0 and 1 allowed to the test (has " << allCpus_ << ")";
    }
    static int cpusAllowedToSelf() {
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set)) return 0;
        return CPU_COUNT(&set);
    }
    std::string allCpus_;
};

const std::vector<std::string> kReadStatus = {"probe", "read", "/proc/self/status"};

TEST_F(ExecCpuAffinity, ContainerInitDoesNotInheritTheRuntimesAffinity) {
    pinnedToCpu0([&] {
        Result r = runProbe(config(kReadStatus));
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), allCpus_) << r.out;
    });
}

TEST_F(ExecCpuAffinity, ExecWithoutAffinityDoesNotInheritTheRuntimes) {
    auto id = startContainer(config({"probe", "sleep", "60"}));
    pinnedToCpu0([&] {
        Result r = execProcess(id, kReadStatus);
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), allCpus_) << r.out;
    });
}

TEST_F(ExecCpuAffinity, FinalIsTheExecdProcesssAffinity) {
    json cfg = config(kReadStatus);
    // Not for the container's own init (runtime-spec), only for exec.
    cfg["process"]["execCPUAffinity"] = {{"initial", "0"}, {"final", "1"}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), allCpus_) << r.out;

    cfg["process"]["args"] = {"probe", "sleep", "60"};
    auto id = startContainer(cfg);
    // The container's execCPUAffinity is the default of a process file without one.
    r = execProcess(id, kReadStatus);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), "1") << r.out;
    r = execProcess(id, kReadStatus, {{"execCPUAffinity", {{"final", "0"}}}});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), "0") << r.out;
    // Plain `exec` (flags) uses the container's process, and so its affinity.
    r = rt({"exec", id, "probe", "read", "/proc/self/status"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(statusField(r.out, "Cpus_allowed_list"), "1") << r.out;
}

TEST_F(ExecCpuAffinity, BadCpuListIsRefusedNamingTheField) {
    json cfg = config();
    cfg["process"]["execCPUAffinity"] = {{"initial", "zz-garbage"}};
    expectCreateRefused("garbage initial", cfg, "/process/execCPUAffinity/initial");
    cfg["process"]["execCPUAffinity"] = {{"final", "3-1"}};
    expectCreateRefused("reversed range", cfg, "/process/execCPUAffinity/final");
    cfg["process"]["execCPUAffinity"] = {{"final", "99999999"}};
    expectCreateRefused("beyond any CPU id", cfg, "/process/execCPUAffinity/final");
    auto id = startContainer(config({"probe", "sleep", "60"}));
    Result r = execProcess(id, {"probe", "exit", "0"}, {{"execCPUAffinity", {{"final", "x"}}}});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "execCPUAffinity/final")) << r;
}

TEST_F(ProcessAttributes, PersonalityLinux32IsApplied) {
    json cfg = config({"uname", "-m"});
    cfg["linux"]["personality"] = {{"domain", "LINUX32"}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    std::string host = trim(run({"uname", "-m"}).out);
    if (host == "x86_64") {
        EXPECT_EQ(trim(r.out), "i686");
    } else if (host == "aarch64") {
        EXPECT_EQ(trim(r.out), "armv8l");
    }
    // The domain itself, on any architecture.
    cfg["process"]["args"] = {"probe", "syscall", std::to_string(SYS_personality), "0xffffffff"};
    r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(trim(r.out)).value("ret", -1), 0x0008) << r.out;
}

TEST_F(ProcessAttributes, PersonalityAppliesToExecAndFlagsAreIgnoredAsRuncDoes) {
    json cfg = config({"probe", "sleep", "60"});
    cfg["linux"]["personality"] = {{"domain", "LINUX32"}, {"flags", {"ADDR_NO_RANDOMIZE"}}};
    auto id = startContainer(cfg);
    Result r = execProcess(id, {"probe", "syscall", std::to_string(SYS_personality), "0xffffffff"});
    ASSERT_TRUE(r.ok()) << r;
    // LINUX32 alone: the flag (ADDR_NO_RANDOMIZE, 0x0040000) was not applied.
    EXPECT_EQ(parseJson(trim(r.out)).value("ret", -1), 0x0008) << r.out;
}

TEST_F(ProcessAttributes, BadPersonalityIsRefusedNamingTheField) {
    json cfg = config();
    cfg["linux"]["personality"] = {{"domain", "BSD"}};
    expectCreateRefused("unknown domain", cfg, "/linux/personality/domain");
}

class MemoryPolicy : public ProcessAttributes {
  protected:
    void SetUp() override {
        ProcessAttributes::SetUp();
        if (IsSkipped()) return;
        if (!exists("/proc/self/numa_maps")) GTEST_SKIP() << "kernel without CONFIG_NUMA";
        if (!exists("/sys/devices/system/node/node0")) GTEST_SKIP() << "no NUMA node 0";
    }
    // The policy numa_maps shows for the first mapping (the task's policy
    // where the mapping has none).
    static std::string policyShown(const std::string& numaMaps) {
        auto lines = splitLines(numaMaps);
        if (lines.empty()) return "";
        auto fields = statFields(") " + lines[0]);
        return fields.size() > 1 ? fields[1] : "";
    }
};

const std::vector<std::string> kReadNumaMaps = {"probe", "read", "/proc/self/numa_maps"};

TEST_F(MemoryPolicy, InterleaveBindAndPreferredAreApplied) {
    const std::pair<json, std::string> cases[] = {
        {{{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}}, "interleave:0"},
        {{{"mode", "MPOL_BIND"}, {"nodes", "0"}}, "bind:0"},
        {{{"mode", "MPOL_PREFERRED"}, {"nodes", "0"}}, "prefer:0"},
        {{{"mode", "MPOL_LOCAL"}}, "local"},
        {{{"mode", "MPOL_DEFAULT"}}, "default"},
        {{{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}, {"flags", {"MPOL_F_STATIC_NODES"}}},
         "interleave=static:0"},
    };
    for (const auto& [policy, shown] : cases) {
        SCOPED_TRACE(policy.dump());
        json cfg = config(kReadNumaMaps);
        cfg["linux"]["memoryPolicy"] = policy;
        Result r = runProbe(cfg);
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(policyShown(r.out), shown) << r.out;
    }
}

TEST_F(MemoryPolicy, AppliesToExec) {
    json cfg = config({"probe", "sleep", "60"});
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_BIND"}, {"nodes", "0"}};
    auto id = startContainer(cfg);
    Result r = execProcess(id, kReadNumaMaps);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(policyShown(r.out), "bind:0") << r.out;
}

TEST_F(MemoryPolicy, BadPolicyIsRefusedNamingTheField) {
    json cfg = config();
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_BOGUS"}};
    expectCreateRefused("unknown mode", cfg, "/linux/memoryPolicy/mode");
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_BIND"}};
    expectCreateRefused("bind without nodes", cfg, "/linux/memoryPolicy/nodes");
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_LOCAL"}, {"nodes", "0"}};
    expectCreateRefused("local with nodes", cfg, "/linux/memoryPolicy/nodes");
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_BIND"}, {"nodes", "0-"}};
    expectCreateRefused("malformed nodes", cfg, "/linux/memoryPolicy/nodes");
    cfg["linux"]["memoryPolicy"] = {
        {"mode", "MPOL_BIND"}, {"nodes", "0"}, {"flags", {"MPOL_F_BOGUS"}}};
    expectCreateRefused("unknown flag", cfg, "/linux/memoryPolicy/flags/0");
    // A node the host lacks: said before anything is created.
    unsigned missing = 0;
    while (exists("/sys/devices/system/node/node" + std::to_string(missing))) ++missing;
    cfg["linux"]["memoryPolicy"] = {{"mode", "MPOL_BIND"}, {"nodes", std::to_string(missing)}};
    expectCreateRefused(
        "node that does not exist", cfg,
        "/linux/memoryPolicy/nodes: NUMA node " + std::to_string(missing) + " does not exist");
}

}  // namespace
}  // namespace minirunc::test
