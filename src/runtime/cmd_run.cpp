// run: create + start, then (in the foreground) forward signals to the
// container and exit with its status.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "container_ops.hpp"
#include "foreground.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/process.hpp"
#include "runtime.hpp"
#include "tty_proxy.hpp"

namespace minirunc::runtime {

int cmd_run(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    CreateOptions options = create_options_from(command);
    options.detach = command.flags.flag("detach");

    // Signals are taken from a signalfd from here on, so none can kill us
    // half-way through creating the container.
    UniqueFd signal_fd;
    if (!options.detach) {
        signal_fd = block_forwarded_signals();
        if (!command.flags.flag("no-subreaper")) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    // With process.terminal (and no console socket) the pty master comes to us.
    UniqueFd master;
    if (!options.detach) options.console_master = &master;
    Container container = create_container(runtime, id, options);
    std::optional<TtyProxy> tty;
    try {
        if (master) tty.emplace(std::move(master));  // sized before the workload starts
        start_container(runtime, container);
    } catch (...) {
        destroy_container(runtime, container);
        throw;
    }
    if (options.detach) return 0;
    int status = wait_forwarding_signals(container.state.pid, container.state.pid_start_time,
                                         signal_fd.get(), tty ? &*tty : nullptr);
    tty.reset();  // our terminal back to normal before anything else is printed
    if (!command.flags.flag("keep")) destroy_container(runtime, container);
    return status;
}

}  // namespace minirunc::runtime
