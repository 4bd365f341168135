#include <gtest/gtest.h>

#include "minirunc/default_spec.hpp"
#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"
#include "spec_example.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;

// A small config that passes validation, for tests to break one piece of.
json valid_config() {
    return json::parse(R"({
      "ociVersion": "1.0.2",
      "process": {"args": ["sh"], "cwd": "/"},
      "root": {"path": "rootfs"},
      "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                               {"type": "uts"}, {"type": "network"}]}
    })");
}

json with(json doc, const std::string& pointer, const json& value) {
    doc[json::json_pointer(pointer)] = value;
    return doc;
}

json without(json doc, const std::string& pointer) {
    const json::json_pointer ptr(pointer);
    doc[ptr.parent_pointer()].erase(ptr.back());
    return doc;
}

// valid_config() with its namespace list replaced by `types`.
json with_namespaces(std::initializer_list<const char*> types) {
    json list = json::array();
    for (const char* t : types) list.push_back({{"type", t}});
    return with(valid_config(), "/linux/namespaces", list);
}

// The message validate() throws for `doc`, or "" when it is valid.
std::string validation_error(const json& doc) {
    const Spec s = parse(doc);
    try {
        validate(s);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SpecValidate, AcceptsMinimalConfig) {
    EXPECT_EQ(validation_error(valid_config()), "");
}

TEST(SpecValidate, AcceptsDefaultSpecs) {
    EXPECT_EQ(validation_error(default_spec(false)), "");
    EXPECT_EQ(validation_error(default_spec(true, 1000, 1000)), "");
}

TEST(SpecValidate, RequiresVersion1) {
    EXPECT_EQ(validation_error(without(valid_config(), "/ociVersion")),
              "config.json: /ociVersion: must not be empty");
    EXPECT_EQ(validation_error(with(valid_config(), "/ociVersion", "2.0.0")),
              "config.json: /ociVersion: unsupported version \"2.0.0\": must be 1.x");
    EXPECT_EQ(validation_error(with(valid_config(), "/ociVersion", "10.0")),
              "config.json: /ociVersion: unsupported version \"10.0\": must be 1.x");
    EXPECT_EQ(validation_error(with(valid_config(), "/ociVersion", "1.3.0-rc.1")), "");
    EXPECT_EQ(validation_error(with(valid_config(), "/ociVersion", "1.0.2-dev")), "");
}

TEST(SpecValidate, RequiresProcessWithArgsAndAbsoluteCwd) {
    EXPECT_EQ(validation_error(without(valid_config(), "/process")),
              "config.json: /process: must be present");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/args", json::array())),
              "config.json: /process/args: must not be empty");
    EXPECT_EQ(validation_error(without(valid_config(), "/process/cwd")),
              "config.json: /process/cwd: must be an absolute path");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/cwd", "work")),
              "config.json: /process/cwd: must be an absolute path");
}

TEST(SpecValidate, RequiresRootPath) {
    EXPECT_EQ(validation_error(without(valid_config(), "/root")),
              "config.json: /root: must be present");
    EXPECT_EQ(validation_error(with(valid_config(), "/root/path", "")),
              "config.json: /root/path: must not be empty");
}

TEST(SpecValidate, LimitsUmask) {
    EXPECT_EQ(validation_error(with(valid_config(), "/process/user/umask", 0777)), "");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/user/umask", 01000)),
              "config.json: /process/user/umask: must be at most 0777");
}

TEST(SpecValidate, RequiresCapabilityNameForm) {
    EXPECT_EQ(validation_error(with(valid_config(), "/process/capabilities/permitted",
                                    {"CAP_SYS_ADMIN", "CAP_NEW_THING"})),
              "");
    EXPECT_EQ(validation_error(
                  with(valid_config(), "/process/capabilities/ambient", {"CAP_KILL", "kill"})),
              "config.json: /process/capabilities/ambient/1: invalid capability name \"kill\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/capabilities/bounding", {"CAP_"})),
              "config.json: /process/capabilities/bounding/0: invalid capability name \"CAP_\"");
    EXPECT_EQ(
        validation_error(with(valid_config(), "/process/capabilities/effective", {"CAP_kill"})),
        "config.json: /process/capabilities/effective/0: invalid capability name \"CAP_kill\"");
}

