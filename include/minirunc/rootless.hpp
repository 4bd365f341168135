// Rootless mode, decided as runc does from what the process can see: its
// effective uid, whether it runs in a user namespace other than the initial
// one (rootless podman runs the runtime as uid 0 of such a namespace), the
// global --rootless flag, and $XDG_RUNTIME_DIR / $USER for the state root.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace minirunc {

// What the decision reads, gathered by the caller (no file access here).
struct RootlessFacts {
    uint32_t euid = 0;
    // /proc/self/uid_map; nullopt when it cannot be read (no user namespaces).
    std::optional<std::string> uid_map;
    std::string rootless_flag = "auto";  // --rootless true|false|auto
    std::string xdg_runtime_dir;         // "" when unset
    std::optional<std::string> user;     // $USER
};

struct RootlessMode {
    // euid != 0: nothing privileged; id maps beyond our own ids go through
    // newuidmap/newgidmap.
    bool unprivileged = false;
    // Not in the initial user namespace: no mknod (devices are bind-mounted).
    bool in_user_namespace = false;
    // Cgroups only where delegated: a hierarchy we may not write is skipped.
    bool cgroups = false;
    std::string state_root;  // the default --root
};

// True when `uid_map` maps every id to itself (the initial namespace shows
// "0 0 4294967295").
bool is_initial_user_namespace(const std::string& uid_map);

// Throws Error on a --rootless value other than true/false/auto (and Go's
// other spellings of a boolean).
RootlessMode decide_rootless(const RootlessFacts& facts);

}  // namespace minirunc
