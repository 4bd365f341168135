// Cgroup placement by runc's rules on every hierarchy of the host (v1, hybrid or
// v2): absolute, relative and default linux.cgroupsPath; the `cgroup` mount with
// and without a cgroup namespace; delete removes exactly what create made.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

// One line of /proc/<pid>/cgroup: "id:controllers:path".
struct CgroupLine {
    std::string controllers;  // "" for cgroup v2
    std::string path;
};

std::vector<CgroupLine> procCgroups(const std::string& pid) {
    std::vector<CgroupLine> lines;
    for (const auto& line : splitLines(readFile("/proc/" + pid + "/cgroup"))) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        lines.push_back({line.substr(first + 1, second - first - 1), line.substr(second + 1)});
    }
    return lines;
}

std::string parentPath(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string joinPath(const std::string& base, const std::string& rest) {
    return base == "/" ? "/" + rest : base + "/" + rest;
}

// The host directory of a hierarchy, by the controllers of its /proc/<pid>/cgroup line.
std::string hierarchyMount(const std::string& controllers) {
    for (const auto& m : parseMountInfo(readFile("/proc/self/mountinfo"))) {
        if (controllers.empty() ? m.fsType == "cgroup2" : m.fsType == "cgroup") {
            bool all = true;
            std::string list = controllers + ",";
            for (size_t start = 0, end;
                 !controllers.empty() && (end = list.find(',', start)) != std::string::npos;
                 start = end + 1)
                all = all && hasWord(m.superOptions, list.substr(start, end - start));
            if (all) return m.mountPoint;
        }
    }
    return "";
}

class Cgroups : public RuntimeTest {
  protected:
    // Creates a container with cfg (cgroupsPath as given; absent = default) and
    // checks that in every hierarchy it is at expected(own cgroup of the caller,
    // v2?); returns the host directories; the container is left created.
    std::vector<std::string> createAndCheckPlacement(
        const std::string& id, const json& cfg,
        const std::function<std::string(const std::string&, bool)>& expected) {
        std::string bundle = makeBundle(id, cfg);
        if (!cfg["linux"].contains("cgroupsPath")) {
            json written = cfg;  // makeBundle fills in a path: take it out again
            writeFile(bundle + "/config.json", written.dump(2));
        }
        Result r = rt({"create", "--bundle", bundle, id});
        EXPECT_TRUE(r.ok()) << r;
        if (!r.ok()) return {};
        std::string pid = std::to_string(state(id).value("pid", 0));
        auto own = procCgroups("self");
        std::vector<std::string> dirs;
        for (const auto& line : procCgroups(pid)) {
            auto mine = std::find_if(own.begin(), own.end(), [&](const CgroupLine& o) {
                return o.controllers == line.controllers;
            });
            if (mine == own.end()) continue;
            bool v2 = line.controllers.empty();
            EXPECT_EQ(line.path, expected(mine->path, v2))
                << "hierarchy '" << line.controllers << "'";
            std::string mountPoint = hierarchyMount(line.controllers);
            EXPECT_FALSE(mountPoint.empty()) << line.controllers;
            dirs.push_back(mountPoint + line.path);
            EXPECT_TRUE(exists(dirs.back())) << dirs.back();
        }
        EXPECT_FALSE(dirs.empty());
        return dirs;
    }

    void deleteAndCheckRemoved(const std::string& id, const std::vector<std::string>& dirs) {
        Result d = rt({"delete", "--force", id});
        ASSERT_TRUE(d.ok()) << d;
        for (const auto& dir : dirs) EXPECT_FALSE(exists(dir)) << dir << " left after delete";
    }
};

// runc's suite: "runc run/create should warn about a non-empty cgroup".
TEST_F(Cgroups, CreateInACgroupThatHasProcessesWarnsInRuncsWords) {
    auto first = newId();
    auto second = newId();
    ASSERT_TRUE(createAndStart(first, makeBundle(first, config())));
    json cfg = config();
    cfg["linux"]["cgroupsPath"] = cgroupPathFor(first);
    Result r = rt({"create", "--bundle", makeBundle(second, cfg), second});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "container's cgroup is not empty")) << r;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.err, "1 process(es) found")) << r;
    }
}

TEST_F(Cgroups, AbsoluteCgroupsPathIsTakenFromEveryHierarchyRoot) {
    auto id = newId();
    json cfg = config();
    std::string path = cgroupPathFor(id) + "/nested/leaf";
    cfg["linux"]["cgroupsPath"] = path;
    auto dirs = createAndCheckPlacement(id, cfg, [&](const std::string&, bool) { return path; });
    deleteAndCheckRemoved(id, dirs);
    // The intermediate cgroups create made go too.
    for (const auto& dir : dirs) {
        EXPECT_FALSE(exists(parentPath(dir))) << parentPath(dir);
        EXPECT_FALSE(exists(parentPath(parentPath(dir)))) << parentPath(parentPath(dir));
        // Left by a runtime that fails this (runc 1.1): not the next run's problem.
        rmdir(parentPath(dir).c_str());
        rmdir(parentPath(parentPath(dir)).c_str());
    }
}

TEST_F(Cgroups, RelativeCgroupsPathIsBelowTheCallersCgroup) {
    auto id = newId();
    json cfg = config();
    std::string relative = "minirunc-test/" + id;
    cfg["linux"]["cgroupsPath"] = relative;
    // runc: v1 joins it to the caller's cgroup, v2 to that cgroup's parent.
    auto dirs = createAndCheckPlacement(id, cfg, [&](const std::string& own, bool v2) {
        return joinPath(v2 ? parentPath(own) : own, relative);
    });
    deleteAndCheckRemoved(id, dirs);
}

