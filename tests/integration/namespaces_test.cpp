// Namespaces (new and joined), UTS names, sysctls and cgroup placement.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cgroup_util.hpp"
#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

// probe ns key for each config.json namespace type.
const std::map<std::string, std::string> kProbeKey = {{"pid", "pid"},   {"network", "net"},
                                                      {"ipc", "ipc"},   {"uts", "uts"},
                                                      {"mount", "mnt"}, {"cgroup", "cgroup"}};

class Namespaces : public RuntimeTest {
  protected:
    json withNamespaces(json cfg, const std::vector<json>& namespaces) {
        cfg["linux"]["namespaces"] = namespaces;
        return cfg;
    }

    json probeJson(const json& cfg) {
        Result r = runProbe(cfg);
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(trim(r.out)) : json::object();
    }

    // Starts `unshare <flags> sh -c '<setup>; exec sleep 100000'` and waits for it to be ready.
    pid_t startNamespaceHolder(const std::vector<std::string>& unshareFlags,
                               const std::string& setup) {
        std::string out = tmp_ + "/holder.out";
        std::vector<std::string> argv = {"unshare"};
        argv.insert(argv.end(), unshareFlags.begin(), unshareFlags.end());
        argv.insert(argv.end(), {"sh", "-c", setup + " && echo ready && exec sleep 100000"});
        pid_t pid = spawnHelper(argv, out);
        waitForFile(out, "ready");
        return pid;
    }
};

TEST_F(Namespaces, ListedNamespacesAreNew) {
    json cfg = config({"probe", "ns"});
    std::vector<json> all;
    for (const auto& [type, _] : kProbeKey) all.push_back({{"type", type}});
    json ns = probeJson(withNamespaces(cfg, all));
    for (const auto& [type, key] : kProbeKey) {
        ASSERT_TRUE(ns.contains(key)) << ns;
        EXPECT_NE(ns[key].get<unsigned long long>(), hostNamespaceInode(key))
            << type << " namespace was not created";
    }
}

TEST_F(Namespaces, UnlistedNamespacesAreShared) {
    json cfg = config({"probe", "ns"});
    cfg.erase("hostname");  // needs a private UTS namespace
    json ns = probeJson(withNamespaces(cfg, {{{"type", "mount"}}}));
    for (const auto& [type, key] : kProbeKey) {
        if (type == "mount") continue;
        ASSERT_TRUE(ns.contains(key)) << ns;
        EXPECT_EQ(ns[key].get<unsigned long long>(), hostNamespaceInode(key))
            << type << " namespace should be the runtime's";
    }
    EXPECT_NE(ns["mnt"].get<unsigned long long>(), hostNamespaceInode("mnt"));
}

// runtime-spec: a type left out of linux.namespaces is the runtime's. Each
// one in turn, the others new. Without a mount namespace nothing may be
// mounted (it would be on the host) and the rootfs is the host's "/".
TEST_F(Namespaces, EachNamespaceLeftOutIsTheRuntimes) {
    const std::vector<std::string> listed = {"pid", "network", "ipc", "uts", "mount", "cgroup"};
    const std::map<std::string, std::string> keys = {
        {"pid", "pid"},   {"network", "net"},   {"ipc", "ipc"},   {"uts", "uts"},
        {"mount", "mnt"}, {"cgroup", "cgroup"}, {"user", "user"}, {"time", "time"}};
    for (const auto& [left_out, key] : keys) {
        SCOPED_TRACE("left out: " + left_out);
        if (left_out == "mount" && runtimeName() == "runc") {
            std::cout << "skipped for runc: without a mount namespace it mounts on the host\n";
            continue;
        }
        json cfg = config({"probe", "ns"});
        std::vector<json> namespaces;
        for (const auto& type : listed)
            if (type != left_out) namespaces.push_back({{"type", type}});
        cfg = withNamespaces(cfg, namespaces);
        if (left_out == "uts") cfg.erase("hostname");
        std::string hostRoot = mountAt(readFile("/proc/self/mountinfo"), "/").optional;
        if (left_out == "mount") {
            cfg["mounts"] = json::array();
            cfg["linux"].erase("maskedPaths");
            cfg["linux"].erase("readonlyPaths");
            cfg["root"] = {{"path", "/"}};
            cfg["process"]["args"] = {testRootfs() + "/bin/probe", "ns"};
        }
        json ns = probeJson(cfg);
        if (ns.empty()) continue;
        if (!ns.contains(key)) continue;  // not in this kernel (time)
        EXPECT_EQ(ns[key].get<unsigned long long>(), hostNamespaceInode(key));
        for (const auto& type : listed) {
            if (type == left_out) continue;
            EXPECT_NE(ns[keys.at(type)].get<unsigned long long>(),
                      hostNamespaceInode(keys.at(type)))
                << type;
        }
        EXPECT_EQ(mountAt(readFile("/proc/self/mountinfo"), "/").optional, hostRoot)
            << "the host's / changed";
    }
}

