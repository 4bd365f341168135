// Config fields the host may not be able to honour, checked before anything
// is created so the refusal names the field and leaves nothing behind:
// NUMA nodes of linux.memoryPolicy, linux.intelRdt without resctrl.
#pragma once

#include "minirunc/spec.hpp"

namespace minirunc::runtime {

struct Runtime;

// Throws Error("config.json: /pointer: why"); logs a warning for
// linux.personality.flags, which are ignored (as runc does).
void check_host_support(const Runtime& runtime, const spec::Spec& spec);

}  // namespace minirunc::runtime
