// User namespaces: linux.uidMappings/gidMappings written by the runtime, what the
// container sees inside, what its files look like on the host, and the parts of
// the rootfs that work differently there (/dev by bind mounts, sysfs).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

constexpr unsigned kHostBase = 100000;  // container root on the host

json mapping(unsigned containerId, unsigned hostId, unsigned size) {
    return {{"containerID", containerId}, {"hostID", hostId}, {"size", size}};
}

// The lines of a uid_map/gid_map as {inside, outside, count} triples.
std::vector<std::vector<unsigned long>> parseIdMap(const std::string& text) {
    std::vector<std::vector<unsigned long>> rows;
    for (const auto& line : splitLines(text)) {
        std::istringstream in(line);
        std::vector<unsigned long> row(3);
        if (in >> row[0] >> row[1] >> row[2]) rows.push_back(row);
    }
    return rows;
}

class UserNamespace : public RuntimeTest {
  protected:
    // A config with a new user namespace, on a private copy of the test rootfs
    // owned by the container's root (host uid/gid kHostBase), writable.
    json userConfig(const std::vector<std::string>& args, const std::vector<json>& uidMappings,
                    const std::vector<json>& gidMappings) {
        json cfg = config(args);
        if (rootfs_.empty()) {
            rootfs_ = copyRootfs("userns-rootfs");
            std::string owner = std::to_string(kHostBase) + ":" + std::to_string(kHostBase);
            Result r = run({"chown", "-R", owner, rootfs_});
            EXPECT_TRUE(r.ok()) << r;
        }
        cfg["root"] = {{"path", rootfs_}, {"readonly", false}};
        cfg["linux"]["namespaces"].push_back({{"type", "user"}});
        cfg["linux"]["uidMappings"] = uidMappings;
        cfg["linux"]["gidMappings"] = gidMappings;
        return cfg;
    }

    json userConfig(const std::vector<std::string>& args) {
        return userConfig(args, {mapping(0, kHostBase, 65536)}, {mapping(0, kHostBase, 65536)});
    }

    std::string rootfs_;
};

// runc's userns.bats "2 inaccessible mounts" / "inaccessible mount + exec":
// bind sources under a 0700 directory of the host's root, which the
// container's root (host uid kHostBase) cannot search. The runtime opens
// them before entering the user namespace.
class InaccessibleSources : public UserNamespace {
  protected:
    json withHiddenMounts(json cfg, int count) {
        std::string hidden = tmp_ + "/source-inaccessible";
        mkdir(hidden.c_str(), 0700);
        chmod(hidden.c_str(), 0700);
        for (int i = 1; i <= count; ++i) {
            std::string dir = hidden + "/dir-" + std::to_string(i);
            EXPECT_EQ(mkdir(dir.c_str(), 0755), 0);
            writeFile(dir + "/file.txt", "content " + std::to_string(i) + "\n");
            cfg["mounts"].push_back({{"destination", "/mnt/m" + std::to_string(i)},
                                     {"type", "bind"},
                                     {"source", dir},
                                     {"options", {"rbind", "ro"}}});
        }
        return cfg;
    }
};

TEST_F(InaccessibleSources, TwoMountsOfSourcesOnlyTheHostRootCanReach) {
    json cfg = withHiddenMounts(userConfig({"cat", "/mnt/m1/file.txt", "/mnt/m2/file.txt"}), 2);
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "content 1\ncontent 2\n");
}

TEST_F(InaccessibleSources, ExecSeesTheMountOfAnInaccessibleSource) {
    json cfg = withHiddenMounts(userConfig({"probe", "sleep", "1000"}), 1);
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, cfg)));
    Result r = rt({"exec", id, "cat", "/mnt/m1/file.txt"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "content 1\n");
    EXPECT_TRUE(rt({"kill", id, "KILL"}).ok());
}

