// fd-based mounting (new mount API): nothing here takes a target by path, so
// a container cannot redirect a mount with a symlink.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

// A detached mount of a new filesystem.
UniqueFd new_filesystem(const std::string& fstype, const std::string& source,
                        const std::vector<std::string>& params,
                        const std::vector<std::string>& sb_flags, uint64_t attrs);
// A detached copy of the mount tree at dirfd/path ("" for dirfd itself).
UniqueFd clone_tree(int dirfd, const std::string& path, bool recursive);
void set_attrs(int mount_fd, uint64_t set, uint64_t clear, bool recursive);
void set_propagation(int mount_fd, unsigned long propagation);
// Maps the ids of a detached mount through a user namespace.
void set_idmap(int mount_fd, int userns_fd, bool recursive);
// Attaches a detached mount (or moves an attached one) onto target_fd.
void attach(int mount_fd, int target_fd);

}  // namespace minirunc::init
