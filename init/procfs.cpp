// Writes to procfs go through a private, detached procfs instance, so bind
// mounts over /proc/sys or symlinks in the image cannot redirect them.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/rlimits.hpp"
#include "minirunc/sys/file.hpp"
#include "mount_api.hpp"

namespace minirunc::init {

void write_proc(int procfs, const std::string& relative, const std::string& value) {
    open_how how{};
    how.flags = O_WRONLY | O_CLOEXEC | O_TRUNC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS;
    long fd = ::syscall(SYS_openat2, procfs, relative.c_str(), &how, sizeof how);
    if (fd < 0) throw_errno("open /proc/" + relative);
    UniqueFd owner(static_cast<int>(fd));
    if (::write(owner.get(), value.data(), value.size()) < 0)
        throw_errno("write /proc/" + relative);
}

UniqueFd open_private_procfs() {
    try {
        return new_filesystem("proc", "proc", {}, {},
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    } catch (const Error&) {
        // Some sandboxes forbid new procfs instances; the caller's /proc,
        // opened before any container mount exists, is the next best thing.
        return sys::open_file("/proc", O_PATH | O_DIRECTORY);
    }
}

void apply_sysctl(Context& ctx) {
    if (!ctx.spec.linux) return;
    for (const auto& [key, value] : ctx.spec.linux->sysctl) {
        std::string path = key;
        // "net.ipv4.ip_forward" and "net/ipv4/ip_forward" both name a file.
        if (path.find('/') == std::string::npos) std::replace(path.begin(), path.end(), '.', '/');
        with_context("sysctl " + key, [&] { write_proc(ctx.procfs.get(), "sys/" + path, value); });
    }
}

void apply_rlimits(const spec::Process& process) {
    for (const auto& limit : process.rlimits) {
        rlimit value{static_cast<rlim_t>(limit.soft), static_cast<rlim_t>(limit.hard)};
        if (::setrlimit(static_cast<__rlimit_resource>(rlimit_resource(limit.type)), &value))
            throw_errno("setrlimit " + limit.type);
    }
}

}  // namespace minirunc::init