TEST_F(UserNamespace, RootInsideIsTheMappedHostUid) {
    json cfg = userConfig({"sh", "-c", "probe ids && cat /proc/self/uid_map /proc/self/gid_map"},
                          {mapping(0, kHostBase, 1000), mapping(1000, 200000, 10)},
                          {mapping(0, kHostBase, 2000)});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 4u) << r;
    json ids = parseJson(lines[0]);
    EXPECT_EQ(ids.value("uid", -1), 0) << ids;
    EXPECT_EQ(ids.value("euid", -1), 0) << ids;
    EXPECT_EQ(ids.value("gid", -1), 0) << ids;
    using Rows = std::vector<std::vector<unsigned long>>;
    EXPECT_EQ(parseIdMap(lines[1] + "\n" + lines[2]),
              (Rows{{0, kHostBase, 1000}, {1000, 200000, 10}}))
        << r.out;
    EXPECT_EQ(parseIdMap(lines[3]), (Rows{{0, kHostBase, 2000}})) << r.out;
}

TEST_F(UserNamespace, HostSeesTheContainerProcessAsTheMappedUid) {
    auto id = newId();
    ASSERT_TRUE(
        rt({"create", "--bundle", makeBundle(id, userConfig({"probe", "sleep", kUntilEnded})), id})
            .ok());
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);
    std::string status = readFile("/proc/" + std::to_string(pid) + "/status");
    std::string expected = std::to_string(kHostBase);
    EXPECT_TRUE(contains(status, "\nUid:\t" + expected + "\t" + expected)) << status;
    EXPECT_TRUE(contains(status, "\nGid:\t" + expected + "\t" + expected)) << status;
    EXPECT_NE(readLink("/proc/" + std::to_string(pid) + "/ns/user"),
              readLink("/proc/self/ns/user"));
}

