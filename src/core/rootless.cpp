#include "minirunc/rootless.hpp"

#include <string_view>
#include <vector>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

std::vector<std::string_view> fields(std::string_view text) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
        size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
}

// --rootless as runc reads it (Go's strconv.ParseBool, or "auto"/"").
std::optional<bool> parse_rootless_flag(const std::string& value) {
    if (value.empty() || value == "auto") return std::nullopt;
    for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"})
        if (value == yes) return true;
    for (const char* no : {"0", "f", "F", "false", "FALSE", "False"})
        if (value == no) return false;
    throw Error("invalid value \"" + value + "\" for --rootless: want true, false or auto");
}

}  // namespace

bool is_initial_user_namespace(const std::string& uid_map) {
    auto f = fields(uid_map);
    return f.size() == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295";
}

RootlessMode decide_rootless(const RootlessFacts& facts) {
    RootlessMode mode;
    mode.unprivileged = facts.euid != 0;
    // Without a readable uid_map the kernel has no user namespaces at all.
    mode.in_user_namespace = facts.uid_map && !is_initial_user_namespace(*facts.uid_map);
    std::optional<bool> flag = parse_rootless_flag(facts.rootless_flag);
    mode.cgroups = flag ? *flag : (mode.unprivileged || mode.in_user_namespace);
    // The state root follows runc: $XDG_RUNTIME_DIR for an unprivileged
    // caller, and for uid 0 of a user namespace unless $USER says "root"
    // (`sudo` inside a rootless namespace keeps /run). --rootless does not
    // move it: create and a later delete must agree without the flag.
    bool honor_xdg =
        mode.unprivileged || (mode.in_user_namespace && (!facts.user || *facts.user != "root"));
    if (honor_xdg && !facts.xdg_runtime_dir.empty())
        mode.state_root = facts.xdg_runtime_dir + "/minirunc";
    else if (mode.unprivileged)
        mode.state_root = "/tmp/minirunc-" + std::to_string(facts.euid);
    else
        mode.state_root = "/run/minirunc";
    return mode;
}

}  // namespace minirunc
