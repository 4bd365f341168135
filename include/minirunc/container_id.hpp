// Container ids name directories under the state root, so they are checked
// before anything touches the file system.
#pragma once

#include <string>

namespace minirunc {

// Throws Error as runc does: "container id cannot be empty" or
// "invalid container id format: <id>".
void validate_container_id(const std::string& id);

}  // namespace minirunc