TEST(SpecValidate, ChecksRlimits) {
    const auto rlimit = [](const char* type, uint64_t hard, uint64_t soft) {
        return json{{"type", type}, {"hard", hard}, {"soft", soft}};
    };
    EXPECT_EQ(
        validation_error(with(valid_config(), "/process/rlimits",
                              {rlimit("RLIMIT_NOFILE", 10, 10), rlimit("RLIMIT_RTTIME", 1, 0)})),
        "");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/rlimits",
                                    json::array({rlimit("RLIMIT_BOGUS", 1, 1)}))),
              "config.json: /process/rlimits/0/type: unknown rlimit \"RLIMIT_BOGUS\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/rlimits",
                                    {rlimit("RLIMIT_CORE", 1, 1), rlimit("RLIMIT_CORE", 2, 2)})),
              "config.json: /process/rlimits/1/type: duplicate rlimit \"RLIMIT_CORE\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/rlimits",
                                    json::array({rlimit("RLIMIT_NOFILE", 10, 11)}))),
              "config.json: /process/rlimits/0/soft: must not exceed hard");
}

TEST(SpecValidate, LimitsOomScoreAdj) {
    EXPECT_EQ(validation_error(with(valid_config(), "/process/oomScoreAdj", -1000)), "");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/oomScoreAdj", 1001)),
              "config.json: /process/oomScoreAdj: must be between -1000 and 1000");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/oomScoreAdj", -1001)),
              "config.json: /process/oomScoreAdj: must be between -1000 and 1000");
}

TEST(SpecValidate, AllowsConsoleSizeWithoutTerminal) {
    EXPECT_EQ(validation_error(
                  with(valid_config(), "/process/consoleSize", {{"height", 1}, {"width", 2}})),
              "");
}

TEST(SpecValidate, ChecksSchedulerLikeRunc) {
    const auto sched = [](const json& s) {
        return validation_error(with(valid_config(), "/process/scheduler", s));
    };
    EXPECT_EQ(sched({{"policy", "SCHED_FIFO"}, {"priority", 50}}), "");
    EXPECT_EQ(sched({{"policy", "SCHED_DEADLINE"}, {"runtime", 1}, {"deadline", 2}}), "");
    EXPECT_EQ(sched({{"nice", 1}}), "config.json: /process/scheduler/policy: must not be empty");
    EXPECT_EQ(sched({{"policy", "SCHED_FAST"}}),
              "config.json: /process/scheduler/policy: unknown policy \"SCHED_FAST\"");
    EXPECT_EQ(sched({{"policy", "SCHED_OTHER"}, {"nice", 20}}),
              "config.json: /process/scheduler/nice: must be between -20 and 19");
    EXPECT_EQ(sched({{"policy", "SCHED_OTHER"}, {"priority", 1}}),
              "config.json: /process/scheduler/priority: only allowed for SCHED_FIFO and SCHED_RR");
    EXPECT_EQ(sched({{"policy", "SCHED_RR"}, {"period", 5}}),
              "config.json: /process/scheduler/period: only allowed for SCHED_DEADLINE");
}

TEST(SpecValidate, ChecksIoPriority) {
    const auto io = [](const json& p) {
        return validation_error(with(valid_config(), "/process/ioPriority", p));
    };
    EXPECT_EQ(io({{"class", "IOPRIO_CLASS_IDLE"}, {"priority", 7}}), "");
    EXPECT_EQ(io({{"class", "IOPRIO_CLASS_X"}, {"priority", 0}}),
              "config.json: /process/ioPriority/class: unknown class \"IOPRIO_CLASS_X\"");
    EXPECT_EQ(io({{"class", "IOPRIO_CLASS_RT"}, {"priority", 8}}),
              "config.json: /process/ioPriority/priority: must be between 0 and 7");
}

// A one-element JSON array (a braced {x} would copy x instead).
json list_of(const json& item) {
    return json::array({item});
}

