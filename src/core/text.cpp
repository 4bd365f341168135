#include "core/text.hpp"

namespace minirunc::text {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

std::string trim(const std::string& text, const char* blanks) {
    size_t start = text.find_first_not_of(blanks);
    if (start == std::string::npos) return "";
    return text.substr(start, text.find_last_not_of(blanks) - start + 1);
}

}  // namespace minirunc::text
