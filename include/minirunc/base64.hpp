// Standard base64 (RFC 4648, with padding), for binary data inside JSON
// messages (the compiled seccomp program in the bootstrap).
#pragma once

#include <string>

namespace minirunc {

std::string base64_encode(const std::string& bytes);
// Throws Error("invalid base64 ...") on a character outside the alphabet or a
// length that is not a multiple of 4.
std::string base64_decode(const std::string& text);

}  // namespace minirunc
