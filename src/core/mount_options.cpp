#include "minirunc/mount_options.hpp"

#include <sys/mount.h>

#include <algorithm>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"

// glibc 2.36 declares these in <sys/mount.h>; older ones only have <linux/mount.h>,
// which clashes with <sys/mount.h>, so spell out the kernel ABI values.
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

namespace minirunc {

namespace {

struct FlagOption {
    const char* name;
    bool clear;  // the option turns `flag` off instead of on
    unsigned long flag;
};

// runc's mountFlags table ("acl" is left out there too: MS_POSIXACL is not
// what users mean by it).
constexpr FlagOption kFlagOptions[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

struct PropagationOption {
    const char* name;
    unsigned long flags;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct AttrOption {
    const char* name;
    bool clear;
    uint64_t attr;
};

constexpr AttrOption kRecursiveAttrOptions[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rnorelatime", true, MOUNT_ATTR_RELATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"ratime", true, MOUNT_ATTR_NOATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", true, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

// Options that are neither flags nor attributes.
constexpr const char* kOtherOptions[] = {"defaults", "tmpcopyup", "idmap", "ridmap"};

// RELATIME (0), NOATIME and STRICTATIME lie inside the MOUNT_ATTR__ATIME mask.
bool is_atime_attr(const AttrOption& option) {
    return (option.attr & ~uint64_t{MOUNT_ATTR__ATIME}) == 0;
}

// The atime attributes are an enum inside MOUNT_ATTR__ATIME, and the kernel
// only accepts a change of it with the whole mask in attr_clr (else EINVAL).
// So the last atime option wins outright, and turning one off (ratime,
// rnostrictatime) falls back to the kernel default, relatime, as a legacy
// remount without the flag would. rnorelatime names the default itself and
// so changes nothing.
void apply_atime_attr(MountOptions& out, const AttrOption& option) {
    const uint64_t chosen = out.recursive_attr_set & MOUNT_ATTR__ATIME;
    const bool any_chosen = (out.recursive_attr_clear & MOUNT_ATTR__ATIME) != 0;
    if (!option.clear) {
        out.recursive_attr_set =
            (out.recursive_attr_set & ~uint64_t{MOUNT_ATTR__ATIME}) | option.attr;
        out.recursive_attr_clear |= MOUNT_ATTR__ATIME;
    } else if (option.attr != MOUNT_ATTR_RELATIME && (!any_chosen || chosen == option.attr)) {
        out.recursive_attr_set &= ~uint64_t{MOUNT_ATTR__ATIME};
        out.recursive_attr_clear |= MOUNT_ATTR__ATIME;
    }
}

void apply_attr(MountOptions& out, const AttrOption& option) {
    if (is_atime_attr(option)) {
        apply_atime_attr(out, option);
    } else if (option.clear) {
        out.recursive_attr_clear |= option.attr;
        out.recursive_attr_set &= ~option.attr;
    } else {
        out.recursive_attr_set |= option.attr;
        out.recursive_attr_clear &= ~option.attr;
    }
}

template <typename Table>
auto find_option(const Table& table, const std::string& name) -> decltype(&table[0]) {
    for (const auto& entry : table) {
        if (name == entry.name) return &entry;
    }
    return nullptr;
}

}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& options) {
    MountOptions out;
    for (const auto& option : options) {
        if (const auto* f = find_option(kFlagOptions, option)) {
            if (f->clear) {
                out.flags &= ~f->flag;
                out.clear_flags |= f->flag;
            } else {
                out.flags |= f->flag;
                out.clear_flags &= ~f->flag;
            }
        } else if (const auto* p = find_option(kPropagationOptions, option)) {
            out.propagation.push_back(p->flags);
        } else if (const auto* a = find_option(kRecursiveAttrOptions, option)) {
            apply_attr(out, *a);
        } else if (option == "tmpcopyup") {
            out.tmpcopyup = true;
        } else if (option == "idmap" || option == "ridmap") {
            out.idmap = true;
            out.recursive_idmap = option == "ridmap";
        } else if (option != "defaults") {
            if (!out.data.empty()) out.data += ',';
            out.data += option;
        }
    }
    out.bind = (out.flags & MS_BIND) != 0;
    out.recursive_bind = out.bind && (out.flags & MS_REC) != 0;
    out.nosymfollow = (out.flags & MS_NOSYMFOLLOW) != 0;
    return out;
}

bool is_bind_mount(const spec::Mount& mount) {
    if (mount.type == "bind") return true;
    return std::any_of(mount.options.begin(), mount.options.end(),
                       [](const std::string& o) { return o == "bind" || o == "rbind"; });
}

const std::vector<std::string>& known_mount_options() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& f : kFlagOptions) all.emplace_back(f.name);
        for (const auto& p : kPropagationOptions) all.emplace_back(p.name);
        for (const auto& a : kRecursiveAttrOptions) all.emplace_back(a.name);
        for (const char* o : kOtherOptions) all.emplace_back(o);
        std::sort(all.begin(), all.end());
        return all;
    }();
    return names;
}

unsigned long propagation_flags(const std::string& rootfs_propagation) {
    if (rootfs_propagation.empty()) return 0;
    if (const auto* p = find_option(kPropagationOptions, rootfs_propagation)) return p->flags;
    throw Error("rootfsPropagation=" + rootfs_propagation + " is not supported");
}

}  // namespace minirunc
