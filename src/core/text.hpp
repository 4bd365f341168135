// Private: small text helpers shared by the planners of src/core.
#pragma once

#include <string>
#include <vector>

namespace minirunc::text {

// Every part between separators, empty ones included ("a,,b," -> a, "", b, "").
std::vector<std::string> split(const std::string& text, char sep);

// text without leading and trailing characters of `blanks`.
std::string trim(const std::string& text, const char* blanks = " \t");

}  // namespace minirunc::text
