#include "minirunc/cgroup_plan.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

// This machine's layout: every v1 controller on its own hierarchy, plus the
// unified hierarchy at /sys/fs/cgroup/unified.
const char* const kHybridMountinfo =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"
    "24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:3 - proc proc rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

const char* const kHybridCgroup =
    "9:name=systemd:/\n"
    "8:pids:/\n"
    "7:blkio:/\n"
    "6:freezer:/\n"
    "5:devices:/\n"
    "4:memory:/process_api/b29cfc7bd545157d651dd8818338685f\n"
    "3:cpuset:/\n"
    "2:cpuacct:/\n"
    "1:cpu:/\n"
    "0::/\n";

// A systemd host on the unified hierarchy only.
const char* const kV2Mountinfo =
    "21 26 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "26 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro\n"
    "29 21 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n"
    "30 21 0:27 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:5 - pstore pstore rw\n";

const char* const kV2Cgroup = "0::/user.slice/user-1000.slice/session-2.scope\n";

// A classic systemd v1 host: cpu and cpuacct co-mounted, systemd's named
// hierarchy with a release agent, optional fields, a unified mount too.
const char* const kComountedMountinfo =
    "25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
    "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 "
    "cgroup2 rw,nsdelegate\n"
    "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup "
    "cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd\n"
    "31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup "
    "cgroup rw,cpu,cpuacct\n"
    "32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:16 - "
    "cgroup cgroup rw,net_cls,net_prio\n"
    "33 25 0:30 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:17 - cgroup "
    "cgroup rw,cpuset,clone_children\n";

const char* const kComountedCgroup =
    "12:cpuset:/\n"
    "11:net_cls,net_prio:/\n"
    "3:cpu,cpuacct:/user.slice\n"
    "1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n"
    "0::/user.slice/user-1000.slice/session-3.scope\n";

const CgroupHierarchy* find_v1(const std::vector<CgroupHierarchy>& all, const Strings& ctrl) {
    for (const auto& h : all)
        if (!h.v2 && h.controllers == ctrl) return &h;
    return nullptr;
}

const CgroupHierarchy* find_v2(const std::vector<CgroupHierarchy>& all) {
    for (const auto& h : all)
        if (h.v2) return &h;
    return nullptr;
}

CgroupHierarchy v1(std::string mount_point, Strings controllers, std::string own_path,
                   std::string mount_root = "/") {
    CgroupHierarchy h;
    h.mount_point = std::move(mount_point);
    h.mount_root = std::move(mount_root);
    h.controllers = std::move(controllers);
    h.own_path = std::move(own_path);
    return h;
}

CgroupHierarchy v2(std::string mount_point, std::string own_path, std::string mount_root = "/") {
    CgroupHierarchy h;
    h.mount_point = std::move(mount_point);
    h.mount_root = std::move(mount_root);
    h.v2 = true;
    h.own_path = std::move(own_path);
    return h;
}

}  // namespace

// ---- parse_cgroup_hierarchies ----

TEST(CgroupParse, HybridFindsEveryHierarchyInMountOrder) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup);
    ASSERT_EQ(all.size(), 10u);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"/sys/fs/cgroup/cpu", "cpu"},
        {"/sys/fs/cgroup/cpuacct", "cpuacct"},
        {"/sys/fs/cgroup/cpuset", "cpuset"},
        {"/sys/fs/cgroup/memory", "memory"},
        {"/sys/fs/cgroup/devices", "devices"},
        {"/sys/fs/cgroup/freezer", "freezer"},
        {"/sys/fs/cgroup/blkio", "blkio"},
        {"/sys/fs/cgroup/pids", "pids"},
        {"/sys/fs/cgroup/systemd", "name=systemd"},
    };
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(all[i].mount_point, expected[i].first);
        EXPECT_FALSE(all[i].v2) << expected[i].first;
        EXPECT_EQ(all[i].controllers, Strings{expected[i].second});
        EXPECT_EQ(all[i].mount_root, "/");
    }
    EXPECT_EQ(all[9].mount_point, "/sys/fs/cgroup/unified");
    EXPECT_TRUE(all[9].v2);
    EXPECT_TRUE(all[9].controllers.empty());
}

