#include "root_paths.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minirunc/error.hpp"
#include "minirunc/paths.hpp"

namespace minirunc::init {

int try_open_in_root(int root_fd, const std::string& path, int flags, bool no_symlinks) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
    std::string relative = clean_path("/" + path).substr(1);
    if (relative.empty()) relative = ".";
    long fd;
    do {
        fd = ::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return static_cast<int>(fd);
}

UniqueFd open_in_root(int root_fd, const std::string& path, int flags, bool no_symlinks) {
    int fd = try_open_in_root(root_fd, path, flags, no_symlinks);
    if (fd < 0) {
        if (errno == ELOOP && no_symlinks)
            throw Error(path + " is a symlink (or goes through one): not allowed here", ELOOP);
        throw_errno("open " + path + " in rootfs");
    }
    return UniqueFd(fd);
}

void split_parent(const std::string& path, std::string& parent, std::string& name) {
    std::string clean = clean_path("/" + path);
    auto slash = clean.find_last_of('/');
    parent = slash == 0 ? "/" : clean.substr(0, slash);
    name = clean.substr(slash + 1);
}

UniqueFd mkdir_all_in_root(int root_fd, const std::string& path, mode_t mode) {
    std::string clean = clean_path("/" + path);
    int existing = try_open_in_root(root_fd, clean, O_PATH | O_DIRECTORY);
    if (existing >= 0) return UniqueFd(existing);
    if (errno != ENOENT) throw_errno("open " + clean + " in rootfs");
    std::string parent, name;
    split_parent(clean, parent, name);
    UniqueFd parent_fd = mkdir_all_in_root(root_fd, parent, mode);
    if (::mkdirat(parent_fd.get(), name.c_str(), mode) != 0 && errno != EEXIST)
        throw_errno("mkdir " + clean + " in rootfs");
    return open_in_root(root_fd, clean, O_PATH | O_DIRECTORY);
}

UniqueFd mount_target_in_root(int root_fd, const std::string& path, bool directory,
                              bool no_symlinks) {
    int flags = O_PATH | (directory ? O_DIRECTORY : 0);
    int existing = try_open_in_root(root_fd, path, flags, no_symlinks);
    if (existing >= 0) return UniqueFd(existing);
    if (errno != ENOENT) {
        if (errno == ELOOP && no_symlinks)
            throw Error("mount destination " + path + " is a symlink: " + path +
                            " must be mounted on ordinary directory",
                        ELOOP);
        throw_errno("open mount destination " + path + " in rootfs");
    }
    if (directory) return mkdir_all_in_root(root_fd, path, 0755);
    std::string parent, name;
    split_parent(path, parent, name);
    UniqueFd parent_fd = mkdir_all_in_root(root_fd, parent, 0755);
    // O_NOFOLLOW|O_EXCL: a dangling symlink put here is never followed out.
    int fd = ::openat(parent_fd.get(), name.c_str(),
                      O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) throw_errno("create mount destination " + path);
    if (fd >= 0) ::close(fd);
    return open_in_root(root_fd, path, O_PATH, no_symlinks);
}

}  // namespace minirunc::init