TEST(SpecValidate, AcceptsRelativeMountDestinationsButNotEmptyOnes) {
    // runtime-spec 1.1: a relative destination is deprecated, not invalid.
    const json mounts = json::array({json({{"destination", "/proc"}, {"type", "proc"}}),
                                     json({{"destination", "foo/bar"}, {"type", "tmpfs"}}),
                                     json({{"destination", "../up"}, {"type", "tmpfs"}})});
    EXPECT_EQ(validation_error(with(valid_config(), "/mounts", mounts)), "");
    EXPECT_EQ(validation_error(with(valid_config(), "/mounts", list_of({{"type", "tmpfs"}}))),
              "config.json: /mounts/0/destination: must not be empty");
}

TEST(SpecValidate, RelativeMountDestinationsAreMadeAbsoluteWithAWarning) {
    const json mounts = json::array({json({{"destination", "/proc"}, {"type", "proc"}}),
                                     json({{"destination", "foo/bar"}, {"type", "tmpfs"}}),
                                     json({{"destination", "../up"}, {"type", "tmpfs"}})});
    Spec spec = parse(with(valid_config(), "/mounts", mounts));
    const std::vector<std::string> warnings = absolutize_mount_destinations(spec);
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("/mounts/1/destination: \"foo/bar\" is relative"), std::string::npos)
        << warnings[0];
    EXPECT_NE(warnings[1].find("/mounts/2/destination"), std::string::npos) << warnings[1];
    EXPECT_EQ(spec.mounts[0].destination, "/proc");
    EXPECT_EQ(spec.mounts[1].destination, "/foo/bar");
    // ".." stays for the planner and the init: clean_path and RESOLVE_IN_ROOT
    // keep it inside the rootfs.
    EXPECT_EQ(spec.mounts[2].destination, "/../up");
    EXPECT_TRUE(absolutize_mount_destinations(spec).empty());
}

TEST(SpecValidate, RequiresSourceForBindMounts) {
    EXPECT_EQ(validation_error(with(valid_config(), "/mounts",
                                    list_of({{"destination", "/x"}, {"type", "bind"}}))),
              "config.json: /mounts/0/source: must not be empty for a bind mount");
    EXPECT_EQ(validation_error(with(valid_config(), "/mounts",
                                    list_of({{"destination", "/x"}, {"options", {"rbind"}}}))),
              "config.json: /mounts/0/source: must not be empty for a bind mount");
    EXPECT_EQ(validation_error(with(valid_config(), "/mounts",
                                    list_of({{"destination", "/x"}, {"type", "tmpfs"}}))),
              "");
}

TEST(SpecValidate, ChecksIdMappedMounts) {
    const json map = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}}};
    const json base = {{"destination", "/x"}, {"source", "/src"}, {"options", {"bind"}}};
    auto m = [&](json extra) {
        json out = base;
        out.update(extra);
        return validation_error(with(valid_config(), "/mounts", list_of(out)));
    };
    EXPECT_EQ(m({{"uidMappings", map}, {"gidMappings", map}}), "");
    EXPECT_EQ(m({{"uidMappings", map}, {"gidMappings", map}, {"options", {"ro"}}}),
              "config.json: /mounts/0/uidMappings: only supported for bind mounts");
    EXPECT_EQ(m({{"uidMappings", map}}),
              "config.json: /mounts/0/gidMappings: required when uidMappings is set");
    EXPECT_EQ(m({{"gidMappings", map}}),
              "config.json: /mounts/0/uidMappings: required when gidMappings is set");
    EXPECT_EQ(m({{"uidMappings", map},
                 {"gidMappings", {{{"containerID", 0}, {"hostID", 0}, {"size", 0}}}}}),
              "config.json: /mounts/0/gidMappings/0/size: must be greater than 0");
}

