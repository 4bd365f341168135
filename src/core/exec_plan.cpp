#include "minirunc/exec_plan.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <set>

#include "minirunc/error.hpp"
#include "minirunc/namespace_plan.hpp"

namespace minirunc {
namespace {

uint32_t parse_id(const std::string& text, const std::string& what) {
    if (text.empty() || text.size() > 10 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Error("invalid " + what + " \"" + text + "\": must be a number");
    unsigned long long value = std::stoull(text);
    if (value > 0xFFFFFFFFULL) throw Error("invalid " + what + " \"" + text + "\": out of range");
    return static_cast<uint32_t>(value);
}

void append_unique(std::optional<std::vector<std::string>>& set, const std::string& cap) {
    if (!set) set.emplace();
    if (std::find(set->begin(), set->end(), cap) == set->end()) set->push_back(cap);
}

std::string env_name(const std::string& entry) {
    return entry.substr(0, entry.find('='));
}

// `sub` relative to the container's cgroup, without "." and empty parts;
// "" for the container's cgroup itself. A ".." that would climb out of it
// is refused, wherever it is.
std::string sub_cgroup_path(const std::string& request, const std::string& sub) {
    std::vector<std::string> parts;
    for (const auto& part : text::split(sub, '/')) {
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (parts.empty())
                throw Error("invalid --cgroup argument: " + request + ": " + sub +
                            " is not a sub cgroup path");
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    std::string path;
    for (const auto& part : parts) path += "/" + part;
    return path;
}

// Every controller name the kernel knows (v1 and v2), and systemd's named
// hierarchy: a request for another one is a typo, refused as runc refuses it.
bool known_controller(const std::string& controller) {
    static const std::set<std::string> kKnown = {
        "blkio",      "cpu",  "cpuacct", "cpuset",  "devices", "freezer",
        "hugetlb",    "io",   "memory",  "misc",    "net_cls", "net_prio",
        "perf_event", "pids", "rdma",    "systemd", "unified"};
    return kKnown.count(controller) != 0;
}

bool names_controller(const std::string& hierarchy, const std::string& controller) {
    const auto listed = text::split(hierarchy, ',');
    return std::find(listed.begin(), listed.end(), controller) != listed.end();
}

}  // namespace

spec::Process merge_exec_process(const spec::Process& base, const ExecFlags& flags) {
    if (flags.args.empty()) throw Error("exec args cannot be empty");
    spec::Process process = base;
    process.args = flags.args;
    process.terminal = flags.tty;
    process.console_size.reset();
    if (flags.cwd && !flags.cwd->empty()) process.cwd = *flags.cwd;
    for (const auto& entry : flags.env) {
        if (entry.find('=') == std::string::npos)
            throw Error("invalid environment variable \"" + entry + "\": missing '='");
        // A variable given again replaces the container's value (the last wins).
        std::string name = env_name(entry);
        auto same = [&](const std::string& e) { return env_name(e) == name; };
        process.env.erase(std::remove_if(process.env.begin(), process.env.end(), same),
                          process.env.end());
        process.env.push_back(entry);
    }
    if (flags.user && !flags.user->empty()) {
        const std::string& user = *flags.user;
        auto colon = user.find(':');
        process.user.uid = parse_id(user.substr(0, colon), "user");
        if (colon != std::string::npos)
            process.user.gid = parse_id(user.substr(colon + 1), "group");
    }
    // As runc: the groups given are added to the container's.
    for (const auto& text : flags.additional_gids) {
        uint32_t gid = parse_id(text, "additional gid");
        auto& gids = process.user.additional_gids;
        if (std::find(gids.begin(), gids.end(), gid) == gids.end()) gids.push_back(gid);
    }
    if (flags.no_new_privs) process.no_new_privileges = *flags.no_new_privs;
    if (flags.apparmor && !flags.apparmor->empty()) process.apparmor_profile = *flags.apparmor;
    if (flags.process_label && !flags.process_label->empty())
        process.selinux_label = *flags.process_label;
    if (!flags.caps.empty()) {
        if (!process.capabilities) process.capabilities.emplace();
        auto& caps = *process.capabilities;
        for (const auto& cap : flags.caps) {
            append_unique(caps.bounding, cap);
            append_unique(caps.effective, cap);
            append_unique(caps.permitted, cap);
            // As runc: ambient only works with inheritable, which --cap does not add.
            if (caps.inheritable) append_unique(caps.ambient, cap);
        }
    }
    validate_exec_process(process);
    return process;
}

spec::Process complete_process_file(spec::Process file, const spec::Process& container) {
    if (!file.capabilities) file.capabilities = container.capabilities;
    if (file.rlimits.empty()) file.rlimits = container.rlimits;
    if (file.apparmor_profile.empty()) file.apparmor_profile = container.apparmor_profile;
    if (file.selinux_label.empty()) file.selinux_label = container.selinux_label;
    if (!file.oom_score_adj) file.oom_score_adj = container.oom_score_adj;
    if (!file.user.umask) file.user.umask = container.user.umask;
    if (!file.scheduler) file.scheduler = container.scheduler;
    if (!file.io_priority) file.io_priority = container.io_priority;
    if (!file.exec_cpu_affinity) file.exec_cpu_affinity = container.exec_cpu_affinity;
    return file;
}

void validate_exec_process(const spec::Process& process) {
    if (process.args.empty()) throw Error("args must not be empty");
    if (process.cwd.empty()) throw Error("cwd property must not be empty");
    if (process.cwd[0] != '/') throw Error("cwd \"" + process.cwd + "\" must be an absolute path");
    for (const auto& entry : process.env) {
        auto eq = entry.find('=');
        if (eq == std::string::npos)
            throw Error("invalid environment variable \"" + entry + "\": missing '='");
        if (eq == 0)
            throw Error("invalid environment variable \"" + entry + "\": name cannot be empty");
    }
}

std::vector<spec::Namespace> exec_namespaces(const std::vector<spec::Namespace>& container,
                                             pid_t init_pid) {
    std::vector<spec::Namespace> joins;
    for (const auto& ns : container)
        joins.push_back(
            {ns.type, "/proc/" + std::to_string(init_pid) + "/ns/" + namespace_proc_name(ns.type)});
    return joins;
}

std::vector<std::string> exec_cgroup_dirs(const std::vector<std::string>& dirs,
                                          const std::vector<std::string>& names,
                                          const std::vector<std::string>& requests) {
    std::vector<std::string> result = dirs;
    std::set<std::string> controllers_seen;
    std::vector<bool> assigned(dirs.size(), false);
    auto name_of = [&](size_t i) { return i < names.size() ? names[i] : std::string(); };
    for (const auto& request : requests) {
        auto parts = text::split(request, ':');
        if (parts.size() > 2) throw Error("invalid --cgroup argument: " + request);
        if (parts.size() == 1) {
            // "path": every hierarchy; then it must be the only --cgroup (runc).
            if (requests.size() != 1)
                throw Error("invalid --cgroup argument: " + request +
                            " (missing <controller>: prefix)");
            std::string sub = sub_cgroup_path(request, parts[0]);
            for (size_t i = 0; i < dirs.size(); ++i) result[i] = dirs[i] + sub;
            continue;
        }
        std::string sub = sub_cgroup_path(request, parts[1]);
        for (std::string controller : text::split(parts[0], ',')) {
            if (controller.rfind("name=", 0) == 0) controller = controller.substr(5);
            if (controller.empty())
                throw Error("invalid --cgroup argument: " + request +
                            " (empty <controller> prefix)");
            if (!controllers_seen.insert(controller).second)
                throw Error("invalid --cgroup argument(s): controller " + controller +
                            " specified multiple times");
            std::vector<size_t> targets;
            for (size_t i = 0; i < dirs.size(); ++i)
                if (names_controller(name_of(i), controller)) targets.push_back(i);
            if (targets.empty() && !known_controller(controller))
                throw Error("invalid --cgroup argument: " + request + ": unknown controller " +
                            controller);
            // cgroup v2 holds every controller no v1 hierarchy has.
            if (targets.empty())
                for (size_t i = 0; i < dirs.size(); ++i)
                    if (name_of(i) == "unified") targets.push_back(i);
            if (targets.empty())
                throw Error("invalid --cgroup argument: " + request + ": no " + controller +
                            " cgroup for this container");
            for (size_t i : targets) {
                std::string dir = dirs[i] + sub;
                if (assigned[i] && result[i] != dir)
                    throw Error("invalid --cgroup argument(s): conflicting paths for the " +
                                name_of(i) + " hierarchy");
                result[i] = dir;
                assigned[i] = true;
            }
        }
    }
    return result;
}

}  // namespace minirunc
