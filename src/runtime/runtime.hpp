// What every command of the runtime binary shares.
#pragma once

#include <string>

#include "minirunc/cli.hpp"
#include "minirunc/rootless.hpp"

namespace minirunc::runtime {

struct Runtime {
    cli::GlobalOptions global;
    std::string root;       // state directory root: --root, or rootless.state_root
    RootlessMode rootless;  // decided once per command (main.cpp)
};

// What this process is: euid, user namespace, --rootless, $XDG_RUNTIME_DIR.
RootlessMode detect_rootless(const cli::GlobalOptions& global);

void log_message(const Runtime& runtime, const std::string& level, const std::string& message);
// Writes the one error line a failing command leaves (log file and stderr).
void report_error(const cli::GlobalOptions& global, const std::string& message);

using CommandFn = int (*)(Runtime&, const cli::CommandLine&);

int cmd_create(Runtime&, const cli::CommandLine&);
int cmd_start(Runtime&, const cli::CommandLine&);
int cmd_state(Runtime&, const cli::CommandLine&);
int cmd_kill(Runtime&, const cli::CommandLine&);
int cmd_delete(Runtime&, const cli::CommandLine&);
int cmd_run(Runtime&, const cli::CommandLine&);
int cmd_list(Runtime&, const cli::CommandLine&);
int cmd_spec(Runtime&, const cli::CommandLine&);
int cmd_features(Runtime&, const cli::CommandLine&);
int cmd_exec(Runtime&, const cli::CommandLine&);
int cmd_ps(Runtime&, const cli::CommandLine&);
int cmd_pause(Runtime&, const cli::CommandLine&);
int cmd_resume(Runtime&, const cli::CommandLine&);
int cmd_update(Runtime&, const cli::CommandLine&);
int cmd_events(Runtime&, const cli::CommandLine&);
int cmd_checkpoint(Runtime&, const cli::CommandLine&);
int cmd_restore(Runtime&, const cli::CommandLine&);

}  // namespace minirunc::runtime
