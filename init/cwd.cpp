// process.cwd must be inside the container's root. A cwd given as
// /proc/self/fd/N follows one of the init's own fds (CVE-2024-21626): the
// private procfs instance, say, which has none of the container's masked or
// read-only paths. The kernel's getcwd names such a directory
// "(unreachable)...": refused.
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "init.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {

void check_cwd_inside_root(const std::string& cwd) {
    char buf[PATH_MAX + 1];
    long n = ::syscall(SYS_getcwd, buf, sizeof buf);
    if (n < 0 && errno != ENAMETOOLONG) throw_errno("getcwd after chdir to " + cwd);
    // Too long to check means deep inside some tree: it started at "/".
    if (n > 0 && buf[0] != '/')
        throw Error(
            "cwd " + cwd + " is outside the container's root: possible container breakout refused",
            EPERM);
}

}  // namespace minirunc::init