TEST(CgroupParse, HybridOwnPathsComeFromProcSelfCgroup) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup);
    const auto* memory = find_v1(all, {"memory"});
    ASSERT_NE(memory, nullptr);
    EXPECT_EQ(memory->own_path, "/process_api/b29cfc7bd545157d651dd8818338685f");
    for (const char* name :
         {"cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "pids", "name=systemd"}) {
        const auto* h = find_v1(all, {name});
        ASSERT_NE(h, nullptr) << name;
        EXPECT_EQ(h->own_path, "/") << name;
    }
    const auto* unified = find_v2(all);
    ASSERT_NE(unified, nullptr);
    EXPECT_EQ(unified->own_path, "/");
}

TEST(CgroupParse, NonCgroupMountsAreIgnored) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup);
    for (const auto& h : all) {
        EXPECT_NE(h.mount_point, "/sys/fs/cgroup");  // the tmpfs
        EXPECT_NE(h.mount_point, "/sys");
    }
}

TEST(CgroupParse, PureV2) {
    auto all = parse_cgroup_hierarchies(kV2Mountinfo, kV2Cgroup);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_TRUE(all[0].v2);
    EXPECT_EQ(all[0].mount_point, "/sys/fs/cgroup");
    EXPECT_EQ(all[0].mount_root, "/");
    EXPECT_TRUE(all[0].controllers.empty());
    EXPECT_EQ(all[0].own_path, "/user.slice/user-1000.slice/session-2.scope");
}

TEST(CgroupParse, CoMountedControllersFormOneHierarchy) {
    auto all = parse_cgroup_hierarchies(kComountedMountinfo, kComountedCgroup);
    ASSERT_EQ(all.size(), 5u);
    const auto* cpu = find_v1(all, {"cpu", "cpuacct"});
    ASSERT_NE(cpu, nullptr);
    EXPECT_EQ(cpu->mount_point, "/sys/fs/cgroup/cpu,cpuacct");
    EXPECT_EQ(cpu->own_path, "/user.slice");
    const auto* net = find_v1(all, {"net_cls", "net_prio"});
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(net->own_path, "/");
}

TEST(CgroupParse, GenericSuperOptionsAreNotControllers) {
    auto all = parse_cgroup_hierarchies(kComountedMountinfo, kComountedCgroup);
    const auto* systemd = find_v1(all, {"name=systemd"});
    ASSERT_NE(systemd, nullptr);  // "xattr" and "release_agent=..." were dropped
    EXPECT_EQ(systemd->own_path, "/user.slice/user-1000.slice/session-3.scope");
    const auto* cpuset = find_v1(all, {"cpuset"});
    ASSERT_NE(cpuset, nullptr);  // "clone_children" was dropped
    EXPECT_EQ(cpuset->mount_point, "/sys/fs/cgroup/cpuset");
}

TEST(CgroupParse, ControllerOrderInProcSelfCgroupDoesNotMatter) {
    const std::string mountinfo =
        "31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpuacct,cpu\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "3:cpuacct,cpu:/x\n");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].controllers, (Strings{"cpu", "cpuacct"}));
    EXPECT_EQ(all[0].own_path, "/x");
}

TEST(CgroupParse, PartialControllerListDoesNotMatch) {
    const std::string mountinfo =
        "31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "3:cpu:/wrong\n");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].own_path, "");
}

