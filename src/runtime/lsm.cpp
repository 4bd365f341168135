#include "lsm.hpp"

#include <sys/stat.h>
#include <sys/statfs.h>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::runtime {
namespace {

constexpr long kSelinuxMagic = 0xf97cff8c;

}  // namespace

bool apparmor_enabled() {
    // As runc and libapparmor: securityfs shows it and the module is on.
    std::string enabled;
    return sys::path_exists("/sys/kernel/security/apparmor") &&
           sys::read_file_if_exists("/sys/module/apparmor/parameters/enabled", enabled) &&
           !enabled.empty() && enabled[0] == 'Y';
}

bool selinux_enabled() {
    struct statfs fs;
    return ::statfs("/sys/fs/selinux", &fs) == 0 && static_cast<long>(fs.f_type) == kSelinuxMagic;
}

void check_lsm_labels(const spec::Process& process, const std::string& mount_label) {
    if (!process.apparmor_profile.empty() && !apparmor_enabled())
        throw Error("apparmor profile \"" + process.apparmor_profile +
                        "\" is specified in config, but apparmor is not enabled on this host",
                    EINVAL);
    if (!process.selinux_label.empty() && !selinux_enabled())
        throw Error(
            "selinux label is specified in config, but selinux is disabled or not supported",
            EINVAL);
    if (!mount_label.empty()) {
        if (!selinux_enabled())
            throw Error(
                "selinux mount label is specified in config, but selinux is disabled or not "
                "supported",
                EINVAL);
        throw Error("linux.mountLabel is not supported by minirunc yet", EINVAL);
    }
}

}  // namespace minirunc::runtime
