// Idmapped bind mounts (mount options "idmap"/"ridmap", per-mount
// uidMappings/gidMappings): ownership seen inside and left on the host.
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

constexpr unsigned kHostBase = 100000;  // container root on the host (userns cases)
constexpr unsigned kDiskUid = 1234;     // on-disk owner seen as root through the mount
constexpr unsigned kDiskGid = 4321;

json mapping(unsigned containerId, unsigned hostId, unsigned size) {
    return {{"containerID", containerId}, {"hostID", hostId}, {"size", size}};
}

struct Owner {
    unsigned uid = ~0u, gid = ~0u;
};

Owner ownerOnHost(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st)) return {};
    return {st.st_uid, st.st_gid};
}

// Unmounts a host mount made by a test.
struct HostMount {
    std::string target;
    ~HostMount() {
        if (!target.empty()) ::umount2(target.c_str(), MNT_DETACH);
    }
};

// Why the filesystem of `dir` cannot be idmapped, "" when it can: ext4, xfs,
// btrfs, f2fs and fat can, tmpfs from Linux 6.3 on (the VM lane's /tmp is
// tmpfs); a host's /tmp on overlayfs, NFS or 9p cannot.
std::string whyNoIdmap(const std::string& dir) {
    struct statfs fs;
    if (::statfs(dir.c_str(), &fs)) return "cannot statfs " + dir;
    switch (fs.f_type) {
        case EXT4_SUPER_MAGIC:
        case XFS_SUPER_MAGIC:
        case BTRFS_SUPER_MAGIC:
        case F2FS_SUPER_MAGIC:
        case MSDOS_SUPER_MAGIC:
            return "";
        case TMPFS_MAGIC: {
            struct utsname u;
            int major = 0, minor = 0;
            if (::uname(&u) || std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return "";
            bool has = major > 6 || (major == 6 && minor >= 3);
            return has ? "" : "no idmapped mounts on tmpfs before Linux 6.3";
        }
    }
    char type[32];
    std::snprintf(type, sizeof type, "%#lx", static_cast<unsigned long>(fs.f_type));
    return dir + " is on a filesystem without idmapped mounts (type " + type + ")";
}

class IdmappedMount : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        std::string why = whyNoIdmap(tmp_);
        if (!why.empty()) GTEST_SKIP() << why;
    }

    // A host directory owned on disk by `uid:gid`.
    std::string hostDir(const std::string& name, unsigned uid, unsigned gid) {
        std::string dir = tmp_ + "/" + name;
        EXPECT_EQ(::mkdir(dir.c_str(), 0755), 0) << dir;
        EXPECT_EQ(::chown(dir.c_str(), uid, gid), 0) << dir;
        return dir;
    }

    // Container root (host root, no user namespace) sees kDiskUid/kDiskGid as 0.
    json bindWithOwnMappings(json cfg, const std::string& source, const std::string& options) {
        cfg["mounts"].push_back({{"destination", "/data"},
                                 {"type", "bind"},
                                 {"source", source},
                                 {"options", {"rbind", options}},
                                 {"uidMappings", {mapping(kDiskUid, 0, 1)}},
                                 {"gidMappings", {mapping(kDiskGid, 0, 1)}}});
        return cfg;
    }

    json userConfig(const std::vector<std::string>& args) {
        json cfg = config(args);
        std::string rootfs = copyRootfs("userns-rootfs");
        std::string owner = std::to_string(kHostBase) + ":" + std::to_string(kHostBase);
        Result r = run({"chown", "-R", owner, rootfs});
        EXPECT_TRUE(r.ok()) << r;
        cfg["root"] = {{"path", rootfs}, {"readonly", false}};
        cfg["linux"]["namespaces"].push_back({{"type", "user"}});
        cfg["linux"]["uidMappings"] = {mapping(0, kHostBase, 65536)};
        cfg["linux"]["gidMappings"] = {mapping(0, kHostBase, 65536)};
        return cfg;
    }
};

