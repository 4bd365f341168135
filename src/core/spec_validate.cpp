// Static checks of a parsed config: the top-level members and the process.
// Only what can be decided without touching the system; the first problem is
// thrown as Error("config.json: /pointer: why").
#include <algorithm>
#include <array>
#include <set>

#include "core/json_reader.hpp"
#include "core/spec_validate_internal.hpp"
#include "minirunc/error.hpp"
#include "minirunc/process_attributes.hpp"

namespace minirunc::spec {
namespace detail {
namespace {

void validate_version(const std::string& version) {
    if (version.empty()) config_error("/ociVersion", "must not be empty");
    // Any 1.x document is read; 2.x may change meanings we cannot know.
    if (version.substr(0, version.find('.')) != "1")
        config_error("/ociVersion", "unsupported version " + quoted(version) + ": must be 1.x");
}

bool is_capability_name(const std::string& name) {
    if (name.size() <= 4 || name.compare(0, 4, "CAP_") != 0) return false;
    return std::all_of(name.begin() + 4, name.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; });
}

void validate_capability_set(const std::string& pointer,
                             const std::optional<std::vector<std::string>>& set) {
    if (!set) return;
    for (std::size_t i = 0; i < set->size(); ++i) {
        if (!is_capability_name((*set)[i]))
            config_error(pointer + "/" + std::to_string(i),
                         "invalid capability name " + quoted((*set)[i]));
    }
}

void validate_capabilities(const Capabilities& caps) {
    const std::string base = "/process/capabilities/";
    validate_capability_set(base + "bounding", caps.bounding);
    validate_capability_set(base + "effective", caps.effective);
    validate_capability_set(base + "inheritable", caps.inheritable);
    validate_capability_set(base + "permitted", caps.permitted);
    validate_capability_set(base + "ambient", caps.ambient);
}

constexpr std::array<std::string_view, 16> kRlimits = {
    "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
    "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
};

void validate_rlimits(const std::vector<Rlimit>& rlimits) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rlimits.size(); ++i) {
        const Rlimit& r = rlimits[i];
        const std::string ptr = "/process/rlimits/" + std::to_string(i);
        if (std::find(kRlimits.begin(), kRlimits.end(), r.type) == kRlimits.end())
            config_error(ptr + "/type", "unknown rlimit " + quoted(r.type));
        if (!seen.insert(r.type).second)
            config_error(ptr + "/type", "duplicate rlimit " + quoted(r.type));
        if (r.soft > r.hard) config_error(ptr + "/soft", "must not exceed hard");
    }
}

// runc's rules (libcontainer/configs/validate): sched_setattr(2) semantics.
void validate_scheduler(const Scheduler& s) {
    static const std::set<std::string> kPolicies = {"SCHED_OTHER",   "SCHED_FIFO", "SCHED_RR",
                                                    "SCHED_BATCH",   "SCHED_ISO",  "SCHED_IDLE",
                                                    "SCHED_DEADLINE"};
    const std::string base = "/process/scheduler/";
    if (s.policy.empty()) config_error(base + "policy", "must not be empty");
    if (!kPolicies.count(s.policy))
        config_error(base + "policy", "unknown policy " + quoted(s.policy));
    if (s.nice && (*s.nice < -20 || *s.nice > 19))
        config_error(base + "nice", "must be between -20 and 19");
    if (s.priority && *s.priority != 0 && s.policy != "SCHED_FIFO" && s.policy != "SCHED_RR")
        config_error(base + "priority", "only allowed for SCHED_FIFO and SCHED_RR");
    if (s.policy != "SCHED_DEADLINE") {
        const std::pair<const char*, const std::optional<uint64_t>*> deadline_only[] = {
            {"runtime", &s.runtime}, {"deadline", &s.deadline}, {"period", &s.period}};
        for (const auto& [name, value] : deadline_only) {
            if (value->value_or(0) != 0)
                config_error(base + name, "only allowed for SCHED_DEADLINE");
        }
    }
    for (size_t i = 0; i < s.flags.size(); ++i)
        if (scheduler_flag(s.flags[i]) < 0)
            config_error(base + "flags/" + std::to_string(i), "unknown flag " + quoted(s.flags[i]));
}

void validate_io_priority(const IoPriority& p) {
    if (p.io_class != "IOPRIO_CLASS_RT" && p.io_class != "IOPRIO_CLASS_BE" &&
        p.io_class != "IOPRIO_CLASS_IDLE")
        config_error("/process/ioPriority/class", "unknown class " + quoted(p.io_class));
    if (p.priority < 0 || p.priority > 7)
        config_error("/process/ioPriority/priority", "must be between 0 and 7");
}

// Both lists are read as runc reads them; empty means not set.
void validate_exec_cpu_affinity(const ExecCpuAffinity& a) {
    const std::pair<const char*, const std::string*> lists[] = {{"initial", &a.initial},
                                                                {"final", &a.final_cpus}};
    for (const auto& [name, text] : lists) {
        if (text->find_first_not_of(" \t") == std::string::npos) continue;
        try {
            parse_id_list(*text);
        } catch (const Error& e) {
            config_error(std::string("/process/execCPUAffinity/") + name,
                         "invalid CPU list " + quoted(*text) + ": " + e.what());
        }
    }
}

