// Lifecycle hooks that run on the container side of the init.
//
// createContainer: before pivot_root, so the path still resolves on the host
// while the hook runs in the container's namespaces, in the rootfs; prestart and
// createRuntime run first, in the runtime, which answers with the state
// document. startContainer: after `start`, as the container's user in its
// namespaces and root, confined as the workload is (they are the image's
// code): its capabilities and no_new_privs are already ours, and each hook's
// process loads the container's seccomp filter right before its execve (the
// init itself loads it only after the hooks, so the hook runner's own
// syscalls never meet the profile). A failure goes back to `start` over the
// exec fifo (see wait_for_start) and the workload never runs.
#include <unistd.h>

#include <cstdio>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/hooks.hpp"
#include "minirunc/sys/hook_process.hpp"

namespace minirunc::init {

void run_create_hooks(Context& ctx) {
    if (!ctx.spec.hooks) return;
    const spec::Hooks& hooks = *ctx.spec.hooks;
    if (hooks.prestart.empty() && hooks.create_runtime.empty() && hooks.create_container.empty() &&
        hooks.start_container.empty())
        return;
    // Also when only startContainer hooks exist: the state document comes
    // from the runtime, and after "ready" nobody is listening.
    ctx.channel.send({{"type", "hooks"}, {"phase", "create_runtime"}});
    ctx.hook_state = ctx.channel.expect("hooks_done").body.value("state", nlohmann::json::object());
    // The runtime's state names our host pid, which in our pid namespace is
    // another process or none: these hooks run here, so they get the pid as
    // this namespace sees it (1 with a pid namespace of our own), as runc.
    ctx.hook_state["pid"] = ::getpid();
    // The rootfs as cwd (as runc): hooks copy files into it by relative path.
    sys::run_hooks(HookKind::CreateContainer, hooks.create_container, ctx.hook_state,
                   ctx.bootstrap.rootfs);
}

void run_start_container_hooks(Context& ctx) {
    if (!ctx.spec.hooks || ctx.spec.hooks->start_container.empty()) return;
    try {
        sys::run_hooks(HookKind::StartContainer, ctx.spec.hooks->start_container, ctx.hook_state,
                       "", nullptr, [&ctx] { return load_seccomp_for_hook(ctx); });
    } catch (const std::exception& e) {
        // `start` reads this after the release byte, then stops and destroys us.
        std::string message = std::string(e.what()).substr(0, 4000);
        if (::write(ctx.exec_fifo.get(), message.data(), message.size()) < 0)
            std::fprintf(stderr, "minirunc-init: %s\n", message.c_str());
        ::_exit(1);
    }
}

}  // namespace minirunc::init
