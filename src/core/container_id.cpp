#include "minirunc/container_id.hpp"

#include <algorithm>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

constexpr std::size_t kMaxIdLength = 1024;

// runc's ^[\w+-\.]+$: in that class "+-\." is the range '+'..'.', so ',' is
// allowed too.
bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (c >= '+' && c <= '.');
}

}  // namespace

void validate_container_id(const std::string& id) {
    if (id.empty()) throw Error("container id cannot be empty");
    // "." and ".." would name the state root itself or its parent.
    if (id.size() > kMaxIdLength || id == "." || id == ".." ||
        !std::all_of(id.begin(), id.end(), is_id_char))
        throw Error("invalid container id format: " + id);
}

}  // namespace minirunc
