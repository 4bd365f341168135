#include "rootless.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::runtime {
namespace {

bool only_self(const std::vector<spec::IdMapping>& mappings, unsigned id) {
    return mappings.size() == 1 && mappings[0].host_id == id && mappings[0].size == 1;
}

// newuidmap/newgidmap PID inside outside count ...
void run_id_helper(const std::string& helper, pid_t pid,
                   const std::vector<spec::IdMapping>& mappings) {
    std::vector<std::string> args = {helper, std::to_string(pid)};
    for (const auto& m : mappings) {
        args.push_back(std::to_string(m.container_id));
        args.push_back(std::to_string(m.host_id));
        args.push_back(std::to_string(m.size));
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t child = ::fork();
    if (child < 0) throw_errno("fork " + helper);
    if (child == 0) {
        ::execvp(helper.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) throw_errno("wait for " + helper);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        throw Error("rootless: several id mappings need " + helper +
                    " (Debian package uidmap), not found");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error("rootless: " + helper + " refused the mappings (are they in /etc/sub" +
                    (helper == "newuidmap" ? "uid" : "gid") + " for this user?)");
}

std::string single_map(const std::vector<spec::IdMapping>& m) {
    return std::to_string(m[0].container_id) + " " + std::to_string(m[0].host_id) + " 1\n";
}

}  // namespace

void write_id_maps_unprivileged(pid_t pid, const spec::Spec& spec) {
    const std::string proc = "/proc/" + std::to_string(pid);
    const auto& uids = spec.linux->uid_mappings;
    const auto& gids = spec.linux->gid_mappings;
    if (only_self(uids, ::geteuid()))
        with_context("writing " + proc + "/uid_map",
                     [&] { sys::write_file(proc + "/uid_map", single_map(uids)); });
    else
        run_id_helper("newuidmap", pid, uids);
    if (only_self(gids, ::getegid())) {
        with_context("writing " + proc + "/setgroups",
                     [&] { sys::write_file(proc + "/setgroups", "deny"); });
        with_context("writing " + proc + "/gid_map",
                     [&] { sys::write_file(proc + "/gid_map", single_map(gids)); });
    } else {
        run_id_helper("newgidmap", pid, gids);
    }
}

RootlessMode detect_rootless(const cli::GlobalOptions& global) {
    RootlessFacts facts;
    facts.euid = ::geteuid();
    try {
        facts.uid_map = sys::read_file("/proc/self/uid_map");
    } catch (const Error&) {
        // A kernel without user namespaces has no uid_map.
    }
    facts.rootless_flag = global.rootless;
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR")) facts.xdg_runtime_dir = xdg;
    if (const char* user = std::getenv("USER")) facts.user = user;
    return decide_rootless(facts);
}

std::string rootless_cgroup_note(bool rootless_cgroups) {
    return rootless_cgroups ? " (rootless: no cgroup was delegated to this user)" : "";
}

ResourcePlan plan_delegated_resources(const Runtime& runtime, const spec::Spec& spec,
                                      const CgroupSetup& cgroups) {
    if (!runtime.rootless.cgroups) return plan_container_resources(spec, cgroups);
    std::string reasons;
    for (const auto& reason : cgroups.skipped) reasons += (reasons.empty() ? "" : "; ") + reason;
    const bool limits =
        spec.linux && spec.linux->resources && asks_for_cgroup_limits(*spec.linux->resources);
    if (cgroups.dirs.empty() && limits)
        throw Error(
            "config.json: /linux/resources: rootless: no cgroup is delegated to this user (" +
            reasons + ")");
    // runc and crun say nothing here: a config asking for no limit runs as
    // quietly as theirs, and what was left out is for --debug.
    if (!reasons.empty())
        log_message(runtime, "debug",
                    "rootless: running without a cgroup where none is delegated (" + reasons + ")");
    ResourcePlan plan;
    try {
        plan = plan_container_resources(spec, cgroups);
    } catch (const Error& e) {
        if (reasons.empty()) throw;
        throw Error(std::string(e.what()) + " (rootless: not delegated to this user: " + reasons +
                    ")");
    }
    // Device rules need privilege an unprivileged caller lacks (v1 devices.deny,
    // a v2 BPF program); runc leaves them out too. The user namespace already
    // keeps the container from making device nodes.
    plan.device_program_dir.clear();
    plan.device_program.clear();
    std::erase_if(plan.writes,
                  [](const PlannedWrite& w) { return w.write.controller == "devices"; });
    return plan;
}

}  // namespace minirunc::runtime
