// The workload's HOME when process.env has none, as runc sets it: the home
// field of the container's /etc/passwd entry for process.user.uid, else "/".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minirunc {

// True when env has a non-empty HOME (an empty "HOME=" is replaced, as runc does).
bool has_home(const std::vector<std::string>& env);

// The home directory of the first passwd(5) line whose uid field is `uid`;
// "/" when there is none or its home field is empty.
std::string home_for_uid(std::string_view passwd, uint32_t uid);

}  // namespace minirunc
