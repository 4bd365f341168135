#include "hooks.hpp"

#include <poll.h>
#include <unistd.h>

#include "minirunc/error.hpp"
#include "minirunc/hooks.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/hook_process.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {

spec::Hooks frozen_hooks(const std::string& dir) {
    if (!sys::path_exists(frozen_config_path(dir))) return {};
    spec::Spec config = load_frozen_config(dir);
    return config.hooks ? *config.hooks : spec::Hooks{};
}

spec::Hooks frozen_hooks_or_warn(const Runtime& runtime, const std::string& dir) noexcept {
    try {
        return frozen_hooks(dir);
    } catch (const std::exception& e) {
        log_message(runtime, "warning", std::string("poststop hooks not run: ") + e.what());
        return {};
    }
}

nlohmann::json run_create_runtime_hooks(const spec::Hooks& hooks, const ContainerState& state) {
    // runc runs the deprecated prestart hooks here too, right before createRuntime.
    sys::run_hooks(HookKind::Prestart, hooks.prestart, hook_state(state, HookKind::Prestart),
                   state.bundle);
    sys::run_hooks(HookKind::CreateRuntime, hooks.create_runtime,
                   hook_state(state, HookKind::CreateRuntime), state.bundle);
    return hook_state(state, HookKind::CreateContainer);
}

void run_poststart_hooks(const spec::Hooks& hooks, const ContainerState& state) {
    sys::run_hooks(HookKind::Poststart, hooks.poststart, hook_state(state, HookKind::Poststart),
                   state.bundle);
}

void run_poststop_hooks(const Runtime& runtime, const spec::Hooks& hooks,
                        const ContainerState& state) noexcept {
    auto warn = [&](const std::string& message) { log_message(runtime, "warning", message); };
    try {
        sys::run_hooks(HookKind::Poststop, hooks.poststop, hook_state(state, HookKind::Poststop),
                       state.bundle, warn);
    } catch (const std::exception& e) {  // could not even start one (fork, pipes)
        warn(std::string("running poststop hooks: ") + e.what());
    }
}

std::string await_workload_exec(int fifo_fd) {
    std::string written;
    for (;;) {
        pollfd pfd{fifo_fd, POLLIN, 0};
        if (::poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("wait for container init");
        }
        char buf[4096];
        ssize_t n = ::read(fifo_fd, buf, sizeof buf);
        if (n == 0) return written;
        if (n > 0) written.append(buf, static_cast<size_t>(n));
        if (n < 0 && errno != EAGAIN && errno != EINTR) throw_errno("read exec fifo");
    }
}

}  // namespace minirunc::runtime
