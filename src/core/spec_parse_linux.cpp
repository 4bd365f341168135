// Reads the "linux" object of config.json (resources live in
// spec_parse_resources.cpp).
#include "core/spec_parse_internal.hpp"

namespace minirunc::spec::detail {
namespace {

TimeOffset parse_time_offset(const Reader& r) {
    TimeOffset t;
    r.read("secs", t.secs);
    r.read("nanosecs", t.nanosecs);
    return t;
}

Namespace parse_namespace(const Reader& r) {
    Namespace n;
    r.read("type", n.type);
    r.read("path", n.path);
    return n;
}

Device parse_device(const Reader& r) {
    Device d;
    r.read("type", d.type);
    r.read("path", d.path);
    // Absent major/minor read as 0: Go writers omit zeros (e.g. /dev/tty 5:0).
    r.read("major", d.major);
    r.read("minor", d.minor);
    r.read("fileMode", d.file_mode);
    r.read("uid", d.uid);
    r.read("gid", d.gid);
    return d;
}

SeccompArg parse_seccomp_arg(const Reader& r) {
    SeccompArg a;
    r.read("index", a.index);
    r.read("value", a.value);
    r.read("valueTwo", a.value_two);
    r.read("op", a.op);
    return a;
}

SeccompSyscall parse_seccomp_syscall(const Reader& r) {
    SeccompSyscall s;
    r.read("names", s.names);
    r.read("action", s.action);
    r.read("errnoRet", s.errno_ret);
    r.read_list("args", s.args, parse_seccomp_arg);
    return s;
}

Seccomp parse_seccomp(const Reader& r) {
    Seccomp s;
    r.read("defaultAction", s.default_action);
    r.read("defaultErrnoRet", s.default_errno_ret);
    r.read("architectures", s.architectures);
    r.read("flags", s.flags);
    r.read("listenerPath", s.listener_path);
    r.read("listenerMetadata", s.listener_metadata);
    r.read_list("syscalls", s.syscalls, parse_seccomp_syscall);
    return s;
}

IntelRdt parse_intel_rdt(const Reader& r) {
    IntelRdt i;
    r.read("closID", i.clos_id);
    r.read("l3CacheSchema", i.l3_cache_schema);
    r.read("memBwSchema", i.mem_bw_schema);
    r.read("schemata", i.schemata);
    r.read("enableCMT", i.enable_cmt);
    r.read("enableMBM", i.enable_mbm);
    // runtime-spec 1.3 replaced both with enableMonitoring (one monitoring
    // group either way): kept in enable_cmt, which the plan reads as it.
    r.read("enableMonitoring", i.enable_cmt);
    return i;
}

Personality parse_personality(const Reader& r) {
    Personality p;
    r.read("domain", p.domain);
    r.read("flags", p.flags);
    return p;
}

MemoryPolicy parse_memory_policy(const Reader& r) {
    MemoryPolicy m;
    r.read("mode", m.mode);
    r.read("nodes", m.nodes);
    r.read("flags", m.flags);
    return m;
}

NetDevice parse_net_device(const Reader& r) {
    NetDevice n;
    r.read("name", n.name);
    return n;
}

}  // namespace

Linux parse_linux_object(const Reader& r) {
    Linux l;
    r.read_list("uidMappings", l.uid_mappings, parse_id_mapping);
    r.read_list("gidMappings", l.gid_mappings, parse_id_mapping);
    r.read_map("timeOffsets", l.time_offsets, parse_time_offset);
    r.read("sysctl", l.sysctl);
    r.read_object("resources", l.resources, parse_resources_object);
    r.read("cgroupsPath", l.cgroups_path);
    r.read_list("namespaces", l.namespaces, parse_namespace);
    r.read_list("devices", l.devices, parse_device);
    r.read_object("seccomp", l.seccomp, parse_seccomp);
    r.read("rootfsPropagation", l.rootfs_propagation);
    r.read("maskedPaths", l.masked_paths);
    r.read("readonlyPaths", l.readonly_paths);
    r.read("mountLabel", l.mount_label);
    r.read_object("intelRdt", l.intel_rdt, parse_intel_rdt);
    r.read_object("personality", l.personality, parse_personality);
    r.read_object("memoryPolicy", l.memory_policy, parse_memory_policy);
    r.read_map("netDevices", l.net_devices, parse_net_device);
    return l;
}

}  // namespace minirunc::spec::detail
