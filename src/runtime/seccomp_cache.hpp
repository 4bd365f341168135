// Compiled seccomp programs, cached in the state root: docker's and podman's
// profiles take ~10 ms to compile with libseccomp, and every container of a
// manager sends the same one.
#pragma once

#include <string>

#include "minirunc/bootstrap.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::runtime {

// The program for `config` (whose JSON text is `key`): from <cache_dir> when a
// previous compile of exactly that text is there, else compiled and stored.
// A cache that cannot be read or written is only slower, never an error.
SeccompProgram compile_seccomp_cached(const std::string& cache_dir, const std::string& key,
                                      const spec::Seccomp& config);

}  // namespace minirunc::runtime
