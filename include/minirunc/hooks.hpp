// Lifecycle hooks (runtime-spec config.md "POSIX-platform Hooks"): which list
// runs at which point, the state document each one gets on stdin, and how a
// failure is reported (runc's wording, which callers show to users).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"

namespace minirunc {

enum class HookKind {
    Prestart,
    CreateRuntime,
    CreateContainer,
    StartContainer,
    Poststart,
    Poststop
};

// The config.json name: "prestart", "createRuntime", ...
std::string to_string(HookKind kind);
const std::vector<spec::Hook>& hook_list(const spec::Hooks& hooks, HookKind kind);

// The status the state on a hook's stdin shows, as runc: "creating" for the
// create hooks, "created" for startContainer (the user program has not run
// yet), "running" for poststart, "stopped" for poststop.
Status hook_status(HookKind kind);

// The runtime-spec state (ociVersion, id, status, pid, bundle, annotations)
// for a hook of `kind`. pid is left out once stopped and annotations when
// there are none, as runc does.
nlohmann::json hook_state(const ContainerState& state, HookKind kind);
// The same document with the status `kind` expects (for hooks run in the
// init, which gets the document from the runtime).
nlohmann::json with_hook_status(nlohmann::json state, HookKind kind);

// How one hook process ended.
struct HookOutcome {
    int wait_status = 0;      // from waitpid
    int exec_errno = 0;       // execve failed with this
    int timed_out_after = 0;  // seconds; the hook was killed when non-zero
    std::string out;          // what it wrote to stdout and stderr (truncated)
    std::string err;
};

// Empty when the hook succeeded, else why it failed: "exit status 1, stdout:
// ..., stderr: ...", "signal: killed", "hook ran past specified timeout of 2.0s".
std::string hook_failure(const spec::Hook& hook, const HookOutcome& outcome);
// "error running createRuntime hook #0: <failure>".
std::string hook_error_message(HookKind kind, size_t index, const std::string& failure);

}  // namespace minirunc
