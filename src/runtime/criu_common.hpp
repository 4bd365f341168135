// What checkpoint and restore share around CRIU.
#pragma once

#include <string>

#include "minirunc/unique_fd.hpp"
#include "swrk.hpp"

namespace minirunc::runtime {

// Creates (0700) and opens one of CRIU's directories; `what` names the flag's
// subject in errors ("image path").
UniqueFd open_criu_dir(const std::string& path, const std::string& what);

}  // namespace minirunc::runtime
