// The lifecycle operations shared by the commands (run = create + start + wait).
#pragma once

#include <sys/stat.h>

#include <string>

#include "cgroups.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {

struct CreateOptions {
    std::string bundle;  // empty: the current directory
    std::string pid_file;
    std::string console_socket;
    bool no_pivot = false;
    bool no_new_keyring = false;
    int preserve_fds = 0;
    bool detach = true;  // run in the foreground sets false
    // Foreground run with process.terminal: receives the pty master.
    UniqueFd* console_master = nullptr;
};

CreateOptions create_options_from(const cli::CommandLine& command);

// The bundle's config.json, parsed and validated (create, restore).
spec::Spec load_bundle_config(const Runtime& runtime, const std::string& bundle);
// root.path resolved against the bundle; Error(ENOENT) unless it is a directory.
struct BundleRootfs {
    std::string path;
    struct stat st;
};
BundleRootfs bundle_rootfs(const spec::Spec& spec, const std::string& bundle);
// The state of a container just made (create, restore): its identity,
// config-derived fields and the cgroups made for it.
void record_new_container(ContainerState& state, const std::string& id, const std::string& bundle,
                          const std::string& rootfs, const spec::Spec& spec,
                          const CgroupSetup& cgroups);

// Everything up to "created": on failure nothing is left behind.
Container create_container(Runtime& runtime, const std::string& id, const CreateOptions& options);
// Lets the init run the startContainer hooks and execve the workload, then
// runs the poststart hooks. A hook failure destroys the container first.
void start_container(const Runtime& runtime, Container& container);
void signal_container(const Container& container, int signal, bool all);
// Kills whatever is left, removes cgroups and the state directory, then runs
// the poststop hooks. A no-op once the state directory is gone.
void destroy_container(const Runtime& runtime, const Container& container);

}  // namespace minirunc::runtime
