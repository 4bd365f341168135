// The spec model back to runtime-spec JSON, omitting what Go's specs-go omits
// (`omitempty`), so that parse(to_json(s)) gives s back.
#include "minirunc/spec.hpp"

#include <nlohmann/json.hpp>

namespace minirunc::spec {
namespace {

using nlohmann::json;

// Members tagged omitempty: left out when empty.
void put(json& j, const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
}
template <typename T>
void put(json& j, const char* key, const std::vector<T>& v) {
    if (!v.empty()) j[key] = v;
}
void put(json& j, const char* key, const std::map<std::string, std::string>& v) {
    if (!v.empty()) j[key] = v;
}
// Pointer members: present when set, even if zero or empty.
template <typename T>
void put(json& j, const char* key, const std::optional<T>& v) {
    if (v) j[key] = *v;
}
template <typename T, typename Fn>
void put_list(json& j, const char* key, const std::vector<T>& v, Fn fn) {
    if (v.empty()) return;
    json& out = j[key] = json::array();
    for (const T& item : v) out.push_back(fn(item));
}
template <typename T, typename Fn>
void put_object(json& j, const char* key, const std::optional<T>& v, Fn fn) {
    if (v) j[key] = fn(*v);
}
template <typename T, typename Fn>
void put_map(json& j, const char* key, const std::map<std::string, T>& v, Fn fn) {
    if (v.empty()) return;
    json& out = j[key] = json::object();
    for (const auto& [k, item] : v) out[k] = fn(item);
}

json user_json(const User& u) {
    json j = {{"uid", u.uid}, {"gid", u.gid}};
    put(j, "umask", u.umask);
    put(j, "additionalGids", u.additional_gids);
    put(j, "username", u.username);
    return j;
}

json capabilities_json(const Capabilities& c) {
    json j = json::object();
    put(j, "bounding", c.bounding);
    put(j, "effective", c.effective);
    put(j, "inheritable", c.inheritable);
    put(j, "permitted", c.permitted);
    put(j, "ambient", c.ambient);
    return j;
}

json scheduler_json(const Scheduler& s) {
    json j = {{"policy", s.policy}};
    put(j, "nice", s.nice);
    put(j, "priority", s.priority);
    put(j, "flags", s.flags);
    put(j, "runtime", s.runtime);
    put(j, "deadline", s.deadline);
    put(j, "period", s.period);
    return j;
}

json id_mapping_json(const IdMapping& m) {
    return {{"containerID", m.container_id}, {"hostID", m.host_id}, {"size", m.size}};
}

json mount_json(const Mount& m) {
    json j = {{"destination", m.destination}};
    put(j, "type", m.type);
    put(j, "source", m.source);
    put(j, "options", m.options);
    put_list(j, "uidMappings", m.uid_mappings, id_mapping_json);
    put_list(j, "gidMappings", m.gid_mappings, id_mapping_json);
    return j;
}

json hook_json(const Hook& h) {
    json j = {{"path", h.path}};
    put(j, "args", h.args);
    put(j, "env", h.env);
    put(j, "timeout", h.timeout);
    return j;
}

json hooks_json(const Hooks& h) {
    json j = json::object();
    put_list(j, "prestart", h.prestart, hook_json);
    put_list(j, "createRuntime", h.create_runtime, hook_json);
    put_list(j, "createContainer", h.create_container, hook_json);
    put_list(j, "startContainer", h.start_container, hook_json);
    put_list(j, "poststart", h.poststart, hook_json);
    put_list(j, "poststop", h.poststop, hook_json);
    return j;
}

json device_rule_json(const DeviceCgroupRule& d) {
    json j = {{"allow", d.allow}};
    put(j, "type", d.type);
    put(j, "major", d.major);
    put(j, "minor", d.minor);
    put(j, "access", d.access);
    return j;
}

json memory_json(const MemoryResources& m) {
    json j = json::object();
    put(j, "limit", m.limit);
    put(j, "reservation", m.reservation);
    put(j, "swap", m.swap);
    put(j, "kernel", m.kernel);
    put(j, "kernelTCP", m.kernel_tcp);
    put(j, "swappiness", m.swappiness);
    put(j, "disableOOMKiller", m.disable_oom_killer);
    put(j, "useHierarchy", m.use_hierarchy);
    put(j, "checkBeforeUpdate", m.check_before_update);
    return j;
}

json cpu_json(const CpuResources& c) {
    json j = json::object();
    put(j, "shares", c.shares);
    put(j, "quota", c.quota);
    put(j, "burst", c.burst);
    put(j, "period", c.period);
    put(j, "realtimeRuntime", c.realtime_runtime);
    put(j, "realtimePeriod", c.realtime_period);
    put(j, "cpus", c.cpus);
    put(j, "mems", c.mems);
    put(j, "idle", c.idle);
    return j;
}

json weight_device_json(const WeightDevice& d) {
    json j = {{"major", d.major}, {"minor", d.minor}};
    put(j, "weight", d.weight);
    put(j, "leafWeight", d.leaf_weight);
    return j;
}

json throttle_device_json(const ThrottleDevice& d) {
    return {{"major", d.major}, {"minor", d.minor}, {"rate", d.rate}};
}

json block_io_json(const BlockIoResources& b) {
    json j = json::object();
    put(j, "weight", b.weight);
    put(j, "leafWeight", b.leaf_weight);
    put_list(j, "weightDevice", b.weight_device, weight_device_json);
    put_list(j, "throttleReadBpsDevice", b.throttle_read_bps_device, throttle_device_json);
    put_list(j, "throttleWriteBpsDevice", b.throttle_write_bps_device, throttle_device_json);
    put_list(j, "throttleReadIOPSDevice", b.throttle_read_iops_device, throttle_device_json);
    put_list(j, "throttleWriteIOPSDevice", b.throttle_write_iops_device, throttle_device_json);
    return j;
}

json network_json(const NetworkResources& n) {
    json j = json::object();
    put(j, "classID", n.class_id);
    put_list(j, "priorities", n.priorities, [](const InterfacePriority& p) {
        return json{{"name", p.name}, {"priority", p.priority}};
    });
    return j;
}

json resources_json(const Resources& r) {
    json j = json::object();
    put_list(j, "devices", r.devices, device_rule_json);
    put_object(j, "memory", r.memory, memory_json);
    put_object(j, "cpu", r.cpu, cpu_json);
    put_object(j, "pids", r.pids, [](const PidsResources& p) {
        json pj = json::object();
        put(pj, "limit", p.limit);
        return pj;
    });
    put_object(j, "blockIO", r.block_io, block_io_json);
    put_list(j, "hugepageLimits", r.hugepage_limits, [](const HugepageLimit& h) {
        return json{{"pageSize", h.page_size}, {"limit", h.limit}};
    });
    put_object(j, "network", r.network, network_json);
    put_map(j, "rdma", r.rdma, [](const RdmaLimit& l) {
        json lj = json::object();
        put(lj, "hcaHandles", l.hca_handles);
        put(lj, "hcaObjects", l.hca_objects);
        return lj;
    });
    put(j, "unified", r.unified);
    return j;
}

json device_json(const Device& d) {
    // major/minor always written: Go's omitempty would drop a real 0.
    json j = {{"type", d.type}, {"path", d.path}, {"major", d.major}, {"minor", d.minor}};
    put(j, "fileMode", d.file_mode);
    put(j, "uid", d.uid);
    put(j, "gid", d.gid);
    return j;
}

json seccomp_syscall_json(const SeccompSyscall& s) {
    json j = {{"names", s.names}, {"action", s.action}};
    put(j, "errnoRet", s.errno_ret);
    put_list(j, "args", s.args, [](const SeccompArg& a) {
        json aj = {{"index", a.index}, {"value", a.value}, {"op", a.op}};
        if (a.value_two != 0) aj["valueTwo"] = a.value_two;
        return aj;
    });
    return j;
}

json seccomp_json(const Seccomp& s) {
    json j = {{"defaultAction", s.default_action}};
    put(j, "defaultErrnoRet", s.default_errno_ret);
    put(j, "architectures", s.architectures);
    put(j, "flags", s.flags);
    put(j, "listenerPath", s.listener_path);
    put(j, "listenerMetadata", s.listener_metadata);
    put_list(j, "syscalls", s.syscalls, seccomp_syscall_json);
    return j;
}

json intel_rdt_json(const IntelRdt& i) {
    json j = json::object();
    put(j, "closID", i.clos_id);
    put(j, "l3CacheSchema", i.l3_cache_schema);
    put(j, "memBwSchema", i.mem_bw_schema);
    put(j, "schemata", i.schemata);
    put(j, "enableCMT", i.enable_cmt);
    put(j, "enableMBM", i.enable_mbm);
    return j;
}

json linux_json(const Linux& l) {
    json j = json::object();
    put_list(j, "uidMappings", l.uid_mappings, id_mapping_json);
    put_list(j, "gidMappings", l.gid_mappings, id_mapping_json);
    put_map(j, "timeOffsets", l.time_offsets, [](const TimeOffset& t) {
        json tj = json::object();
        if (t.secs != 0) tj["secs"] = t.secs;
        if (t.nanosecs != 0) tj["nanosecs"] = t.nanosecs;
        return tj;
    });
    put(j, "sysctl", l.sysctl);
    put_object(j, "resources", l.resources, resources_json);
    put(j, "cgroupsPath", l.cgroups_path);
    put_list(j, "namespaces", l.namespaces, [](const Namespace& ns) {
        json nj = {{"type", ns.type}};
        put(nj, "path", ns.path);
        return nj;
    });
    put_list(j, "devices", l.devices, device_json);
    put_object(j, "seccomp", l.seccomp, seccomp_json);
    put(j, "rootfsPropagation", l.rootfs_propagation);
    put(j, "maskedPaths", l.masked_paths);
    put(j, "readonlyPaths", l.readonly_paths);
    put(j, "mountLabel", l.mount_label);
    put_object(j, "intelRdt", l.intel_rdt, intel_rdt_json);
    put_object(j, "personality", l.personality, [](const Personality& p) {
        json pj = {{"domain", p.domain}};
        put(pj, "flags", p.flags);
        return pj;
    });
    put_object(j, "memoryPolicy", l.memory_policy, [](const MemoryPolicy& m) {
        json mj = {{"mode", m.mode}, {"nodes", m.nodes}};
        put(mj, "flags", m.flags);
        return mj;
    });
    put_map(j, "netDevices", l.net_devices, [](const NetDevice& d) {
        json dj = json::object();
        put(dj, "name", d.name);
        return dj;
    });
    return j;
}

}  // namespace

json to_json(const Process& p) {
    json j = json::object();
    if (p.terminal) j["terminal"] = true;
    put_object(j, "consoleSize", p.console_size, [](const ConsoleSize& c) {
        return json{{"height", c.height}, {"width", c.width}};
    });
    j["user"] = user_json(p.user);
    put(j, "args", p.args);
    put(j, "commandLine", p.command_line);
    put(j, "env", p.env);
    j["cwd"] = p.cwd;
    put_object(j, "capabilities", p.capabilities, capabilities_json);
    put_list(j, "rlimits", p.rlimits, [](const Rlimit& r) {
        return json{{"type", r.type}, {"hard", r.hard}, {"soft", r.soft}};
    });
    if (p.no_new_privileges) j["noNewPrivileges"] = true;
    put(j, "apparmorProfile", p.apparmor_profile);
    put(j, "oomScoreAdj", p.oom_score_adj);
    put_object(j, "scheduler", p.scheduler, scheduler_json);
    put(j, "selinuxLabel", p.selinux_label);
    put_object(j, "ioPriority", p.io_priority, [](const IoPriority& io) {
        return json{{"class", io.io_class}, {"priority", io.priority}};
    });
    put_object(j, "execCPUAffinity", p.exec_cpu_affinity, [](const ExecCpuAffinity& a) {
        json aj = json::object();
        put(aj, "initial", a.initial);
        put(aj, "final", a.final_cpus);
        return aj;
    });
    return j;
}

json to_json(const Resources& r) {
    return resources_json(r);
}

json to_json(const Spec& s) {
    json j = {{"ociVersion", s.oci_version}};
    if (s.process) j["process"] = to_json(*s.process);
    put_object(j, "root", s.root, [](const Root& r) {
        json rj = {{"path", r.path}};
        if (r.readonly) rj["readonly"] = true;
        return rj;
    });
    put(j, "hostname", s.hostname);
    put(j, "domainname", s.domainname);
    put_list(j, "mounts", s.mounts, mount_json);
    put_object(j, "hooks", s.hooks, hooks_json);
    put(j, "annotations", s.annotations);
    put_object(j, "linux", s.linux, linux_json);
    return j;
}

}  // namespace minirunc::spec
