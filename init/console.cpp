// The container's terminal (process.terminal): a pty from the container's own
// devpts instance becomes the controlling terminal on 0-2, /dev/console is
// its slave, and the master goes to the runtime (then to --console-socket).
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "mount_api.hpp"
#include "root_paths.hpp"

namespace minirunc::init {
namespace {

struct Pty {
    UniqueFd master;
    UniqueFd slave;
};

// A char device on a devpts filesystem: neither the image nor a mount in the
// config can hand us some other file in its place.
void check_on_devpts(int fd, const char* what) {
    struct statfs fs;
    struct stat st;
    if (::fstatfs(fd, &fs) || ::fstat(fd, &st)) throw_errno(std::string("stat ") + what);
    if (fs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode))
        throw Error(std::string(what) + " is not on a devpts filesystem");
}

// The pty comes from the container's devpts (newinstance), never the host's;
// the slave is reached from the master (TIOCGPTPEER), never by path.
Pty open_pty(int root_fd) {
    Pty pty;
    int raw = try_open_in_root(root_fd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY);
    if (raw < 0)
        throw_errno(
            "cannot allocate a terminal: open /dev/pts/ptmx (a devpts mount on /dev/pts "
            "is needed)");
    pty.master.reset(raw);
    check_on_devpts(pty.master.get(), "/dev/pts/ptmx");
    int unlock = 0;
    if (::ioctl(pty.master.get(), TIOCSPTLCK, &unlock)) throw_errno("unlock pty");
    pty.slave.reset(::ioctl(pty.master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!pty.slave) throw_errno("open pty slave");
    check_on_devpts(pty.slave.get(), "pty slave");
    return pty;
}

void set_window_size(int master_fd, const spec::ConsoleSize& size) {
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(size.height);
    ws.ws_col = static_cast<unsigned short>(size.width);
    if (::ioctl(master_fd, TIOCSWINSZ, &ws)) throw_errno("set console size");
}

// The mount target /dev/console, never through a symlink (CVE-2025-52565):
// an existing file or device node is mounted over as it is (it may be the
// host's, with /dev bind-mounted), anything else is replaced by a new file.
UniqueFd console_target(int root_fd) {
    UniqueFd dev_path = mkdir_all_in_root(root_fd, "/dev", 0755);
    UniqueFd dev = sys::open_at(dev_path.get(), ".", O_RDONLY | O_DIRECTORY);
    struct stat st;
    if (::fstatat(dev.get(), "console", &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(st.st_mode)) throw Error("/dev/console is a directory");
        if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) && ::unlinkat(dev.get(), "console", 0) &&
            errno != ENOENT)
            throw_errno("remove existing /dev/console");
    } else if (errno != ENOENT) {
        throw_errno("stat /dev/console");
    }
    int fd =
        ::openat(dev.get(), "console", O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        fd = ::openat(dev.get(), "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw_errno("create /dev/console");
    UniqueFd target(fd);
    // O_PATH|O_NOFOLLOW opens a symlink swapped in by a racer as itself: refuse it.
    if (::fstat(target.get(), &st)) throw_errno("stat /dev/console");
    if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
        throw Error("/dev/console changed while it was being set up");
    return target;
}

void mount_console(int root_fd, int slave_fd) {
    UniqueFd target = console_target(root_fd);
    UniqueFd tree = clone_tree(slave_fd, "", false);
    attach(tree.get(), target.get());
}

// Session leader already (setsid in enter_container): the slave becomes our
// controlling terminal and stdio, owned by the workload's user as in runc.
void become_terminal_owner(const Pty& pty, uid_t uid) {
    if (::ioctl(pty.slave.get(), TIOCSCTTY, 0)) throw_errno("set controlling terminal");
    // EINVAL: uid unmapped; EPERM/EROFS: not ours to change. The user still
    // has the open fds, so leave the owner alone then.
    if (::fchown(pty.slave.get(), uid, static_cast<gid_t>(-1)) && errno != EINVAL &&
        errno != EPERM && errno != EROFS)
        throw_errno("chown pty");
    for (int fd = 0; fd < 3; ++fd)
        if (::dup2(pty.slave.get(), fd) < 0) throw_errno("dup pty onto stdio");
}

}  // namespace

void setup_console(Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    if (!process.terminal) return;
    // After pivot_root (or, for exec, setns into the mount namespace) "/" is
    // the container's root: resolve everything beneath it.
    UniqueFd root = sys::open_file("/", O_PATH | O_DIRECTORY);
    Pty pty = open_pty(root.get());
    if (process.console_size) set_window_size(pty.master.get(), *process.console_size);
    // Not on the host's /dev/console when the mount table is the host's.
    if (ctx.bootstrap.mode != "exec" && ctx.namespaces.has(CLONE_NEWNS))
        with_context("mount /dev/console", [&] { mount_console(root.get(), pty.slave.get()); });
    ctx.channel.send({{"type", "console"}}, {pty.master.get()});
    ctx.channel.expect("console_done");
    pty.master.reset();
    become_terminal_owner(pty, process.user.uid);
    if (pty.slave.get() <= 2) pty.slave.release();  // now one of our stdio fds
}

}  // namespace minirunc::init
