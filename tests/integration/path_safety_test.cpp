// Container paths are resolved inside the rootfs: symlinks in the image (absolute
// or climbing with "..") never lead a mount, a device or a masked path to the
// host, and /proc or /sys destinations that are symlinks are refused.
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

class PathSafety : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        outside_ = tmp_ + "/outside";
        ASSERT_EQ(mkdir(outside_.c_str(), 0755), 0);
        rootfs_ = copyRootfs();
    }

    // The host directory a symlink in the image points at must stay untouched.
    void expectOutsideUntouched() {
        EXPECT_TRUE(listDir(outside_).empty()) << ::testing::PrintToString(listDir(outside_));
        for (const auto& m : hostMounts())
            EXPECT_FALSE(startsWithPath(m.mountPoint, outside_)) << m.mountPoint;
    }

    json rootfsConfig(const std::vector<std::string>& args) {
        json cfg = config(args);
        cfg["root"] = {{"path", rootfs_}, {"readonly", true}};
        return cfg;
    }

    std::string outside_;
    std::string rootfs_;
};

TEST_F(PathSafety, MountThroughAnAbsoluteSymlinkLandsInsideTheRootfs) {
    // /evil -> <host dir>; the same path exists inside the rootfs, so the mount works,
    // inside.
    ASSERT_EQ(symlink(outside_.c_str(), (rootfs_ + "/evil").c_str()), 0);
    ASSERT_TRUE(run({"mkdir", "-p", rootfs_ + outside_}).ok());
    json cfg =
        rootfsConfig({"sh", "-c", "probe write /evil/sub/file x >/dev/null && probe mounts"});
    cfg["mounts"].push_back({{"destination", "/evil/sub"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(mountAt(r.out, outside_ + "/sub").fsType, "tmpfs") << r.out;
    EXPECT_TRUE(exists(rootfs_ + outside_ + "/sub")) << "mount point made inside the rootfs";
    expectOutsideUntouched();
}

TEST_F(PathSafety, MountThroughADotDotSymlinkCannotClimbOut) {
    ASSERT_EQ(
        symlink(("../../../../../../../../.." + outside_).c_str(), (rootfs_ + "/climb").c_str()),
        0);
    json cfg = rootfsConfig({"probe", "exit", "0"});
    cfg["mounts"].push_back(
        {{"destination", "/climb/sub"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    Result r = runProbe(cfg);
    // Creating the dangling target inside the rootfs or refusing are both safe.
    SCOPED_TRACE(::testing::Message() << r);
    expectOutsideUntouched();
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(PathSafety, BindMountThroughASymlinkDoesNotCoverAHostDirectory) {
    std::string source = tmp_ + "/source";
    ASSERT_EQ(mkdir(source.c_str(), 0755), 0);
    writeFile(source + "/data", "bound\n");
    ASSERT_EQ(symlink(outside_.c_str(), (rootfs_ + "/evil").c_str()), 0);
    json cfg = rootfsConfig({"probe", "exit", "0"});
    cfg["mounts"].push_back(
        {{"destination", "/evil"}, {"type", "bind"}, {"source", source}, {"options", {"rbind"}}});
    Result r = runProbe(cfg);
    SCOPED_TRACE(::testing::Message() << r);
    expectOutsideUntouched();
}

TEST_F(PathSafety, ProcDestinationThatIsASymlinkIsRefused) {
    for (const char* dir : {"proc", "sys"}) {
        SCOPED_TRACE(dir);
        std::string path = rootfs_ + "/" + dir;
        ASSERT_EQ(rmdir(path.c_str()), 0);
        ASSERT_EQ(symlink(outside_.c_str(), path.c_str()), 0);
        Result r = runProbe(rootfsConfig({"probe", "exit", "0"}));
        EXPECT_EQ(r.status, 1) << r;
        // runc's words, which its suite matches ("mask paths [prohibit symlink /proc]").
        EXPECT_TRUE(contains(r.err, "must be mounted on ordinary directory")) << r;
        expectOutsideUntouched();
        EXPECT_TRUE(listDir(stateRoot_).empty());
        ASSERT_EQ(unlink(path.c_str()), 0);
        ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
    }
}

TEST_F(PathSafety, MaskedPathThroughASymlinkStaysInside) {
    // Masking /evil (-> host dir) must not hide the host's directory.
    writeFile(outside_ + "/keep", "host data\n");
    ASSERT_EQ(symlink(outside_.c_str(), (rootfs_ + "/evil").c_str()), 0);
    json cfg = rootfsConfig({"probe", "exit", "0"});
    cfg["linux"]["maskedPaths"] = {"/evil"};
    Result r = runProbe(cfg);
    EXPECT_TRUE(r.ok()) << r;
    EXPECT_EQ(readFile(outside_ + "/keep"), "host data\n");
    for (const auto& m : hostMounts()) EXPECT_FALSE(startsWithPath(m.mountPoint, outside_));
}

}  // namespace
}  // namespace minirunc::test
