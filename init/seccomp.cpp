// Loading the container's seccomp program (compiled by the runtime) with
// seccomp(2), after all of the init's own work: see SeccompLoadPoint.
// A notify filter's listener fd goes to the runtime, which passes it on to
// the seccomp agent.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "init.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {
namespace {

bool keeps_sys_admin(const spec::Process& process) {
    if (!process.capabilities || !process.capabilities->effective) return false;
    const auto& effective = *process.capabilities->effective;
    return std::find(effective.begin(), effective.end(), "CAP_SYS_ADMIN") != effective.end();
}

long set_filter(unsigned long flags, const sock_fprog* program) {
    return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, program);
}

// The kernel validates the flags before it reads the program: with none,
// EFAULT means they are accepted. Nothing is loaded.
void check_flags_supported(unsigned long flags) {
    if (set_filter(flags, nullptr) < 0 && errno != EFAULT) {
        if (errno == EINVAL) {
            char hex[32];
            std::snprintf(hex, sizeof hex, "%#lx", flags);
            throw Error(
                std::string("seccomp: this kernel does not support the filter flags ") + hex,
                EINVAL);
        }
        throw_errno("seccomp");
    }
}

// The listener fd of a notify filter, 0 without one, or -errno. No
// allocation: also run in a hook's child between fork and execve.
long load_raw(const SeccompProgram& program) {
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(program.bpf.size() / sizeof(sock_filter));
    prog.filter = reinterpret_cast<sock_filter*>(const_cast<char*>(program.bpf.data()));
    long rc = set_filter(program.flags, &prog);
    if (rc < 0) return -errno;
    return program.notify ? rc : 0;
}

// Returns the listener fd of a notify filter, or -1.
int load(const SeccompProgram& program) {
    long rc = load_raw(program);
    if (rc < 0) throw_errno("load seccomp filter", static_cast<int>(-rc));
    return program.notify ? static_cast<int>(rc) : -1;
}

// After "ready" a create's failure goes to `start` over the exec fifo (as a
// startContainer hook's); an exec's runtime still listens until the execve.
// The workload never runs.
[[noreturn]] void fail_before_exec(Context& ctx, const std::string& message) {
    if (ctx.exec_fifo) {
        if (::write(ctx.exec_fifo.get(), message.data(), message.size()) < 0)
            std::fprintf(stderr, "minirunc-init: %s\n", message.c_str());
    } else if (ctx.channel.fd() >= 0) {
        ctx.channel.send_error(message);
    } else {
        std::fprintf(stderr, "minirunc-init: %s\n", message.c_str());
    }
    ::_exit(1);
}

}  // namespace

SeccompLoadPoint seccomp_point(const Context& ctx) {
    return seccomp_load_point(ctx.bootstrap.seccomp && ctx.bootstrap.seccomp->notify);
}

bool seccomp_holds_sys_admin(const Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    return ctx.bootstrap.seccomp &&
           seccomp_needs_held_sys_admin(process.no_new_privileges, keeps_sys_admin(process));
}

int load_seccomp_for_hook(const Context& ctx) {
    if (!ctx.bootstrap.seccomp || seccomp_point(ctx) != SeccompLoadPoint::before_exec) return 0;
    long rc = load_raw(*ctx.bootstrap.seccomp);
    return rc < 0 ? static_cast<int>(-rc) : 0;
}

void apply_seccomp(Context& ctx, SeccompLoadPoint point) {
    if (!ctx.bootstrap.seccomp) return;
    const SeccompProgram& program = *ctx.bootstrap.seccomp;
    SeccompLoadPoint planned = seccomp_point(ctx);
    if (point != planned) {
        // Loaded after "ready": the kernel's say on the flags is taken now,
        // while the runtime can still fail create.
        if (point == SeccompLoadPoint::before_ready && planned == SeccompLoadPoint::before_exec)
            check_flags_supported(program.flags);
        return;
    }
    if (point == SeccompLoadPoint::before_exec) {
        try {
            load(program);
        } catch (const Error& e) {
            fail_before_exec(ctx, e.what());
        }
        return;
    }
    UniqueFd listener(load(program));
    // No answer is awaited: the fewer syscalls under the filter, the better.
    if (listener) ctx.channel.send({{"type", "seccomp_listener"}}, {listener.get()});
}

}  // namespace minirunc::init
