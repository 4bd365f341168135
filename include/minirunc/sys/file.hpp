// Small file helpers over fds: every open is O_CLOEXEC, every error an Error.
#pragma once

#include <sys/types.h>

#include <string>

#include "minirunc/paths.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::sys {

UniqueFd open_file(const std::string& path, int flags, mode_t mode = 0);
UniqueFd open_at(int dirfd, const std::string& path, int flags, mode_t mode = 0);

std::string read_fd(int fd);
std::string read_file(const std::string& path);
// Returns false (and leaves `out` alone) when the file does not exist.
bool read_file_if_exists(const std::string& path, std::string& out);

void write_all(int fd, const std::string& data);
// Writes `data` to `path` in one write(2) call, for procfs/cgroupfs files.
void write_file(const std::string& path, const std::string& data);
void write_file_at(int dirfd, const std::string& path, const std::string& data);
// tmp file + fsync-free rename in the same directory: readers never see a partial file.
void write_file_atomic(const std::string& path, const std::string& data, mode_t mode = 0644);

bool path_exists(const std::string& path);
void mkdir_all(const std::string& path, mode_t mode);
// Removes a directory tree (no symlink following); missing is fine.
void remove_all(const std::string& path);

std::string absolute_path(const std::string& path);  // lexical, against the cwd

}  // namespace minirunc::sys
