// What `exec` runs: the container's own process settings (user, cwd, env,
// capabilities, rlimits, ...) with the command line's flags on top, as runc.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

// The flags of `exec` without --process. An empty string (e.g. `--cwd ""`)
// leaves the container's value, as runc.
struct ExecFlags {
    std::vector<std::string> args;  // COMMAND [ARG...]
    std::optional<std::string> cwd;
    std::vector<std::string> env;  // NAME=VALUE, added; a name given again replaces
    bool tty = false;
    std::optional<std::string> user;           // "uid[:gid]"
    std::vector<std::string> additional_gids;  // added to the container's
    std::optional<bool> no_new_privs;          // set only when the flag is given
    std::vector<std::string> caps;             // added to the container's sets
    std::optional<std::string> apparmor;
    std::optional<std::string> process_label;
};

// Throws Error for an empty command, a relative cwd, a malformed env entry,
// --user or --additional-gids.
spec::Process merge_exec_process(const spec::Process& base, const ExecFlags& flags);

// A --process file is the whole process (args, env, cwd, user, terminal,
// noNewPrivileges, ...), as runc; what it leaves out comes from the
// container's process: capabilities, rlimits, AppArmor profile, SELinux
// label, oomScoreAdj, umask, scheduler, ioPriority, execCPUAffinity.
spec::Process complete_process_file(spec::Process file, const spec::Process& container);

// Checks what runc checks of any exec process (from flags or --process):
// args, an absolute cwd, env entries NAME=VALUE. Throws Error.
void validate_exec_process(const spec::Process& process);

// The container's namespaces, each to be joined through /proc/<pid>/ns.
std::vector<spec::Namespace> exec_namespaces(const std::vector<spec::Namespace>& container,
                                             pid_t init_pid);

// The cgroup directories for `exec --cgroup` ("path", or
// "controller[,controller]:path" per hierarchy, as runc), each checked to
// stay at or below the container's cgroup. `dirs` are the container's cgroup
// dirs; `names` the hierarchy name of each ("memory", "cpu,cpuacct",
// "unified", ...). Returns `dirs` with the requested sub-cgroups applied.
std::vector<std::string> exec_cgroup_dirs(const std::vector<std::string>& dirs,
                                          const std::vector<std::string>& names,
                                          const std::vector<std::string>& requests);

}  // namespace minirunc