TEST(CgroupParse, DuplicateMountOfAHierarchyCountsOnce) {
    const std::string mountinfo = std::string(kHybridMountinfo) +
                                  "90 22 0:32 / /mnt/memory rw,relatime - cgroup cgroup rw,memory\n"
                                  "91 22 0:38 / /mnt/unified rw,relatime - cgroup2 cgroup2 rw\n";
    auto all = parse_cgroup_hierarchies(mountinfo, kHybridCgroup);
    EXPECT_EQ(all.size(), 10u);
    int memory = 0, unified = 0;
    for (const auto& h : all) {
        if (!h.v2 && h.controllers == Strings{"memory"}) {
            ++memory;
            EXPECT_EQ(h.mount_point, "/sys/fs/cgroup/memory");  // the first one wins
            EXPECT_EQ(h.own_path, "/process_api/b29cfc7bd545157d651dd8818338685f");
        }
        if (h.v2) {
            ++unified;
            EXPECT_EQ(h.mount_point, "/sys/fs/cgroup/unified");
        }
    }
    EXPECT_EQ(memory, 1);
    EXPECT_EQ(unified, 1);
}

TEST(CgroupParse, MountRootOtherThanSlash) {
    // Inside a container: the host's /docker/abc shows as the hierarchy's root.
    const std::string mountinfo =
        "1200 1100 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime "
        "master:16 - cgroup cgroup rw,memory\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "4:memory:/docker/abc\n");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].mount_root, "/docker/abc");
    EXPECT_EQ(all[0].mount_point, "/sys/fs/cgroup/memory");
    EXPECT_EQ(all[0].own_path, "/docker/abc");
}

TEST(CgroupParse, OctalEscapesInPathsAreDecoded) {
    const std::string mountinfo =
        "50 22 0:40 /a\\040b /mnt/my\\040cgroup\\011tab rw - cgroup2 cgroup2 rw\n"
        "51 22 0:41 / /mnt/back\\134slash rw - cgroup cgroup rw,pids\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].mount_root, "/a b");
    EXPECT_EQ(all[0].mount_point, "/mnt/my cgroup\ttab");
    EXPECT_EQ(all[1].mount_point, "/mnt/back\\slash");
}

TEST(CgroupParse, EscapeAtTheVeryEndIsDecoded) {
    auto all = parse_cgroup_hierarchies("50 22 0:40 / /mnt/x\\040 rw - cgroup2 cgroup2 rw\n", "");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].mount_point, "/mnt/x ");
}

TEST(CgroupParse, InvalidEscapeIsKeptLiterally) {
    auto all =
        parse_cgroup_hierarchies("50 22 0:40 / /mnt/a\\9zz\\04 rw - cgroup2 cgroup2 rw\n", "");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].mount_point, "/mnt/a\\9zz\\04");
}

TEST(CgroupParse, ColonInCgroupPathIsKept) {
    auto all = parse_cgroup_hierarchies(kV2Mountinfo, "0::/system.slice/a:b:c.scope\n");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].own_path, "/system.slice/a:b:c.scope");
}

TEST(CgroupParse, MissingOwnCgroupLeavesOwnPathEmpty) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, "");
    ASSERT_EQ(all.size(), 10u);
    for (const auto& h : all) EXPECT_EQ(h.own_path, "");
}

TEST(CgroupParse, V2LineDoesNotMatchV1Hierarchies) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, "0::/only-v2\n");
    for (const auto& h : all) EXPECT_EQ(h.own_path, h.v2 ? "/only-v2" : "") << h.mount_point;
}

TEST(CgroupParse, GarbageAndShortLinesAreIgnored) {
    const std::string mountinfo =
        "\n"
        "garbage\n"
        "1 2 3 4 5 6\n"
        "50 22 0:40 / /mnt/x rw - cgroup2\n"  // too few fields after the separator
        "51 22 0:41 / /mnt/y rw no-separator cgroup cgroup rw,pids\n"
        "52 22 0:42 / /mnt/z rw - cgroup cgroup rw,pids\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "garbage\n:\n5:pids:/p\n");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].mount_point, "/mnt/z");
    EXPECT_EQ(all[0].own_path, "/p");
}

