#include "minirunc/default_spec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace minirunc {
namespace {

using nlohmann::json;

// What `runc spec` (1.1) writes, with our version and hostname.
json runc_spec_output() {
    return json::parse(R"({"ociVersion":"1.3.0","process":{"terminal":true,"user":{"uid":0,"gid":0},
    "args":["sh"],"env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm"],"cwd":"/","capabilities":{
    "bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
    "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
    "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
    "ambient":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
    "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
    "root":{"path":"rootfs","readonly":true},"hostname":"minirunc","mounts":[
    {"destination":"/proc","type":"proc","source":"proc"},
    {"destination":"/dev","type":"tmpfs","source":"tmpfs",
     "options":["nosuid","strictatime","mode=755","size=65536k"]},
    {"destination":"/dev/pts","type":"devpts","source":"devpts",
     "options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
    {"destination":"/dev/shm","type":"tmpfs","source":"shm",
     "options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
    {"destination":"/dev/mqueue","type":"mqueue","source":"mqueue",
     "options":["nosuid","noexec","nodev"]},
    {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
    {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup",
     "options":["nosuid","noexec","nodev","relatime","ro"]}],
    "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},
    "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
    "maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats",
    "/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi"],
    "readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}})");
}

TEST(DefaultSpec, MatchesRuncSpecWithOurVersionAndHostname) {
    EXPECT_EQ(default_spec(false), runc_spec_output()) << default_spec(false).dump(2);
}

TEST(DefaultSpec, IgnoresIdsWhenNotRootless) {
    EXPECT_EQ(default_spec(false, 1000, 1000), default_spec(false));
}

TEST(DefaultSpec, RootlessMatchesRuncSpecRootless) {
    json expected = runc_spec_output();
    json& linux = expected["linux"];
    linux.erase("resources");
    linux["namespaces"] = json::parse(
        R"([{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"user"}])");
    linux["uidMappings"] = json::parse(R"([{"containerID":0,"hostID":1000,"size":1}])");
    linux["gidMappings"] = json::parse(R"([{"containerID":0,"hostID":100,"size":1}])");
    expected["mounts"][2]["options"] =
        json::parse(R"(["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"])");
    expected["mounts"][5] = json::parse(R"({"destination":"/sys","type":"none","source":"/sys",
        "options":["rbind","nosuid","noexec","nodev","ro"]})");
    EXPECT_EQ(default_spec(true, 1000, 100), expected) << default_spec(true, 1000, 100).dump(2);
}

TEST(DefaultSpec, RootlessKeepsTheCgroupMount) {
    const json spec = default_spec(true, 1, 1);
    EXPECT_EQ(spec["mounts"][6]["destination"], "/sys/fs/cgroup");
    EXPECT_EQ(spec["mounts"][6]["type"], "cgroup");
}

}  // namespace
}  // namespace minirunc