TEST(SpecValidate, ChecksHooks) {
    EXPECT_EQ(validation_error(with(valid_config(), "/hooks/poststop",
                                    {{{"path", "/bin/true"}, {"timeout", 1}}})),
              "");
    EXPECT_EQ(validation_error(with(valid_config(), "/hooks/createRuntime",
                                    {{{"path", "/bin/true"}}, {{"path", "true"}}})),
              "config.json: /hooks/createRuntime/1/path: must be an absolute path");
    EXPECT_EQ(validation_error(with(valid_config(), "/hooks/prestart",
                                    {{{"path", "/bin/true"}, {"timeout", 0}}})),
              "config.json: /hooks/prestart/0/timeout: must be greater than 0");
    EXPECT_EQ(validation_error(with(valid_config(), "/hooks/startContainer",
                                    {{{"path", "/bin/true"}, {"timeout", -5}}})),
              "config.json: /hooks/startContainer/0/timeout: must be greater than 0");
}

TEST(SpecValidate, RejectsEmptyAnnotationKeys) {
    EXPECT_EQ(validation_error(with(valid_config(), "/annotations", {{"", "x"}})),
              "config.json: /annotations: keys must not be empty");
    EXPECT_EQ(validation_error(with(valid_config(), "/annotations", {{"k", ""}})), "");
}

TEST(SpecValidate, ChecksNamespaceTypesAndPaths) {
    EXPECT_EQ(validation_error(with_namespaces({"pid", "mount", "cgroup", "bogus"})),
              "config.json: /linux/namespaces/3/type: unknown namespace type \"bogus\"");
    EXPECT_EQ(validation_error(with_namespaces({"mount", "ipc", "pid", "pid"})),
              "config.json: /linux/namespaces/3/type: duplicate namespace \"pid\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/namespaces/2/path", "proc/1/ns/ipc")),
              "config.json: /linux/namespaces/2/path: must be an absolute path");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/namespaces/2/path", "/proc/1/ns/ipc")),
              "");
}

TEST(SpecValidate, MappingsRequireUserNamespace) {
    const json map = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/uidMappings", map)),
              "config.json: /linux/uidMappings: requires a user namespace");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/gidMappings", map)),
              "config.json: /linux/gidMappings: requires a user namespace");
}

TEST(SpecValidate, NewUserNamespaceRequiresBothMappings) {
    const json map = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    json doc = with_namespaces({"pid", "mount", "user"});
    EXPECT_EQ(validation_error(doc),
              "config.json: /linux/uidMappings: required for a new user namespace");
    EXPECT_EQ(validation_error(with(doc, "/linux/uidMappings", map)),
              "config.json: /linux/gidMappings: required for a new user namespace");
    doc = with(with(doc, "/linux/uidMappings", map), "/linux/gidMappings", map);
    EXPECT_EQ(validation_error(doc), "");
    // A joined user namespace is already mapped.
    EXPECT_EQ(validation_error(with(with_namespaces({"pid", "user"}), "/linux/namespaces/1/path",
                                    "/proc/1/ns/user")),
              "");
}

TEST(SpecValidate, ChecksMappingSizeAndOverflow) {
    json doc = with_namespaces({"user"});
    doc["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 0}, {"size", 1}}};
    const auto uid_map = [&](uint32_t cid, uint32_t hid, uint32_t size) {
        return validation_error(with(doc, "/linux/uidMappings",
                                     {{{"containerID", 0}, {"hostID", 0}, {"size", 1}},
                                      {{"containerID", cid}, {"hostID", hid}, {"size", size}}}));
    };
    EXPECT_EQ(uid_map(1, 1, 0), "config.json: /linux/uidMappings/1/size: must be greater than 0");
    EXPECT_EQ(uid_map(4294967295u, 0, 2),
              "config.json: /linux/uidMappings/1: containerID + size overflows 32 bits");
    EXPECT_EQ(uid_map(0, 4294967200u, 100),
              "config.json: /linux/uidMappings/1: hostID + size overflows 32 bits");
    EXPECT_EQ(uid_map(4294967295u, 4294967295u, 1), "");
}

TEST(SpecValidate, ChecksTimeOffsets) {
    const json offset = {{"secs", 10}};
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/timeOffsets/monotonic", offset)),
              "config.json: /linux/timeOffsets: requires a time namespace");
    json doc = with_namespaces({"time"});
    EXPECT_EQ(validation_error(with(doc, "/linux/timeOffsets/boottime", offset)), "");
    EXPECT_EQ(validation_error(with(doc, "/linux/timeOffsets/realtime", offset)),
              "config.json: /linux/timeOffsets/realtime: unknown clock \"realtime\"");
    EXPECT_EQ(validation_error(with(doc, "/linux/timeOffsets/monotonic/nanosecs", 1000000000)),
              "config.json: /linux/timeOffsets/monotonic/nanosecs: must be less than 1000000000");
    doc["linux"]["namespaces"][0]["path"] = "/proc/1/ns/time";
    EXPECT_EQ(validation_error(with(doc, "/linux/timeOffsets/boottime", offset)),
              "config.json: /linux/timeOffsets: cannot be set when joining a time namespace");
}

