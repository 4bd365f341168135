// Lifecycle hooks (runtime-spec config.md "POSIX-platform Hooks" and the
// lifecycle of runtime.md): when each of the six kinds runs, where, with what
// on stdin, and what a failure or a timeout does to the container.
//
// Hook scripts live in <tmp>/hooks, which containers see at /srv (a bind
// mount): createContainer paths resolve on the host, startContainer paths in
// the container. The recorder appends its phase to <tmp>/hooks/out/order and
// keeps its stdin, namespaces and cwd as <phase>.{state,mnt,pidns,cwd}.
#include <sys/stat.h>
#include <unistd.h>

#include <tuple>

#include "harness.hpp"

namespace minirunc::test {
namespace {

const std::vector<std::string> kLifecycle = {"prestart",       "createRuntime", "createContainer",
                                             "startContainer", "poststart",     "poststop"};

constexpr const char* kRecorder = R"(#!/bin/sh
dir=$2
cat > "$dir/$1.state"
echo "$1" >> "$dir/order"
readlink /proc/self/ns/mnt > "$dir/$1.mnt"
readlink /proc/self/ns/pid > "$dir/$1.pidns"
pwd > "$dir/$1.cwd"
)";

class Hooks : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        hooks_ = tmp_ + "/hooks";
        out_ = hooks_ + "/out";
        ASSERT_EQ(mkdir(hooks_.c_str(), 0755), 0);
        ASSERT_EQ(mkdir(out_.c_str(), 0755), 0);
        script("record.sh", kRecorder);
    }

    void script(const std::string& name, const std::string& text) {
        std::string path = hooks_ + "/" + name;
        writeFile(path, text);
        ASSERT_EQ(chmod(path.c_str(), 0755), 0);
    }

    // startContainer hooks run after pivot_root: their paths are the container's.
    static bool inContainer(const std::string& kind) { return kind == "startContainer"; }
    std::string hookDir(const std::string& kind) const {
        return inContainer(kind) ? "/srv" : hooks_;
    }

    json recorder(const std::string& kind) const {
        std::string path = hookDir(kind) + "/record.sh";
        std::string dir = inContainer(kind) ? "/srv/out" : out_;
        return {{"path", path}, {"args", {path, kind, dir}}};
    }

    // A shell hook: /bin/sh of the host, or of the container for startContainer.
    static json shellHook(const std::string& command, int timeout = 0) {
        json h = {{"path", "/bin/sh"}, {"args", {"sh", "-c", command}}};
        if (timeout) h["timeout"] = timeout;
        return h;
    }

    // A container whose workload marks that it ran, with <tmp>/hooks at /srv.
    json hookedConfig(const std::string& workload = "exec probe sleep 100000") {
        json cfg = config({"sh", "-c",
                           "cp /srv/out/order /srv/out/workload 2>/dev/null; " +
                               std::string("echo ran >> /srv/out/workload; ") + workload});
        cfg["mounts"].push_back({{"destination", "/srv"},
                                 {"type", "bind"},
                                 {"source", hooks_},
                                 {"options", {"rbind", "rw"}}});
        cfg["annotations"] = {{"org.example.hooks", "yes"}};
        return cfg;
    }

    // Every kind records itself.
    json recordAll(json cfg) {
        for (const auto& kind : kLifecycle) cfg["hooks"][kind] = {recorder(kind)};
        return cfg;
    }

    std::vector<std::string> order() { return splitLines(readFile(out_ + "/order")); }
    std::string recorded(const std::string& kind, const std::string& what) {
        return trim(readFile(out_ + "/" + kind + "." + what));
    }
    json recordedState(const std::string& kind) { return parseJson(recorded(kind, "state")); }
    bool workloadRan() { return exists(out_ + "/workload"); }

    static std::string nsLink(const std::string& type, unsigned long long inode) {
        return type + ":[" + std::to_string(inode) + "]";
    }

    void expectGone(const std::string& id) {
        Result s = rt({"state", id});
        EXPECT_NE(s.status, 0) << s;
        EXPECT_TRUE(contains(s.err, "does not exist")) << s;
        EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
    }

    std::string hooks_;
    std::string out_;
};

