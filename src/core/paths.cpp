#include "minirunc/paths.hpp"

#include <vector>

namespace minirunc {

std::string clean_path(const std::string& path) {
    bool absolute = !path.empty() && path[0] == '/';
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!absolute)
                parts.push_back(part);
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = end + 1;
    }
    std::string out = absolute ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
    return out.empty() ? "." : out;
}

std::string dirname_of(const std::string& path) {
    auto pos = path.find_last_of('/');
    if (pos == std::string::npos) return ".";
    if (pos == 0) return "/";
    return path.substr(0, pos);
}

std::string join_path(const std::string& base, const std::string& rest) {
    if (rest.empty()) return base;
    if (base.empty()) return rest;
    bool slash = base.back() == '/' || rest.front() == '/';
    return base + (slash ? "" : "/") +
           (base.back() == '/' && rest.front() == '/' ? rest.substr(1) : rest);
}

}  // namespace minirunc
