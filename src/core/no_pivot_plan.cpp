#include "minirunc/no_pivot_plan.hpp"

#include <sstream>

namespace minirunc {
namespace {

// mountinfo writes space, tab, newline and backslash as octal ("\040").
std::string unescape(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            bool octal = true;
            int value = 0;
            for (size_t j = 1; j <= 3; ++j) {
                char c = text[i + j];
                octal = octal && c >= '0' && c <= '7';
                value = value * 8 + (c - '0');
            }
            if (octal) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

bool at_or_under(const std::string& path, const std::string& dir) {
    if (dir == "/") return true;
    return path.compare(0, dir.size(), dir) == 0 &&
           (path.size() == dir.size() || path[dir.size()] == '/');
}

}  // namespace

std::vector<std::string> proc_and_sys_mounts_outside(const std::string& mountinfo,
                                                     const std::string& rootfs) {
    std::vector<std::string> found;
    std::istringstream lines(mountinfo);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::vector<std::string> words;
        std::string word;
        while (fields >> word) words.push_back(word);
        // id parent major:minor root mount-point options [optional...] - type source super
        size_t dash = 6;
        while (dash < words.size() && words[dash] != "-") ++dash;
        if (words.size() < 5 || dash + 1 >= words.size()) continue;
        const std::string& type = words[dash + 1];
        if (type != "proc" && type != "sysfs") continue;
        std::string mount_point = unescape(words[4]);
        if (at_or_under(mount_point, rootfs)) continue;
        found.insert(found.begin(), mount_point);
    }
    return found;
}

}  // namespace minirunc
