#include "copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "minirunc/error.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {
namespace {

std::vector<std::string> list_dir(int dirfd) {
    int fd = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno("open directory");
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        throw_errno("opendir");
    }
    std::vector<std::string> names;
    while (dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
    return names;
}

void copy_file(int from_dir, int to_dir, const std::string& name, const struct stat& st) {
    UniqueFd in(::openat(from_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in) throw_errno("open " + name);
    UniqueFd out(::openat(to_dir, name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          st.st_mode & 07777));
    if (!out) throw_errno("create " + name);
    off_t remaining = st.st_size;
    while (remaining > 0) {
        ssize_t n = ::sendfile(out.get(), in.get(), nullptr, static_cast<size_t>(remaining));
        if (n < 0) throw_errno("copy " + name);
        if (n == 0) break;
        remaining -= n;
    }
}

}  // namespace

void copy_tree(int from, int to, bool copy_top) {
    struct stat self;
    if (copy_top && ::fstat(from, &self) == 0) {
        // `to` may be an O_PATH fd (a detached mount), which fchmod refuses.
        UniqueFd top(::openat(to, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!top) throw_errno("open copy target");
        // Best effort, as for the entries: an owner unmapped in a user namespace stays.
        (void)!::fchown(top.get(), self.st_uid, self.st_gid);
        if (::fchmod(top.get(), self.st_mode & 07777)) throw_errno("chmod copy target");
    }
    for (const auto& name : list_dir(from)) {
        struct stat st;
        if (::fstatat(from, name.c_str(), &st, AT_SYMLINK_NOFOLLOW)) throw_errno("stat " + name);
        if (S_ISDIR(st.st_mode)) {
            if (::mkdirat(to, name.c_str(), st.st_mode & 07777)) throw_errno("mkdir " + name);
            UniqueFd sub_from(
                ::openat(from, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            UniqueFd sub_to(
                ::openat(to, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub_from || !sub_to) throw_errno("open " + name);
            copy_tree(sub_from.get(), sub_to.get());
            continue;
        } else if (S_ISREG(st.st_mode)) {
            copy_file(from, to, name, st);
        } else if (S_ISLNK(st.st_mode)) {
            std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
            ssize_t n = ::readlinkat(from, name.c_str(), target.data(), target.size());
            if (n < 0) throw_errno("readlink " + name);
            target.resize(static_cast<size_t>(n));
            if (::symlinkat(target.c_str(), to, name.c_str())) throw_errno("symlink " + name);
        } else {
            if (::mknodat(to, name.c_str(), st.st_mode, st.st_rdev)) throw_errno("mknod " + name);
        }
        ::fchownat(to, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
        if (!S_ISLNK(st.st_mode)) ::fchmodat(to, name.c_str(), st.st_mode & 07777, 0);
    }
}

}  // namespace minirunc::init
