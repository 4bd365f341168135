// `delete --force` of a container whose state.json is missing or unreadable
// (a create killed before it recorded anything, a corrupt file): the cgroups
// are found again from the config frozen at create, their processes killed and
// the directories removed, then the state directory.
#pragma once

#include <string>

namespace minirunc::runtime {

void salvage_container(const std::string& dir, const std::string& id);

}  // namespace minirunc::runtime
