#include "minirunc/spec_coverage.hpp"

#include "minirunc/spec.hpp"

namespace minirunc {
namespace spec::detail {
// Defined in json_reader.cpp: when set, every member Reader::member looks up.
extern thread_local std::vector<std::string>* member_lookups;
}  // namespace spec::detail

namespace {

using C = Coverage;

// Hooks have the same four members under every kind.
// clang-format off
#define MINIRUNC_HOOK_ROWS(kind, note)                                    \
    {"/hooks/" kind, C::Applied, note, ""},                              \
    {"/hooks/" kind "/*/path", C::Applied, "", ""},                      \
    {"/hooks/" kind "/*/args", C::Applied, "argv, [0] included", ""},    \
    {"/hooks/" kind "/*/env", C::Applied, "", ""},                       \
    {"/hooks/" kind "/*/timeout", C::Applied, "seconds; then killed", ""}
// clang-format on

#define MINIRUNC_THROTTLE_ROWS(list)                                                              \
    {"/linux/resources/blockIO/" list "/*/major", C::Applied, "", ""},                            \
        {"/linux/resources/blockIO/" list "/*/minor", C::Applied, "", ""}, {                      \
        "/linux/resources/blockIO/" list "/*/rate", C::Applied, "v1 blkio.throttle.*, v2 io.max", \
            ""                                                                                    \
    }

const std::vector<FieldCoverage> kTable = {
    {"/ociVersion", C::Applied, "any 1.x; 2.x refused", ""},
    {"/root", C::Applied, "required", ""},
    {"/root/path", C::Applied, "absolute or relative to the bundle", ""},
    {"/root/readonly", C::Applied, "", ""},
    {"/mounts", C::Applied, "in order, after the default filesystems", ""},
    {"/mounts/*/destination", C::Applied, "resolved inside the rootfs, never through symlinks", ""},
    {"/mounts/*/source", C::Applied, "", ""},
    {"/mounts/*/type", C::Applied, "", ""},
    {"/mounts/*/options", C::Applied, "every option `features` lists; unknown ones refused", ""},
    {"/mounts/*/uidMappings", C::HostRefused,
     "id-mapped mounts: refused where the kernel lacks them", "linux.mountExtensions.idmap"},
    {"/mounts/*/uidMappings/*/containerID", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/mounts/*/uidMappings/*/hostID", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/mounts/*/uidMappings/*/size", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/mounts/*/gidMappings", C::HostRefused, "as uidMappings", "linux.mountExtensions.idmap"},
    {"/mounts/*/gidMappings/*/containerID", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/mounts/*/gidMappings/*/hostID", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/mounts/*/gidMappings/*/size", C::HostRefused, "", "linux.mountExtensions.idmap"},
    {"/process", C::Applied, "required for create and run", ""},
    {"/process/terminal", C::Applied, "pty from the container's devpts, master to --console-socket",
     ""},
    {"/process/consoleSize", C::Applied, "", ""},
    {"/process/consoleSize/height", C::Applied, "", ""},
    {"/process/consoleSize/width", C::Applied, "", ""},
    {"/process/user", C::Applied, "", ""},
    {"/process/user/uid", C::Applied, "numeric, never looked up", ""},
    {"/process/user/gid", C::Applied, "", ""},
    {"/process/user/umask", C::Applied, "", ""},
    {"/process/user/additionalGids", C::Applied, "", ""},
    {"/process/user/username", C::Ignored, "Windows only (config.md: user for Windows)", ""},
    {"/process/args", C::Applied, "", ""},
    {"/process/commandLine", C::Ignored, "Windows only (config.md)", ""},
    {"/process/env", C::Applied, "", ""},
    {"/process/cwd", C::Applied, "must lie inside the container's root", ""},
    {"/process/capabilities", C::Applied, "", ""},
    {"/process/capabilities/bounding", C::Applied, "unknown names refused", ""},
    {"/process/capabilities/effective", C::Applied, "", ""},
    {"/process/capabilities/inheritable", C::Applied, "", ""},
    {"/process/capabilities/permitted", C::Applied, "", ""},
    {"/process/capabilities/ambient", C::Applied,
     "left out when not inheritable and permitted (runc)", ""},
    {"/process/rlimits", C::Applied, "", ""},
    {"/process/rlimits/*/type", C::Applied, "unknown or duplicate refused", ""},
    {"/process/rlimits/*/soft", C::Applied, "", ""},
    {"/process/rlimits/*/hard", C::Applied, "", ""},
    {"/process/noNewPrivileges", C::Applied, "", ""},
    {"/process/apparmorProfile", C::HostRefused, "refused when AppArmor is not enabled on the host",
     "linux.apparmor"},
    {"/process/oomScoreAdj", C::Applied, "", ""},
    {"/process/scheduler", C::Applied, "sched_setattr(2) before identity and seccomp; exec too",
     ""},
    {"/process/scheduler/policy", C::Applied, "unknown refused; SCHED_ISO refused by Linux", ""},
    {"/process/scheduler/nice", C::Applied, "", ""},
    {"/process/scheduler/priority", C::Applied, "SCHED_FIFO and SCHED_RR only", ""},
    {"/process/scheduler/flags", C::Applied, "unknown refused", ""},
    {"/process/scheduler/runtime", C::Applied, "SCHED_DEADLINE only", ""},
    {"/process/scheduler/deadline", C::Applied, "SCHED_DEADLINE only", ""},
    {"/process/scheduler/period", C::Applied, "SCHED_DEADLINE only", ""},
    {"/process/selinuxLabel", C::HostRefused, "refused when SELinux is not enabled on the host",
     "linux.selinux"},
    {"/process/ioPriority", C::Applied, "ioprio_set(2); exec too", ""},
    {"/process/ioPriority/class", C::Applied, "unknown refused", ""},
    {"/process/ioPriority/priority", C::Applied, "0-7", ""},
    {"/process/execCPUAffinity", C::Applied,
     "exec only (the spec leaves out the init); without it every CPU of the cpuset", ""},
    {"/process/execCPUAffinity/initial", C::Applied, "until the process is in the cgroups", ""},
    {"/process/execCPUAffinity/final", C::Applied, "after, before execve", ""},
    {"/hostname", C::Applied, "needs a UTS namespace", ""},
    {"/domainname", C::Applied, "needs a UTS namespace", ""},
    {"/annotations", C::Applied, "kept in the state for hooks and `state`", ""},
    {"/hooks", C::Applied, "", ""},
    MINIRUNC_HOOK_ROWS("prestart", "in the runtime namespace, after createRuntime's point"),
    MINIRUNC_HOOK_ROWS("createRuntime", "in the runtime namespace, before pivot_root"),
    MINIRUNC_HOOK_ROWS("createContainer", "in the container namespace, before pivot_root"),
    MINIRUNC_HOOK_ROWS("startContainer", "in the container, after start, before execve"),
    MINIRUNC_HOOK_ROWS("poststart", "after the workload runs"),
    MINIRUNC_HOOK_ROWS("poststop", "at delete"),
    {"/linux", C::Applied, "", ""},
    {"/linux/namespaces", C::Applied, "", ""},
    {"/linux/namespaces/*/type", C::Applied, "all eight", ""},
    {"/linux/namespaces/*/path", C::Applied, "joined by path", ""},
    {"/linux/uidMappings", C::Applied, "", ""},
    {"/linux/uidMappings/*/containerID", C::Applied, "", ""},
    {"/linux/uidMappings/*/hostID", C::Applied, "", ""},
    {"/linux/uidMappings/*/size", C::Applied, "", ""},
    {"/linux/gidMappings", C::Applied, "", ""},
    {"/linux/gidMappings/*/containerID", C::Applied, "", ""},
    {"/linux/gidMappings/*/hostID", C::Applied, "", ""},
    {"/linux/gidMappings/*/size", C::Applied, "", ""},
    {"/linux/timeOffsets", C::Applied, "monotonic and boottime; needs a time namespace", ""},
    {"/linux/timeOffsets/*/secs", C::Applied, "", ""},
    {"/linux/timeOffsets/*/nanosecs", C::Applied, "", ""},
    {"/linux/devices", C::Applied, "", ""},
    {"/linux/devices/*/type", C::Applied, "", ""},
    {"/linux/devices/*/path", C::Applied, "", ""},
    {"/linux/devices/*/major", C::Applied, "", ""},
    {"/linux/devices/*/minor", C::Applied, "", ""},
    {"/linux/devices/*/fileMode", C::Applied, "", ""},
    {"/linux/devices/*/uid", C::Applied, "", ""},
    {"/linux/devices/*/gid", C::Applied, "", ""},
    {"/linux/netDevices", C::HostRefused,
     "moved into the container's network namespace (issue 24's netDevices slice); refused while "
     "`features` reports it disabled",
     "linux.netDevices"},
    {"/linux/netDevices/*", C::HostRefused, "host interface name", "linux.netDevices"},
    {"/linux/netDevices/*/name", C::HostRefused, "name inside", "linux.netDevices"},
    {"/linux/cgroupsPath", C::Applied, "absolute, relative or systemd slice:prefix:name", ""},
    {"/linux/resources", C::Applied,
     "v1 and v2; what a hierarchy cannot do is refused naming the field", ""},
    {"/linux/resources/devices", C::Applied, "v1 devices.allow/deny, v2 BPF program", ""},
    {"/linux/resources/devices/*/allow", C::Applied, "", ""},
    {"/linux/resources/devices/*/type", C::Applied, "", ""},
    {"/linux/resources/devices/*/major", C::Applied, "", ""},
    {"/linux/resources/devices/*/minor", C::Applied, "", ""},
    {"/linux/resources/devices/*/access", C::Applied, "", ""},
    {"/linux/resources/memory", C::Applied, "", ""},
    {"/linux/resources/memory/limit", C::Applied, "", ""},
    {"/linux/resources/memory/reservation", C::Applied, "", ""},
    {"/linux/resources/memory/swap", C::Applied, "", ""},
    {"/linux/resources/memory/kernel", C::Ignored,
     "deprecated by Linux and the spec (runc ignores it too)", ""},
    {"/linux/resources/memory/kernelTCP", C::Ignored,
     "deprecated by Linux and the spec (runc ignores it too)", ""},
    {"/linux/resources/memory/swappiness", C::Applied, "v1 only; refused on v2", ""},
    {"/linux/resources/memory/disableOOMKiller", C::Applied, "v1 only; refused on v2", ""},
    {"/linux/resources/memory/useHierarchy", C::Applied, "v1, where the kernel still has the file",
     ""},
    {"/linux/resources/memory/checkBeforeUpdate", C::Applied, "update refuses a limit below usage",
     ""},
    {"/linux/resources/cpu", C::Applied, "", ""},
    {"/linux/resources/cpu/shares", C::Applied, "v2: converted to cpu.weight", ""},
    {"/linux/resources/cpu/quota", C::Applied, "", ""},
    {"/linux/resources/cpu/burst", C::Applied, "", ""},
    {"/linux/resources/cpu/period", C::Applied, "", ""},
    {"/linux/resources/cpu/realtimeRuntime", C::Applied, "v1 only; refused on v2", ""},
    {"/linux/resources/cpu/realtimePeriod", C::Applied, "v1 only; refused on v2", ""},
    {"/linux/resources/cpu/cpus", C::Applied, "", ""},
    {"/linux/resources/cpu/mems", C::Applied, "", ""},
    {"/linux/resources/cpu/idle", C::Applied, "", ""},
    {"/linux/resources/pids", C::Applied, "", ""},
    {"/linux/resources/pids/limit", C::Applied, "", ""},
    {"/linux/resources/blockIO", C::Applied, "", ""},
    {"/linux/resources/blockIO/weight", C::Applied, "", ""},
    {"/linux/resources/blockIO/leafWeight", C::Applied, "v1 only", ""},
    {"/linux/resources/blockIO/weightDevice", C::Applied, "", ""},
    {"/linux/resources/blockIO/weightDevice/*/major", C::Applied, "", ""},
    {"/linux/resources/blockIO/weightDevice/*/minor", C::Applied, "", ""},
    {"/linux/resources/blockIO/weightDevice/*/weight", C::Applied, "", ""},
    {"/linux/resources/blockIO/weightDevice/*/leafWeight", C::Applied, "v1 only", ""},
    {"/linux/resources/blockIO/throttleReadBpsDevice", C::Applied, "", ""},
    MINIRUNC_THROTTLE_ROWS("throttleReadBpsDevice"),
    {"/linux/resources/blockIO/throttleWriteBpsDevice", C::Applied, "", ""},
    MINIRUNC_THROTTLE_ROWS("throttleWriteBpsDevice"),
    {"/linux/resources/blockIO/throttleReadIOPSDevice", C::Applied, "", ""},
    MINIRUNC_THROTTLE_ROWS("throttleReadIOPSDevice"),
    {"/linux/resources/blockIO/throttleWriteIOPSDevice", C::Applied, "", ""},
    MINIRUNC_THROTTLE_ROWS("throttleWriteIOPSDevice"),
    {"/linux/resources/hugepageLimits", C::Applied, "", ""},
    {"/linux/resources/hugepageLimits/*/pageSize", C::Applied, "", ""},
    {"/linux/resources/hugepageLimits/*/limit", C::Applied, "", ""},
    {"/linux/resources/network", C::Applied, "", ""},
    {"/linux/resources/network/classID", C::HostRefused, "v1 net_cls; refused where not mounted",
     ""},
    {"/linux/resources/network/priorities", C::HostRefused,
     "v1 net_prio; refused where not mounted", ""},
    {"/linux/resources/network/priorities/*/name", C::HostRefused, "", ""},
    {"/linux/resources/network/priorities/*/priority", C::HostRefused, "", ""},
    {"/linux/resources/rdma", C::Applied, "", ""},
    {"/linux/resources/rdma/*", C::Applied, "device name", ""},
    {"/linux/resources/rdma/*/hcaHandles", C::Applied, "", ""},
    {"/linux/resources/rdma/*/hcaObjects", C::Applied, "", ""},
    {"/linux/resources/unified", C::Applied, "v2 files verbatim; refused on v1", ""},
    {"/linux/intelRdt", C::HostRefused,
     "resctrl CLOS made or joined, schemata written or compared; refused (runtime-spec MUST) "
     "when no resctrl is mounted",
     "linux.intelRdt"},
    {"/linux/intelRdt/closID", C::HostRefused,
     "\"/\" is the default CLOS; a CLOS made for a "
     "config without closID is removed at delete",
     "linux.intelRdt"},
    {"/linux/intelRdt/l3CacheSchema", C::HostRefused, "written first", "linux.intelRdt"},
    {"/linux/intelRdt/memBwSchema", C::HostRefused, "must start with MB:", "linux.intelRdt"},
    {"/linux/intelRdt/schemata", C::HostRefused, "written last, one line at a time",
     "linux.intelRdt.schemata"},
    {"/linux/intelRdt/enableMonitoring", C::HostRefused, "mon_groups/<id>",
     "linux.intelRdt.monitoring"},
    {"/linux/intelRdt/enableCMT", C::HostRefused, "pre-1.3 name: mon_groups/<id>",
     "linux.intelRdt.monitoring"},
    {"/linux/intelRdt/enableMBM", C::HostRefused, "pre-1.3 name: mon_groups/<id>",
     "linux.intelRdt.monitoring"},
    {"/linux/memoryPolicy", C::Applied, "set_mempolicy(2) before seccomp; exec too",
     "linux.memoryPolicy"},
    {"/linux/memoryPolicy/mode", C::Applied, "every MPOL_ mode of the spec", "linux.memoryPolicy"},
    {"/linux/memoryPolicy/nodes", C::HostRefused, "a node the host lacks is refused",
     "linux.memoryPolicy"},
    {"/linux/memoryPolicy/flags", C::Applied, "", "linux.memoryPolicy"},
    {"/linux/sysctl", C::Applied, "namespaced sysctls only, with the namespace they need", ""},
    {"/linux/seccomp", C::Applied, "compiled with libseccomp, loaded by the init", ""},
    {"/linux/seccomp/defaultAction", C::Applied, "", ""},
    {"/linux/seccomp/defaultErrnoRet", C::Applied, "", ""},
    {"/linux/seccomp/architectures", C::Applied, "", ""},
    {"/linux/seccomp/flags", C::Applied, "", ""},
    {"/linux/seccomp/listenerPath", C::Applied, "SCMP_ACT_NOTIFY agent", ""},
    {"/linux/seccomp/listenerMetadata", C::Applied, "", ""},
    {"/linux/seccomp/syscalls", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/names", C::Applied,
     "names unknown to libseccomp are skipped (runc)", ""},
    {"/linux/seccomp/syscalls/*/action", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/errnoRet", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/args", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/args/*/index", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/args/*/value", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/args/*/valueTwo", C::Applied, "", ""},
    {"/linux/seccomp/syscalls/*/args/*/op", C::Applied, "", ""},
    {"/linux/rootfsPropagation", C::Applied, "", ""},
    {"/linux/maskedPaths", C::Applied, "", ""},
    {"/linux/readonlyPaths", C::Applied, "", ""},
    {"/linux/mountLabel", C::Refused, "SELinux mount labels are not implemented", "linux.selinux"},
    {"/linux/personality", C::Applied, "personality(2) before seccomp; exec too", ""},
    {"/linux/personality/domain", C::Applied, "LINUX, LINUX32", ""},
    {"/linux/personality/flags", C::Ignored,
     "the spec defines no flag; ignored with a logged warning, as runc does", ""},
    {"/solaris", C::NotParsed, "another platform", ""},
    {"/windows", C::NotParsed, "another platform", ""},
    {"/vm", C::NotParsed, "virtual-machine runtimes only", ""},
    {"/zos", C::NotParsed, "another platform", ""},
    {"/freebsd", C::NotParsed, "another platform", ""},
};

#undef MINIRUNC_HOOK_ROWS
#undef MINIRUNC_THROTTLE_ROWS

std::vector<std::string_view> segments(std::string_view pointer) {
    std::vector<std::string_view> out;
    size_t start = 1;
    while (start <= pointer.size()) {
        size_t end = pointer.find('/', start);
        if (end == std::string_view::npos) end = pointer.size();
        out.push_back(pointer.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

const std::vector<FieldCoverage>& spec_coverage() {
    return kTable;
}

std::string_view to_string(Coverage coverage) {
    switch (coverage) {
        case Coverage::Applied:
            return "applied";
        case Coverage::HostRefused:
            return "applied, or refused when the host cannot";
        case Coverage::Refused:
            return "refused";
        case Coverage::Ignored:
            return "ignored";
        case Coverage::NotParsed:
            return "not read (other platform)";
    }
    return "";
}

bool pointer_matches(std::string_view pattern, std::string_view pointer) {
    auto p = segments(pattern), q = segments(pointer);
    if (p.size() != q.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
        if (p[i] != "*" && p[i] != q[i]) return false;
    return true;
}

std::vector<std::string> parser_lookups(const nlohmann::json& doc) {
    std::vector<std::string> lookups;
    spec::detail::member_lookups = &lookups;
    try {
        spec::parse(doc);
    } catch (...) {
        spec::detail::member_lookups = nullptr;
        throw;
    }
    spec::detail::member_lookups = nullptr;
    return lookups;
}

std::string spec_coverage_markdown() {
    std::string out =
        "# runtime-spec 1.3 config fields in minirunc\n\n"
        "Generated from `src/core/spec_coverage.cpp` (`tests/unit/spec_coverage_test.cpp` "
        "fails when this file or the parser drift from it). `*` is any array index or map "
        "key.\n\n| field | minirunc | how, when refused, or why ignored |\n|---|---|---|\n";
    for (const auto& row : kTable) {
        out += "| `" + std::string(row.pointer) + "` | " + std::string(to_string(row.coverage)) +
               " | " + std::string(row.note) + " |\n";
    }
    return out;
}

}  // namespace minirunc