TEST(SpecValidate, HostnameAndDomainnameRequireUts) {
    const json no_uts = with_namespaces({"pid", "mount"});
    EXPECT_EQ(validation_error(with(no_uts, "/hostname", "h")),
              "config.json: /hostname: requires a UTS namespace");
    EXPECT_EQ(validation_error(with(no_uts, "/domainname", "d")),
              "config.json: /domainname: requires a UTS namespace");
    EXPECT_EQ(validation_error(with(without(valid_config(), "/linux"), "/hostname", "h")),
              "config.json: /hostname: requires a UTS namespace");
    EXPECT_EQ(validation_error(with(valid_config(), "/hostname", "h")), "");
    EXPECT_EQ(validation_error(with(with(no_uts, "/linux/namespaces/2",
                                         {{"type", "uts"}, {"path", "/proc/1/ns/uts"}}),
                                    "/hostname", "h")),
              "");
}

TEST(SpecValidate, ChecksSysctlNames) {
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/sysctl", {{"", "1"}})),
              "config.json: /linux/sysctl: keys must not be empty");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/sysctl", {{"net/../../x", "1"}})),
              "config.json: /linux/sysctl/net~1..~1..~1x: invalid sysctl name");
}

TEST(SpecValidate, SysctlsNeedTheirNamespace) {
    const json no_ns = with_namespaces({"pid", "mount"});
    const auto sysctl = [](json doc, const char* key) {
        return validation_error(with(std::move(doc), "/linux/sysctl", {{key, "1"}}));
    };
    EXPECT_EQ(sysctl(valid_config(), "net.ipv4.ip_forward"), "");
    EXPECT_EQ(sysctl(valid_config(), "net/ipv4/conf/eth0.100/rp_filter"), "");
    EXPECT_EQ(sysctl(valid_config(), "kernel.shm_rmid_forced"), "");
    EXPECT_EQ(sysctl(valid_config(), "fs.mqueue.msg_max"), "");
    EXPECT_EQ(sysctl(valid_config(), "kernel.domainname"), "");
    EXPECT_EQ(sysctl(no_ns, "net.ipv4.ip_forward"),
              "config.json: /linux/sysctl/net.ipv4.ip_forward: requires a network namespace");
    EXPECT_EQ(sysctl(no_ns, "kernel.msgmax"),
              "config.json: /linux/sysctl/kernel.msgmax: requires an IPC namespace");
    EXPECT_EQ(sysctl(no_ns, "fs/mqueue/queues_max"),
              "config.json: /linux/sysctl/fs~1mqueue~1queues_max: requires an IPC namespace");
    EXPECT_EQ(sysctl(no_ns, "kernel.domainname"),
              "config.json: /linux/sysctl/kernel.domainname: requires a UTS namespace");
    EXPECT_EQ(sysctl(no_ns, "kernel.hostname"),
              "config.json: /linux/sysctl/kernel.hostname: requires a UTS namespace");
}

TEST(SpecValidate, RejectsSysctlsOutsideContainerNamespacesLikeRunc) {
    const auto sysctl = [](const char* key) {
        return validation_error(with(valid_config(), "/linux/sysctl", {{key, "1"}}));
    };
    EXPECT_EQ(sysctl("kernel.hostname"),
              "config.json: /linux/sysctl/kernel.hostname: conflicts with the hostname field; "
              "set /hostname instead");
    EXPECT_EQ(sysctl("vm.swappiness"),
              "config.json: /linux/sysctl/vm.swappiness: not in a separate kernel namespace");
}

