// The container's filesystem view: a private mount tree, the configured
// mounts (every target resolved inside the rootfs), then pivot_root.
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "copy_tree.hpp"
#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/mount_options.hpp"
#include "minirunc/mount_plan.hpp"
#include "minirunc/no_pivot_plan.hpp"
#include "minirunc/sys/file.hpp"
#include "mount_api.hpp"
#include "root_paths.hpp"

namespace minirunc::init {
namespace {

// fsmount() accepts only these attributes.
constexpr uint64_t kFsmountAttrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                   MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME |
                                   MOUNT_ATTR_NOSYMFOLLOW;

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

void mount_cgroups(Context& ctx, int root_fd, const MountStep& step) {
    const auto& sources = ctx.bootstrap.cgroups;
    bool cgroupns = ctx.namespaces.has(CLONE_NEWCGROUP);
    uint64_t attrs = step.attr_set & kFsmountAttrs;
    UniqueFd target = mount_target_in_root(root_fd, step.destination, true);

    auto hierarchy_mount = [&](const CgroupMountSource& source) {
        UniqueFd mnt;
        if (cgroupns) {
            // A fresh mount in a cgroup namespace shows the container's cgroup as its root.
            auto params = source.v2 ? std::vector<std::string>{} : split_commas(source.fs_options);
            mnt = new_filesystem(source.v2 ? "cgroup2" : "cgroup", "cgroup", params, {}, attrs);
        } else {
            mnt = clone_tree(AT_FDCWD, source.host_dir, false);
            set_attrs(mnt.get(), step.attr_set, step.attr_clear, false);
        }
        return mnt;
    };

    if (sources.size() == 1 && sources[0].v2) {  // pure cgroup v2
        attach(hierarchy_mount(sources[0]).get(), target.get());
        return;
    }
    UniqueFd tmpfs = new_filesystem("tmpfs", "tmpfs", {"mode=755"}, {},
                                    attrs & ~static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
    attach(tmpfs.get(), target.get());
    UniqueFd top = open_in_root(root_fd, step.destination, O_PATH | O_DIRECTORY);
    for (const auto& source : sources) {
        if (::mkdirat(top.get(), source.name.c_str(), 0755) && errno != EEXIST)
            throw_errno("mkdir " + step.destination + "/" + source.name);
        UniqueFd dir = sys::open_at(top.get(), source.name, O_PATH | O_DIRECTORY | O_NOFOLLOW);
        attach(hierarchy_mount(source).get(), dir.get());
    }
    if (attrs & MOUNT_ATTR_RDONLY) set_attrs(top.get(), MOUNT_ATTR_RDONLY, 0, false);
}

bool has_mode_param(const MountStep& step) {
    for (const auto& param : step.fs_params)
        if (param.rfind("mode=", 0) == 0) return true;
    return false;
}

// sysfs belongs to the network namespace: a user namespace sharing the
// host's netns cannot mount a new one, so the host's /sys is bound instead
// (as runc does), with the requested restrictions on the whole tree.
UniqueFd new_filesystem_or_sys_bind(const Context& ctx, const MountStep& step) {
    try {
        return new_filesystem(step.fstype, step.source, step.fs_params, step.sb_flags,
                              step.attr_set & kFsmountAttrs);
    } catch (const Error& e) {
        if (step.fstype != "sysfs" || e.code() != EPERM || !ctx.in_user_namespace) throw;
    }
    UniqueFd tree = clone_tree(AT_FDCWD, "/sys", true);
    constexpr uint64_t kRestrictions =
        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
    set_attrs(tree.get(), step.attr_set & kRestrictions, 0, true);
    return tree;
}

// A filesystem whose options fsconfig(2) cannot take (see new_filesystem),
// mounted with mount(2) as runc does, then given the step's attributes.
void mount_by_data(int root_fd, const MountStep& step, int target_fd) {
    if (step.tmpcopyup) throw Error("tmpcopyup with options longer than fsconfig(2) takes");
    std::string data;
    for (const auto& list : {&step.sb_flags, &step.fs_params})
        for (const auto& param : *list) data += (data.empty() ? "" : ",") + param;
    mount_with_data(step.fstype, step.source, data, 0, target_fd);
    UniqueFd mounted = open_in_root(root_fd, step.destination, O_PATH | O_DIRECTORY);
    set_attrs(mounted.get(), step.attr_set, step.attr_clear, false);
    set_attrs(mounted.get(), step.recursive_attr_set, step.recursive_attr_clear, true);
}

// An idmapped bind mount prepared before we entered the namespaces.
bool attach_idmapped(Context& ctx, int root_fd, const MountStep& step, size_t index) {
    auto found = ctx.idmapped_trees.find(index);
    if (found == ctx.idmapped_trees.end()) return false;
    UniqueFd tree = std::move(found->second);
    ctx.idmapped_trees.erase(found);
    struct stat st;
    if (::fstat(tree.get(), &st)) throw_errno("stat idmapped mount");
    UniqueFd target = mount_target_in_root(root_fd, step.destination, S_ISDIR(st.st_mode));
    attach(tree.get(), target.get());
    return true;
}

void apply_mount(Context& ctx, int root_fd, const MountStep& step, size_t index) {
    switch (step.kind) {
        case MountKind::Bind: {
            if (attach_idmapped(ctx, root_fd, step, index)) break;
            UniqueFd tree;
            if (auto early = ctx.early_binds.find(index); early != ctx.early_binds.end()) {
                tree = std::move(early->second);
                ctx.early_binds.erase(early);
            } else {
                struct stat source;
                if (::stat(step.source.c_str(), &source))
                    throw_errno("mount source " + step.source);
                tree = clone_tree(AT_FDCWD, step.source, step.recursive_bind);
            }
            struct stat st;
            if (::fstat(tree.get(), &st)) throw_errno("stat mount source " + step.source);
            set_attrs(tree.get(), step.attr_set, step.attr_clear, false);
            set_attrs(tree.get(), step.recursive_attr_set, step.recursive_attr_clear, true);
            // CVE-2023-25809: a read-only rbind of the host's /sys in a user
            // namespace (rootless) must not leave its cgroup submounts writable.
            // Read-only now even when the planner deferred "ro" for mounts
            // under it: the host's cgroup tree is never writable, not even
            // until finalize_rootfs.
            if (ctx.in_user_namespace && step.recursive_bind &&
                ((step.attr_set & MOUNT_ATTR_RDONLY) || step.readonly_after_submounts) &&
                (step.source == "/sys" || step.source.rfind("/sys/", 0) == 0))
                set_attrs(tree.get(), MOUNT_ATTR_RDONLY, 0, true);
            UniqueFd target = mount_target_in_root(root_fd, step.destination, S_ISDIR(st.st_mode));
            attach(tree.get(), target.get());
            break;
        }
        case MountKind::Filesystem: {
            // A mount point we create has nothing to copy up, and its 0755
            // must not replace the tmpfs root's own mode (1777, or mode=).
            UniqueFd covered(try_open_in_root(root_fd, step.destination, O_PATH | O_DIRECTORY,
                                              step.no_symlink_destination));
            UniqueFd target =
                mount_target_in_root(root_fd, step.destination, true, step.no_symlink_destination);
            UniqueFd mnt = new_filesystem_or_sys_bind(ctx, step);
            if (!mnt) {
                mount_by_data(root_fd, step, target.get());
                break;
            }
            if (step.tmpcopyup && covered) {
                UniqueFd from = open_in_root(root_fd, step.destination, O_RDONLY | O_DIRECTORY);
                with_context("tmpcopyup " + step.destination,
                             [&] { copy_tree(from.get(), mnt.get(), !has_mode_param(step)); });
            }
            set_attrs(mnt.get(), step.recursive_attr_set, step.recursive_attr_clear, true);
            attach(mnt.get(), target.get());
            break;
        }
        case MountKind::Cgroup:
            mount_cgroups(ctx, root_fd, step);
            break;
    }
    if (!step.propagation.empty()) {
        UniqueFd mounted = open_in_root(root_fd, step.destination, O_PATH);
        for (unsigned long propagation : step.propagation)
            set_propagation(mounted.get(), propagation);
    }
}

// The mount point of the mount that holds `path`.
std::string mount_point_of(const std::string& path) {
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved)) throw_errno("resolve rootfs " + path);
    std::string current = resolved;
    for (;;) {
        struct statx stx {};
        if (::statx(AT_FDCWD, current.c_str(), AT_SYMLINK_NOFOLLOW, 0, &stx))
            throw_errno("statx " + current);
        if (current == "/" || (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) return current;
        current = dirname_of(current);
    }
}

void pivot_into(const std::string& rootfs) {
    UniqueFd old_root = sys::open_file("/", O_DIRECTORY | O_RDONLY);
    UniqueFd new_root = sys::open_file(rootfs, O_DIRECTORY | O_RDONLY);
    if (::fchdir(new_root.get())) throw_errno("chdir to rootfs");
    if (::syscall(SYS_pivot_root, ".", ".")) throw_errno("pivot_root " + rootfs);
    // The old root is now stacked under "/": detach it without the unmount
    // propagating back to the host.
    if (::fchdir(old_root.get())) throw_errno("chdir to old root");
    if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr))
        throw_errno("make old root slave");
    if (::umount2(".", MNT_DETACH)) throw_errno("unmount old root");
    if (::chdir("/")) throw_errno("chdir /");
}

