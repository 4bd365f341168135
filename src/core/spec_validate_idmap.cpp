// Idmapped mounts: options "idmap"/"ridmap" and per-mount uid/gid mappings.
#include <algorithm>

#include "core/json_reader.hpp"
#include "core/spec_validate_internal.hpp"
#include "minirunc/mount_options.hpp"

namespace minirunc::spec::detail {

void validate_idmapped_mounts(const Spec& spec) {
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        const Mount& m = spec.mounts[i];
        const std::string ptr = "/mounts/" + std::to_string(i);
        const bool option = std::any_of(m.options.begin(), m.options.end(), [](const auto& o) {
            return o == "idmap" || o == "ridmap";
        });
        if (!option) continue;  // mappings alone: checked by validate_mount
        if (!is_bind_mount(m))
            config_error(ptr + "/options", "idmap is only supported for bind mounts");
        if (m.uid_mappings.empty() && m.gid_mappings.empty() && !find_namespace(spec, "user"))
            config_error(ptr + "/options",
                         "idmap needs uidMappings and gidMappings, or a user namespace");
    }
}

}  // namespace minirunc::spec::detail
