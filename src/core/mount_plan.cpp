#include "minirunc/mount_plan.hpp"

#include <sys/mount.h>

#include "minirunc/mount_options.hpp"
#include "minirunc/paths.hpp"

namespace minirunc {
namespace {

std::vector<std::string> split_data(const std::string& data) {
    std::vector<std::string> params;
    size_t start = 0;
    while (start < data.size()) {
        size_t end = data.find(',', start);
        if (end == std::string::npos) end = data.size();
        if (end > start) params.push_back(data.substr(start, end - start));
        start = end + 1;
    }
    return params;
}

bool strictly_under(const std::string& path, const std::string& dir) {
    if (dir == "/") return path != "/";
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           path[dir.size()] == '/';
}

// A read-only mount could not take the mount points of later mounts under it
// (nor /dev its nodes, symlinks and pts/shm/mqueue): it becomes read-only
// after them, as runc does for /dev. A recursive "rro" is left as asked.
void defer_readonly_under_submounts(std::vector<MountStep>& steps) {
    for (size_t i = 0; i < steps.size(); ++i) {
        MountStep& step = steps[i];
        if (step.kind == MountKind::Cgroup || !(step.attr_set & MOUNT_ATTR_RDONLY)) continue;
        bool covered = step.destination == "/dev";
        for (size_t j = i + 1; j < steps.size() && !covered; ++j)
            covered = strictly_under(steps[j].destination, step.destination);
        if (!covered) continue;
        step.attr_set &= ~static_cast<uint64_t>(MOUNT_ATTR_RDONLY);
        step.readonly_after_submounts = true;
    }
}

}  // namespace

void ms_flags_to_attrs(unsigned long ms, uint64_t& set, uint64_t& clear) {
    if (ms & MS_RDONLY) set |= MOUNT_ATTR_RDONLY;
    if (ms & MS_NOSUID) set |= MOUNT_ATTR_NOSUID;
    if (ms & MS_NODEV) set |= MOUNT_ATTR_NODEV;
    if (ms & MS_NOEXEC) set |= MOUNT_ATTR_NOEXEC;
    if (ms & MS_NODIRATIME) set |= MOUNT_ATTR_NODIRATIME;
    if (ms & MS_NOSYMFOLLOW) set |= MOUNT_ATTR_NOSYMFOLLOW;
    if (ms & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) {
        clear |= MOUNT_ATTR__ATIME;
        if (ms & MS_NOATIME)
            set |= MOUNT_ATTR_NOATIME;
        else if (ms & MS_STRICTATIME)
            set |= MOUNT_ATTR_STRICTATIME;
        else
            set |= MOUNT_ATTR_RELATIME;
    }
}

std::vector<MountStep> plan_mounts(const std::vector<spec::Mount>& mounts,
                                   const std::string& bundle) {
    std::vector<MountStep> steps;
    for (const auto& mount : mounts) {
        MountOptions options = parse_mount_options(mount.options);
        MountStep step;
        step.destination = clean_path("/" + mount.destination);
        step.fstype = mount.type;
        step.propagation = options.propagation;
        step.recursive_attr_set = options.recursive_attr_set;
        step.recursive_attr_clear = options.recursive_attr_clear;
        step.tmpcopyup = options.tmpcopyup;
        step.idmap = options.idmap;
        step.recursive_idmap = options.recursive_idmap;
        step.uid_mappings = mount.uid_mappings;
        step.gid_mappings = mount.gid_mappings;
        ms_flags_to_attrs(options.flags, step.attr_set, step.attr_clear);
        uint64_t cleared = 0, unused = 0;
        ms_flags_to_attrs(options.clear_flags & ~(MS_NOATIME | MS_RELATIME | MS_STRICTATIME),
                          cleared, unused);
        step.attr_clear |= cleared;
        if (is_bind_mount(mount)) {
            step.kind = MountKind::Bind;
            step.recursive_bind = options.recursive_bind;
            step.source = mount.source.empty() || mount.source[0] == '/'
                              ? clean_path(mount.source)
                              : clean_path(join_path(bundle, mount.source));
        } else {
            step.kind = mount.type == "cgroup" || mount.type == "cgroup2" ? MountKind::Cgroup
                                                                          : MountKind::Filesystem;
            step.source = mount.source;
            step.fs_params = split_data(options.data);
            if (options.flags & MS_SYNCHRONOUS) step.sb_flags.push_back("sync");
            if (options.flags & MS_DIRSYNC) step.sb_flags.push_back("dirsync");
            if (options.flags & MS_LAZYTIME) step.sb_flags.push_back("lazytime");
            if (options.flags & MS_MANDLOCK) step.sb_flags.push_back("mand");
            step.no_symlink_destination = mount.type == "proc" || mount.type == "sysfs";
        }
        steps.push_back(std::move(step));
    }
    defer_readonly_under_submounts(steps);
    return steps;
}

}  // namespace minirunc
