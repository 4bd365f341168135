// Static checks of the "linux" section and of the top-level members whose
// meaning depends on the namespaces (hostname, domainname).
#include <algorithm>
#include <set>

#include "core/json_reader.hpp"
#include "core/spec_validate_internal.hpp"
#include "minirunc/intel_rdt_plan.hpp"
#include "minirunc/process_attributes.hpp"

namespace minirunc::spec::detail {
namespace {

void validate_namespaces(const std::vector<Namespace>& namespaces) {
    static const std::set<std::string> kTypes = {"pid", "network", "mount",  "ipc",
                                                 "uts", "user",    "cgroup", "time"};
    std::set<std::string> seen;
    for (std::size_t i = 0; i < namespaces.size(); ++i) {
        const Namespace& ns = namespaces[i];
        const std::string ptr = "/linux/namespaces/" + std::to_string(i);
        if (!kTypes.count(ns.type))
            config_error(ptr + "/type", "unknown namespace type " + quoted(ns.type));
        if (!seen.insert(ns.type).second)
            config_error(ptr + "/type", "duplicate namespace " + quoted(ns.type));
        if (!ns.path.empty() && !is_absolute(ns.path))
            config_error(ptr + "/path", "must be an absolute path");
    }
}

// The kernel's limit on the lines of a uid_map or gid_map (since 4.15).
constexpr std::size_t kMaxIdMapLines = 340;

void validate_user_namespace(const Spec& spec, const Linux& l) {
    validate_id_mappings("/linux/uidMappings", l.uid_mappings);
    validate_id_mappings("/linux/gidMappings", l.gid_mappings);
    if (l.uid_mappings.size() > kMaxIdMapLines)
        config_error("/linux/uidMappings", "at most 340 mappings (the kernel's limit)");
    if (l.gid_mappings.size() > kMaxIdMapLines)
        config_error("/linux/gidMappings", "at most 340 mappings (the kernel's limit)");
    const Namespace* user = find_namespace(spec, "user");
    if (!user) {
        if (!l.uid_mappings.empty())
            config_error("/linux/uidMappings", "requires a user namespace");
        if (!l.gid_mappings.empty())
            config_error("/linux/gidMappings", "requires a user namespace");
        return;
    }
    // A joined user namespace is already mapped; a new one is useless unmapped.
    if (!user->path.empty()) return;
    if (l.uid_mappings.empty())
        config_error("/linux/uidMappings", "required for a new user namespace");
    if (l.gid_mappings.empty())
        config_error("/linux/gidMappings", "required for a new user namespace");
}

void validate_time_offsets(const Spec& spec, const Linux& l) {
    if (l.time_offsets.empty()) return;
    for (const auto& [clock, offset] : l.time_offsets) {
        const std::string ptr = "/linux/timeOffsets/" + pointer_token(clock);
        if (clock != "monotonic" && clock != "boottime")
            config_error(ptr, "unknown clock " + quoted(clock));
        if (offset.nanosecs >= 1000000000)
            config_error(ptr + "/nanosecs", "must be less than 1000000000");
    }
    const Namespace* time = find_namespace(spec, "time");
    if (!time) config_error("/linux/timeOffsets", "requires a time namespace");
    // Offsets can only be written before the first process enters a namespace.
    if (!time->path.empty())
        config_error("/linux/timeOffsets", "cannot be set when joining a time namespace");
}

void validate_uts(const Spec& spec) {
    if (find_namespace(spec, "uts")) return;
    if (!spec.hostname.empty()) config_error("/hostname", "requires a UTS namespace");
    if (!spec.domainname.empty()) config_error("/domainname", "requires a UTS namespace");
}

// sysctl(8) allows "/" as the separator when it comes first; the names below
// use dots (runc's convertSysctlVariableToDotsSeparator).
std::string dotted_sysctl(std::string key) {
    const auto first = key.find_first_of("./");
    if (first == std::string::npos || key[first] == '.') return key;
    for (char& c : key) c = c == '.' ? '/' : c == '/' ? '.' : c;
    return key;
}

bool is_ipc_sysctl(const std::string& name) {
    static const std::set<std::string> kIpc = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
    return kIpc.count(name) || name.rfind("fs.mqueue.", 0) == 0;
}

// runc's rule: only sysctls of a namespace the container owns may be set.
void validate_sysctl(const Spec& spec, const Linux& l) {
    for (const auto& [key, value] : l.sysctl) {
        if (key.empty()) config_error("/linux/sysctl", "keys must not be empty");
        const std::string ptr = "/linux/sysctl/" + pointer_token(key);
        if (key.find("..") != std::string::npos) config_error(ptr, "invalid sysctl name");
        const std::string name = dotted_sysctl(key);
        if (is_ipc_sysctl(name)) {
            if (!find_namespace(spec, "ipc")) config_error(ptr, "requires an IPC namespace");
        } else if (name.rfind("net.", 0) == 0) {
            if (!find_namespace(spec, "network")) config_error(ptr, "requires a network namespace");
        } else if (name == "kernel.domainname" || name == "kernel.hostname") {
            if (!find_namespace(spec, "uts")) config_error(ptr, "requires a UTS namespace");
            if (name == "kernel.hostname")
                config_error(ptr, "conflicts with the hostname field; set /hostname instead");
        } else {
            config_error(ptr, "not in a separate kernel namespace");
        }
    }
}

void validate_devices(const std::vector<Device>& devices) {
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const Device& d = devices[i];
        const std::string ptr = "/linux/devices/" + std::to_string(i);
        if (d.type != "c" && d.type != "b" && d.type != "u" && d.type != "p")
            config_error(ptr + "/type", "invalid device type " + quoted(d.type));
        if (!is_absolute(d.path)) config_error(ptr + "/path", "must be an absolute path");
        if (d.type == "p") continue;  // a fifo has no device number
        if (d.major < 0) config_error(ptr + "/major", "must not be negative");
        if (d.minor < 0) config_error(ptr + "/minor", "must not be negative");
    }
}

void validate_device_rules(const std::vector<DeviceCgroupRule>& rules) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const DeviceCgroupRule& r = rules[i];
        const std::string ptr = "/linux/resources/devices/" + std::to_string(i);
        if (r.type != "" && r.type != "a" && r.type != "b" && r.type != "c")
            config_error(ptr + "/type", "invalid device type " + quoted(r.type));
        if (r.access.find_first_not_of("rwm") != std::string::npos)
            config_error(ptr + "/access", "invalid access " + quoted(r.access));
    }
}