TEST(SpecValidate, ChecksRootfsPropagation) {
    for (const char* mode : {"", "shared", "slave", "private", "unbindable", "rshared", "rslave",
                             "rprivate", "runbindable"})
        EXPECT_EQ(validation_error(with(valid_config(), "/linux/rootfsPropagation", mode)), "")
            << mode;
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/rootfsPropagation", "recursive")),
              "config.json: /linux/rootfsPropagation: invalid propagation \"recursive\"");
}

TEST(SpecValidate, ChecksDevices) {
    const auto dev = [](const json& d) {
        return validation_error(with(valid_config(), "/linux/devices", list_of(d)));
    };
    EXPECT_EQ(dev({{"type", "c"}, {"path", "/dev/tty"}, {"major", 5}}), "");
    EXPECT_EQ(dev({{"type", "p"}, {"path", "/dev/fifo"}, {"major", -1}}), "");
    EXPECT_EQ(dev({{"type", "x"}, {"path", "/dev/x"}}),
              "config.json: /linux/devices/0/type: invalid device type \"x\"");
    EXPECT_EQ(dev({{"path", "/dev/x"}}),
              "config.json: /linux/devices/0/type: invalid device type \"\"");
    EXPECT_EQ(dev({{"type", "b"}, {"path", "dev/sda"}}),
              "config.json: /linux/devices/0/path: must be an absolute path");
    EXPECT_EQ(dev({{"type", "u"}, {"path", "/dev/u"}, {"major", -1}}),
              "config.json: /linux/devices/0/major: must not be negative");
    EXPECT_EQ(dev({{"type", "c"}, {"path", "/dev/u"}, {"major", 1}, {"minor", -3}}),
              "config.json: /linux/devices/0/minor: must not be negative");
}

TEST(SpecValidate, ChecksDeviceCgroupRules) {
    const auto rule = [](const json& r) {
        return validation_error(with(valid_config(), "/linux/resources/devices", list_of(r)));
    };
    EXPECT_EQ(rule({{"allow", true}, {"type", "a"}, {"access", "mrw"}}), "");
    EXPECT_EQ(rule({{"allow", false}, {"access", "rwx"}}),
              "config.json: /linux/resources/devices/0/access: invalid access \"rwx\"");
    EXPECT_EQ(rule({{"allow", false}, {"type", "p"}, {"access", "r"}}),
              "config.json: /linux/resources/devices/0/type: invalid device type \"p\"");
}

TEST(SpecValidate, MaskedAndReadonlyPathsMustBeAbsolute) {
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/maskedPaths", {"/proc/kcore", "proc"})),
              "config.json: /linux/maskedPaths/1: must be an absolute path");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/readonlyPaths", {""})),
              "config.json: /linux/readonlyPaths/0: must be an absolute path");
}

TEST(SpecValidate, MaskedPathsRequireMountNamespace) {
    EXPECT_EQ(
        validation_error(with(with_namespaces({"pid"}), "/linux/maskedPaths", {"/proc/kcore"})),
        "config.json: /linux/maskedPaths: requires a mount namespace");
    EXPECT_EQ(
        validation_error(with(with_namespaces({"pid"}), "/linux/readonlyPaths", {"/proc/sys"})),
        "config.json: /linux/readonlyPaths: requires a mount namespace");
}

// A namespace left out is the runtime's; without a mount namespace that is
// the host's mount table, where nothing may be mounted or made.
TEST(SpecValidate, WithoutAMountNamespaceNothingMayBeMountedOrMade) {
    const json host_mounts = with_namespaces({"pid", "ipc", "uts", "network"});
    EXPECT_EQ(validation_error(host_mounts), "");
    const std::string why = "requires a mount namespace (the host's mount table is shared)";
    EXPECT_EQ(validation_error(with(host_mounts, "/mounts",
                                    json::parse(R"([{"destination": "/proc", "type": "proc"}])"))),
              "config.json: /mounts: " + why);
    EXPECT_EQ(validation_error(with(host_mounts, "/root/readonly", true)),
              "config.json: /root/readonly: " + why);
    EXPECT_EQ(validation_error(with(host_mounts, "/linux/rootfsPropagation", "private")),
              "config.json: /linux/rootfsPropagation: " + why);
    EXPECT_EQ(validation_error(with(host_mounts, "/linux/devices",
                                    json::parse(R"([{"type": "c", "path": "/dev/fuse",
                                                     "major": 10, "minor": 229}])"))),
              "config.json: /linux/devices: " + why);
    // No linux section at all: no namespace of its own.
    EXPECT_EQ(validation_error(with(without(valid_config(), "/linux"), "/root/readonly", true)),
              "config.json: /root/readonly: " + why);
}

