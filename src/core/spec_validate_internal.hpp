// Private: helpers shared by spec_validate.cpp and spec_validate_linux.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc::spec::detail {

// A value in a message: "value".
inline std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

inline bool is_absolute(const std::string& path) {
    return !path.empty() && path[0] == '/';
}

// The namespace entry of `type` in linux.namespaces, or nullptr.
const Namespace* find_namespace(const Spec& spec, std::string_view type);

// Each mapping has size > 0 and neither range runs past 2^32.
void validate_id_mappings(const std::string& pointer, const std::vector<IdMapping>& mappings);

// Everything under "linux", plus the top-level fields that need a namespace.
void validate_linux(const Spec& spec);

// Mount options idmap/ridmap (spec_validate_idmap.cpp).
void validate_idmapped_mounts(const Spec& spec);

// linux.seccomp (spec_validate_seccomp.cpp).
void validate_seccomp(const Seccomp& seccomp);

}  // namespace minirunc::spec::detail