TEST_F(Hooks, AllSixRunInLifecycleOrderWithTheirState) {
    auto id = newId();
    std::string bundle = makeBundle(id, recordAll(hookedConfig()));
    Result c = rt({"create", "--bundle", bundle, id});
    ASSERT_TRUE(c.ok()) << c;
    EXPECT_EQ(order(), (std::vector<std::string>{"prestart", "createRuntime", "createContainer"}));
    EXPECT_FALSE(workloadRan());
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);

    Result s = rt({"start", id});
    ASSERT_TRUE(s.ok()) << s;
    // poststart runs after the workload was executed and before start returns.
    EXPECT_EQ(order(), (std::vector<std::string>{"prestart", "createRuntime", "createContainer",
                                                 "startContainer", "poststart"}));
    ASSERT_TRUE(waitForFile(out_ + "/workload", "ran"));
    EXPECT_TRUE(contains(readFile(out_ + "/workload"), "startContainer\n"))
        << "the workload ran before the startContainer hook";
    EXPECT_EQ(state(id).value("status", ""), "running");

    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(order().size(), 5u) << "kill or stop ran a hook";
    Result d = rt({"delete", id});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_EQ(order(), kLifecycle);

    const std::map<std::string, std::string> status = {
        {"prestart", "creating"},        {"createRuntime", "creating"},
        {"createContainer", "creating"}, {"startContainer", "created"},
        {"poststart", "running"},        {"poststop", "stopped"}};
    for (const auto& kind : kLifecycle) {
        json st = recordedState(kind);
        EXPECT_EQ(st.value("status", ""), status.at(kind)) << kind << ": " << st;
        EXPECT_EQ(st.value("id", ""), id) << kind;
        EXPECT_EQ(st.value("bundle", ""), bundle) << kind;
        EXPECT_TRUE(st.contains("ociVersion")) << kind;
        EXPECT_EQ(st["annotations"].value("org.example.hooks", ""), "yes") << kind << ": " << st;
        if (kind == "createContainer" || kind == "startContainer") {
            // They run in the container's pid namespace: its view of the init.
            EXPECT_EQ(st.value("pid", 0), 1) << kind << ": " << st;
        } else if (kind != "poststop") {
            EXPECT_EQ(st.value("pid", 0), pid) << kind << ": " << st;
        }
    }
}

TEST_F(Hooks, EachKindRunsInItsNamespaceAndDirectory) {
    auto id = newId();
    std::string bundle = makeBundle(id, recordAll(hookedConfig()));
    Result c = rt({"create", "--bundle", bundle, id});
    ASSERT_TRUE(c.ok()) << c;
    int pid = state(id).value("pid", 0);
    std::string containerMnt = readLink("/proc/" + std::to_string(pid) + "/ns/mnt");
    std::string containerPid = readLink("/proc/" + std::to_string(pid) + "/ns/pid");
    ASSERT_TRUE(rt({"start", id}).ok());
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());

    std::string hostMnt = nsLink("mnt", hostNamespaceInode("mnt"));
    std::string hostPid = nsLink("pid", hostNamespaceInode("pid"));
    ASSERT_NE(containerMnt, hostMnt);
    for (const auto& kind : {"prestart", "createRuntime", "poststart", "poststop"}) {
        EXPECT_EQ(recorded(kind, "mnt"), hostMnt) << kind << " must run in the runtime namespace";
        EXPECT_EQ(recorded(kind, "pidns"), hostPid) << kind;
        EXPECT_EQ(recorded(kind, "cwd"), bundle) << kind;
    }
    for (const auto& kind : {"createContainer", "startContainer"}) {
        EXPECT_EQ(recorded(kind, "mnt"), containerMnt) << kind << " must run in the container";
        EXPECT_EQ(recorded(kind, "pidns"), containerPid) << kind;
    }
    // The rootfs, as runc: such hooks copy files into it by relative path.
    EXPECT_EQ(recorded("createContainer", "cwd"), testRootfs());
    EXPECT_EQ(recorded("startContainer", "cwd"), "/") << "process.cwd of the container";
}

TEST_F(Hooks, ContainerSideHooksGetThePidOfTheirOwnPidNamespace) {
    // Without a pid namespace of its own the container shares the host's, so
    // the pid those hooks see is the host's pid of the init.
    auto id = newId();
    json cfg = hookedConfig();
    for (const auto& kind : {"createContainer", "startContainer"})
        cfg["hooks"][kind] = {recorder(kind)};
    auto& namespaces = cfg["linux"]["namespaces"];
    for (auto it = namespaces.begin(); it != namespaces.end();)
        it = it->value("type", "") == "pid" ? namespaces.erase(it) : it + 1;
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 1);
    EXPECT_EQ(recordedState("createContainer").value("pid", 0), pid);
    EXPECT_EQ(recordedState("startContainer").value("pid", 0), pid);
}

