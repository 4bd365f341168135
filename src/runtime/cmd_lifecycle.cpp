// create, start, kill, delete: one small function per command.
#include <signal.h>

#include "container_ops.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/signals.hpp"
#include "minirunc/sys/file.hpp"
#include "runtime.hpp"
#include "salvage.hpp"

namespace minirunc::runtime {

int cmd_create(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    create_container(runtime, id, create_options_from(command));
    return 0;
}

int cmd_start(Runtime& runtime, const cli::CommandLine& command) {
    validate_container_id(command.args[0]);
    Container container = load_container(runtime, command.args[0]);
    UniqueFd lock = lock_container_dir(container.dir);
    container.status = current_status(container.dir, container.state);
    start_container(runtime, container);
    return 0;
}

int cmd_kill(Runtime& runtime, const cli::CommandLine& command) {
    validate_container_id(command.args[0]);
    int signal = parse_signal(command.args.size() > 1 ? command.args[1] : "SIGTERM");
    Container container = load_container(runtime, command.args[0]);
    bool all = command.flags.flag("all");
    if (container.status == Status::Stopped && !all) throw Error("container not running", ESRCH);
    signal_container(container, signal, all);
    return 0;
}

int cmd_delete(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    bool force = command.flags.flag("force");
    std::string dir = container_dir(runtime, id);
    if (!sys::path_exists(dir)) {
        if (force) return 0;
        throw Error("container does not exist", ENOENT);
    }
    UniqueFd lock = lock_container_dir(dir);
    Container container;
    try {
        container = load_container(runtime, id);
    } catch (const Error&) {
        // A create that died before recording anything, or a corrupt state file.
        if (!force && sys::path_exists(dir + "/state.json")) throw;
        salvage_container(dir, id, runtime.global.systemd_cgroup);
        return 0;
    }
    if ((container.status == Status::Running || container.status == Status::Paused) && !force)
        throw Error("cannot delete container " + id +
                    " that is not stopped: " + to_string(container.status));
    destroy_container(runtime, container);
    return 0;
}

}  // namespace minirunc::runtime
