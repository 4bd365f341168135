// Idmapped bind mounts, made before the init enters the container's
// namespaces (see idmap_mounts.cpp).
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "minirunc/mount_plan.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

// Detached, idmapped trees by index in plan_mounts(spec.mounts, bundle).
using IdmappedTrees = std::map<std::size_t, UniqueFd>;

bool is_idmapped(const MountStep& step);
IdmappedTrees prepare_idmapped_mounts(const spec::Spec& spec, const std::string& bundle);

// Detached clones of the other bind sources, by the same index, for a
// container with a user namespace (where the host's root may reach sources
// the container's root cannot); empty otherwise. Attributes not yet set.
using EarlyBindTrees = std::map<std::size_t, UniqueFd>;
EarlyBindTrees prepare_early_binds(const spec::Spec& spec, const std::string& bundle);

}  // namespace minirunc::init