TEST_F(Hooks, CreateContainerHookCopiesIntoTheRootfsByRelativePath) {
    // runc's hooks library test: a hook that places files with ./lib/...
    auto id = newId();
    json cfg = hookedConfig("cat /srv-copied");
    cfg["root"]["path"] = copyRootfs();
    cfg["root"]["readonly"] = false;
    cfg["hooks"]["createContainer"] = {shellHook("echo copied > ./srv-copied")};
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "copied\n") << r;
}

TEST_F(Hooks, RunRunsAllSixAndPoststopAfterTheContainerIsGone) {
    auto id = newId();
    json cfg = recordAll(hookedConfig("exit 0"));
    // poststop sees the state directory already removed.
    cfg["hooks"]["poststop"].push_back(shellHook("test -e " + stateRoot_ + "/" + id +
                                                 " && exit 1; echo gone > " + out_ + "/gone"));
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(order(), kLifecycle);
    EXPECT_EQ(trim(readFile(out_ + "/gone")), "gone") << r;
    expectGone(id);
}

TEST_F(Hooks, RunWithKeepRunsPoststopOnlyAtDelete) {
    auto id = newId();
    Result r =
        rt({"run", "--keep", "--bundle", makeBundle(id, recordAll(hookedConfig("exit 0"))), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(order().size(), 5u);
    ASSERT_TRUE(rt({"delete", id}).ok());
    EXPECT_EQ(order(), kLifecycle);
}

TEST_F(Hooks, PoststopRunsOnForceDeleteOfARunningContainer) {
    auto id = newId();
    json cfg = hookedConfig();
    cfg["hooks"]["poststop"] = {recorder("poststop")};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    ASSERT_TRUE(waitForFile(out_ + "/workload", "ran"));
    Result d = rt({"delete", "--force", id});
    ASSERT_TRUE(d.ok()) << d;
    EXPECT_EQ(order(), (std::vector<std::string>{"poststop"}));
    EXPECT_EQ(recordedState("poststop").value("status", ""), "stopped");
    expectGone(id);
}

TEST_F(Hooks, PoststopRunsWhenACreatedContainerIsDeleted) {
    auto id = newId();
    json cfg = hookedConfig();
    cfg["hooks"]["poststop"] = {recorder("poststop")};
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, cfg), id}).ok());
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    EXPECT_EQ(order(), (std::vector<std::string>{"poststop"}));
    EXPECT_FALSE(workloadRan());
}

TEST_F(Hooks, FailingPoststopIsOnlyAWarning) {
    auto id = newId();
    json cfg = hookedConfig();
    cfg["hooks"]["poststop"] = {shellHook("echo poststop-broke >&2; exit 1"), recorder("poststop")};
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    std::string log = tmp_ + "/log.json";
    Result d = rt({"--log", log, "--log-format", "json", "delete", "--force", id});
    EXPECT_TRUE(d.ok()) << d;
    EXPECT_EQ(order(), (std::vector<std::string>{"poststop"})) << "the next hook must still run";
    std::string text = readFile(log);
    EXPECT_TRUE(contains(text, "\"warning\"")) << text;
    EXPECT_TRUE(contains(text, "poststop-broke")) << text;
    EXPECT_FALSE(contains(text, "\"error\"")) << text;
    expectGone(id);
}

TEST_F(Hooks, ArgsAndEnvAreExactlyTheConfigs) {
    script("args.sh", R"(#!/bin/sh
# Opened by the shell itself: /proc/self is the hook, in any pid namespace.
exec 3< /proc/self/cmdline 4< /proc/self/environ
tr '\0' '\n' <&3 > "$2/$1.argv"
tr '\0' '\n' <&4 > "$2/$1.env"
)");
    auto id = newId();
    json cfg = hookedConfig("exit 0");
    for (const std::string kind : {"prestart", "createContainer", "poststop"}) {
        // argv[0] is args[0], not the path.
        cfg["hooks"][kind] = {
            {{"path", "/bin/sh"},
             {"args", {"custom-argv0", hooks_ + "/args.sh", kind, out_, "a b", ""}},
             {"env", {"ONE=1", "SPACED=x y", "EMPTY="}}}};
    }
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    for (const std::string kind : {"prestart", "createContainer", "poststop"}) {
        EXPECT_EQ(readFile(out_ + "/" + kind + ".argv"),
                  "custom-argv0\n" + hooks_ + "/args.sh\n" + kind + "\n" + out_ + "\na b\n\n")
            << kind;
        EXPECT_EQ(readFile(out_ + "/" + kind + ".env"), "ONE=1\nSPACED=x y\nEMPTY=\n") << kind;
    }
}

