// AppArmor profile and SELinux process label of the workload: written to the
// init's own attr/exec files (they apply at the next execve), through the
// private procfs so that nothing in the container can redirect the write.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {

void apply_lsm_labels(Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    if (process.apparmor_profile.empty() && process.selinux_label.empty()) return;
    UniqueFd own;  // exec mode: no procfs handle yet
    int procfs = ctx.procfs.get();
    if (procfs < 0) {
        own = open_private_procfs();
        procfs = own.get();
    }
    // thread-self is a symlink, which write_proc does not follow: by number.
    std::string attr =
        std::to_string(::getpid()) + "/task/" + std::to_string(::gettid()) + "/attr/";
    if (!process.selinux_label.empty())
        with_context("set the SELinux label",
                     [&] { write_proc(procfs, attr + "exec", process.selinux_label); });
    if (!process.apparmor_profile.empty()) {
        // AppArmor's own directory since Linux 5.8; the shared file before.
        std::string file = attr + "apparmor/exec";
        if (::faccessat(procfs, file.c_str(), F_OK, 0)) file = attr + "exec";
        with_context("apply the AppArmor profile",
                     [&] { write_proc(procfs, file, "exec " + process.apparmor_profile); });
    }
}

}  // namespace minirunc::init