void validate_path_list(const Spec& spec, const std::string& ptr,
                        const std::vector<std::string>& paths) {
    if (paths.empty()) return;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (!is_absolute(paths[i]))
            config_error(ptr + "/" + std::to_string(i), "must be an absolute path");
    }
    // Masking the host's own /proc would be a disaster (runc's rule).
    if (!find_namespace(spec, "mount")) config_error(ptr, "requires a mount namespace");
}

// A namespace left out is the runtime's (runtime-spec): without a mount
// namespace the container shares the host's mount table, so nothing that
// would mount, remount or create nodes may be asked for (runc would do it on
// the host). root.path must then be "/" (checked by the runtime, which
// resolves it).
void validate_host_mount_namespace(const Spec& spec) {
    if (find_namespace(spec, "mount")) return;
    const std::string why = "requires a mount namespace (the host's mount table is shared)";
    if (!spec.mounts.empty()) config_error("/mounts", why);
    if (spec.root && spec.root->readonly) config_error("/root/readonly", why);
    if (!spec.linux) return;
    if (!spec.linux->rootfs_propagation.empty()) config_error("/linux/rootfsPropagation", why);
    if (!spec.linux->devices.empty()) config_error("/linux/devices", why);
}

void validate_propagation(const std::string& propagation) {
    static const std::set<std::string> kModes = {"",        "shared",     "slave",
                                                 "private", "unbindable", "rshared",
                                                 "rslave",  "rprivate",   "runbindable"};
    if (!kModes.count(propagation))
        config_error("/linux/rootfsPropagation", "invalid propagation " + quoted(propagation));
}

// The kernel's dev_valid_name(): what an interface may be called.
bool is_netdev_name(const std::string& name) {
    if (name.empty() || name.size() >= 16 || name == "." || name == "..") return false;
    return name.find_first_of("/: \t\n\v\f\r") == std::string::npos;
}

void validate_net_devices(const Spec& spec, const Linux& l) {
    if (l.net_devices.empty()) return;
    for (const auto& [host_name, dev] : l.net_devices) {
        const std::string ptr = "/linux/netDevices/" + pointer_token(host_name);
        if (!is_netdev_name(host_name))
            config_error(ptr, "invalid network device name " + quoted(host_name));
        if (!dev.name.empty() && !is_netdev_name(dev.name))
            config_error(ptr + "/name", "invalid network device name " + quoted(dev.name));
    }
    if (!find_namespace(spec, "network"))
        config_error("/linux/netDevices", "requires a network namespace");
}

void validate_misc(const Linux& l) {
    if (l.intel_rdt) plan_intel_rdt(*l.intel_rdt, "id", "/");  // its checks only
    if (l.personality && personality_value(*l.personality) < 0)
        config_error("/linux/personality/domain",
                     "unknown domain " + quoted(l.personality->domain));
    if (l.memory_policy) plan_memory_policy(*l.memory_policy);
}

}  // namespace

void validate_linux(const Spec& spec) {
    validate_uts(spec);
    if (!spec.linux) return validate_host_mount_namespace(spec);
    const Linux& l = *spec.linux;
    validate_namespaces(l.namespaces);
    validate_user_namespace(spec, l);
    validate_time_offsets(spec, l);
    validate_sysctl(spec, l);
    if (l.resources) validate_device_rules(l.resources->devices);
    validate_devices(l.devices);
    validate_propagation(l.rootfs_propagation);
    validate_path_list(spec, "/linux/maskedPaths", l.masked_paths);
    validate_path_list(spec, "/linux/readonlyPaths", l.readonly_paths);
    validate_host_mount_namespace(spec);
    validate_net_devices(spec, l);
    validate_misc(l);
    if (l.seccomp) validate_seccomp(*l.seccomp);
}

}  // namespace minirunc::spec::detail
