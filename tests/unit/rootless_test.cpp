#include "minirunc/rootless.hpp"

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

const char* kInitialMap = "         0          0 4294967295\n";
// Rootless podman's namespace: uid 0 is the user, 1.. its subordinate range.
const char* kPodmanMap = "         0       1001          1\n         1    1600000      65536\n";

RootlessFacts facts(uint32_t euid, const char* uid_map, const std::string& xdg = "") {
    RootlessFacts f;
    f.euid = euid;
    if (uid_map) f.uid_map = uid_map;
    f.xdg_runtime_dir = xdg;
    return f;
}

}  // namespace

TEST(InitialUserNamespace, OnlyTheFullIdentityMapIsTheInitialNamespace) {
    EXPECT_TRUE(is_initial_user_namespace(kInitialMap));
    EXPECT_TRUE(is_initial_user_namespace("0 0 4294967295"));
    EXPECT_FALSE(is_initial_user_namespace(kPodmanMap));
    EXPECT_FALSE(is_initial_user_namespace("0 0 65536\n"));  // identity, not the full range
    EXPECT_FALSE(is_initial_user_namespace("0 0 4294967295\n1 1 1\n"));
    EXPECT_FALSE(is_initial_user_namespace(""));  // an unwritten map
}

TEST(DecideRootless, RealRootIsNotRootless) {
    RootlessMode m = decide_rootless(facts(0, kInitialMap, "/run/user/0"));
    EXPECT_FALSE(m.unprivileged);
    EXPECT_FALSE(m.in_user_namespace);
    EXPECT_FALSE(m.cgroups);
    EXPECT_EQ(m.state_root, "/run/minirunc");
}

TEST(DecideRootless, AnUnprivilegedUserIsRootlessWithStateUnderXdgRuntimeDir) {
    RootlessMode m = decide_rootless(facts(1001, kInitialMap, "/run/user/1001"));
    EXPECT_TRUE(m.unprivileged);
    EXPECT_FALSE(m.in_user_namespace);
    EXPECT_TRUE(m.cgroups);
    EXPECT_EQ(m.state_root, "/run/user/1001/minirunc");
}

TEST(DecideRootless, AnUnprivilegedUserWithoutXdgRuntimeDirUsesAPerUserTmpDir) {
    EXPECT_EQ(decide_rootless(facts(1001, kInitialMap)).state_root, "/tmp/minirunc-1001");
}

TEST(DecideRootless, UidZeroInsideAUserNamespaceIsRootlessAsUnderRootlessPodman) {
    RootlessMode m = decide_rootless(facts(0, kPodmanMap, "/run/user/1001"));
    EXPECT_FALSE(m.unprivileged) << "root of its namespace writes the id maps itself";
    EXPECT_TRUE(m.in_user_namespace);
    EXPECT_TRUE(m.cgroups);
    EXPECT_EQ(m.state_root, "/run/user/1001/minirunc");
}

TEST(DecideRootless, UserRootInsideAUserNamespaceKeepsRunAsRuncDoes) {
    RootlessFacts f = facts(0, kPodmanMap, "/run/user/1001");
    f.user = "root";
    RootlessMode m = decide_rootless(f);
    EXPECT_TRUE(m.in_user_namespace);
    EXPECT_EQ(m.state_root, "/run/minirunc");
    f.user = "someone";
    EXPECT_EQ(decide_rootless(f).state_root, "/run/user/1001/minirunc");
}

TEST(DecideRootless, UidZeroInAUserNamespaceWithoutXdgRuntimeDirUsesRun) {
    EXPECT_EQ(decide_rootless(facts(0, kPodmanMap)).state_root, "/run/minirunc");
}

TEST(DecideRootless, NoUidMapMeansNoUserNamespaces) {
    RootlessMode m = decide_rootless(facts(0, nullptr, "/run/user/0"));
    EXPECT_FALSE(m.in_user_namespace);
    EXPECT_FALSE(m.cgroups);
}

TEST(DecideRootless, TheRootlessFlagDecidesCgroupsOnly) {
    RootlessFacts f = facts(0, kInitialMap, "/run/user/0");
    f.rootless_flag = "true";
    RootlessMode m = decide_rootless(f);
    EXPECT_TRUE(m.cgroups);
    EXPECT_FALSE(m.unprivileged);
    EXPECT_EQ(m.state_root, "/run/minirunc") << "the state root never depends on the flag";
    f = facts(1001, kInitialMap, "/run/user/1001");
    f.rootless_flag = "false";
    m = decide_rootless(f);
    EXPECT_FALSE(m.cgroups);
    EXPECT_TRUE(m.unprivileged);
    f.rootless_flag = "auto";
    EXPECT_TRUE(decide_rootless(f).cgroups);
    f.rootless_flag = "";
    EXPECT_TRUE(decide_rootless(f).cgroups);
    for (const char* yes : {"1", "t", "TRUE", "True"}) {
        f = facts(0, kInitialMap);
        f.rootless_flag = yes;
        EXPECT_TRUE(decide_rootless(f).cgroups) << yes;
    }
}

TEST(DecideRootless, ABadRootlessFlagIsAnErrorNamingIt) {
    RootlessFacts f = facts(0, kInitialMap);
    f.rootless_flag = "maybe";
    try {
        decide_rootless(f);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--rootless"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("maybe"), std::string::npos) << e.what();
    }
}
