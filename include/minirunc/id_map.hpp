// The text of /proc/<pid>/uid_map and gid_map for a list of mappings.
#pragma once

#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

// "containerID hostID size\n" per mapping, as the kernel reads it.
std::string id_map_text(const std::vector<spec::IdMapping>& mappings);

}  // namespace minirunc