TEST(CgroupParse, NoTrailingNewline) {
    std::string mountinfo = kV2Mountinfo;
    std::string cgroup = "0::/a/b";
    auto all = parse_cgroup_hierarchies(mountinfo.substr(0, mountinfo.size() - 1), cgroup);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].own_path, "/a/b");
}

TEST(CgroupParse, EmptyInputGivesNothing) {
    EXPECT_TRUE(parse_cgroup_hierarchies("", "").empty());
}

// ---- detect_layout ----

TEST(CgroupLayoutDetection, Hybrid) {
    EXPECT_EQ(detect_layout(parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup)),
              CgroupLayout::Hybrid);
    EXPECT_EQ(detect_layout(parse_cgroup_hierarchies(kComountedMountinfo, kComountedCgroup)),
              CgroupLayout::Hybrid);
}

TEST(CgroupLayoutDetection, PureV2) {
    EXPECT_EQ(detect_layout(parse_cgroup_hierarchies(kV2Mountinfo, kV2Cgroup)), CgroupLayout::V2);
}

TEST(CgroupLayoutDetection, PureV1) {
    const std::string mountinfo =
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";
    EXPECT_EQ(detect_layout(parse_cgroup_hierarchies(mountinfo, "")), CgroupLayout::V1);
}

TEST(CgroupLayoutDetection, NoneWithoutCgroupMounts) {
    EXPECT_EQ(detect_layout({}), CgroupLayout::None);
    EXPECT_EQ(detect_layout(parse_cgroup_hierarchies(
                  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n", "0::/\n")),
              CgroupLayout::None);
}

// ---- container_cgroup_path ----

TEST(CgroupPath, AbsoluteCgroupsPathIsFromTheHierarchyRoot) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/process_api/b29c");
    EXPECT_EQ(container_cgroup_path(memory, "/machine/abc", "id"), "/machine/abc");
    auto unified = v2("/sys/fs/cgroup", "/user.slice/session-2.scope");
    EXPECT_EQ(container_cgroup_path(unified, "/machine/abc", "id"), "/machine/abc");
}

TEST(CgroupPath, AbsoluteCgroupsPathIsCleaned) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/own");
    EXPECT_EQ(container_cgroup_path(memory, "/a//b/./c/", "id"), "/a/b/c");
    EXPECT_EQ(container_cgroup_path(memory, "/../../x", "id"), "/x");
}

TEST(CgroupPath, DefaultIsTheIdUnderTheOwnCgroupOnV1) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/process_api/b29c");
    EXPECT_EQ(container_cgroup_path(memory, "", "abc"), "/process_api/b29c/abc");
    auto cpu = v1("/sys/fs/cgroup/cpu", {"cpu"}, "/");
    EXPECT_EQ(container_cgroup_path(cpu, "", "abc"), "/abc");
}

TEST(CgroupPath, RelativeCgroupsPathIsJoinedToTheOwnCgroupOnV1) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/process_api/b29c");
    EXPECT_EQ(container_cgroup_path(memory, "pod/ctr", "abc"), "/process_api/b29c/pod/ctr");
    EXPECT_EQ(container_cgroup_path(memory, "./pod/", "abc"), "/process_api/b29c/pod");
}

TEST(CgroupPath, EmptyOwnPathCountsAsRoot) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "");
    EXPECT_EQ(container_cgroup_path(memory, "", "abc"), "/abc");
    auto unified = v2("/sys/fs/cgroup", "");
    EXPECT_EQ(container_cgroup_path(unified, "", "abc"), "/abc");
}

TEST(CgroupPath, V2JoinsToTheParentOfTheOwnCgroup) {
    auto unified = v2("/sys/fs/cgroup", "/user.slice/user-1000.slice/session-2.scope");
    EXPECT_EQ(container_cgroup_path(unified, "", "abc"), "/user.slice/user-1000.slice/abc");
    EXPECT_EQ(container_cgroup_path(unified, "pod/ctr", "abc"),
              "/user.slice/user-1000.slice/pod/ctr");
}

