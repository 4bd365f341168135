// HOME for a process whose env has none: runc (and so podman, its regression
// test for podman#9378) sets it from the container's /etc/passwd entry of
// process.user.uid, or "/" without one. create/run and exec alike.
#include <unistd.h>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Home : public RuntimeTest {
  protected:
    // A config on a private rootfs whose /etc/passwd is ours.
    json homeConfig(const std::vector<std::string>& args) {
        if (rootfs_.empty()) {
            rootfs_ = copyRootfs();
            writeFile(rootfs_ + "/etc/passwd",
                      "root:x:0:0:root:/root:/bin/sh\n"
                      "bob:x:1234:1234:Bob:/home/bob:/bin/sh\n");
        }
        json cfg = config(args);
        cfg["root"] = {{"path", rootfs_}, {"readonly", true}};
        cfg["process"]["env"] = {"PATH=/usr/local/bin:/usr/bin:/bin"};
        return cfg;
    }

    // The HOME lines of `probe env` output (all of them: there must be one).
    static std::vector<std::string> homes(const Result& r) {
        std::vector<std::string> found;
        for (const auto& line : splitLines(r.out))
            if (line.rfind("HOME=", 0) == 0) found.push_back(line);
        return found;
    }

    std::vector<std::string> runEnvAs(uint32_t uid, const std::vector<std::string>& env = {}) {
        json cfg = homeConfig({"probe", "env"});
        cfg["process"]["user"] = {{"uid", uid}, {"gid", uid}};
        for (const auto& e : env) cfg["process"]["env"].push_back(e);
        Result r = runProbe(cfg);
        EXPECT_TRUE(r.ok()) << r;
        return homes(r);
    }

    using Homes = std::vector<std::string>;
    std::string rootfs_;
};

TEST_F(Home, RunWithoutHomeTakesItFromThePasswdEntryOfTheUid) {
    EXPECT_EQ(runEnvAs(0), Homes{"HOME=/root"});
    EXPECT_EQ(runEnvAs(1234), Homes{"HOME=/home/bob"});
}

TEST_F(Home, RunAsAUidWithoutPasswdEntryGetsSlash) {
    EXPECT_EQ(runEnvAs(4321), Homes{"HOME=/"});
}

TEST_F(Home, RunKeepsTheConfiguredHome) {
    EXPECT_EQ(runEnvAs(1234, {"HOME=/custom"}), Homes{"HOME=/custom"});
}

TEST_F(Home, AnEmptyHomeIsReplacedFromPasswd) {
    // podman's "do not set empty HOME".
    EXPECT_EQ(runEnvAs(0, {"HOME="}), Homes{"HOME=/root"});
}

TEST_F(Home, ShellSeesHomeFromTheDefaultSpec) {
    // The reproduction: `sh -c 'echo HOME=$HOME'` on a spec without HOME.
    json cfg = homeConfig({"sh", "-c", "echo HOME=$HOME"});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "HOME=/root\n");
}

TEST_F(Home, PasswdSymlinkOutOfTheRootfsIsResolvedInsideIt) {
    // /etc/passwd -> an absolute host path: inside the container that path
    // does not exist, so the host's file must not be read.
    json cfg = homeConfig({"probe", "env"});
    std::string host = tmp_ + "/host-passwd";
    writeFile(host, "root:x:0:0:leak:/leaked-from-host:/bin/sh\n");
    ASSERT_EQ(unlink((rootfs_ + "/etc/passwd").c_str()), 0);
    ASSERT_EQ(symlink(host.c_str(), (rootfs_ + "/etc/passwd").c_str()), 0);
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(homes(r), Homes{"HOME=/"}) << r;
}

TEST_F(Home, ExecWithoutHomeTakesItFromPasswdForItsUser) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, homeConfig({"probe", "sleep", "1000"}))));
    auto execHomes = [&](const std::vector<std::string>& flags) {
        std::vector<std::string> args = {"exec"};
        args.insert(args.end(), flags.begin(), flags.end());
        args.insert(args.end(), {id, "probe", "env"});
        Result r = rt(args);
        EXPECT_TRUE(r.ok()) << r;
        return homes(r);
    };
    EXPECT_EQ(execHomes({}), Homes{"HOME=/root"});
    EXPECT_EQ(execHomes({"--user", "1234"}), Homes{"HOME=/home/bob"});
    EXPECT_EQ(execHomes({"--user", "4321:4321"}), Homes{"HOME=/"});
    EXPECT_EQ(execHomes({"--user", "1234", "--env", "HOME=/mine"}), Homes{"HOME=/mine"});
    ASSERT_TRUE(rt({"kill", id, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
}

}  // namespace
}  // namespace minirunc::test
