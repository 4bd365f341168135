#include "minirunc/passwd.hpp"

#include <charconv>

namespace minirunc {
namespace {

// Field `index` (0-based) of a colon-separated line, or nothing.
bool field(std::string_view line, int index, std::string_view& out) {
    for (int i = 0; i < index; ++i) {
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) return false;
        line.remove_prefix(colon + 1);
    }
    out = line.substr(0, line.find(':'));
    return true;
}

}  // namespace

bool has_home(const std::vector<std::string>& env) {
    for (const auto& entry : env)
        if (entry.size() > 5 && entry.compare(0, 5, "HOME=") == 0) return true;
    return false;
}

std::string home_for_uid(std::string_view passwd, uint32_t uid) {
    while (!passwd.empty()) {
        size_t end = passwd.find('\n');
        std::string_view line = passwd.substr(0, end);
        passwd.remove_prefix(end == std::string_view::npos ? passwd.size() : end + 1);
        std::string_view uid_text, home;
        if (!field(line, 2, uid_text) || !field(line, 5, home)) continue;
        uint32_t value = 0;
        auto [ptr, ec] = std::from_chars(uid_text.data(), uid_text.data() + uid_text.size(), value);
        if (ec != std::errc() || ptr != uid_text.data() + uid_text.size() || uid_text.empty())
            continue;
        if (value == uid) return home.empty() ? "/" : std::string(home);
    }
    return "/";
}

}  // namespace minirunc
