// Compiled seccomp programs, cached: docker's and podman's profiles take
// ~10 ms to compile with libseccomp, and every container of a manager sends
// the same one. The cache is not in the state root, which holds containers
// only (callers and clean-up scripts take every entry there for a container
// id): it is <base>/seccomp, where <base> is $MINIRUNC_CACHE_DIR, else
// /run/minirunc-cache (root) or $XDG_RUNTIME_DIR/minirunc-cache (rootless;
// without XDG_RUNTIME_DIR nothing is cached). Both directories must be ours
// and writable by nobody else (a program from the cache is loaded as it is),
// else the cache is not used. It is bounded: kSeccompCacheLimits, the least
// recently used entries out first.
#pragma once

#include <string>

#include "minirunc/bootstrap.hpp"
#include "minirunc/lru_eviction.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::runtime {

// One entry is the profile's JSON text (20-60 KB for the engines' defaults)
// plus its program.
constexpr CacheLimits kSeccompCacheLimits{32, 4 << 20};

// The cache directory for this user; empty: no cache. `rootless` (an
// unprivileged euid, or uid 0 of a user namespace such as rootless podman's)
// caches under $XDG_RUNTIME_DIR, as the state root goes there too.
std::string seccomp_cache_dir(bool rootless);

// The program for `config` (whose JSON text is `key`): from <cache_dir> when a
// previous compile of exactly that text is there, else compiled and stored.
// A cache that cannot be read or written is only slower, never an error.
SeccompProgram compile_seccomp_cached(const std::string& cache_dir, const std::string& key,
                                      const spec::Seccomp& config);

}  // namespace minirunc::runtime
