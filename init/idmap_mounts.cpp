// Idmapped bind mounts (mount options "idmap"/"ridmap", per-mount
// uidMappings/gidMappings). mount_setattr(MOUNT_ATTR_IDMAP) needs
// CAP_SYS_ADMIN over the user namespace carrying the mappings, so the trees
// are made while the init still has the host's privileges (before it enters
// any namespace), kept detached, and attached by setup_rootfs. Plain binds of
// a user-namespace container are cloned early too, for the same reason.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap_mounts.hpp"
#include "minirunc/error.hpp"
#include "minirunc/id_map.hpp"
#include "minirunc/mount_plan.hpp"
#include "minirunc/sys/file.hpp"
#include "mount_api.hpp"

namespace minirunc::init {
namespace {

// A child that sits in a new user namespace until we are done with it.
class UsernsHolder {
  public:
    UsernsHolder() {
        int ready[2], hold[2];
        if (::pipe2(ready, O_CLOEXEC)) throw_errno("pipe");
        if (::pipe2(hold, O_CLOEXEC)) {
            int saved = errno;
            ::close(ready[0]);
            ::close(ready[1]);
            errno = saved;
            throw_errno("pipe");
        }
        UniqueFd ready_read(ready[0]), ready_write(ready[1]);
        UniqueFd hold_read(hold[0]), hold_write(hold[1]);
        pid_ = ::fork();
        if (pid_ < 0) throw_errno("fork (idmap user namespace)");
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            hold_write.reset();
            char ok = ::unshare(CLONE_NEWUSER) == 0 ? 1 : 0;
            if (::write(ready_write.get(), &ok, 1) != 1) ::_exit(1);
            char byte;
            while (::read(hold_read.get(), &byte, 1) < 0 && errno == EINTR) {
            }
            ::_exit(0);
        }
        hold_write_ = std::move(hold_write);
        ready_write.reset();
        char ok = 0;
        ssize_t n;
        do n = ::read(ready_read.get(), &ok, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1 || !ok) {
            release();
            throw Error("create user namespace for an idmapped mount: the helper failed");
        }
    }
    ~UsernsHolder() { release(); }
    UsernsHolder(const UsernsHolder&) = delete;
    UsernsHolder& operator=(const UsernsHolder&) = delete;
    pid_t pid() const { return pid_; }

  private:
    void release() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        hold_write_.reset();
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
    pid_t pid_ = -1;
    UniqueFd hold_write_;
};

UniqueFd userns_with_mappings(const std::vector<spec::IdMapping>& uids,
                              const std::vector<spec::IdMapping>& gids) {
    UsernsHolder holder;
    const std::string proc = "/proc/" + std::to_string(holder.pid());
    with_context("write uid_map", [&] { sys::write_file(proc + "/uid_map", id_map_text(uids)); });
    with_context("write gid_map", [&] { sys::write_file(proc + "/gid_map", id_map_text(gids)); });
    return sys::open_file(proc + "/ns/user", O_RDONLY | O_CLOEXEC);
}

const spec::Namespace* user_namespace_of(const spec::Spec& spec) {
    if (!spec.linux) return nullptr;
    for (const auto& ns : spec.linux->namespaces)
        if (ns.type == "user") return &ns;
    return nullptr;
}

// The user namespace whose mappings the mount gets: its own, else the
// container's (the same mappings, or the namespace it joins).
UniqueFd userns_for(const spec::Spec& spec, const MountStep& step) {
    if (!step.uid_mappings.empty() || !step.gid_mappings.empty())
        return userns_with_mappings(step.uid_mappings, step.gid_mappings);
    const spec::Namespace* user = user_namespace_of(spec);
    if (!user)
        throw Error("an idmapped mount needs uidMappings and gidMappings or a user namespace");
    if (!user->path.empty()) return sys::open_file(user->path, O_RDONLY | O_CLOEXEC);
    return userns_with_mappings(spec.linux->uid_mappings, spec.linux->gid_mappings);
}

UniqueFd idmapped_tree(const spec::Spec& spec, const MountStep& step) {
    struct stat st;
    if (::stat(step.source.c_str(), &st)) throw_errno("mount source " + step.source);
    UniqueFd tree = clone_tree(AT_FDCWD, step.source, step.recursive_bind);
    UniqueFd userns = userns_for(spec, step);
    try {
        set_idmap(tree.get(), userns.get(), step.recursive_idmap);
    } catch (const Error& e) {
        if (e.code() != EINVAL) throw;
        throw Error(std::string(e.what()) + " (does the filesystem of " + step.source +
                        " support idmapped mounts? with ridmap, every submount must)",
                    e.code());
    }
    set_attrs(tree.get(), step.attr_set, step.attr_clear, false);
    set_attrs(tree.get(), step.recursive_attr_set, step.recursive_attr_clear, true);
    return tree;
}

bool uses_user_namespace(const spec::Spec& spec) {
    return user_namespace_of(spec) != nullptr;
}

// A plain bind's source, opened while we are still the host's root: inside
// a user namespace a source under a directory only the host's root may
// search (0700) is out of reach. Attributes are set by setup_rootfs.
UniqueFd early_bind_tree(const MountStep& step) {
    struct stat st;
    if (::stat(step.source.c_str(), &st)) throw_errno("mount source " + step.source);
    return clone_tree(AT_FDCWD, step.source, step.recursive_bind);
}

}  // namespace

bool is_idmapped(const MountStep& step) {
    return step.kind == MountKind::Bind &&
           (step.idmap || !step.uid_mappings.empty() || !step.gid_mappings.empty());
}

IdmappedTrees prepare_idmapped_mounts(const spec::Spec& spec, const std::string& bundle) {
    IdmappedTrees trees;
    std::vector<MountStep> steps = plan_mounts(spec.mounts, bundle);
    for (size_t i = 0; i < steps.size(); ++i) {
        if (!is_idmapped(steps[i])) continue;
        with_context("mount " + steps[i].destination,
                     [&] { trees.emplace(i, idmapped_tree(spec, steps[i])); });
    }
    return trees;
}

EarlyBindTrees prepare_early_binds(const spec::Spec& spec, const std::string& bundle) {
    EarlyBindTrees trees;
    // Rootless, we are no more privileged now than later (and cannot clone).
    if (!uses_user_namespace(spec) || ::geteuid() != 0) return trees;
    std::vector<MountStep> steps = plan_mounts(spec.mounts, bundle);
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].kind != MountKind::Bind || is_idmapped(steps[i])) continue;
        with_context("mount " + steps[i].destination,
                     [&] { trees.emplace(i, early_bind_tree(steps[i])); });
    }
    return trees;
}

}  // namespace minirunc::init
