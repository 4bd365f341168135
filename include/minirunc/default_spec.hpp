// The config.json that `minirunc spec` writes: runc's template, with our
// hostname and the current runtime-spec version.
#pragma once

#include <cstdint>

#include <nlohmann/json_fwd.hpp>

namespace minirunc {

// `rootless` gives what `runc spec --rootless` writes: a user namespace mapping
// container root to `uid`/`gid` (the caller passes geteuid()/getegid()), no
// network namespace, /sys bind-mounted, no gid= mount options, no resources.
nlohmann::json default_spec(bool rootless, uint32_t uid = 0, uint32_t gid = 0);

}  // namespace minirunc
