// Typed model of an OCI runtime-spec 1.3 config.json (incl. the linux part).
// Optional JSON members are std::optional (or empty containers); field names
// follow the spec, in snake_case.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minirunc::spec {

struct ConsoleSize {
    uint32_t height = 0;
    uint32_t width = 0;
};

struct User {
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::optional<uint32_t> umask;
    std::vector<uint32_t> additional_gids;
    std::string username;  // informational only: never looked up
};

struct Capabilities {
    std::optional<std::vector<std::string>> bounding;
    std::optional<std::vector<std::string>> effective;
    std::optional<std::vector<std::string>> inheritable;
    std::optional<std::vector<std::string>> permitted;
    std::optional<std::vector<std::string>> ambient;
};

struct Rlimit {
    std::string type;  // "RLIMIT_NOFILE"
    uint64_t hard = 0;
    uint64_t soft = 0;
};

struct Scheduler {
    std::string policy;  // SCHED_OTHER, SCHED_FIFO, ...
    std::optional<int32_t> nice;
    std::optional<int32_t> priority;
    std::vector<std::string> flags;
    std::optional<uint64_t> runtime;
    std::optional<uint64_t> deadline;
    std::optional<uint64_t> period;
};

struct IoPriority {
    std::string io_class;  // IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE
    int32_t priority = 0;
};

struct ExecCpuAffinity {
    std::string initial;
    std::string final_cpus;  // JSON "final"
};

struct Process {
    bool terminal = false;
    std::optional<ConsoleSize> console_size;
    User user;
    std::vector<std::string> args;
    std::optional<std::string> command_line;  // Windows only; kept, unused
    std::vector<std::string> env;
    std::string cwd;
    std::optional<Capabilities> capabilities;
    std::vector<Rlimit> rlimits;
    bool no_new_privileges = false;
    std::string apparmor_profile;
    std::optional<int32_t> oom_score_adj;
    std::optional<Scheduler> scheduler;
    std::string selinux_label;
    std::optional<IoPriority> io_priority;
    std::optional<ExecCpuAffinity> exec_cpu_affinity;
};

struct Root {
    std::string path;
    bool readonly = false;
};

struct IdMapping {
    uint32_t container_id = 0;
    uint32_t host_id = 0;
    uint32_t size = 0;
};

struct Mount {
    std::string destination;
    std::string type;
    std::string source;
    std::vector<std::string> options;
    std::vector<IdMapping> uid_mappings;
    std::vector<IdMapping> gid_mappings;
};

struct Hook {
    std::string path;
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::optional<int32_t> timeout;  // seconds, > 0
};

struct Hooks {
    std::vector<Hook> prestart;
    std::vector<Hook> create_runtime;
    std::vector<Hook> create_container;
    std::vector<Hook> start_container;
    std::vector<Hook> poststart;
    std::vector<Hook> poststop;
};

struct Namespace {
    std::string type;  // pid network mount ipc uts user cgroup time
    std::string path;  // empty: create a new one
};

struct Device {
    std::string type;  // c, b, u, p
    std::string path;
    int64_t major = 0;
    int64_t minor = 0;
    std::optional<uint32_t> file_mode;
    std::optional<uint32_t> uid;
    std::optional<uint32_t> gid;
};

struct DeviceCgroupRule {
    bool allow = false;
    std::string type;  // "a", "c", "b"; empty means all
    std::optional<int64_t> major;
    std::optional<int64_t> minor;
    std::string access;  // subset of "rwm"
};

struct MemoryResources {
    std::optional<int64_t> limit;
    std::optional<int64_t> reservation;
    std::optional<int64_t> swap;
    std::optional<int64_t> kernel;
    std::optional<int64_t> kernel_tcp;
    std::optional<uint64_t> swappiness;
    std::optional<bool> disable_oom_killer;
    std::optional<bool> use_hierarchy;
    std::optional<bool> check_before_update;
};

struct CpuResources {
    std::optional<uint64_t> shares;
    std::optional<int64_t> quota;
    std::optional<uint64_t> burst;
    std::optional<uint64_t> period;
    std::optional<int64_t> realtime_runtime;
    std::optional<uint64_t> realtime_period;
    std::string cpus;
    std::string mems;
    std::optional<int64_t> idle;
};

struct PidsResources {
    std::optional<int64_t> limit;
};

struct WeightDevice {
    int64_t major = 0;
    int64_t minor = 0;
    std::optional<uint16_t> weight;
    std::optional<uint16_t> leaf_weight;
};

struct ThrottleDevice {
    int64_t major = 0;
    int64_t minor = 0;
    uint64_t rate = 0;
};

