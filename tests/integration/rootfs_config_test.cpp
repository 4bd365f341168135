// The container's filesystem: root, mounts, masked and read-only paths, /dev.
#include <sys/stat.h>

#include <sstream>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class RootfsConfig : public RuntimeTest {
  protected:
    Result probe(const json& cfg) { return runProbe(cfg); }

    // `probe stat PATH` for each path, in one container; results in order.
    std::vector<json> statAll(const std::vector<std::string>& paths) {
        std::string script;
        for (const auto& p : paths) script += "probe stat " + p + " || echo '{}'; ";
        Result r = runProbe(config({"sh", "-c", script}));
        EXPECT_TRUE(r.ok()) << r;
        std::vector<json> out;
        for (const auto& line : splitLines(r.out)) out.push_back(parseJson(line));
        EXPECT_EQ(out.size(), paths.size()) << r;
        out.resize(paths.size());
        return out;
    }

    // The mountinfo line of the container for a mount point (empty if none).
    static std::string mountLine(const std::string& mountinfo, const std::string& target) {
        std::string found;
        for (const auto& line : splitLines(mountinfo)) {
            std::istringstream in(line);
            std::string f;
            for (int i = 0; i < 5 && in >> f; ++i) {
            }
            if (f == target) found = line;  // the last one is the visible one
        }
        return found;
    }

    // Comma-separated option list as a set of words, for "ro", "nosuid"...
    static bool hasOption(const std::string& line, const std::string& opt) {
        std::string padded = " " + line + " ";
        for (char& c : padded) {
            if (c == ',') c = ' ';
        }
        return contains(padded, " " + opt + " ");
    }
};

TEST_F(RootfsConfig, ReadonlyRootfsRejectsWrites) {
    Result r = probe(config({"probe", "write", "/new-file", "data"}));
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
    EXPECT_FALSE(exists(testRootfs() + "/new-file"));
}

TEST_F(RootfsConfig, WritableRootfsAcceptsWrites) {
    json cfg = config({"probe", "write", "/new-file", "data"});
    std::string rootfs = copyRootfs();
    cfg["root"] = {{"path", rootfs}, {"readonly", false}};
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(readFile(rootfs + "/new-file"), "data");
}

TEST_F(RootfsConfig, RelativeRootPathIsResolvedAgainstTheBundle) {
    auto id = newId();
    json cfg = config({"sh", "-c", "cat /marker"});
    copyRootfs(id + "-rootfs");
    writeFile(tmp_ + "/" + id + "-rootfs/marker", "relative root\n");
    cfg["root"] = {{"path", "../" + id + "-rootfs"}, {"readonly", true}};
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "relative root\n");
}

TEST_F(RootfsConfig, TmpfsMountHonoursOptions) {
    json cfg = config({"sh", "-c", "probe write /tmp/f x >/dev/null && probe mounts"});
    cfg["mounts"].push_back({{"destination", "/tmp"},
                             {"type", "tmpfs"},
                             {"source", "tmpfs"},
                             {"options", {"nosuid", "nodev", "noexec", "mode=1700", "size=1m"}}});
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    // The mount options, as the kernel reports them. (The mode of the mount point itself
    // is not asserted: runc copies the mode of the directory it mounts over.)
    std::string line = mountLine(r.out, "/tmp");
    ASSERT_FALSE(line.empty()) << r.out;
    EXPECT_TRUE(contains(line, " - tmpfs ")) << line;
    for (const char* opt : {"nosuid", "nodev", "noexec", "rw", "size=1024k", "mode=1700"}) {
        EXPECT_TRUE(hasOption(line, opt)) << opt << " missing in " << line;
    }
}

TEST_F(RootfsConfig, BindMountSharesAHostDirectory) {
    std::string host = tmp_ + "/shared";
    ASSERT_EQ(mkdir(host.c_str(), 0755), 0);
    writeFile(host + "/from-host", "hello from host\n");
    json cfg = config({"sh", "-c", "cat /mnt/from-host && probe write /mnt/from-container yes"});
    cfg["mounts"].push_back({{"destination", "/mnt"},
                             {"type", "bind"},
                             {"source", host},
                             {"options", {"rbind", "rw"}}});
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "hello from host\nok\n");
    EXPECT_EQ(readFile(host + "/from-container"), "yes");
}

TEST_F(RootfsConfig, ReadonlyBindMountRejectsWrites) {
    std::string host = tmp_ + "/shared";
    ASSERT_EQ(mkdir(host.c_str(), 0755), 0);
    writeFile(host + "/file", "content\n");
    json cfg = config({"sh", "-c", "cat /srv/file; probe write /srv/other x; echo status=$?"});
    cfg["mounts"].push_back(
        {{"destination", "/srv"}, {"type", "bind"}, {"source", host}, {"options", {"bind", "ro"}}});
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "content\nstatus=1\n");
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
    EXPECT_FALSE(exists(host + "/other"));
}

