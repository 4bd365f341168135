// Resolving container paths inside the rootfs: every lookup is openat2 with
// RESOLVE_IN_ROOT, so ".." and symlinks (even ones a racing container swaps
// in) can never leave the rootfs.
#pragma once

#include <sys/types.h>

#include <string>

#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

// O_PATH fd of `path` inside root, or an invalid fd (errno set) on failure.
int try_open_in_root(int root_fd, const std::string& path, int flags, bool no_symlinks = false);
UniqueFd open_in_root(int root_fd, const std::string& path, int flags, bool no_symlinks = false);

// Creates missing directories of `path` inside root; returns an O_PATH fd of it.
UniqueFd mkdir_all_in_root(int root_fd, const std::string& path, mode_t mode);
// An O_PATH fd of the mount target at `path`, created (as a directory, or an
// empty file when `directory` is false) if missing.
UniqueFd mount_target_in_root(int root_fd, const std::string& path, bool directory,
                              bool no_symlinks = false);

// Splits "/a/b/c" into "/a/b" and "c".
void split_parent(const std::string& path, std::string& parent, std::string& name);

}  // namespace minirunc::init