TEST_F(Cgroups, DefaultCgroupsPathIsTheIdBelowTheCallersCgroup) {
    auto id = newId();
    json cfg = config();
    auto dirs = createAndCheckPlacement(id, cfg, [&](const std::string& own, bool v2) {
        return joinPath(v2 ? parentPath(own) : own, id);
    });
    deleteAndCheckRemoved(id, dirs);
}

TEST_F(Cgroups, DeleteKeepsParentCgroupsThatExistedBefore) {
    auto id = newId();
    std::string parent = cgroupPathFor(id);
    json cfg = config();
    cfg["linux"]["cgroupsPath"] = parent + "/leaf";
    // A first container makes the parent; a second one inside it must not remove it.
    auto first = newId();
    json holder = config();
    holder["linux"]["cgroupsPath"] = parent;
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(first, holder), first}).ok());
    auto dirs = createAndCheckPlacement(id, cfg,
                                        [&](const std::string&, bool) { return parent + "/leaf"; });
    deleteAndCheckRemoved(id, dirs);
    for (const auto& dir : dirs) EXPECT_TRUE(exists(parentPath(dir))) << parentPath(dir);
    ASSERT_TRUE(rt({"delete", "--force", first}).ok());
    for (const auto& dir : dirs) EXPECT_FALSE(exists(parentPath(dir))) << parentPath(dir);
}

// "<cgroup.procs path> has-init" for each cgroup.procs under /sys/fs/cgroup that lists
// the container's pid 1 ("no-init" otherwise), then mountinfo.
const char* kCgroupMountScript =
    "for f in /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/*/cgroup.procs; do "
    "[ -e $f ] || continue; if grep -qx 1 $f; then echo $f has-init; else echo $f no-init; fi; "
    "done; echo ---; probe mounts";

TEST_F(Cgroups, CgroupMountWithoutNamespaceShowsOnlyTheContainersCgroup) {
    auto id = newId();
    Result r = runContainer(id, makeBundle(id, config({"sh", "-c", kCgroupMountScript})));
    ASSERT_TRUE(r.ok()) << r;
    auto parts = r.out.find("---\n");
    ASSERT_NE(parts, std::string::npos) << r;
    auto procs = splitLines(r.out.substr(0, parts));
    EXPECT_FALSE(procs.empty()) << r;
    for (const auto& line : procs) EXPECT_TRUE(contains(line, " has-init")) << line;
    int cgroupMounts = 0;
    for (const auto& m : parseMountInfo(r.out.substr(parts + 4))) {
        if (m.fsType != "cgroup" && m.fsType != "cgroup2") continue;
        ++cgroupMounts;
        EXPECT_EQ(m.root, cgroupPathFor(id)) << m.mountPoint << ": the container's own cgroup";
        EXPECT_TRUE(hasWord(m.options, "ro")) << m.mountPoint;
    }
    EXPECT_GT(cgroupMounts, 0) << r.out;
}

TEST_F(Cgroups, CgroupMountWithNamespaceShowsTheContainersCgroupAsRoot) {
    json cfg = config({"sh", "-c", std::string("cat /proc/self/cgroup; ") + kCgroupMountScript});
    cfg["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto parts = r.out.find("---\n");
    ASSERT_NE(parts, std::string::npos) << r;
    for (const auto& line : splitLines(r.out.substr(0, parts))) {
        if (line.rfind("/sys/fs/cgroup", 0) == 0)
            EXPECT_TRUE(contains(line, " has-init")) << line;
        else
            EXPECT_EQ(line.substr(line.rfind(':')), ":/") << "/proc/self/cgroup: " << line;
    }
    int cgroupMounts = 0;
    for (const auto& m : parseMountInfo(r.out.substr(parts + 4))) {
        if (m.fsType != "cgroup" && m.fsType != "cgroup2") continue;
        ++cgroupMounts;
        EXPECT_EQ(m.root, "/") << m.mountPoint;
    }
    EXPECT_GT(cgroupMounts, 0) << r.out;
}

TEST_F(Cgroups, ReadOnlyCgroupMountRejectsWrites) {
    json cfg = config({"sh", "-c",
                       "for d in /sys/fs/cgroup/*/; do mkdir ${d}sub 2>/dev/null && echo made $d; "
                       "done; probe write /sys/fs/cgroup/x y; echo status=$?"});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "status=1\n") << "a cgroup was made through a read-only mount";
}

TEST_F(Cgroups, CgroupsMadeByTheContainerAreRemovedOnDelete) {
    json cfg = config({"sh", "-c",
                       "for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do "
                       "[ -e ${d}cgroup.procs ] && mkdir -p ${d}child/grandchild && echo made; "
                       "done; true"});
    cfg["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    for (auto& m : cfg["mounts"]) {
        if (m["type"] == "cgroup") m["options"] = {"nosuid", "noexec", "nodev", "rw"};
    }
    auto id = newId();
    Result r = runContainer(id, makeBundle(id, cfg));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "made")) << r;
    // `run` deleted the container: the harness fails the test on any cgroup left.
    for (const auto& h : cgroupHierarchies())
        EXPECT_FALSE(exists(h + cgroupPathFor(id))) << h + cgroupPathFor(id);
}

}  // namespace
}  // namespace minirunc::test