void validate_process(const std::optional<Process>& process) {
    // runc needs a process for create and run, the only users of a bundle config.
    if (!process) config_error("/process", "must be present");
    const Process& p = *process;
    if (p.args.empty()) config_error("/process/args", "must not be empty");
    if (!is_absolute(p.cwd)) config_error("/process/cwd", "must be an absolute path");
    if (p.user.umask && *p.user.umask > 0777)
        config_error("/process/user/umask", "must be at most 0777");
    if (p.capabilities) validate_capabilities(*p.capabilities);
    validate_rlimits(p.rlimits);
    if (p.oom_score_adj && (*p.oom_score_adj < -1000 || *p.oom_score_adj > 1000))
        config_error("/process/oomScoreAdj", "must be between -1000 and 1000");
    if (p.scheduler) validate_scheduler(*p.scheduler);
    if (p.io_priority) validate_io_priority(*p.io_priority);
    if (p.exec_cpu_affinity) validate_exec_cpu_affinity(*p.exec_cpu_affinity);
}

void validate_root(const std::optional<Root>& root) {
    if (!root) config_error("/root", "must be present");
    if (root->path.empty()) config_error("/root/path", "must not be empty");
}

bool is_bind(const Mount& m) {
    return m.type == "bind" || std::any_of(m.options.begin(), m.options.end(), [](const auto& o) {
               return o == "bind" || o == "rbind";
           });
}

void validate_mount(const std::string& ptr, const Mount& m) {
    // A relative destination is accepted (runtime-spec 1.1: deprecated, relative
    // to the container's "/"); see absolutize_mount_destinations.
    if (m.destination.empty()) config_error(ptr + "/destination", "must not be empty");
    if (is_bind(m) && m.source.empty())
        config_error(ptr + "/source", "must not be empty for a bind mount");
    const bool has_uid = !m.uid_mappings.empty(), has_gid = !m.gid_mappings.empty();
    if (!has_uid && !has_gid) return;
    const std::string which = ptr + (has_uid ? "/uidMappings" : "/gidMappings");
    if (!is_bind(m)) config_error(which, "only supported for bind mounts");
    if (!has_uid) config_error(ptr + "/uidMappings", "required when gidMappings is set");
    if (!has_gid) config_error(ptr + "/gidMappings", "required when uidMappings is set");
    validate_id_mappings(ptr + "/uidMappings", m.uid_mappings);
    validate_id_mappings(ptr + "/gidMappings", m.gid_mappings);
}

void validate_hook_list(const std::string& ptr, const std::vector<Hook>& hooks) {
    for (std::size_t i = 0; i < hooks.size(); ++i) {
        const std::string hp = ptr + "/" + std::to_string(i);
        if (!is_absolute(hooks[i].path)) config_error(hp + "/path", "must be an absolute path");
        if (hooks[i].timeout && *hooks[i].timeout <= 0)
            config_error(hp + "/timeout", "must be greater than 0");
    }
}

void validate_hooks(const Hooks& h) {
    validate_hook_list("/hooks/prestart", h.prestart);
    validate_hook_list("/hooks/createRuntime", h.create_runtime);
    validate_hook_list("/hooks/createContainer", h.create_container);
    validate_hook_list("/hooks/startContainer", h.start_container);
    validate_hook_list("/hooks/poststart", h.poststart);
    validate_hook_list("/hooks/poststop", h.poststop);
}

}  // namespace

const Namespace* find_namespace(const Spec& spec, std::string_view type) {
    if (!spec.linux) return nullptr;
    for (const Namespace& ns : spec.linux->namespaces) {
        if (ns.type == type) return &ns;
    }
    return nullptr;
}

void validate_id_mappings(const std::string& pointer, const std::vector<IdMapping>& mappings) {
    constexpr uint64_t kIdSpace = uint64_t{1} << 32;
    for (std::size_t i = 0; i < mappings.size(); ++i) {
        const IdMapping& m = mappings[i];
        const std::string ptr = pointer + "/" + std::to_string(i);
        if (m.size == 0) config_error(ptr + "/size", "must be greater than 0");
        if (uint64_t{m.container_id} + m.size > kIdSpace)
            config_error(ptr, "containerID + size overflows 32 bits");
        if (uint64_t{m.host_id} + m.size > kIdSpace)
            config_error(ptr, "hostID + size overflows 32 bits");
    }
}

}  // namespace detail

void validate(const Spec& spec) {
    using namespace detail;
    validate_version(spec.oci_version);
    validate_process(spec.process);
    validate_root(spec.root);
    for (std::size_t i = 0; i < spec.mounts.size(); ++i)
        validate_mount("/mounts/" + std::to_string(i), spec.mounts[i]);
    validate_idmapped_mounts(spec);
    if (spec.hooks) validate_hooks(*spec.hooks);
    if (spec.annotations.count("")) config_error("/annotations", "keys must not be empty");
    validate_linux(spec);
}

std::vector<std::string> absolutize_mount_destinations(Spec& spec) {
    std::vector<std::string> warnings;
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        std::string& destination = spec.mounts[i].destination;
        if (destination.empty() || destination[0] == '/') continue;
        warnings.push_back("config.json: /mounts/" + std::to_string(i) + "/destination: \"" +
                           destination + "\" is relative (deprecated): mounted at \"/" +
                           destination + "\" in the container");
        destination.insert(0, "/");
    }
    return warnings;
}

}  // namespace minirunc::spec