struct BlockIoResources {
    std::optional<uint16_t> weight;
    std::optional<uint16_t> leaf_weight;
    std::vector<WeightDevice> weight_device;
    std::vector<ThrottleDevice> throttle_read_bps_device;
    std::vector<ThrottleDevice> throttle_write_bps_device;
    std::vector<ThrottleDevice> throttle_read_iops_device;
    std::vector<ThrottleDevice> throttle_write_iops_device;
};

struct HugepageLimit {
    std::string page_size;  // "2MB"
    uint64_t limit = 0;
};

struct InterfacePriority {
    std::string name;
    uint32_t priority = 0;
};

struct NetworkResources {
    std::optional<uint32_t> class_id;
    std::vector<InterfacePriority> priorities;
};

struct RdmaLimit {
    std::optional<uint32_t> hca_handles;
    std::optional<uint32_t> hca_objects;
};

struct Resources {
    std::vector<DeviceCgroupRule> devices;
    std::optional<MemoryResources> memory;
    std::optional<CpuResources> cpu;
    std::optional<PidsResources> pids;
    std::optional<BlockIoResources> block_io;
    std::vector<HugepageLimit> hugepage_limits;
    std::optional<NetworkResources> network;
    std::map<std::string, RdmaLimit> rdma;
    std::map<std::string, std::string> unified;
};

struct SeccompArg {
    uint32_t index = 0;
    uint64_t value = 0;
    uint64_t value_two = 0;
    std::string op;  // SCMP_CMP_EQ, ...
};

struct SeccompSyscall {
    std::vector<std::string> names;
    std::string action;
    std::optional<uint32_t> errno_ret;
    std::vector<SeccompArg> args;
};

struct Seccomp {
    std::string default_action;
    std::optional<uint32_t> default_errno_ret;
    std::vector<std::string> architectures;
    std::vector<std::string> flags;
    std::string listener_path;
    std::string listener_metadata;
    std::vector<SeccompSyscall> syscalls;
};

struct TimeOffset {
    int64_t secs = 0;
    uint32_t nanosecs = 0;
};

struct IntelRdt {
    std::string clos_id;
    std::string l3_cache_schema;
    std::string mem_bw_schema;
    std::vector<std::string> schemata;
    std::optional<bool> enable_cmt;
    std::optional<bool> enable_mbm;
};

struct Personality {
    std::string domain;  // LINUX, LINUX32
    std::vector<std::string> flags;
};

struct MemoryPolicy {
    std::string mode;
    std::string nodes;
    std::vector<std::string> flags;
};

struct NetDevice {
    std::string name;
};

struct Linux {
    std::vector<IdMapping> uid_mappings;
    std::vector<IdMapping> gid_mappings;
    std::map<std::string, TimeOffset> time_offsets;  // "monotonic", "boottime"
    std::map<std::string, std::string> sysctl;
    std::optional<Resources> resources;
    std::string cgroups_path;
    std::vector<Namespace> namespaces;
    std::vector<Device> devices;
    std::optional<Seccomp> seccomp;
    std::string rootfs_propagation;
    std::vector<std::string> masked_paths;
    std::vector<std::string> readonly_paths;
    std::string mount_label;
    std::optional<IntelRdt> intel_rdt;
    std::optional<Personality> personality;
    std::optional<MemoryPolicy> memory_policy;
    std::map<std::string, NetDevice> net_devices;
};

struct Spec {
    std::string oci_version;
    std::optional<Process> process;
    std::optional<Root> root;
    std::string hostname;
    std::string domainname;
    std::vector<Mount> mounts;
    std::optional<Hooks> hooks;
    std::map<std::string, std::string> annotations;
    std::optional<Linux> linux;
};

// Parses a config document into the model. Unknown members are ignored; a
// member of the wrong type throws Error("config.json: /json/pointer: why").
Spec parse(const nlohmann::json& doc);
Process parse_process(const nlohmann::json& doc, const std::string& pointer = "/process");
Resources parse_resources(const nlohmann::json& doc, const std::string& pointer);

// Parses text (a whole config.json) with a clear error on malformed JSON.
Spec parse_text(const std::string& text);

// Checks everything that can be checked without touching the system, throwing
// Error("config.json: /pointer: why") for the first problem found.
void validate(const Spec& spec);

// runtime-spec 1.1+: a relative mount destination (deprecated) is relative to
// the container's "/". Makes each one absolute (the init still resolves it
// inside the rootfs, ".." included) and returns one warning per mount changed.
std::vector<std::string> absolutize_mount_destinations(Spec& spec);

// Serialises back to runtime-spec JSON (used to freeze the config and for
// the init's bootstrap message).
nlohmann::json to_json(const Spec& spec);
nlohmann::json to_json(const Process& process);
nlohmann::json to_json(const Resources& resources);

}  // namespace minirunc::spec