TEST_F(RootfsConfig, MaskedFileLooksLikeDevNull) {
    // Kernels differ in which of these exist; mask one that does.
    std::string file;
    for (const char* f : {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"}) {
        if (exists(f)) {
            file = f;
            break;
        }
    }
    ASSERT_FALSE(file.empty()) << "no maskable /proc file on this kernel";
    json cfg = config({"sh", "-c", "probe stat " + file + " && probe read " + file + " | wc -c"});
    cfg["linux"]["maskedPaths"] = {file};
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    json st = parseJson(lines[0]);
    EXPECT_EQ(st.value("type", ""), "char") << st;
    EXPECT_EQ(st.value("major", -1), 1) << st;
    EXPECT_EQ(st.value("minor", -1), 3) << st;
    EXPECT_EQ(trim(lines[1]), "0");
}

TEST_F(RootfsConfig, MaskedDirectoryIsEmptyAndReadOnly) {
    json cfg = config({"sh", "-c", "ls -A /home; probe write /home/x y; echo status=$?"});
    cfg["linux"]["maskedPaths"] = {"/home"};
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "status=1\n") << "probeuser's home must be hidden";
}

TEST_F(RootfsConfig, MaskedPathThatDoesNotExistIsIgnored) {
    json cfg = config({"probe", "exit", "0"});
    cfg["linux"]["maskedPaths"] = {"/proc/no-such-entry", "/no/such/dir"};
    Result r = probe(cfg);
    EXPECT_TRUE(r.ok()) << r;
}

TEST_F(RootfsConfig, ReadonlyPathsRejectWrites) {
    json cfg =
        config({"sh", "-c", "probe write /proc/sys/kernel/hostname changed; echo status=$?"});
    cfg["linux"]["readonlyPaths"] = {"/proc/sys"};
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "status=1\n");
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
}

TEST_F(RootfsConfig, ProcSysIsWritableWithoutReadonlyPaths) {
    // The counterpart of ReadonlyPathsRejectWrites: the write works in a private UTS ns.
    json cfg = config({"sh", "-c", "probe write /proc/sys/kernel/hostname changed && hostname"});
    cfg["linux"]["readonlyPaths"] = json::array();
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "ok\nchanged\n");
}

TEST_F(RootfsConfig, DefaultDevicesExist) {
    struct Dev {
        const char* path;
        int major, minor;
    };
    std::vector<Dev> devs = {{"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
                             {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
    std::vector<std::string> paths;
    for (const auto& d : devs) paths.push_back(d.path);
    auto stats = statAll(paths);
    for (size_t i = 0; i < devs.size(); ++i) {
        SCOPED_TRACE(devs[i].path);
        EXPECT_EQ(stats[i].value("type", ""), "char") << stats[i];
        EXPECT_EQ(stats[i].value("major", -1), devs[i].major) << stats[i];
        EXPECT_EQ(stats[i].value("minor", -1), devs[i].minor) << stats[i];
        EXPECT_EQ(stats[i].value("mode", 0), 0666) << stats[i];
    }
}

TEST_F(RootfsConfig, DefaultDeviceLinksExist) {
    auto stats = statAll({"/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/ptmx"});
    EXPECT_EQ(stats[0].value("target", ""), "/proc/self/fd") << stats[0];
    EXPECT_EQ(stats[1].value("target", ""), "/proc/self/fd/0") << stats[1];
    EXPECT_EQ(stats[2].value("target", ""), "/proc/self/fd/1") << stats[2];
    EXPECT_EQ(stats[3].value("target", ""), "/proc/self/fd/2") << stats[3];
    // /dev/ptmx: a symlink to pts/ptmx, or a bind mount of /dev/pts/ptmx (5:2).
    json ptmx = stats[4];
    if (ptmx.value("type", "") == "symlink") {
        EXPECT_EQ(ptmx.value("target", ""), "pts/ptmx") << ptmx;
    } else {
        EXPECT_EQ(ptmx.value("type", ""), "char") << ptmx;
        EXPECT_EQ(ptmx.value("major", -1), 5) << ptmx;
        EXPECT_EQ(ptmx.value("minor", -1), 2) << ptmx;
    }
}

TEST_F(RootfsConfig, DevNullIsUsableByTheWorkload) {
    Result r =
        probe(config({"sh", "-c", "echo discarded >/dev/null && head -c 4 /dev/zero | wc -c"}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), "4");
}

TEST_F(RootfsConfig, LinuxDevicesAreCreated) {
    json cfg = config({"probe", "stat", "/dev/mydev"});
    cfg["linux"]["devices"] = json::array({{{"path", "/dev/mydev"},
                                            {"type", "c"},
                                            {"major", 1},
                                            {"minor", 7},
                                            {"fileMode", 0640},
                                            {"uid", 1000},
                                            {"gid", 1000}}});
    Result r = probe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    json st = parseJson(trim(r.out));
    EXPECT_EQ(st.value("type", ""), "char") << st;
    EXPECT_EQ(st.value("major", -1), 1) << st;
    EXPECT_EQ(st.value("minor", -1), 7) << st;
    EXPECT_EQ(st.value("mode", 0), 0640) << st;
    EXPECT_EQ(st.value("uid", -1), 1000) << st;
    EXPECT_EQ(st.value("gid", -1), 1000) << st;
}

TEST_F(RootfsConfig, ProcAndSysAreMounted) {
    Result r = probe(config({"probe", "mounts"}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(mountLine(r.out, "/proc"), " - proc ")) << r.out;
    EXPECT_TRUE(contains(mountLine(r.out, "/sys"), " - sysfs ")) << r.out;
    EXPECT_TRUE(contains(mountLine(r.out, "/dev"), " - tmpfs ")) << r.out;
    EXPECT_TRUE(contains(mountLine(r.out, "/dev/pts"), " - devpts ")) << r.out;
    EXPECT_TRUE(hasOption(mountLine(r.out, "/"), "ro")) << "readonly root: " << r.out;
}

}  // namespace
}  // namespace minirunc::test
