#include "minirunc/namespace_plan.hpp"

#include <sched.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

spec::Namespace ns(std::string type, std::string path = "") {
    return spec::Namespace{std::move(type), std::move(path)};
}

constexpr int kAllButUser = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC |
                            CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWTIME;

}  // namespace

TEST(NamespaceCloneFlag, EveryKnownType) {
    EXPECT_EQ(namespace_clone_flag("pid"), CLONE_NEWPID);
    EXPECT_EQ(namespace_clone_flag("network"), CLONE_NEWNET);
    EXPECT_EQ(namespace_clone_flag("mount"), CLONE_NEWNS);
    EXPECT_EQ(namespace_clone_flag("ipc"), CLONE_NEWIPC);
    EXPECT_EQ(namespace_clone_flag("uts"), CLONE_NEWUTS);
    EXPECT_EQ(namespace_clone_flag("user"), CLONE_NEWUSER);
    EXPECT_EQ(namespace_clone_flag("cgroup"), CLONE_NEWCGROUP);
    EXPECT_EQ(namespace_clone_flag("time"), CLONE_NEWTIME);
}

TEST(NamespaceCloneFlag, UnknownTypesAreZero) {
    EXPECT_EQ(namespace_clone_flag(""), 0);
    EXPECT_EQ(namespace_clone_flag("net"), 0);  // the proc name is not the spec's type
    EXPECT_EQ(namespace_clone_flag("mnt"), 0);
    EXPECT_EQ(namespace_clone_flag("PID"), 0);
    EXPECT_EQ(namespace_clone_flag("bogus"), 0);
}

TEST(NamespaceProcName, NetworkAndMountUseTheKernelNames) {
    EXPECT_STREQ(namespace_proc_name("network"), "net");
    EXPECT_STREQ(namespace_proc_name("mount"), "mnt");
}

TEST(NamespaceProcName, OtherTypesKeepTheirName) {
    for (const char* type : {"pid", "ipc", "uts", "user", "cgroup", "time"})
        EXPECT_STREQ(namespace_proc_name(type), type);
}

TEST(NamespaceProcName, UnknownTypeIsEmpty) {
    EXPECT_STREQ(namespace_proc_name("bogus"), "");
    EXPECT_STREQ(namespace_proc_name(""), "");
}

TEST(NamespacePlanTest, EmptyListPlansNothing) {
    auto plan = plan_namespaces({});
    EXPECT_FALSE(plan.new_user);
    EXPECT_TRUE(plan.joins.empty());
    EXPECT_EQ(plan.unshare_flags, 0);
    EXPECT_FALSE(plan.pid_new_or_joined);
    EXPECT_FALSE(plan.has(CLONE_NEWPID));
    EXPECT_FALSE(plan.joined(CLONE_NEWPID));
}

TEST(NamespacePlanTest, NewNamespacesBecomeUnshareFlags) {
    auto plan = plan_namespaces({ns("pid"), ns("network"), ns("ipc"), ns("uts"), ns("mount")});
    EXPECT_EQ(plan.unshare_flags,
              CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS);
    EXPECT_TRUE(plan.joins.empty());
    EXPECT_FALSE(plan.new_user);
    EXPECT_TRUE(plan.pid_new_or_joined);
}

TEST(NamespacePlanTest, EveryTypeNewExceptUserInUnshareFlags) {
    auto plan = plan_namespaces({ns("pid"), ns("network"), ns("mount"), ns("ipc"), ns("uts"),
                                 ns("user"), ns("cgroup"), ns("time")});
    EXPECT_EQ(plan.unshare_flags, kAllButUser);
    EXPECT_EQ(plan.unshare_flags & CLONE_NEWUSER, 0);
    EXPECT_TRUE(plan.new_user);
    EXPECT_TRUE(plan.joins.empty());
}

TEST(NamespacePlanTest, NewUserNamespaceIsNotAnUnshareFlag) {
    auto plan = plan_namespaces({ns("user")});
    EXPECT_TRUE(plan.new_user);
    EXPECT_EQ(plan.unshare_flags, 0);
    EXPECT_FALSE(plan.has(CLONE_NEWUSER));  // has() covers unshare flags and joins only
    EXPECT_FALSE(plan.pid_new_or_joined);
}