// What cannot be honoured in the host's mount table is refused, naming the field.
TEST_F(Namespaces, WithoutAMountNamespaceMountsAndAnotherRootfsAreRefused) {
    if (runtimeName() == "runc")
        GTEST_SKIP() << "runc mounts on the host without a mount namespace";
    auto base = [&] {
        json cfg = config({"true"});
        cfg = withNamespaces(cfg, {{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}});
        cfg["linux"].erase("maskedPaths");
        cfg["linux"].erase("readonlyPaths");
        cfg["mounts"] = json::array();
        cfg["root"] = {{"path", "/"}};
        return cfg;
    };
    struct Case {
        std::string field;
        json cfg;
    };
    std::vector<Case> cases;
    cases.push_back({"/mounts", base()});
    cases.back().cfg["mounts"] = {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}}};
    cases.push_back({"/root/path", base()});
    cases.back().cfg["root"] = {{"path", testRootfs()}};
    cases.push_back({"/root/readonly", base()});
    cases.back().cfg["root"]["readonly"] = true;
    cases.push_back({"/linux/maskedPaths", base()});
    cases.back().cfg["linux"]["maskedPaths"] = {"/proc/kcore"};
    cases.push_back({"/linux/rootfsPropagation", base()});
    cases.back().cfg["linux"]["rootfsPropagation"] = "private";
    for (const auto& c : cases) {
        SCOPED_TRACE(c.field);
        auto id = newId();
        Result r = rt({"run", "--bundle", makeBundle(id, c.cfg), id});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "config.json: " + c.field)) << r;
        EXPECT_FALSE(exists(stateRoot_ + "/" + id)) << "state left behind";
    }
}

TEST_F(Namespaces, ExistingNamespacesAreJoinedByPath) {
    pid_t holder = startNamespaceHolder({"--uts", "--net"}, "hostname joined-uts");
    ASSERT_GT(holder, 0);
    std::string nsDir = "/proc/" + std::to_string(holder) + "/ns/";
    json cfg = config({"sh", "-c", "probe ns && probe hostname"});
    cfg.erase("hostname");  // setting it would rename the joined namespace
    json namespaces = {{{"type", "pid"}},
                       {{"type", "mount"}},
                       {{"type", "ipc"}},
                       {{"type", "uts"}, {"path", nsDir + "uts"}},
                       {{"type", "network"}, {"path", nsDir + "net"}}};
    cfg["linux"]["namespaces"] = namespaces;
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    json ns = parseJson(lines[0]);
    struct stat uts, net;
    ASSERT_EQ(stat((nsDir + "uts").c_str(), &uts), 0);
    ASSERT_EQ(stat((nsDir + "net").c_str(), &net), 0);
    EXPECT_EQ(ns.value("uts", 0ULL), uts.st_ino);
    EXPECT_EQ(ns.value("net", 0ULL), net.st_ino);
    EXPECT_EQ(parseJson(lines[1]).value("hostname", ""), "joined-uts");
    stopHelper(holder);
}

TEST_F(Namespaces, ProcessIsPidOneInANewPidNamespace) {
    json pid = probeJson(config({"probe", "pid"}));
    EXPECT_EQ(pid.value("pid", -1), 1) << pid;
    EXPECT_EQ(pid.value("ppid", -1), 0) << pid;
}

TEST_F(Namespaces, HostnameIsSetInTheNewUtsNamespace) {
    json cfg = config({"probe", "hostname"});
    cfg["hostname"] = "test-host";
    json names = probeJson(cfg);
    EXPECT_EQ(names.value("hostname", ""), "test-host");
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    EXPECT_NE(std::string(host), "test-host") << "the host's name changed";
}

