// linux.seccomp -> a classic BPF program, with libseccomp, in the runtime.
// The init never links libseccomp: it loads the program with seccomp(2).
#pragma once

#include <string>
#include "minirunc/bootstrap.hpp"

#include "minirunc/spec.hpp"

namespace minirunc::runtime {

// Translates a validated seccomp config as runc does: SCMP_ACT_KILL is
// KILL_THREAD; an errno defaults to EPERM; a rule whose action is the
// default action is redundant and skipped; a syscall name libseccomp does
// not know is skipped (it does not exist on this kernel's architectures);
// conditions on distinct arguments form one rule (AND), several conditions
// on one argument become one rule each (OR). The program covers the native
// architecture plus `architectures`. With a denying default action, a
// syscall numbered above every one the profile names gets ENOSYS
// (seccomp_enosys.hpp), so that libc falls back from syscalls newer than
// the profile.
SeccompProgram compile_seccomp(const spec::Seccomp& config);

// With linux.seccomp: its program into bootstrap.seccomp (through the cache
// in `cache_dir` unless empty), and the section out of bootstrap.config (the
// init needs only the program).
void attach_seccomp(Bootstrap& bootstrap, const spec::Spec& spec,
                    const std::string& cache_dir = "");

}  // namespace minirunc::runtime
