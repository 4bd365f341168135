#include "minirunc/seccomp_plan.hpp"

#include <gtest/gtest.h>

using namespace minirunc;

TEST(SeccompPlan, FilterIsLoadedJustBeforeExecveUnlessItNotifies) {
    EXPECT_EQ(seccomp_load_point(false), SeccompLoadPoint::before_exec);
}

TEST(SeccompPlan, NotifyFilterIsLoadedWhileTheSyncChannelIsOpen) {
    EXPECT_EQ(seccomp_load_point(true), SeccompLoadPoint::before_ready);
}

TEST(SeccompPlan, SysAdminIsHeldThroughTheIdentitySwitchOnlyWhenNothingElseAllowsTheLoad) {
    EXPECT_TRUE(seccomp_needs_held_sys_admin(false, false));
    EXPECT_FALSE(seccomp_needs_held_sys_admin(true, false));
    EXPECT_FALSE(seccomp_needs_held_sys_admin(false, true));
    EXPECT_FALSE(seccomp_needs_held_sys_admin(true, true));
}

TEST(SeccompPlan, FlagNamesBecomeKernelFlags) {
    EXPECT_EQ(seccomp_load_flags({}, false), 0u);
    EXPECT_EQ(seccomp_load_flags({"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                  "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
                                 false),
              1u | 2u | 4u);
}

TEST(SeccompPlan, NotifyAddsANewListenerAndDropsTsync) {
    EXPECT_EQ(seccomp_load_flags({}, true), kSeccompFlagNewListener);
    EXPECT_EQ(seccomp_load_flags(
                  {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}, true),
              kSeccompFlagNewListener | kSeccompFlagWaitKillableRecv);
}

TEST(SeccompPlan, WaitKillableRecvWithoutAListenerIsDropped) {
    EXPECT_EQ(seccomp_load_flags({"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}, false), 0u);
}

TEST(SeccompPlan, NotifyIsSeenInAnyRule) {
    spec::Seccomp seccomp;
    seccomp.syscalls.push_back({{"mkdir"}, "SCMP_ACT_ERRNO", std::nullopt, {}});
    EXPECT_FALSE(seccomp_uses_notify(seccomp));
    seccomp.syscalls.push_back({{"mount"}, "SCMP_ACT_NOTIFY", std::nullopt, {}});
    EXPECT_TRUE(seccomp_uses_notify(seccomp));
}

TEST(SeccompPlan, ContainerProcessStateFollowsTheRuntimeSpec) {
    ContainerState container;
    container.id = "c1";
    container.pid = 4422;
    container.bundle = "/containers/redis";
    container.annotations = {{"myKey", "myValue"}};
    nlohmann::json doc = container_process_state(container, Status::Creating, 4422, "MKNOD=1");
    EXPECT_EQ(doc, nlohmann::json::parse(R"({
        "ociVersion": "1.3.0", "fds": ["seccompFd"], "pid": 4422, "metadata": "MKNOD=1",
        "state": {"ociVersion": "1.3.0", "id": "c1", "status": "creating", "pid": 4422,
                  "bundle": "/containers/redis", "annotations": {"myKey": "myValue"}}})"));
    doc = container_process_state(container, Status::Running, 5000, "");
    EXPECT_EQ(doc["pid"], 5000);
    EXPECT_EQ(doc["state"]["pid"], 4422);
    EXPECT_EQ(doc["state"]["status"], "running");
    EXPECT_FALSE(doc.contains("metadata"));
}
