#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::init {
namespace {

UniqueFd open_namespace(const NamespaceJoin& join) {
    UniqueFd fd = sys::open_file(join.path, O_RDONLY);
    int type = ::ioctl(fd.get(), NS_GET_NSTYPE);
    if (type < 0) throw_errno("namespace path " + join.path);
    if (type != join.clone_flag)
        throw Error("namespace path " + join.path + " is not a " + join.type + " namespace");
    return fd;
}

void write_time_offsets(const spec::Linux& linux) {
    std::string text;
    for (const auto& [clock, offset] : linux.time_offsets)
        text += clock + " " + std::to_string(offset.secs) + " " + std::to_string(offset.nanosecs) +
                "\n";
    if (!text.empty())
        with_context("writing time offsets",
                     [&] { sys::write_file("/proc/self/timens_offsets", text); });
}

}  // namespace

sys::Message expect_message(Context& ctx, const std::string& type) {
    for (;;) {
        sys::Message message = ctx.channel.recv();
        if (message.type() == "cgroups_joined" && type != "cgroups_joined") {
            ctx.cgroups_joined = true;
            continue;
        }
        sys::check_message(message, type);
        if (type == "cgroups_joined") ctx.cgroups_joined = true;
        return message;
    }
}

void enter_namespaces(Context& ctx) {
    const NamespacePlan& plan = ctx.namespaces;
    // Open every path first: they are host paths, gone once we switch namespaces.
    std::vector<UniqueFd> join_fds;
    for (const auto& join : plan.joins) join_fds.push_back(open_namespace(join));
    std::vector<bool> joined(plan.joins.size(), false);
    auto join = [&](size_t i) {
        if (::setns(join_fds[i].get(), plan.joins[i].clone_flag))
            throw_errno("join " + plan.joins[i].type + " namespace " + plan.joins[i].path);
        joined[i] = true;
    };

    bool join_user = !plan.joins.empty() && plan.joins[0].clone_flag == CLONE_NEWUSER;
    if (join_user || plan.new_user) {
        // Once in the container's user namespace we may only join what it
        // owns: a namespace owned by another one (the host's network, say)
        // is joined now, while we have the host's privileges. Those we may
        // not join yet (EPERM) are tried again from inside.
        for (size_t i = join_user ? 1 : 0; i < plan.joins.size(); ++i) {
            if (::setns(join_fds[i].get(), plan.joins[i].clone_flag) == 0)
                joined[i] = true;
            else if (errno != EPERM)
                throw_errno("join " + plan.joins[i].type + " namespace " + plan.joins[i].path);
        }
    }
    // Already true when the runtime runs in a user namespace (rootless podman).
    const bool enters_user = join_user || plan.new_user;
    if (join_user) {
        join(0);
        ctx.in_user_namespace = true;
    } else if (plan.new_user) {
        // Rootless: the unprivileged runtime may write our maps only while we
        // are dumpable (/proc/<pid> is ours then).
        const bool rootless = ::geteuid() != 0;
        if (::unshare(CLONE_NEWUSER)) throw_errno("create user namespace");
        if (rootless) ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        ctx.channel.send({{"type", "userns"}});
        expect_message(ctx, "userns_done");
        if (rootless) ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        ctx.in_user_namespace = true;
    }
    if (enters_user) {
        if (::setresgid(0, 0, 0) || ::setresuid(0, 0, 0))
            throw_errno("become root in user namespace");
    }
    for (size_t i = 0; i < plan.joins.size(); ++i)
        if (!joined[i]) join(i);
    int flags = plan.unshare_flags & ~CLONE_NEWCGROUP;
    if (flags && ::unshare(flags)) throw_errno("create namespaces");
    // A cgroup namespace is rooted at our cgroup, and the container process
    // must be forked inside it: both wait for the runtime's placement.
    if (!ctx.cgroups_joined) expect_message(ctx, "cgroups_joined");
    if ((plan.unshare_flags & CLONE_NEWCGROUP) && ::unshare(CLONE_NEWCGROUP))
        throw_errno("create cgroup namespace");
    if ((plan.unshare_flags & CLONE_NEWTIME) && ctx.spec.linux) write_time_offsets(*ctx.spec.linux);
}

void fork_container_process(Context& ctx) {
    // CLONE_PARENT makes the container's pid 1 the runtime's child, so `run`
    // can wait for it directly.
    clone_args args{};
    args.flags = CLONE_PARENT;
    args.exit_signal = 0;  // must be 0 with CLONE_PARENT: the kernel uses ours (SIGCHLD)
    long pid = ::syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) throw_errno("clone container process");
    if (pid == 0) return;
    ctx.channel.send({{"type", "pid"}, {"pid", pid}});
    ::_exit(0);
}

}  // namespace minirunc::init
