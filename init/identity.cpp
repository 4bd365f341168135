// Who the workload runs as: groups, uid/gid, the five capability sets,
// umask. Numeric ids are used as they are: nothing is looked up by name.
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.hpp"
#include "minirunc/capabilities.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {
namespace {

int last_capability() {
    static int last = [] {
        for (int cap = 63; cap >= 0; --cap)
            if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0) return cap;
        return 40;
    }();
    return last;
}

uint64_t mask_of(const std::optional<std::vector<std::string>>& names) {
    return names ? capability_mask(*names) : 0;
}

void drop_bounding_set(uint64_t keep) {
    for (int cap = 0; cap <= last_capability(); ++cap) {
        if (keep & (1ULL << cap)) continue;
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
            throw_errno("drop " + capability_name(cap) + " from the bounding set");
    }
}

void set_capability_sets(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    cap_t caps = cap_init();
    if (!caps) throw_errno("cap_init");
    for (int cap = 0; cap <= last_capability(); ++cap) {
        cap_value_t value = cap;
        uint64_t bit = 1ULL << cap;
        if (effective & bit) cap_set_flag(caps, CAP_EFFECTIVE, 1, &value, CAP_SET);
        if (permitted & bit) cap_set_flag(caps, CAP_PERMITTED, 1, &value, CAP_SET);
        if (inheritable & bit) cap_set_flag(caps, CAP_INHERITABLE, 1, &value, CAP_SET);
    }
    int rc = cap_set_proc(caps);
    int err = errno;
    cap_free(caps);
    if (rc) throw_errno("set capabilities", err);
}

void raise_ambient(uint64_t ambient) {
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
        throw_errno("clear ambient capabilities");
    for (int cap = 0; cap <= last_capability(); ++cap) {
        if (!(ambient & (1ULL << cap))) continue;
        // As runc: a capability not also inheritable and permitted cannot be
        // ambient (EPERM); it is left out rather than failing the container.
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) && errno != EPERM &&
            errno != EINVAL)
            throw_errno("raise ambient " + capability_name(cap));
    }
}

}  // namespace

void apply_identity(const spec::Process& process, bool in_user_namespace, bool hold_sys_admin) {
    const spec::User& user = process.user;
    spec::Capabilities caps = process.capabilities.value_or(spec::Capabilities{});
    uint64_t bounding = mask_of(caps.bounding);
    uint64_t effective = mask_of(caps.effective);
    uint64_t permitted = mask_of(caps.permitted);
    uint64_t inheritable = mask_of(caps.inheritable);
    uint64_t ambient = mask_of(caps.ambient);
    // Kept to load the seccomp filter later; gone at execve (seccomp_plan.hpp).
    if (hold_sys_admin) {
        uint64_t sys_admin = 1ULL << CAP_SYS_ADMIN;
        effective |= sys_admin;
        permitted |= sys_admin;
    }

    drop_bounding_set(bounding);
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) throw_errno("keep capabilities");
    std::vector<gid_t> groups(user.additional_gids.begin(), user.additional_gids.end());
    if (::setgroups(groups.size(), groups.data()) &&
        !(in_user_namespace && groups.empty() && errno == EPERM))
        throw_errno("setgroups");
    if (::setresgid(user.gid, user.gid, user.gid))
        throw_errno("setgid " + std::to_string(user.gid));
    if (::setresuid(user.uid, user.uid, user.uid))
        throw_errno("setuid " + std::to_string(user.uid));
    if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0)) throw_errno("reset keep capabilities");
    set_capability_sets(effective, permitted, inheritable);
    raise_ambient(ambient);
    ::umask(user.umask.value_or(022));
}

}  // namespace minirunc::init