TEST(NamespacePlanTest, PathMeansJoin) {
    auto plan = plan_namespaces({ns("network", "/var/run/netns/x"), ns("mount")});
    ASSERT_EQ(plan.joins.size(), 1u);
    EXPECT_EQ(plan.joins[0].type, "network");
    EXPECT_EQ(plan.joins[0].clone_flag, CLONE_NEWNET);
    EXPECT_EQ(plan.joins[0].path, "/var/run/netns/x");
    EXPECT_EQ(plan.unshare_flags, CLONE_NEWNS);
    EXPECT_TRUE(plan.joined(CLONE_NEWNET));
    EXPECT_FALSE(plan.joined(CLONE_NEWNS));
    EXPECT_TRUE(plan.has(CLONE_NEWNET));
    EXPECT_TRUE(plan.has(CLONE_NEWNS));
    EXPECT_FALSE(plan.has(CLONE_NEWPID));
}

TEST(NamespacePlanTest, JoinsKeepTheirOrder) {
    auto plan = plan_namespaces({ns("ipc", "/proc/1/ns/ipc"), ns("uts", "/proc/1/ns/uts"),
                                 ns("network", "/proc/1/ns/net")});
    ASSERT_EQ(plan.joins.size(), 3u);
    EXPECT_EQ(plan.joins[0].type, "ipc");
    EXPECT_EQ(plan.joins[1].type, "uts");
    EXPECT_EQ(plan.joins[2].type, "network");
    EXPECT_EQ(plan.unshare_flags, 0);
}

TEST(NamespacePlanTest, UserNamespaceJoinIsOrderedFirst) {
    auto plan = plan_namespaces({ns("network", "/proc/7/ns/net"), ns("ipc", "/proc/7/ns/ipc"),
                                 ns("user", "/proc/7/ns/user"), ns("mount")});
    ASSERT_EQ(plan.joins.size(), 3u);
    EXPECT_EQ(plan.joins[0].type, "user");
    EXPECT_EQ(plan.joins[0].clone_flag, CLONE_NEWUSER);
    EXPECT_EQ(plan.joins[0].path, "/proc/7/ns/user");
    EXPECT_EQ(plan.joins[1].type, "network");
    EXPECT_EQ(plan.joins[2].type, "ipc");
    EXPECT_FALSE(plan.new_user);
    EXPECT_TRUE(plan.joined(CLONE_NEWUSER));
    EXPECT_TRUE(plan.has(CLONE_NEWUSER));
    EXPECT_EQ(plan.unshare_flags, CLONE_NEWNS);
}

TEST(NamespacePlanTest, NewPidNamespaceNeedsAFork) {
    EXPECT_TRUE(plan_namespaces({ns("pid")}).pid_new_or_joined);
}

TEST(NamespacePlanTest, JoinedPidNamespaceNeedsAFork) {
    auto plan = plan_namespaces({ns("pid", "/proc/1/ns/pid")});
    EXPECT_TRUE(plan.pid_new_or_joined);
    EXPECT_TRUE(plan.joined(CLONE_NEWPID));
    EXPECT_EQ(plan.unshare_flags, 0);
}

TEST(NamespacePlanTest, NoPidNamespaceNeedsNoFork) {
    auto plan = plan_namespaces({ns("mount"), ns("network", "/x")});
    EXPECT_FALSE(plan.pid_new_or_joined);
}

TEST(NamespacePlanTest, ExecJoinsEveryNamespaceOfTheContainer) {
    auto plan = plan_namespaces({ns("user", "/proc/9/ns/user"), ns("pid", "/proc/9/ns/pid"),
                                 ns("mount", "/proc/9/ns/mnt"), ns("cgroup", "/proc/9/ns/cgroup"),
                                 ns("time", "/proc/9/ns/time")});
    EXPECT_EQ(plan.unshare_flags, 0);
    EXPECT_FALSE(plan.new_user);
    ASSERT_EQ(plan.joins.size(), 5u);
    EXPECT_EQ(plan.joins[0].type, "user");
    for (int flag : {CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWTIME}) {
        EXPECT_TRUE(plan.joined(flag)) << flag;
        EXPECT_TRUE(plan.has(flag)) << flag;
    }
    EXPECT_FALSE(plan.has(CLONE_NEWNET));
    EXPECT_TRUE(plan.pid_new_or_joined);
}

TEST(NamespacePlanTest, UnknownTypeThrows) {
    EXPECT_THROW(plan_namespaces({ns("pid"), ns("bogus")}), Error);
    try {
        plan_namespaces({ns("net")});
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("unknown namespace type \"net\""), std::string::npos)
            << e.what();
    }
}

TEST(NamespacePlanTest, UnknownTypeWithPathThrowsToo) {
    EXPECT_THROW(plan_namespaces({ns("bogus", "/proc/1/ns/bogus")}), Error);
}