TEST_F(UserNamespace, FilesWrittenInsideBelongToTheMappedHostIds) {
    std::vector<json> uids = {mapping(0, kHostBase, 1000), mapping(1000, 200000, 10)};
    std::vector<json> gids = {mapping(0, kHostBase, 2000)};
    Result asRoot = runProbe(userConfig({"probe", "write", "/tmp/by-root", "x"}, uids, gids));
    ASSERT_TRUE(asRoot.ok()) << asRoot;
    json cfg = userConfig({"probe", "write", "/tmp/by-user", "y"}, uids, gids);
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    Result asUser = runProbe(cfg);
    ASSERT_TRUE(asUser.ok()) << asUser;

    struct stat st;
    ASSERT_EQ(lstat((rootfs_ + "/tmp/by-root").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, kHostBase);
    EXPECT_EQ(st.st_gid, kHostBase);
    ASSERT_EQ(lstat((rootfs_ + "/tmp/by-user").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 200000u) << "uid 1000 inside is 200000 outside (second range)";
    EXPECT_EQ(st.st_gid, kHostBase + 1000);
}

TEST_F(UserNamespace, RootMappedToHostRootCanUseTheSharedRootfs) {
    // Mapping 0 to 0 (plus other ranges) needs no chowned copy of the rootfs.
    json cfg = config({"sh", "-c", "probe ids && cat /proc/self/uid_map"});
    cfg["linux"]["namespaces"].push_back({{"type", "user"}});
    cfg["linux"]["uidMappings"] = json::array({mapping(0, 0, 1), mapping(1, kHostBase + 1, 999)});
    cfg["linux"]["gidMappings"] = json::array({mapping(0, 0, 1), mapping(1, kHostBase + 1, 999)});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r;
    EXPECT_EQ(parseJson(lines[0]).value("uid", -1), 0);
    EXPECT_EQ(parseIdMap(lines[1] + "\n" + lines[2]),
              (std::vector<std::vector<unsigned long>>{{0, 0, 1}, {1, kHostBase + 1, 999}}));
}

TEST_F(UserNamespace, DefaultDevicesAreTheHostsNodesBoundIn) {
    // mknod is impossible in a user namespace: the nodes are bind mounts.
    json cfg = userConfig({"sh", "-c",
                           "probe stat /dev/null && probe stat /dev/zero && echo x >/dev/null && "
                           "head -c 3 /dev/zero | wc -c && probe mounts"});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 3u) << r;
    json null = parseJson(lines[0]), zero = parseJson(lines[1]);
    EXPECT_EQ(null.value("type", ""), "char") << null;
    EXPECT_EQ(null.value("major", -1), 1) << null;
    EXPECT_EQ(null.value("minor", -1), 3) << null;
    EXPECT_EQ(zero.value("minor", -1), 5) << zero;
    EXPECT_EQ(trim(lines[2]), "3");
    EXPECT_EQ(mountAt(r.out, "/dev/null").mountPoint, "/dev/null")
        << "/dev/null is not a bind mount: " << r.out;
}

TEST_F(UserNamespace, SysfsIsANewInstanceWithANewNetworkNamespace) {
    // A sysfs of the container's own network namespace lists only its devices.
    Result r = runProbe(userConfig({"sh", "-c", "ls /sys/class/net"}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "lo\n");
}

TEST_F(UserNamespace, SysfsIsTheHostsReadOnlyWithoutANetworkNamespace) {
    json cfg = userConfig({"sh", "-c", "ls /sys/class/net; probe write /sys/kernel/x y; echo $?"});
    auto& ns = cfg["linux"]["namespaces"];
    for (auto it = ns.begin(); it != ns.end(); ++it) {
        if ((*it)["type"] == "network") {
            ns.erase(it);
            break;
        }
    }
    // Other work on the machine may add or remove interfaces meanwhile: those
    // there before and after must be listed, and nothing the host never had.
    auto before = listDir("/sys/class/net");
    Result r = runProbe(cfg);
    auto after = listDir("/sys/class/net");
    ASSERT_TRUE(r.ok()) << r;
    auto inside = splitLines(r.out);
    ASSERT_FALSE(inside.empty()) << r;
    EXPECT_EQ(inside.back(), "1") << "the write to the host's sysfs did not fail: " << r;
    inside.pop_back();
    auto has = [](const std::vector<std::string>& names, const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const auto& name : before) {
        if (has(after, name)) {
            EXPECT_TRUE(has(inside, name)) << name << " missing: " << r.out;
        }
    }
    for (const auto& name : inside)
        EXPECT_TRUE(has(before, name) || has(after, name)) << name << " is not the host's";
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
}

TEST_F(UserNamespace, CgroupNamespaceShowsTheContainersCgroupAsRoot) {
    json cfg = userConfig({"cat", "/proc/self/cgroup"});
    cfg["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    for (const auto& line : splitLines(r.out))
        EXPECT_EQ(line.substr(line.rfind(':')), ":/") << line;
}

TEST_F(UserNamespace, MoreMappingsThanTheKernelAcceptsFailCleanly) {
    std::vector<json> uids;
    for (unsigned i = 0; i < 341; ++i) uids.push_back(mapping(i, kHostBase + i, 1));
    auto id = newId();
    Result r = rt(
        {"create", "--bundle",
         makeBundle(id, userConfig({"probe", "exit", "0"}, uids, {mapping(0, kHostBase, 65536)})),
         id});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "/linux/uidMappings")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(UserNamespace, MappingTextLongerThanAPageFailsCleanly) {
    // 300 lines are allowed, but not with ids this long: the map exceeds one page.
    std::vector<json> uids;
    for (unsigned i = 0; i < 300; ++i) uids.push_back(mapping(4000000000u + i, 4000000000u + i, 1));
    uids.push_back(mapping(0, kHostBase, 1000));
    auto id = newId();
    Result r = rt(
        {"create", "--bundle",
         makeBundle(id, userConfig({"probe", "exit", "0"}, uids, {mapping(0, kHostBase, 65536)})),
         id});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "uidMappings")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(UserNamespace, OverlappingMappingsFailCleanly) {
    auto id = newId();
    json cfg =
        userConfig({"probe", "exit", "0"}, {mapping(0, kHostBase, 100), mapping(50, 300000, 100)},
                   {mapping(0, kHostBase, 65536)});
    Result r = rt({"create", "--bundle", makeBundle(id, cfg), id});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "uid_map")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

}  // namespace
}  // namespace minirunc::test