TEST(CgroupPath, V2AtTheRootStaysAtTheRoot) {
    auto unified = v2("/sys/fs/cgroup", "/");
    EXPECT_EQ(container_cgroup_path(unified, "", "abc"), "/abc");
    auto top = v2("/sys/fs/cgroup", "/init.scope");
    EXPECT_EQ(container_cgroup_path(top, "", "abc"), "/abc");
}

TEST(CgroupPath, V2OwnPathWithTrailingSlashIsCleanedFirst) {
    auto unified = v2("/sys/fs/cgroup", "/a/b/");
    EXPECT_EQ(container_cgroup_path(unified, "", "abc"), "/a/abc");
}

TEST(CgroupPath, HybridUnifiedUsesTheParentRuleToo) {
    auto all = parse_cgroup_hierarchies(kComountedMountinfo, kComountedCgroup);
    const auto* unified = find_v2(all);
    ASSERT_NE(unified, nullptr);
    EXPECT_EQ(container_cgroup_path(*unified, "", "abc"), "/user.slice/user-1000.slice/abc");
    const auto* systemd = find_v1(all, {"name=systemd"});
    ASSERT_NE(systemd, nullptr);
    EXPECT_EQ(container_cgroup_path(*systemd, "", "abc"),
              "/user.slice/user-1000.slice/session-3.scope/abc");
}

TEST(CgroupPath, DotDotCannotEscapeTheOwnCgroup) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/process_api/b29c");
    EXPECT_EQ(container_cgroup_path(memory, "../../../etc", "abc"), "/process_api/b29c/etc");
    EXPECT_EQ(container_cgroup_path(memory, "..", "abc"), "/process_api/b29c");
    EXPECT_EQ(container_cgroup_path(memory, "a/../../b", "abc"), "/process_api/b29c/b");
    auto unified = v2("/sys/fs/cgroup", "/user.slice/session-2.scope");
    EXPECT_EQ(container_cgroup_path(unified, "../../x", "abc"), "/user.slice/x");
}

TEST(CgroupPath, DotDotInTheIdCannotEscapeEither) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/own");
    EXPECT_EQ(container_cgroup_path(memory, "", "../x"), "/own/x");
}

// ---- cgroup_dir ----

TEST(CgroupDir, JoinsToTheMountPoint) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/");
    EXPECT_EQ(cgroup_dir(memory, "/process_api/b29c/abc"),
              "/sys/fs/cgroup/memory/process_api/b29c/abc");
    auto unified = v2("/sys/fs/cgroup", "/");
    EXPECT_EQ(cgroup_dir(unified, "/user.slice/abc"), "/sys/fs/cgroup/user.slice/abc");
}

TEST(CgroupDir, RootPathIsTheMountPoint) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/");
    EXPECT_EQ(cgroup_dir(memory, "/"), "/sys/fs/cgroup/memory");
}

TEST(CgroupDir, PathIsCleaned) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/");
    EXPECT_EQ(cgroup_dir(memory, "//a/./b/../c/"), "/sys/fs/cgroup/memory/a/c");
    EXPECT_EQ(cgroup_dir(memory, "/../../etc"), "/sys/fs/cgroup/memory/etc");
}

TEST(CgroupDir, MountRootIsStrippedFromThePath) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/docker/abc", "/docker/abc");
    EXPECT_EQ(cgroup_dir(memory, "/docker/abc/ctr"), "/sys/fs/cgroup/memory/ctr");
    EXPECT_EQ(cgroup_dir(memory, "/docker/abc"), "/sys/fs/cgroup/memory");
}

TEST(CgroupDir, MountRootStripsWholeComponentsOnly) {
    auto memory = v1("/sys/fs/cgroup/memory", {"memory"}, "/docker/abc", "/docker/abc");
    EXPECT_EQ(cgroup_dir(memory, "/docker/abcdef"), "/sys/fs/cgroup/memory/docker/abcdef");
}

