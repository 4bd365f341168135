// Linux security modules on the host: a config that asks for an AppArmor
// profile or an SELinux label the host cannot apply is refused, as runc
// does (runc fails writing the attr; minirunc says why before starting).
#pragma once

#include <string>

#include "minirunc/spec.hpp"

namespace minirunc::runtime {

bool apparmor_enabled();
bool selinux_enabled();

// process.apparmorProfile, process.selinuxLabel and linux.mountLabel against
// the host's LSMs. mountLabel is not implemented: refused even with SELinux.
void check_lsm_labels(const spec::Process& process, const std::string& mount_label);

}  // namespace minirunc::runtime