TEST_F(IdmappedMount, FileWrittenThroughTheMountIsOwnedOnTheHostByTheMappedIds) {
    std::string source = hostDir("source", kDiskUid, kDiskGid);
    json cfg = bindWithOwnMappings(
        config({"sh", "-c", "probe write /data/new x && probe stat /data/new && probe stat /data"}),
        source, "idmap");
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    Owner owner = ownerOnHost(source + "/new");
    EXPECT_EQ(owner.uid, kDiskUid);
    EXPECT_EQ(owner.gid, kDiskGid);
    auto lines = splitLines(r.out);  // "ok" from write, then two stats
    ASSERT_EQ(lines.size(), 3u) << r;
    for (const auto& line : {lines[1], lines[2]}) {
        json st = parseJson(line);
        EXPECT_EQ(st.value("uid", -1), 0) << "seen inside as root: " << line;
        EXPECT_EQ(st.value("gid", -1), 0) << line;
    }
}

TEST_F(IdmappedMount, WithoutOwnMappingsTheContainersUserNamespaceMappingsAreUsed) {
    // A plain host directory owned by root: container root can use it as its own.
    std::string source = hostDir("source", 0, 0);
    json cfg =
        userConfig({"sh", "-c", "probe write /data/new x && probe stat /data/new && probe ids"});
    cfg["mounts"].push_back({{"destination", "/data"},
                             {"type", "bind"},
                             {"source", source},
                             {"options", {"bind", "idmap"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    Owner owner = ownerOnHost(source + "/new");
    EXPECT_EQ(owner.uid, 0u) << "container root writes as host " << kHostBase
                             << ", stored as 0 through the mount";
    EXPECT_EQ(owner.gid, 0u);
    auto lines = splitLines(r.out);  // "ok" from write, the stat, the ids
    ASSERT_EQ(lines.size(), 3u) << r;
    EXPECT_EQ(parseJson(lines[1]).value("uid", -1), 0) << lines[1];
}

TEST_F(IdmappedMount, RidmapAlsoMapsSubmountsAndIdmapDoesNot) {
    std::string source = hostDir("source", kDiskUid, kDiskGid);
    std::string other = hostDir("other", kDiskUid, kDiskGid);
    std::string sub = source + "/sub";
    ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
    ASSERT_EQ(::mount(other.c_str(), sub.c_str(), nullptr, MS_BIND, nullptr), 0);
    HostMount guard{sub};

    Result r = runProbe(bindWithOwnMappings(config({"probe", "write", "/data/sub/by-ridmap", "x"}),
                                            source, "ridmap"));
    ASSERT_TRUE(r.ok()) << r;
    Owner owner = ownerOnHost(other + "/by-ridmap");
    EXPECT_EQ(owner.uid, kDiskUid) << "the submount is idmapped too";
    EXPECT_EQ(owner.gid, kDiskGid);

    // Not mapped, the submount shows its on-disk owner: let anyone write (the
    // default capabilities have no CAP_DAC_OVERRIDE).
    ASSERT_EQ(::chmod(other.c_str(), 0777), 0);
    r = runProbe(bindWithOwnMappings(config({"probe", "write", "/data/sub/by-idmap", "x"}), source,
                                     "idmap"));
    ASSERT_TRUE(r.ok()) << r;
    owner = ownerOnHost(other + "/by-idmap");
    EXPECT_EQ(owner.uid, 0u) << "idmap maps only the top mount";
    EXPECT_EQ(owner.gid, 0u);
}

TEST_F(IdmappedMount, ReadOnlyOptionStillAppliesToAnIdmappedMount) {
    std::string source = hostDir("source", kDiskUid, kDiskGid);
    json cfg = bindWithOwnMappings(config({"probe", "write", "/data/new", "x"}), source, "idmap");
    cfg["mounts"].back()["options"].push_back("ro");
    Result r = runProbe(cfg);
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
}

TEST_F(IdmappedMount, IdmapWithoutMappingsOrUserNamespaceIsAClearError) {
    auto id = newId();
    json cfg = config();
    cfg["mounts"].push_back({{"destination", "/data"},
                             {"type", "bind"},
                             {"source", tmp_},
                             {"options", {"bind", "idmap"}}});
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    EXPECT_FALSE(r.ok()) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "idmap needs uidMappings and gidMappings")) << r;
    }
}

}  // namespace
}  // namespace minirunc::test
