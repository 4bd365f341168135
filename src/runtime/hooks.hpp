// The hooks the runtime runs itself, in its own namespaces with the bundle as
// cwd: prestart + createRuntime during create (when the init asks, before
// pivot_root), poststart at the end of start, poststop once a container has
// been destroyed. createContainer and startContainer run in the init.
#pragma once

#include <exception>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {

// The hooks of the config frozen in the state dir at create (none if absent).
spec::Hooks frozen_hooks(const std::string& dir);
// The same for a container being destroyed: an unreadable config is only a
// warning, it must not keep `delete` from cleaning up.
spec::Hooks frozen_hooks_or_warn(const Runtime& runtime, const std::string& dir) noexcept;

// prestart, then createRuntime. Returns the state document the init gives
// its own hooks. Throws at the first failure.
nlohmann::json run_create_runtime_hooks(const spec::Hooks& hooks, const ContainerState& state);
// Throws at the first failure.
void run_poststart_hooks(const spec::Hooks& hooks, const ContainerState& state);
// Every hook runs; a failure is only logged as a warning.
void run_poststop_hooks(const Runtime& runtime, const spec::Hooks& hooks,
                        const ContainerState& state) noexcept;

// After `start` read the release byte from the exec fifo: waits for end of
// file, which the init's write end gives when the workload is executed (it
// is close-on-exec). Returns what the init wrote instead: the failure of a
// startContainer hook; empty when the workload runs.
std::string await_workload_exec(int fifo_fd);

// Runs the poststop hooks when create fails once its container process
// existed. Declared before the create's rollback, so it runs after it: the
// container is stopped and destroyed first, as the lifecycle says.
class PoststopOnCreateFailure {
  public:
    PoststopOnCreateFailure(const Runtime& runtime, const spec::Hooks& hooks,
                            const ContainerState& state)
        : runtime_(runtime), hooks_(hooks), state_(state) {}
    PoststopOnCreateFailure(const PoststopOnCreateFailure&) = delete;
    PoststopOnCreateFailure& operator=(const PoststopOnCreateFailure&) = delete;
    ~PoststopOnCreateFailure() {
        if (std::uncaught_exceptions() > exceptions_ && state_.pid > 0)
            run_poststop_hooks(runtime_, hooks_, state_);
    }

  private:
    const Runtime& runtime_;
    const spec::Hooks& hooks_;
    const ContainerState& state_;
    int exceptions_ = std::uncaught_exceptions();
};

}  // namespace minirunc::runtime
