// Which minirunc-init a container runs, and the executable fd it runs from.
#pragma once

#include <string>
#include <vector>

#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {

// Where an installed helper binary may be, in order: next to this binary (the
// build tree), <prefix>/<libexec>/minirunc/ (an install under any prefix),
// then the configured install path.
std::vector<std::string> helper_binary_candidates(const std::string& name);

// The init to execute (execveat with AT_EMPTY_PATH), never the file on disk
// (CVE-2019-5736): $MINIRUNC_INIT when set; else an installed minirunc-init
// of this very build (same GNU build id) from a read-only private bind; else
// a sealed memfd copy of the image carried inside this binary.
UniqueFd init_executable();

}  // namespace minirunc::runtime
