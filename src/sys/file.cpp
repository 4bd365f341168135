#include "minirunc/sys/file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "minirunc/error.hpp"

namespace minirunc::sys {

UniqueFd open_file(const std::string& path, int flags, mode_t mode) {
    return open_at(AT_FDCWD, path, flags, mode);
}

UniqueFd open_at(int dirfd, const std::string& path, int flags, mode_t mode) {
    int fd = ::openat(dirfd, path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) throw_errno("open " + path);
    return UniqueFd(fd);
}

std::string read_fd(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("read");
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

std::string read_file(const std::string& path) {
    UniqueFd fd = open_file(path, O_RDONLY);
    return with_context("read " + path, [&] { return read_fd(fd.get()); });
}

bool read_file_if_exists(const std::string& path, std::string& out) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        throw_errno("open " + path);
    }
    UniqueFd owner(fd);
    out = read_fd(fd);
    return true;
}

void write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("write");
        }
        done += static_cast<size_t>(n);
    }
}

void write_file(const std::string& path, const std::string& data) {
    write_file_at(AT_FDCWD, path, data);
}

void write_file_at(int dirfd, const std::string& path, const std::string& data) {
    UniqueFd fd = open_at(dirfd, path, O_WRONLY | O_TRUNC);
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0) throw_errno("write " + path);
    if (static_cast<size_t>(n) != data.size()) throw Error("short write to " + path);
}

void write_file_atomic(const std::string& path, const std::string& data, mode_t mode) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        UniqueFd fd = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
        try {
            with_context("write " + tmp, [&] { write_all(fd.get(), data); });
        } catch (...) {
            ::unlink(tmp.c_str());
            throw;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw_errno("rename " + tmp + " to " + path, err);
    }
}

bool path_exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

void mkdir_all(const std::string& path, mode_t mode) {
    std::string current;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        current = path.substr(0, pos);
        if (current.empty()) continue;
        if (::mkdir(current.c_str(), mode) != 0 && errno != EEXIST) throw_errno("mkdir " + current);
    }
}

namespace {
void remove_tree_at(int parent, const char* name) {
    if (::unlinkat(parent, name, 0) == 0 || errno == ENOENT) return;
    if (errno != EISDIR) throw_errno(std::string("unlink ") + name);
    int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw_errno(std::string("open ") + name);
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        throw_errno(std::string("opendir ") + name);
    }
    std::vector<std::string> entries;
    while (dirent* entry = ::readdir(dir)) {
        std::string entry_name = entry->d_name;
        if (entry_name != "." && entry_name != "..") entries.push_back(entry_name);
    }
    for (const auto& entry : entries) remove_tree_at(::dirfd(dir), entry.c_str());
    ::closedir(dir);
    if (::unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        throw_errno(std::string("rmdir ") + name);
}
}  // namespace

void remove_all(const std::string& path) {
    remove_tree_at(AT_FDCWD, path.c_str());
}

std::string absolute_path(const std::string& path) {
    if (!path.empty() && path[0] == '/') return clean_path(path);
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) throw_errno("getcwd");
    return clean_path(std::string(cwd) + "/" + path);
}

}  // namespace minirunc::sys
