// Talking to CRIU through its RPC: `criu swrk 3` with one end of a
// SOCK_SEQPACKET socketpair as fd 3, protobuf messages from CRIU's rpc.proto.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "minirunc/criu_plan.hpp"

namespace minirunc::criu {

enum class RequestType { Dump, PreDump, Restore };

struct Request {
    RequestType type = RequestType::Dump;
    const Options* options = nullptr;
    const Plan* plan = nullptr;
    int images_dir_fd = -1;  // ours: CRIU opens it through /proc/<our pid>/fd
    int work_dir_fd = -1;
    std::string log_file;                  // in the work dir: "dump.log", "restore.log"
    std::string root;                      // the container's root directory
    pid_t pid = 0;                         // dump: the container's init
    std::vector<std::string> external;     // dump: "net[<inode>]:extRootNetNS"
    std::vector<InheritFd> inherit_fds;    // restore: fds of the criu process (see extra_fds)
    std::string freeze_cgroup;             // dump: freeze with this cgroup's freezer
    std::vector<CgroupRoot> cgroup_roots;  // restore: the new container's cgroup
};

struct Callbacks {
    // criu runs, before it gets the request (restore: put it in the cgroup).
    std::function<void(pid_t criu_pid)> on_started;
    // A notify script ("setup-namespaces", "post-restore", ...) with its pid.
    std::function<void(const std::string& script, pid_t pid)> on_notify;
};

// Runs the request. criu's stdio are ours; `extra_fds` become its fds 4, 5, ...
// Returns the restored init's pid (0 for a dump). A failure throws runc's
// "criu failed: type DUMP errno N\nlog file: <work>/dump.log".
pid_t run_swrk(const std::string& criu_path, const Request& request,
               const std::vector<int>& extra_fds, const Callbacks& callbacks);

// Why criu cannot run on this host: the error lines of `criu check`; empty
// when it passes.
std::string check_host(const std::string& criu_path);

// False in a build without protobuf-c (checkpoint and restore then refuse).
bool built_with_criu();

}  // namespace minirunc::criu
