// AppArmor profiles and SELinux labels on a host without that LSM: the
// config is refused with a clear error (as runc refuses it), never run
// without the confinement it asked for.
#include "harness.hpp"

namespace minirunc::test {
namespace {

bool apparmorEnabled() {
    return exists("/sys/kernel/security/apparmor") &&
           readFile("/sys/module/apparmor/parameters/enabled").substr(0, 1) == "Y";
}

bool selinuxEnabled() {
    return exists("/sys/fs/selinux/enforce");
}

class Lsm : public RuntimeTest {
  protected:
    // create with cfg must fail, naming `phrase` (minirunc), leaving nothing.
    void expectRefused(const json& cfg, const std::string& phrase) {
        auto id = newId();
        Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
        EXPECT_NE(r.status, 0) << r;
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(r.err, phrase)) << r;
        }
        EXPECT_TRUE(listDir(stateRoot_).empty());
    }
};

TEST_F(Lsm, ApparmorProfileIsRefusedWhenApparmorIsNotEnabled) {
    if (apparmorEnabled()) GTEST_SKIP() << "AppArmor is enabled on this host";
    json cfg = config({"probe", "exit", "0"});
    cfg["process"]["apparmorProfile"] = "docker-default";
    expectRefused(cfg, "apparmor is not enabled");
}

TEST_F(Lsm, SelinuxProcessLabelIsRefusedWhenSelinuxIsDisabled) {
    if (selinuxEnabled()) GTEST_SKIP() << "SELinux is enabled on this host";
    json cfg = config({"probe", "exit", "0"});
    cfg["process"]["selinuxLabel"] = "system_u:system_r:container_t:s0:c1,c2";
    expectRefused(cfg, "selinux label is specified in config, but selinux is disabled");
}

TEST_F(Lsm, SelinuxMountLabelIsRefusedWhenSelinuxIsDisabled) {
    if (selinuxEnabled()) GTEST_SKIP() << "SELinux is enabled on this host";
    json cfg = config({"probe", "exit", "0"});
    cfg["linux"]["mountLabel"] = "system_u:object_r:container_file_t:s0:c1,c2";
    expectRefused(cfg, "selinux mount label is specified in config");
}

TEST_F(Lsm, ExecWithAnApparmorProfileIsRefusedWhenApparmorIsNotEnabled) {
    if (apparmorEnabled()) GTEST_SKIP() << "AppArmor is enabled on this host";
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded}))));
    Result r = rt({"exec", "--apparmor", "docker-default", id, "probe", "exit", "0"});
    EXPECT_NE(r.status, 0) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "apparmor is not enabled")) << r;
    }
}

TEST_F(Lsm, ConfigWithoutLabelsRunsAsUsual) {
    json cfg = config({"probe", "exit", "0"});
    cfg["process"].erase("apparmorProfile");
    cfg["process"].erase("selinuxLabel");
    EXPECT_TRUE(runProbe(cfg).ok());
}

}  // namespace
}  // namespace minirunc::test
