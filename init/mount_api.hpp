// fd-based mounting (new mount API): nothing here takes a target by path, so
// a container cannot redirect a mount with a symlink.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

// A detached mount of a new filesystem. An invalid fd when fsconfig(2) cannot
// take the options (a value over 255 bytes, other than an overlay lowerdir on
// a kernel with lowerdir+): the caller then uses mount_with_data.
UniqueFd new_filesystem(const std::string& fstype, const std::string& source,
                        const std::vector<std::string>& params,
                        const std::vector<std::string>& sb_flags, uint64_t attrs);
// mount(2) of a new filesystem onto target_fd (attached there), with the
// options as one data string of up to a page.
void mount_with_data(const std::string& fstype, const std::string& source, const std::string& data,
                     unsigned long flags, int target_fd);
// A detached copy of the mount tree at dirfd/path ("" for dirfd itself).
UniqueFd clone_tree(int dirfd, const std::string& path, bool recursive);
void set_attrs(int mount_fd, uint64_t set, uint64_t clear, bool recursive);
void set_propagation(int mount_fd, unsigned long propagation);
// Maps the ids of a detached mount through a user namespace.
void set_idmap(int mount_fd, int userns_fd, bool recursive);
// Attaches a detached mount (or moves an attached one) onto target_fd.
void attach(int mount_fd, int target_fd);

}  // namespace minirunc::init