TEST(SpecValidate, ChecksNetDevices) {
    EXPECT_EQ(
        validation_error(with(valid_config(), "/linux/netDevices", {{"eth1", {{"name", "c0"}}}})),
        "");
    EXPECT_EQ(validation_error(
                  with(with_namespaces({"pid"}), "/linux/netDevices", {{"eth1", json::object()}})),
              "config.json: /linux/netDevices: requires a network namespace");
    EXPECT_EQ(
        validation_error(with(valid_config(), "/linux/netDevices", {{"a/b", json::object()}})),
        "config.json: /linux/netDevices/a~1b: invalid network device name \"a/b\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/netDevices",
                                    {{"eth1", {{"name", "a-very-long-name"}}}})),
              "config.json: /linux/netDevices/eth1/name: invalid network device name "
              "\"a-very-long-name\"");
}

TEST(SpecValidate, ChecksIntelRdtClosIdAndPersonality) {
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/intelRdt/closID", "..")),
              "config.json: /linux/intelRdt/closID: invalid CLOS id \"..\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/personality/domain", "BSD")),
              "config.json: /linux/personality/domain: unknown domain \"BSD\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/personality/domain", "LINUX32")), "");
    // "/" is the default CLOS (runtime-spec 1.3), any other slash is refused.
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/intelRdt/closID", "/")), "");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/intelRdt/closID", "a/b")),
              "config.json: /linux/intelRdt/closID: invalid CLOS id \"a/b\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/intelRdt/memBwSchema", "L3:0=f")),
              "config.json: /linux/intelRdt/memBwSchema: must start with \"MB:\"");
    EXPECT_EQ(
        validation_error(with(valid_config(), "/linux/intelRdt/schemata", {"MB:0=1\nL3:0=1"})),
        "config.json: /linux/intelRdt/schemata/0: must not contain newlines");
}

TEST(SpecValidate, ChecksSchedulerFlagsCpuListsAndMemoryPolicy) {
    EXPECT_EQ(validation_error(with(valid_config(), "/process/scheduler",
                                    {{"policy", "SCHED_OTHER"}, {"flags", {"SCHED_FLAG_X"}}})),
              "config.json: /process/scheduler/flags/0: unknown flag \"SCHED_FLAG_X\"");
    EXPECT_EQ(validation_error(
                  with(valid_config(), "/process/execCPUAffinity", {{"initial", "zz-garbage"}})),
              "config.json: /process/execCPUAffinity/initial: invalid CPU list \"zz-garbage\": "
              "invalid element \"zz-garbage\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/process/execCPUAffinity",
                                    {{"initial", "0-1"}, {"final", ""}})),
              "");
    EXPECT_EQ(
        validation_error(with(valid_config(), "/linux/memoryPolicy", {{"mode", "MPOL_BOGUS"}})),
        "config.json: /linux/memoryPolicy/mode: invalid memory policy mode \"MPOL_BOGUS\"");
    EXPECT_EQ(validation_error(with(valid_config(), "/linux/memoryPolicy",
                                    {{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}})),
              "");
}

TEST(SpecValidate, ReportsTheFirstProblem) {
    json doc = with(valid_config(), "/ociVersion", "3");
    doc["process"]["args"] = json::array();
    EXPECT_EQ(validation_error(doc),
              "config.json: /ociVersion: unsupported version \"3\": must be 1.x");
}

}  // namespace
}  // namespace minirunc::spec
