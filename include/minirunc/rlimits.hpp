// process.rlimits[].type names ("RLIMIT_NOFILE") and their RLIMIT_* numbers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace minirunc {

// All 16 Linux resource limits, sorted by name.
const std::vector<std::pair<std::string, int>>& rlimit_table();

// The RLIMIT_* number for an exact name; throws Error("unknown rlimit type \"X\"").
int rlimit_resource(const std::string& name);

}  // namespace minirunc