// See no_pivot_plan.hpp. Unmounted where we may; a mount we may not
// unmount (locked by a user namespace) is covered by an empty tmpfs, which a
// nested user namespace finds locked over it: not fully visible either.
void hide_proc_and_sys_outside(const Context& ctx, const std::string& rootfs) {
    char resolved[PATH_MAX];
    if (!::realpath(rootfs.c_str(), resolved)) throw_errno("resolve rootfs " + rootfs);
    UniqueFd mountinfo_fd = sys::open_at(ctx.procfs.get(), "self/mountinfo", O_RDONLY);
    std::string mountinfo = sys::read_fd(mountinfo_fd.get());
    for (const auto& mount_point : proc_and_sys_mounts_outside(mountinfo, resolved)) {
        const char* path = mount_point.c_str();
        // Whatever rootfsPropagation says, the unmount must not reach the host.
        if (::mount(nullptr, path, nullptr, MS_SLAVE | MS_REC, nullptr)) {
            if (errno == ENOENT) continue;  // went with a mount it sat on
            throw_errno("make " + mount_point + " a slave (--no-pivot)");
        }
        if (::umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0) continue;
        if (errno != EINVAL && errno != EPERM)
            throw_errno("unmount " + mount_point + " outside the rootfs (--no-pivot)");
        if (::mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0500"))
            throw_errno("hide " + mount_point + " outside the rootfs (--no-pivot)");
    }
}

void move_into(const Context& ctx, const std::string& rootfs) {
    hide_proc_and_sys_outside(ctx, rootfs);
    if (::chdir(rootfs.c_str())) throw_errno("chdir to rootfs");
    if (::mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr)) throw_errno("move rootfs to /");
    if (::chroot(".")) throw_errno("chroot");
    if (::chdir("/")) throw_errno("chdir /");
}

}  // namespace

