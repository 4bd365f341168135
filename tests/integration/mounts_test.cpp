// The mounts of config.json beyond the basics: --no-pivot, tmpcopyup, recursive
// attributes, nosymfollow, mqueue and devpts, file and bundle-relative binds.
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

class Mounts : public RuntimeTest {
  protected:
    json withMount(json cfg, const json& mount) {
        cfg["mounts"].push_back(mount);
        return cfg;
    }
};

TEST_F(Mounts, NoPivotRunsTheWorkloadInTheRootfs) {
    auto id = newId();
    json cfg = config({"sh", "-c", "cat /etc/hostname && probe mounts"});
    Result r = rt({"run", "--no-pivot", "--bundle", makeBundle(id, cfg), id});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_FALSE(lines.empty()) << r;
    EXPECT_EQ(lines[0], trim(readFile(testRootfs() + "/etc/hostname")));
    EXPECT_TRUE(hasWord(mountAt(r.out, "/").options, "ro")) << "readonly root: " << r.out;
    EXPECT_EQ(mountAt(r.out, "/proc").fsType, "proc") << r.out;
}

TEST_F(Mounts, NoPivotWorksWithCreateAndStart) {
    auto id = newId();
    std::string out = tmp_ + "/out";
    RunOptions o;
    o.stdout_path = out;
    Result c =
        rt({"create", "--no-pivot", "--bundle", makeBundle(id, config({"probe", "pid"})), id}, o);
    ASSERT_TRUE(c.ok()) << c;
    ASSERT_TRUE(rt({"start", id}).ok());
    ASSERT_TRUE(waitForStatus(id, "stopped"));
    EXPECT_EQ(parseJson(trim(readFile(out))).value("pid", 0), 1);
}

// In a new user namespace (with its own mount and pid namespaces) the
// workload tries to mount a fresh procfs: the kernel allows it only where a
// fully visible procfs exists in the mount namespace. The container's own
// /proc has masked paths; a host /proc left outside the chroot would be one.
const char* const kProcMountEscape =
    "unshare -mrpf sh -c 'echo inside; mount -t proc none /proc && echo mounted'; true";

// Mapping root in a new user namespace needs CAP_SETFCAP (Linux 5.12).
json escapeConfig(json cfg) {
    for (const char* set : {"bounding", "permitted", "effective"})
        cfg["process"]["capabilities"][set].push_back("CAP_SETFCAP");
    return cfg;
}

TEST_F(Mounts, NoPivotLeavesNoFullyVisibleProcfsForAUserNamespace) {
    // Control: with nothing masked, the container's own /proc is fully
    // visible and the mount works, so the refusal below is the kernel's rule.
    auto control = newId();
    json open = escapeConfig(config({"sh", "-c", kProcMountEscape}));
    open["linux"].erase("maskedPaths");
    open["linux"].erase("readonlyPaths");
    Result c = rt({"run", "--bundle", makeBundle(control, open), control});
    ASSERT_TRUE(c.ok()) << c;
    if (!contains(c.out, "inside")) GTEST_SKIP() << "no user namespaces in a container here: " << c;
    ASSERT_TRUE(contains(c.out, "mounted")) << c;

    auto id = newId();
    Result r = rt({"run", "--no-pivot", "--bundle",
                   makeBundle(id, escapeConfig(config({"sh", "-c", kProcMountEscape}))), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "inside")) << r;
    EXPECT_FALSE(contains(r.out, "mounted")) << "a new procfs was mounted: " << r;
    EXPECT_TRUE(contains(r.err, "mount: permission denied")) << r;
}

TEST_F(Mounts, ReadOnlyDevIsFilledFirst) {
    // /dev read-only: its nodes, symlinks and the mount points of pts, shm
    // and mqueue are made before it turns read-only, as runc does.
    auto id = newId();
    json cfg = config({"sh", "-c",
                       "ls /dev/null /dev/zero /dev/pts/ptmx /dev/shm /dev/mqueue >/dev/null && "
                       "readlink /dev/fd && probe mounts && touch /dev/new"});
    for (auto& m : cfg["mounts"])
        if (m.value("destination", "") == "/dev") m["options"].push_back("ro");
    Result r = rt({"run", "--bundle", makeBundle(id, cfg), id});
    EXPECT_NE(r.status, 0) << "touch in a read-only /dev: " << r;
    ASSERT_TRUE(contains(r.out, "/proc/self/fd")) << r;
    EXPECT_TRUE(hasWord(mountAt(r.out, "/dev").options, "ro")) << r.out;
    EXPECT_FALSE(hasWord(mountAt(r.out, "/dev/pts").options, "ro")) << r.out;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
}

