// Running hook processes, shared by the runtime (hooks in the runtime
// namespace) and the init (hooks in the container namespace).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "minirunc/hooks.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::sys {

// Runs one hook and waits for it: `path` with `args` as argv (just the path
// when args is empty) and exactly `env`; `input` on a pipe as stdin (a hook
// may ignore it); stdout and stderr captured for the error message, so
// nothing reaches the caller's own output; only fds 0-2; default signal
// dispositions and an empty mask; cwd `cwd` ("/" if that is gone, unchanged
// when empty). The hook leads its own process group, which is killed with
// SIGKILL once `timeout` seconds have passed. `confine`, when given, runs in
// the child right before its execve (async-signal-safe, no allocation): a
// non-zero errno fails the hook as an exec failure would.
using HookConfine = std::function<int()>;
HookOutcome run_hook_process(const spec::Hook& hook, const std::string& input,
                             const std::string& cwd, const HookConfine& confine = nullptr);

// Runs the hooks of one kind in order, each given `state` with the status of
// `kind`. The first failure throws Error("error running <kind> hook #<i>:
// ...") unless `on_failure` is given: then it gets the message and the
// remaining hooks still run (poststop). `confine`: as for run_hook_process.
void run_hooks(HookKind kind, const std::vector<spec::Hook>& hooks, const nlohmann::json& state,
               const std::string& cwd,
               const std::function<void(const std::string&)>& on_failure = nullptr,
               const HookConfine& confine = nullptr);

}  // namespace minirunc::sys