void setup_rootfs(Context& ctx) {
    const std::string& rootfs = ctx.bootstrap.rootfs;
    unsigned long propagation =
        ctx.spec.linux ? propagation_flags(ctx.spec.linux->rootfs_propagation) : 0;
    // Nothing we mount may propagate to the host (unless asked for "shared").
    // "unbindable" waits until after pivot_root: the rootfs must be bound first.
    unsigned long root_propagation =
        propagation && !(propagation & MS_UNBINDABLE) ? propagation : MS_SLAVE | MS_REC;
    if (::mount(nullptr, "/", nullptr, root_propagation, nullptr))
        throw_errno("set propagation of /");
    // The mount holding the rootfs must not be shared when the rootfs is bound
    // onto itself: the bind would reach its peers (the host's, if shared
    // there), and pivot_root and MS_MOVE refuse a shared parent. As a slave it
    // still receives the host's mounts, unless "private" was asked for.
    std::string parent = mount_point_of(rootfs);
    unsigned long parent_mode = (propagation & MS_PRIVATE) ? MS_PRIVATE : MS_SLAVE;
    if (::mount(nullptr, parent.c_str(), nullptr, parent_mode, nullptr))
        throw_errno("change the propagation of " + parent + " (holding the rootfs)");
    // pivot_root needs the rootfs to be a mount point.
    if (::mount(rootfs.c_str(), rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr))
        throw_errno("bind mount rootfs " + rootfs);
    UniqueFd root_fd = sys::open_file(rootfs, O_PATH | O_DIRECTORY);

    std::vector<MountStep> steps = plan_mounts(ctx.spec.mounts, ctx.bootstrap.bundle);
    for (size_t i = 0; i < steps.size(); ++i) {
        with_context("mount " + steps[i].destination,
                     [&] { apply_mount(ctx, root_fd.get(), steps[i], i); });
        if (steps[i].readonly_after_submounts)
            ctx.readonly_after_submounts.push_back(steps[i].destination);
    }
    setup_devices(ctx, root_fd.get());
    mask_paths(ctx, root_fd.get());
    run_create_hooks(ctx);

    if (ctx.bootstrap.no_pivot)
        move_into(ctx, rootfs);
    else
        pivot_into(rootfs);

    if (propagation && ::mount(nullptr, "/", nullptr, propagation, nullptr))
        throw_errno("set rootfs propagation");
}

void finalize_rootfs(Context& ctx) {
    UniqueFd root = sys::open_file("/", O_PATH | O_DIRECTORY);
    // Filled now (mounts under them, /dev's nodes and console): read-only.
    for (const auto& destination : ctx.readonly_after_submounts) {
        with_context("make " + destination + " read-only", [&] {
            UniqueFd mounted = open_in_root(root.get(), destination, O_PATH);
            set_attrs(mounted.get(), MOUNT_ATTR_RDONLY, 0, false);
        });
    }
    if (ctx.spec.root && ctx.spec.root->readonly) {
        with_context("make rootfs read-only",
                     [&] { set_attrs(root.get(), MOUNT_ATTR_RDONLY, 0, false); });
    }
}

}  // namespace minirunc::init
