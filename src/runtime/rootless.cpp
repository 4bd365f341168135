#include "rootless.hpp"

#include <sys/wait.h>
#include <unistd.h>

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

void check_skipped_cgroups(const Runtime& runtime, const spec::Spec& spec,
                           const CgroupSetup& cgroups) {
    if (cgroups.skipped.empty()) return;
    std::string reasons;
    for (const auto& reason : cgroups.skipped) reasons += (reasons.empty() ? "" : "; ") + reason;
    if (spec.linux && spec.linux->resources)
        throw Error("rootless: linux.resources needs a cgroup delegated to this user (" + reasons +
                    ")");
    log_message(runtime, "warning",
                "rootless: running without a cgroup where none is delegated (" + reasons + ")");
}

}  // namespace minirunc::runtime
