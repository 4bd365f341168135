/* The cgroup part of the "physical limit": what any runtime pays to give a
 * container its own cgroup in every hierarchy, join it and remove it. A
 * child that only waits is created in the new cgroups (mkdir, one write of
 * cgroup.procs per hierarchy), killed, reaped, and the cgroups removed.
 * Usage: cgroup_floor DIR... (the caller's cgroup in each hierarchy). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char path[4096], pid_text[32];
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    int length = snprintf(pid_text, sizeof pid_text, "%d", (int)child);
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        snprintf(path, sizeof path, "%s/minirunc-floor-%d", argv[i], (int)getpid());
        if (mkdir(path, 0755)) status = 1;
        /* A new v1 cpuset has no cpus until they are copied: not joined. */
        if (strstr(argv[i], "/cpuset")) continue;
        strncat(path, "/cgroup.procs", sizeof path - strlen(path) - 1);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, pid_text, length) != length) status = 1;
        if (fd >= 0) close(fd);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    for (int i = 1; i < argc; ++i) {
        snprintf(path, sizeof path, "%s/minirunc-floor-%d", argv[i], (int)getpid());
        if (rmdir(path)) status = 1;
    }
    if (status) perror("cgroup_floor");
    return status;
}