TEST(CgroupDir, MountRootWithTrailingSlashOrEmpty) {
    auto a = v1("/sys/fs/cgroup/memory", {"memory"}, "/", "/docker/abc/");
    EXPECT_EQ(cgroup_dir(a, "/docker/abc/ctr"), "/sys/fs/cgroup/memory/ctr");
    auto b = v1("/sys/fs/cgroup/memory", {"memory"}, "/", "");
    EXPECT_EQ(cgroup_dir(b, "/x"), "/sys/fs/cgroup/memory/x");
}

TEST(CgroupDir, EndToEndInsideAContainer) {
    const std::string mountinfo =
        "1200 1100 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime "
        "master:16 - cgroup cgroup rw,memory\n";
    auto all = parse_cgroup_hierarchies(mountinfo, "4:memory:/docker/abc\n");
    ASSERT_EQ(all.size(), 1u);
    auto path = container_cgroup_path(all[0], "", "inner");
    EXPECT_EQ(path, "/docker/abc/inner");
    EXPECT_EQ(cgroup_dir(all[0], path), "/sys/fs/cgroup/memory/inner");
}

TEST(CgroupDir, EndToEndOnThisMachinesLayout) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup);
    const auto* memory = find_v1(all, {"memory"});
    ASSERT_NE(memory, nullptr);
    EXPECT_EQ(cgroup_dir(*memory, container_cgroup_path(*memory, "", "abc")),
              "/sys/fs/cgroup/memory/process_api/b29cfc7bd545157d651dd8818338685f/abc");
    const auto* pids = find_v1(all, {"pids"});
    ASSERT_NE(pids, nullptr);
    EXPECT_EQ(cgroup_dir(*pids, container_cgroup_path(*pids, "", "abc")),
              "/sys/fs/cgroup/pids/abc");
    const auto* unified = find_v2(all);
    ASSERT_NE(unified, nullptr);
    EXPECT_EQ(cgroup_dir(*unified, container_cgroup_path(*unified, "/fixed", "abc")),
              "/sys/fs/cgroup/unified/fixed");
}

// ---- hierarchy_name ----

TEST(CgroupHierarchyName, SingleController) {
    EXPECT_EQ(hierarchy_name(v1("/sys/fs/cgroup/cpu", {"cpu"}, "/")), "cpu");
    EXPECT_EQ(hierarchy_name(v1("/sys/fs/cgroup/memory", {"memory"}, "/")), "memory");
}

TEST(CgroupHierarchyName, NamedHierarchyDropsThePrefix) {
    EXPECT_EQ(hierarchy_name(v1("/sys/fs/cgroup/systemd", {"name=systemd"}, "/")), "systemd");
}

TEST(CgroupHierarchyName, V2IsUnified) {
    EXPECT_EQ(hierarchy_name(v2("/sys/fs/cgroup", "/")), "unified");
    EXPECT_EQ(hierarchy_name(v2("/sys/fs/cgroup/unified", "/")), "unified");
}

TEST(CgroupHierarchyName, CoMountedControllersJoinWithComma) {
    auto all = parse_cgroup_hierarchies(kComountedMountinfo, kComountedCgroup);
    const auto* cpu = find_v1(all, {"cpu", "cpuacct"});
    ASSERT_NE(cpu, nullptr);
    EXPECT_EQ(hierarchy_name(*cpu), "cpu,cpuacct");
    const auto* net = find_v1(all, {"net_cls", "net_prio"});
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(hierarchy_name(*net), "net_cls,net_prio");
}

TEST(CgroupHierarchyName, ParsedHybridNames) {
    auto all = parse_cgroup_hierarchies(kHybridMountinfo, kHybridCgroup);
    Strings names;
    for (const auto& h : all) names.push_back(hierarchy_name(h));
    EXPECT_EQ(names, (Strings{"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
                              "pids", "systemd", "unified"}));
}