TEST_F(Mounts, ReadOnlyMountWithMountsUnderItTakesThemFirst) {
    auto id = newId();
    json cfg = config({"sh", "-c", "probe mounts && touch /srv/a/b/new"});
    cfg = withMount(cfg, {{"destination", "/srv/a"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"ro", "nosuid"}}});
    cfg = withMount(cfg, {{"destination", "/srv/a/b"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"nosuid"}}});
    Result r = rt({"run", "--bundle", makeBundle(id, cfg), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(hasWord(mountAt(r.out, "/srv/a").options, "ro")) << r.out;
    EXPECT_FALSE(hasWord(mountAt(r.out, "/srv/a/b").options, "ro")) << r.out;
}

TEST_F(Mounts, TmpcopyupCopiesTheCoveredDirectoryIntoTheTmpfs) {
    std::string rootfs = copyRootfs();
    ASSERT_EQ(mkdir((rootfs + "/srv/data").c_str(), 0750), 0);
    ASSERT_EQ(mkdir((rootfs + "/srv/data/sub").c_str(), 0700), 0);
    writeFile(rootfs + "/srv/data/file", "top\n");
    writeFile(rootfs + "/srv/data/sub/inner", "inner\n");
    ASSERT_EQ(symlink("file", (rootfs + "/srv/data/link").c_str()), 0);
    chmod((rootfs + "/srv/data").c_str(), 0750);
    json cfg = config({"sh", "-c",
                       "cat /srv/data/file /srv/data/sub/inner /srv/data/link && "
                       "probe stat /srv/data && probe stat /srv/data/sub && "
                       "probe write /srv/data/new x >/dev/null && probe mounts"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg = withMount(cfg, {{"destination", "/srv/data"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"tmpcopyup", "nosuid"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 5u) << r;
    EXPECT_EQ(lines[0], "top");
    EXPECT_EQ(lines[1], "inner");
    EXPECT_EQ(lines[2], "top");
    EXPECT_EQ(parseJson(lines[3]).value("mode", 0), 0750) << lines[3];
    EXPECT_EQ(parseJson(lines[4]).value("mode", 0), 0700) << lines[4];
    EXPECT_EQ(mountAt(r.out, "/srv/data").fsType, "tmpfs") << r.out;
    EXPECT_FALSE(exists(rootfs + "/srv/data/new")) << "the write went through to the rootfs";
}

// podman --read-only --tmpfs /scratch: the mount point is not in the image,
// so the tmpfs root stays as tmpfs makes it (1777) and any user may write.
TEST_F(Mounts, TmpcopyupOnAMissingMountPointKeepsTheTmpfsModeForNonRootUsers) {
    std::string rootfs = copyRootfs();
    json cfg = config(
        {"sh", "-c", "probe stat /scratch && probe write /scratch/f x >/dev/null && echo wrote"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg["process"]["user"] = {{"uid", 65534}, {"gid", 65534}};
    cfg = withMount(cfg, {{"destination", "/scratch"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"rw", "rprivate", "nosuid", "nodev", "tmpcopyup"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    EXPECT_EQ(parseJson(lines[0]).value("mode", 0), 01777) << lines[0];
    EXPECT_EQ(parseJson(lines[0]).value("uid", -1), 0) << lines[0];
    EXPECT_EQ(lines[1], "wrote");
}

// An explicit mode= wins over the covered directory's mode.
TEST_F(Mounts, TmpcopyupKeepsAnExplicitMode) {
    if (runtimeName() == "runc")
        GTEST_SKIP() << "runc 1.1 chmods every tmpfs root to the covered directory's mode";
    std::string rootfs = copyRootfs();
    ASSERT_EQ(mkdir((rootfs + "/srv/data").c_str(), 0750), 0);
    writeFile(rootfs + "/srv/data/file", "top\n");
    json cfg = config({"sh", "-c", "cat /srv/data/file && probe stat /srv/data"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg = withMount(cfg, {{"destination", "/srv/data"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"tmpcopyup", "mode=1777"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    EXPECT_EQ(lines[0], "top");
    EXPECT_EQ(parseJson(lines[1]).value("mode", 0), 01777) << lines[1];
}

TEST_F(Mounts, RecursiveReadOnlyBindCoversSubmounts) {
    // A host tree with a submount: "ro" protects only the top, "rro" all of it.
    std::string tree = tmp_ + "/tree";
    ASSERT_EQ(mkdir(tree.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((tree + "/sub").c_str(), 0755), 0);
    Result m = run({"mount", "-t", "tmpfs", "tmpfs", tree + "/sub"});
    ASSERT_TRUE(m.ok()) << m;
    struct Unmount {
        std::string path;
        ~Unmount() { run({"umount", "-l", path}); }
    } unmount{tree + "/sub"};

    std::string script =
        "probe write /mnt/top x; echo top=$?; probe write /mnt/sub/x y; echo sub=$?; probe mounts";
    Result ro = runProbe(withMount(config({"sh", "-c", script}), {{"destination", "/mnt"},
                                                                  {"type", "bind"},
                                                                  {"source", tree},
                                                                  {"options", {"rbind", "ro"}}}));
    ASSERT_TRUE(ro.ok()) << ro;
    EXPECT_TRUE(contains(ro.out, "top=1\n")) << ro;
    EXPECT_TRUE(contains(ro.out, "sub=0\n")) << "plain ro is not recursive: " << ro;

    Result rro = runProbe(withMount(config({"sh", "-c", script}), {{"destination", "/mnt"},
                                                                   {"type", "bind"},
                                                                   {"source", tree},
                                                                   {"options", {"rbind", "rro"}}}));
    ASSERT_TRUE(rro.ok()) << rro;
    EXPECT_TRUE(contains(rro.out, "top=1\n")) << rro;
    EXPECT_TRUE(contains(rro.out, "sub=1\n")) << rro;
    EXPECT_TRUE(hasWord(mountAt(rro.out, "/mnt/sub").options, "ro")) << rro.out;
    EXPECT_FALSE(exists(tree + "/top"));
}

TEST_F(Mounts, NosymfollowRefusesToFollowSymlinks) {
    json cfg = config({"sh", "-c",
                       "ln -s /etc/passwd /opt/link && readlink /opt/link && "
                       "cat /opt/link; echo status=$? && probe mounts"});
    cfg = withMount(cfg, {{"destination", "/opt"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"nosymfollow"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 2u) << r;
    EXPECT_EQ(lines[0], "/etc/passwd");
    EXPECT_EQ(lines[1], "status=1") << r;
    EXPECT_TRUE(hasWord(mountAt(r.out, "/opt").options, "nosymfollow")) << r.out;
}

TEST_F(Mounts, MqueueDevptsAndShmAreMountedWithTheirOptions) {
    Result r = runProbe(config({"sh", "-c", "probe stat /dev/pts/ptmx && probe mounts"}));
    ASSERT_TRUE(r.ok()) << r;
    MountInfo mq = mountAt(r.out, "/dev/mqueue");
    EXPECT_EQ(mq.fsType, "mqueue") << r.out;
    for (const char* opt : {"nosuid", "nodev", "noexec"})
        EXPECT_TRUE(hasWord(mq.options, opt)) << opt << " " << r.out;
    MountInfo pts = mountAt(r.out, "/dev/pts");
    EXPECT_EQ(pts.fsType, "devpts") << r.out;
    for (const char* opt : {"mode=620", "ptmxmode=666", "gid=5"})
        EXPECT_TRUE(hasWord(pts.superOptions, opt)) << opt << " " << r.out;
    MountInfo shm = mountAt(r.out, "/dev/shm");
    EXPECT_EQ(shm.fsType, "tmpfs") << r.out;
    EXPECT_TRUE(hasWord(shm.superOptions, "size=65536k")) << r.out;
    EXPECT_TRUE(hasWord(shm.options, "nodev") && hasWord(shm.options, "noexec")) << r.out;
    json ptmx = parseJson(splitLines(r.out)[0]);
    EXPECT_EQ(ptmx.value("major", -1), 5) << ptmx;
    EXPECT_EQ(ptmx.value("minor", -1), 2) << ptmx;
    EXPECT_EQ(ptmx.value("mode", 0), 0666) << "ptmxmode of a new devpts instance: " << ptmx;
}

TEST_F(Mounts, MqueueCanBeMountedElsewhere) {
    json cfg = config({"probe", "mounts"});
    cfg = withMount(cfg, {{"destination", "/mnt"}, {"type", "mqueue"}, {"source", "mqueue"}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(mountAt(r.out, "/mnt").fsType, "mqueue") << r.out;
}

TEST_F(Mounts, SingleFileCanBeBindMounted) {
    std::string file = tmp_ + "/host-file";
    writeFile(file, "from a host file\n");
    std::string rootfs = copyRootfs();
    json cfg = config({"sh", "-c",
                       "cat /etc/injected && probe stat /etc/injected && "
                       "probe write /etc/injected changed; echo status=$?"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg = withMount(cfg, {{"destination", "/etc/injected"},
                          {"type", "bind"},
                          {"source", file},
                          {"options", {"bind", "ro"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r;
    EXPECT_EQ(lines[0], "from a host file");
    EXPECT_EQ(parseJson(lines[1]).value("type", ""), "file") << lines[1];
    EXPECT_EQ(lines[2], "status=1");
    EXPECT_EQ(readFile(file), "from a host file\n");
    struct stat st;
    ASSERT_EQ(lstat((rootfs + "/etc/injected").c_str(), &st), 0) << "mount point not created";
    EXPECT_TRUE(S_ISREG(st.st_mode)) << "a file bind needs a file mount point";
}

TEST_F(Mounts, BindSourceIsRelativeToTheBundle) {
    auto id = newId();
    json cfg = config({"cat", "/mnt/data.txt"});
    cfg = withMount(cfg, {{"destination", "/mnt"},
                          {"type", "bind"},
                          {"source", "shared-data"},
                          {"options", {"rbind", "ro"}}});
    std::string bundle = makeBundle(id, cfg);
    ASSERT_EQ(mkdir((bundle + "/shared-data").c_str(), 0755), 0);
    writeFile(bundle + "/shared-data/data.txt", "relative source\n");
    // Run from elsewhere: the source is relative to the bundle, not the cwd.
    RunOptions o;
    o.cwd = "/";
    Result r = runContainer(id, bundle, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "relative source\n");
}

TEST_F(Mounts, MissingBindSourceFailsAndLeavesNothing) {
    json cfg = withMount(config({"probe", "exit", "0"}), {{"destination", "/mnt"},
                                                          {"type", "bind"},
                                                          {"source", tmp_ + "/no-such-dir"},
                                                          {"options", {"rbind"}}});
    Result r = runProbe(cfg);
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "no such file or directory")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Mounts, RelativeDestinationIsMountedUnderTheContainerRootWithAWarning) {
    // runtime-spec 1.1: deprecated but valid, relative to the container's "/";
    // podman sends one for a VOLUME list it failed to parse.
    std::string rootfs = copyRootfs();
    json cfg = config({"sh", "-c", "probe mounts"});
    cfg["root"] = {{"path", rootfs}, {"readonly", false}};
    cfg = withMount(cfg, {{"destination", "foo/bar"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    // ".." cannot climb out of the rootfs: it lands at /escape inside it.
    cfg = withMount(cfg, {{"destination", "../../escape"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    auto id = newId();
    std::string log = tmp_ + "/log";
    Result r = rt({"--log", log, "run", "--bundle", makeBundle(id, cfg), id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(mountAt(r.out, "/foo/bar").fsType, "tmpfs") << r.out;
    EXPECT_EQ(mountAt(r.out, "/escape").fsType, "tmpfs") << r.out;
    EXPECT_TRUE(exists(rootfs + "/foo/bar"));
    EXPECT_FALSE(exists(tmp_ + "/escape")) << "a relative destination left the rootfs";
    EXPECT_FALSE(exists(rootfs + "/../../escape"));
    std::string text = readFile(log);
    EXPECT_TRUE(contains(text, "warn") && contains(text, "foo/bar")) << text;
}

}  // namespace
}  // namespace minirunc::test
