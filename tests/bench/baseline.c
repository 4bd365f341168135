/* The "physical limit" of starting a container: clone with the same
 * namespaces as the default spec, mount proc and a /dev tmpfs, pivot_root,
 * execve. No config parsing, no state, no cgroups. Usage: baseline ROOTFS CMD... */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char **cmd;
static const char *rootfs;

static int child(void *arg) {
    (void)arg;
    if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL)) return 101;
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL)) return 102;
    if (chdir(rootfs)) return 103;
    if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) return 104;
    if (mount("tmpfs", "dev", "tmpfs", MS_NOSUID, "mode=755")) return 105;
    if (syscall(SYS_pivot_root, ".", ".")) return 106;
    if (umount2(".", MNT_DETACH)) return 107;
    if (chdir("/")) return 108;
    execv(cmd[0], cmd);
    return 127;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    rootfs = argv[1];
    cmd = argv + 2;
    static char stack[1 << 16];
    int flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | SIGCHLD;
    pid_t pid = clone(child, stack + sizeof stack, flags, NULL);
    if (pid < 0) return 1;
    int status;
    if (waitpid(pid, &status, 0) < 0) return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
