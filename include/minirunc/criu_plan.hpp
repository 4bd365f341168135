// What CRIU is asked to do for `checkpoint` and `restore`: the options from
// the command line, and what the container's config implies (runc's rules):
// bind mounts, device nodes and masked files are external mounts, namespaces
// joined by path are external namespaces, stdio pipes are inherited.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "minirunc/bootstrap.hpp"
#include "minirunc/cli.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::criu {

// CRIU's cg_mode values (rpc.proto's criu_cg_mode).
enum class CgroupMode : uint32_t { Ignore = 0, Soft = 3, Full = 4, Strict = 5 };

struct Options {
    std::string image_path;   // absolute
    std::string work_path;    // absolute; the image path when not given
    std::string parent_path;  // as given (CRIU resolves it relative to the image path)
    bool leave_running = false;
    bool pre_dump = false;
    bool tcp_established = false;
    bool ext_unix_sk = false;
    bool shell_job = false;
    bool file_locks = false;
    bool auto_dedup = false;
    std::optional<CgroupMode> cgroup_mode;  // unset: CRIU's default (soft)
    uint32_t empty_ns = 0;                  // CLONE_NEW* of --empty-ns
};

// Parses the flags of `checkpoint` / `restore`; relative paths are taken from
// `cwd`. Flags whose behaviour is not built yet are refused by name.
Options checkpoint_options(const cli::ParsedFlags& flags, const std::string& cwd);
Options restore_options(const cli::ParsedFlags& flags, const std::string& cwd);

// CLONE_NEW* of a runtime-spec namespace type ("network"); 0 when unknown.
uint32_t namespace_flag(const std::string& type);

struct ExtMount {
    // Dump: key is the mount point in the container, value the name CRIU
    // records for it. Restore: key is that name, value the host path to bind.
    std::string key;
    std::string value;
    bool operator==(const ExtMount&) const = default;
};

// A namespace joined by path (linux.namespaces[].path): left to the caller.
struct ExternalNamespace {
    std::string type;  // "network" or "pid"
    std::string path;
    std::string key;  // "extRootNetNS", "extRootPidNS"
    bool operator==(const ExternalNamespace&) const = default;
};

// CRIU's "external" string for a dump: "net[<inode>]:extRootNetNS".
std::string external_namespace_entry(const ExternalNamespace& ns, uint64_t inode);

struct InheritFd {
    std::string key;  // "pipe:[1234]"
    int fd = 0;
    bool operator==(const InheritFd&) const = default;
};

struct Plan {
    std::vector<ExtMount> ext_mounts;
    std::vector<ExternalNamespace> external_namespaces;
};

// Dump: every bind mount and device node by its destination, and every
// masked path that is a file (`is_directory` says which, inside the
// container) as /dev/null. A cgroup mount without a cgroup namespace is the
// container's host cgroup bound in (one per hierarchy of `cgroups`): external too.
Plan plan_dump(const spec::Spec& spec, const std::function<bool(const std::string&)>& is_directory,
               const std::vector<CgroupMountSource>& cgroups);
// Restore: the same mount points, each mapped to its host source (relative
// sources from `bundle`, cgroups to the new container's); masked files come
// back as /dev/null.
Plan plan_restore(const spec::Spec& spec, const std::string& bundle,
                  const std::vector<CgroupMountSource>& cgroups);

// The container's stdio as recorded at dump (readlink of /proc/PID/fd/0..2):
// pipes come back inherited from the restoring caller's fd of the same number.
std::vector<InheritFd> plan_inherit_fds(const std::vector<std::string>& descriptors);

// A restore maps the dumped cgroup to the new container's (CRIU's cg_root).
struct CgroupRoot {
    std::string controller;  // empty for cgroup v2
    std::string path;        // inside the hierarchy: "/minirunc/ctr"
    bool operator==(const CgroupRoot&) const = default;
};

// Each of the container's cgroup dirs relative to its hierarchy; `v2_dir` is
// the v2 one among them (pure v2, or hybrid's unified), if any.
std::vector<CgroupRoot> cgroup_roots(const std::vector<std::string>& dirs,
                                     const std::string& v2_dir);

// The hierarchies a container's cgroup mount binds (as create planned them),
// from its cgroup dirs: the one dir on a pure v2 host, else one per
// hierarchy, named by its directory under /sys/fs/cgroup.
std::vector<CgroupMountSource> cgroup_mount_sources(const std::vector<std::string>& dirs,
                                                    bool pure_v2);

// Checks the plan's restrictions on a config (a tty is not restored yet).
void check_restorable(const spec::Spec& spec);

}  // namespace minirunc::criu
