#include "minirunc/error.hpp"

#include <cctype>
#include <cstring>

namespace minirunc {

std::string errno_text(int err) {
    // strerror's text, lower-cased at the start as Go's syscall errors are.
    std::string text = std::strerror(err);
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

void throw_errno(const std::string& what) {
    throw_errno(what, errno);
}

void throw_errno(const std::string& what, int err) {
    throw Error(what + ": " + errno_text(err), err);
}

}  // namespace minirunc