TEST_F(Namespaces, DomainnameIsSetInTheNewUtsNamespace) {
    json cfg = config({"probe", "hostname"});
    cfg["hostname"] = "test-host";
    cfg["domainname"] = "example.org";
    json names = probeJson(cfg);
    EXPECT_EQ(names.value("domainname", ""), "example.org") << names;
}

TEST_F(Namespaces, HostnameWithoutUtsNamespaceIsAnError) {
    json cfg = config({"probe", "hostname"});
    cfg["hostname"] = "test-host";
    cfg = withNamespaces(cfg, {{{"type", "mount"}}, {{"type", "pid"}}});
    Result r = runProbe(cfg);
    EXPECT_NE(r.status, 0) << r;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    EXPECT_NE(std::string(host), "test-host") << "the host's name changed";
}

TEST_F(Namespaces, SysctlsAreAppliedInsideTheContainerNamespaces) {
    std::string hostForward = trim(readFile("/proc/sys/net/ipv4/ip_forward"));
    std::string hostShmmax = trim(readFile("/proc/sys/kernel/shmmax"));
    json cfg =
        config({"sh", "-c", "probe sysctl net.ipv4.ip_forward && probe sysctl kernel.shmmax"});
    std::string forward = hostForward == "1" ? "0" : "1";
    cfg["linux"]["sysctl"] = {{"net.ipv4.ip_forward", forward}, {"kernel.shmmax", "65536"}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, forward + "\n65536\n");
    EXPECT_EQ(trim(readFile("/proc/sys/net/ipv4/ip_forward")), hostForward) << "host changed";
    EXPECT_EQ(trim(readFile("/proc/sys/kernel/shmmax")), hostShmmax) << "host changed";
}

TEST_F(Namespaces, SysctlOfASharedNamespaceIsRejected) {
    json cfg = config({"probe", "exit", "0"});
    cfg.erase("hostname");
    cfg = withNamespaces(cfg, {{{"type", "mount"}}, {{"type", "pid"}}});
    cfg["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
    std::string before = readFile("/proc/sys/net/ipv4/ip_forward");
    Result r = runProbe(cfg);
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(readFile("/proc/sys/net/ipv4/ip_forward"), before) << "host sysctl changed";
}

// Controllers of v1 hierarchies in /proc/<pid>/cgroup, mapped to their cgroup path.
std::map<std::string, std::string> v1Cgroups(pid_t pid) {
    std::map<std::string, std::string> result;
    for (const auto& line : splitLines(readFile("/proc/" + std::to_string(pid) + "/cgroup"))) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        if (controllers.empty() || controllers.rfind("name=", 0) == 0) continue;
        result[controllers] = line.substr(second + 1);
    }
    return result;
}

TEST_F(Namespaces, ContainerIsPlacedInItsCgroupsPathAndItIsRemovedOnDelete) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    int pid = state(id).value("pid", 0);
    ASSERT_GT(pid, 0);
    std::string path = cgroupPathFor(id);
    auto v1 = v1Cgroups(pid);
    std::vector<std::string> dirs;
    if (v1.empty()) {
        // Pure cgroup v2.
        std::string self = readFile("/proc/" + std::to_string(pid) + "/cgroup");
        EXPECT_TRUE(contains(self, "0::" + path + "\n")) << self;
        dirs.push_back(v2Mount() + path);
    }
    // Each hierarchy where the host mounts it (not always /sys/fs/cgroup/<controllers>).
    for (const auto& [controllers, cgPath] : v1) {
        EXPECT_EQ(cgPath, path) << "controller " << controllers;
        std::string mount = v1Mount(controllers.substr(0, controllers.find(',')));
        EXPECT_FALSE(mount.empty()) << "no mount of " << controllers;
        if (!mount.empty()) dirs.push_back(mount + path);
    }
    for (const auto& d : dirs) EXPECT_TRUE(exists(d)) << d;
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
    for (const auto& d : dirs) EXPECT_FALSE(exists(d)) << d << " left after delete";
}

TEST_F(Namespaces, CgroupNamespaceHidesTheHostCgroupPath) {
    json cfg = config({"cat", "/proc/self/cgroup"});
    cfg["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_FALSE(contains(r.out, "/minirunc-test/")) << r.out;
}

}  // namespace
}  // namespace minirunc::test
