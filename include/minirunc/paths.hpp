// Lexical path helpers (no filesystem access).
#pragma once

#include <string>

namespace minirunc {

// Removes ".", "..", repeated and trailing slashes; ".." never climbs above "/".
std::string clean_path(const std::string& path);
std::string dirname_of(const std::string& path);
// Joins with exactly one slash between the parts.
std::string join_path(const std::string& base, const std::string& rest);

}  // namespace minirunc
