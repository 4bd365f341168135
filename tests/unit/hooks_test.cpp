#include "minirunc/hooks.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

using namespace minirunc;
using nlohmann::json;

namespace {

constexpr HookKind kAllKinds[] = {HookKind::Prestart,        HookKind::CreateRuntime,
                                  HookKind::CreateContainer, HookKind::StartContainer,
                                  HookKind::Poststart,       HookKind::Poststop};

ContainerState sample_state() {
    ContainerState s;
    s.id = "web";
    s.pid = 4242;
    s.bundle = "/srv/bundles/web";
    s.rootfs = "/srv/bundles/web/rootfs";
    s.created = "2026-11-21T12:00:00.123456789Z";
    s.annotations = {{"org.example/key", "value"}};
    s.cgroup_dirs = {"/sys/fs/cgroup/web"};
    return s;
}

spec::Hook hook(const std::string& path) {
    spec::Hook h;
    h.path = path;
    return h;
}

int exited(int code) {
    return code << 8;  // as waitpid reports a normal exit
}

}  // namespace

TEST(Hooks, KindsHaveTheirConfigNames) {
    std::vector<std::string> names;
    for (HookKind kind : kAllKinds) names.push_back(to_string(kind));
    EXPECT_EQ(names, (std::vector<std::string>{"prestart", "createRuntime", "createContainer",
                                               "startContainer", "poststart", "poststop"}));
}

TEST(Hooks, EachKindSelectsItsOwnList) {
    spec::Hooks hooks;
    hooks.prestart = {hook("/p")};
    hooks.create_runtime = {hook("/cr")};
    hooks.create_container = {hook("/cc")};
    hooks.start_container = {hook("/sc")};
    hooks.poststart = {hook("/ps")};
    hooks.poststop = {hook("/st")};
    std::vector<std::string> paths;
    for (HookKind kind : kAllKinds) paths.push_back(hook_list(hooks, kind).at(0).path);
    EXPECT_EQ(paths, (std::vector<std::string>{"/p", "/cr", "/cc", "/sc", "/ps", "/st"}));
}

TEST(Hooks, StatusFollowsThePhase) {
    EXPECT_EQ(hook_status(HookKind::Prestart), Status::Creating);
    EXPECT_EQ(hook_status(HookKind::CreateRuntime), Status::Creating);
    EXPECT_EQ(hook_status(HookKind::CreateContainer), Status::Creating);
    EXPECT_EQ(hook_status(HookKind::StartContainer), Status::Created);
    EXPECT_EQ(hook_status(HookKind::Poststart), Status::Running);
    EXPECT_EQ(hook_status(HookKind::Poststop), Status::Stopped);
}

TEST(Hooks, StateHasExactlyTheRuntimeSpecFields) {
    json doc = hook_state(sample_state(), HookKind::CreateRuntime);
    EXPECT_EQ(doc, json::parse(R"({
        "ociVersion": "1.3.0", "id": "web", "status": "creating", "pid": 4242,
        "bundle": "/srv/bundles/web", "annotations": {"org.example/key": "value"}})"));
}

TEST(Hooks, StateOfEachPhase) {
    ContainerState s = sample_state();
    EXPECT_EQ(hook_state(s, HookKind::StartContainer)["status"], "created");
    EXPECT_EQ(hook_state(s, HookKind::Poststart)["status"], "running");
    EXPECT_EQ(hook_state(s, HookKind::Poststart)["pid"], 4242);
    json stopped = hook_state(s, HookKind::Poststop);
    EXPECT_EQ(stopped["status"], "stopped");
    EXPECT_FALSE(stopped.contains("pid")) << "a stopped container's pid may be reused";
}

TEST(Hooks, StateWithoutAnnotationsOrPidLeavesThemOut) {
    ContainerState s = sample_state();
    s.annotations.clear();
    s.pid = 0;
    json doc = hook_state(s, HookKind::Prestart);
    EXPECT_FALSE(doc.contains("annotations"));
    EXPECT_FALSE(doc.contains("pid"));
}

TEST(Hooks, WithHookStatusRewritesOnlyTheStatus) {
    json creating = hook_state(sample_state(), HookKind::CreateContainer);
    json created = with_hook_status(creating, HookKind::StartContainer);
    EXPECT_EQ(created["status"], "created");
    created["status"] = "creating";
    EXPECT_EQ(created, creating);
}

TEST(Hooks, SuccessIsNoFailure) {
    HookOutcome ok;
    ok.wait_status = exited(0);
    ok.out = "noise";
    EXPECT_EQ(hook_failure(hook("/bin/true"), ok), "");
}

TEST(Hooks, NonZeroExitQuotesOutput) {
    HookOutcome o;
    o.wait_status = exited(3);
    o.out = "some output\n";
    o.err = "it broke\n";
    EXPECT_EQ(hook_failure(hook("/h"), o), "exit status 3, stdout: some output, stderr: it broke");
}

TEST(Hooks, DeathBySignalIsNamed) {
    HookOutcome o;
    o.wait_status = SIGKILL;  // WIFSIGNALED with WTERMSIG 9
    EXPECT_EQ(hook_failure(hook("/h"), o), "signal: killed, stdout: , stderr: ");
}

TEST(Hooks, TimeoutWins) {
    HookOutcome o;
    o.wait_status = SIGKILL;
    o.timed_out_after = 2;
    EXPECT_EQ(hook_failure(hook("/h"), o), "hook ran past specified timeout of 2.0s");
}

TEST(Hooks, ExecFailureNamesThePath) {
    HookOutcome o;
    o.wait_status = exited(127);
    o.exec_errno = ENOENT;
    EXPECT_EQ(hook_failure(hook("/no/such"), o), "fork/exec /no/such: no such file or directory");
}

TEST(Hooks, ErrorMessageNamesKindAndIndex) {
    EXPECT_EQ(hook_error_message(HookKind::CreateRuntime, 1, "exit status 1"),
              "error running hook #1 (createRuntime): exit status 1");
}
