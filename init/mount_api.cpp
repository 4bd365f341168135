#include "mount_api.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "minirunc/error.hpp"

namespace minirunc::init {

UniqueFd new_filesystem(const std::string& fstype, const std::string& source,
                        const std::vector<std::string>& params,
                        const std::vector<std::string>& sb_flags, uint64_t attrs) {
    UniqueFd fs(::fsopen(fstype.c_str(), FSOPEN_CLOEXEC));
    if (!fs) throw_errno("fsopen " + fstype);
    if (!source.empty() && ::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", source.c_str(), 0))
        throw_errno("fsconfig " + fstype + " source=" + source);
    auto apply = [&](const std::string& param) {
        auto eq = param.find('=');
        int rc = eq == std::string::npos
                     ? ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, param.c_str(), nullptr, 0)
                     : ::fsconfig(fs.get(), FSCONFIG_SET_STRING, param.substr(0, eq).c_str(),
                                  param.substr(eq + 1).c_str(), 0);
        if (rc) throw_errno("mount option \"" + param + "\" for " + fstype);
    };
    for (const auto& flag : sb_flags) apply(flag);
    for (const auto& param : params) apply(param);
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0))
        throw_errno("create " + fstype + " filesystem");
    int mnt = ::fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(attrs));
    if (mnt < 0) throw_errno("fsmount " + fstype);
    return UniqueFd(mnt);
}

UniqueFd clone_tree(int dirfd, const std::string& path, bool recursive) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
    if (path.empty()) flags |= AT_EMPTY_PATH;
    int fd = ::open_tree(dirfd, path.c_str(), flags);
    if (fd < 0) throw_errno("open_tree " + path);
    return UniqueFd(fd);
}

void set_attrs(int mount_fd, uint64_t set, uint64_t clear, bool recursive) {
    if (!set && !clear) return;
    mount_attr attr{};
    attr.attr_set = set;
    attr.attr_clr = clear;
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr)) throw_errno("mount_setattr");
}

void set_propagation(int mount_fd, unsigned long propagation) {
    mount_attr attr{};
    attr.propagation = propagation & ~static_cast<unsigned long>(MS_REC);
    unsigned flags = AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr))
        throw_errno("set mount propagation");
}

void set_idmap(int mount_fd, int userns_fd, bool recursive) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<uint64_t>(userns_fd);
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr)) throw_errno("idmap mount");
}

void attach(int mount_fd, int target_fd) {
    if (::move_mount(mount_fd, "", target_fd, "",
                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
        throw_errno("move_mount");
}

}  // namespace minirunc::init
