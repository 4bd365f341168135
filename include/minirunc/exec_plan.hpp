// What `exec` runs: the container's own process settings (user, cwd, env,
// capabilities, rlimits, ...) with the command line's flags on top, as runc.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

struct ExecFlags {
    std::vector<std::string> args;  // COMMAND [ARG...]
    std::optional<std::string> cwd;
    std::vector<std::string> env;
    bool tty = false;
    std::optional<std::string> user;  // "uid[:gid]"
    std::vector<std::string> additional_gids;
    bool no_new_privs = false;
    std::vector<std::string> caps;
    std::optional<std::string> apparmor;
    std::optional<std::string> process_label;
};

// Throws Error for an empty command, a malformed --user or --additional-gids.
spec::Process merge_exec_process(const spec::Process& base, const ExecFlags& flags);

// The container's namespaces, each to be joined through /proc/<pid>/ns.
std::vector<spec::Namespace> exec_namespaces(const std::vector<spec::Namespace>& container,
                                             pid_t init_pid);

// The sub-cgroup directories for `exec --cgroup` ("path" or "controller[,controller]:path"),
// checked to stay below the container's cgroup. `dirs` are the container's
// cgroup dirs; `names` the hierarchy name of each ("memory", "unified", ...).
std::vector<std::string> exec_cgroup_dirs(const std::vector<std::string>& dirs,
                                          const std::vector<std::string>& names,
                                          const std::vector<std::string>& requests);

}  // namespace minirunc
