// `delete --force` of a container whose state.json is missing or unreadable
// (a create killed before it recorded anything, a corrupt file): the cgroups
// are found again from the config frozen at create, their processes killed and
// the directories removed, then the state directory. A container of the
// systemd driver (`systemd_driver`, or a cgroupsPath of the form
// slice:prefix:name) has its transient unit stopped too.
#pragma once

#include <string>

namespace minirunc::runtime {

void salvage_container(const std::string& dir, const std::string& id, bool systemd_driver);

}  // namespace minirunc::runtime