TEST_F(Hooks, HookOutputStaysOutOfTheRuntimesOutput) {
    auto id = newId();
    json cfg = hookedConfig("echo workload-out");
    for (const auto& kind : kLifecycle)
        cfg["hooks"][kind] = {shellHook("echo hook-stdout; echo hook-stderr >&2")};
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "workload-out\n");
    EXPECT_FALSE(contains(r.err, "hook-std")) << r;
}

TEST_F(Hooks, HooksMayIgnoreALargeState) {
    auto id = newId();
    json cfg = hookedConfig("exit 0");
    for (int i = 0; i < 3000; ++i)
        cfg["annotations"]["org.example.bulk." + std::to_string(i)] = std::string(100, 'v');
    for (const auto& kind : kLifecycle) cfg["hooks"][kind] = {shellHook("exit 0")};
    cfg["hooks"]["createContainer"].push_back(recorder("createContainer"));
    cfg["hooks"]["startContainer"].push_back(shellHook("exec 0<&-; sleep 0.1"));
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    json st = recordedState("createContainer");
    EXPECT_EQ(st["annotations"].size(), 3001u);
    EXPECT_TRUE(workloadRan());
}

// A failing hook of each kind (exit 1 or past its timeout), through create +
// start or through run: the command fails, the container is stopped and
// destroyed, the hooks after it do not run, poststop does, nothing leaks.
struct Failure {
    std::string kind;
    bool timeout;
    bool viaRun;
};

std::string nameOf(const Failure& f) {
    return f.kind + (f.timeout ? "Timeout" : "Exit") + (f.viaRun ? "Run" : "CreateStart");
}

// Keeps gtest from printing the parameter's bytes in test listings.
[[maybe_unused]] void PrintTo(const Failure& f, std::ostream* os) {
    *os << nameOf(f);
}

class HookFailure : public Hooks, public ::testing::WithParamInterface<Failure> {};

TEST_P(HookFailure, StopsAndDestroysTheContainerThenRunsPoststop) {
    const Failure& f = GetParam();
    auto id = newId();
    json cfg = hookedConfig();
    for (const auto& kind : kLifecycle) {
        if (kind == f.kind)
            cfg["hooks"][kind] = {f.timeout ? shellHook("sleep 5; true", 1)
                                            : shellHook("echo it-broke >&2; exit 1")};
        else
            cfg["hooks"][kind] = {recorder(kind)};
    }
    std::string bundle = makeBundle(id, cfg);
    bool atCreate =
        f.kind == "prestart" || f.kind == "createRuntime" || f.kind == "createContainer";
    Result failed;
    if (f.viaRun) {
        failed = runContainer(id, bundle);
    } else {
        Result c = rt({"create", "--bundle", bundle, id});
        if (atCreate) {
            failed = c;
        } else {
            ASSERT_TRUE(c.ok()) << c;
            failed = rt({"start", id});
        }
    }
    EXPECT_NE(failed.status, 0) << failed;
    // runc's phrase, which its own suite and callers match; minirunc adds the kind after it.
    EXPECT_TRUE(contains(failed.err, "error running hook #0")) << failed;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(failed.err, "(" + f.kind + ")")) << failed;
    }
    EXPECT_TRUE(contains(failed.err,
                         f.timeout ? "hook ran past specified timeout of 1.0s" : "exit status 1"))
        << failed;

    std::vector<std::string> expected;
    for (const auto& kind : kLifecycle) {
        if (kind == f.kind) break;
        expected.push_back(kind);
    }
    expected.push_back("poststop");
    EXPECT_EQ(order(), expected);
    EXPECT_EQ(recordedState("poststop").value("status", ""), "stopped");
    if (f.kind != "poststart") {
        EXPECT_FALSE(workloadRan()) << "the workload ran";
    }
    expectGone(id);
}

std::vector<Failure> failures() {
    std::vector<Failure> all;
    for (const auto& kind : kLifecycle) {
        if (kind == "poststop") continue;
        all.push_back({kind, false, false});
        all.push_back({kind, true, false});
        all.push_back({kind, false, true});
    }
    return all;
}

INSTANTIATE_TEST_SUITE_P(EachKind, HookFailure, ::testing::ValuesIn(failures()),
                         [](const ::testing::TestParamInfo<Failure>& info) {
                             return nameOf(info.param);
                         });

}  // namespace
}  // namespace minirunc::test
