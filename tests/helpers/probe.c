/*
 * probe: a tiny static program run inside test containers. Each subcommand
 * prints what the container looks like from the inside, as one line of JSON
 * or as plain text, so that integration tests can assert on it.
 *
 *   probe ids | caps | fds | rlimits | hostname | ns | mounts | cwd | env | oom | pid | clock
 *   probe sysctl KEY | exit N | sleep SECS | signals | write PATH TEXT | stat PATH
 *   probe read PATH | alloc MB | syscall NR [ARG...] | forkbomb | count PATH
 *
 * Errors go to stderr as "probe: ..." with exit status 1; usage errors exit 2.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static int fail(const char* what, const char* arg) {
    fprintf(stderr, "probe: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
    return 1;
}

/* Prints S as a JSON string literal. */
static void json_str(const char* s) {
    putchar('"');
    for (const unsigned char* p = (const unsigned char*)s; *p; ++p) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if (*p < 0x20) {
            printf("\\u%04x", *p);
        } else {
            putchar(*p);
        }
    }
    putchar('"');
}

static int cmd_ids(void) {
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    if (getresuid(&ruid, &euid, &suid) != 0) return fail("getresuid", NULL);
    if (getresgid(&rgid, &egid, &sgid) != 0) return fail("getresgid", NULL);
    gid_t groups[NGROUPS_MAX];
    int n = getgroups(NGROUPS_MAX, groups);
    if (n < 0) return fail("getgroups", NULL);
    mode_t mask = umask(0);
    umask(mask);
    printf("{\"uid\":%u,\"euid\":%u,\"suid\":%u,\"gid\":%u,\"egid\":%u,\"sgid\":%u,\"groups\":[",
           ruid, euid, suid, rgid, egid, sgid);
    for (int i = 0; i < n; ++i) printf("%s%u", i ? "," : "", groups[i]);
    printf("],\"umask\":%u}\n", (unsigned)mask);
    return 0;
}

/* Prints the named fields of /proc/self/status as JSON strings. */
static int cmd_caps(void) {
    static const char* const keys[] = {"CapInh", "CapPrm",     "CapEff",  "CapBnd",
                                       "CapAmb", "NoNewPrivs", "Seccomp", NULL};
    FILE* f = fopen("/proc/self/status", "re");
    if (!f) return fail("open", "/proc/self/status");
    char line[512];
    int first = 1;
    putchar('{');
    while (fgets(line, sizeof line, f)) {
        char* colon = strchr(line, ':');
        if (!colon) continue;
        *colon = '\0';
        for (int i = 0; keys[i]; ++i) {
            if (strcmp(line, keys[i]) != 0) continue;
            char* value = colon + 1;
            value += strspn(value, " \t");
            value[strcspn(value, "\n")] = '\0';
            printf("%s\"%s\":", first ? "" : ",", line);
            json_str(value);
            first = 0;
        }
    }
    fclose(f);
    printf("}\n");
    return 0;
}

static int cmd_fds(void) {
    DIR* d = opendir("/proc/self/fd");
    if (!d) return fail("opendir", "/proc/self/fd");
    int self = dirfd(d);
    int fds[4096];
    int n = 0;
    struct dirent* e;
    while ((e = readdir(d)) != NULL && n < 4096) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd != self) fds[n++] = fd;
    }
    /* readdir order is not numeric: sort. */
    for (int i = 1; i < n; ++i) {
        for (int j = i; j > 0 && fds[j - 1] > fds[j]; --j) {
            int t = fds[j];
            fds[j] = fds[j - 1];
            fds[j - 1] = t;
        }
    }
    printf("{\"fds\":[");
    for (int i = 0; i < n; ++i) {
        char path[64], target[PATH_MAX];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[i]);
        ssize_t len = readlink(path, target, sizeof target - 1);
        target[len < 0 ? 0 : len] = '\0';
        printf("%s{\"fd\":%d,\"target\":", i ? "," : "", fds[i]);
        json_str(target);
        putchar('}');
    }
    printf("]}\n");
    closedir(d);
    return 0;
}

static int cmd_rlimits(void) {
    static const struct {
        const char* name;
        int resource;
    } limits[] = {
        {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
        {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    };
    putchar('{');
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; ++i) {
        struct rlimit rl;
        if (getrlimit(limits[i].resource, &rl) != 0) return fail("getrlimit", limits[i].name);
        long long soft = rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur;
        long long hard = rl.rlim_max == RLIM_INFINITY ? -1 : (long long)rl.rlim_max;
        printf("%s\"%s\":{\"soft\":%lld,\"hard\":%lld}", i ? "," : "", limits[i].name, soft, hard);
    }
    printf("}\n");
    return 0;
}

static int cmd_hostname(void) {
    struct utsname u;
    if (uname(&u) != 0) return fail("uname", NULL);
    printf("{\"hostname\":");
    json_str(u.nodename);
    printf(",\"domainname\":");
    json_str(u.domainname);
    printf("}\n");
    return 0;
}

static int cmd_ns(void) {
    static const char* const names[] = {
        "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
        "user",   "uts", NULL};
    int first = 1;
    putchar('{');
    for (int i = 0; names[i]; ++i) {
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
        if (stat(path, &st) != 0) continue; /* not supported by this kernel */
        printf("%s\"%s\":%llu", first ? "" : ",", names[i], (unsigned long long)st.st_ino);
        first = 0;
    }
    printf("}\n");
    return 0;
}

static int copy_file(const char* path, size_t max) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail("open", path);
    char buf[8192];
    size_t total = 0;
    while (total < max) {
        size_t want = max - total < sizeof buf ? max - total : sizeof buf;
        ssize_t n = read(fd, buf, want);
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return fail("read", path);
        }
        if (n == 0) break;
        fwrite(buf, 1, (size_t)n, stdout);
        total += (size_t)n;
    }
    close(fd);
    return 0;
}

static int cmd_cwd(void) {
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return fail("getcwd", NULL);
    printf("%s\n", buf);
    return 0;
}

static int cmd_env(void) {
    for (char** e = environ; *e; ++e) printf("%s\n", *e);
    return 0;
}

static int cmd_pid(void) {
    printf("{\"pid\":%d,\"ppid\":%d}\n", (int)getpid(), (int)getppid());
    return 0;
}

/* Seconds of the clocks a time namespace offsets (and realtime, which it does not). */
static int cmd_clock(void) {
    static const struct {
        const char* name;
        clockid_t id;
    } clocks[] = {
        {"monotonic", CLOCK_MONOTONIC}, {"boottime", CLOCK_BOOTTIME}, {"realtime", CLOCK_REALTIME}};
    putchar('{');
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; ++i) {
        struct timespec ts;
        if (clock_gettime(clocks[i].id, &ts) != 0) return fail("clock_gettime", clocks[i].name);
        printf("%s\"%s\":%lld", i ? "," : "", clocks[i].name, (long long)ts.tv_sec);
    }
    printf("}\n");
    return 0;
}

static int cmd_sysctl(const char* key) {
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "/proc/sys/%s", key);
    if (n < 0 || (size_t)n >= sizeof path) return 2;
    for (char* p = path + strlen("/proc/sys/"); *p; ++p) {
        if (*p == '.') *p = '/';
    }
    FILE* f = fopen(path, "re");
    if (!f) return fail("open", path);
    char value[4096];
    size_t len = fread(value, 1, sizeof value - 1, f);
    fclose(f);
    value[len] = '\0';
    value[strcspn(value, "\n")] = '\0';
    printf("%s\n", value);
    return 0;
}

/* Counts in memory forever, every 20 ms writing "<pid> <count>" to PATH
 * (replaced atomically): a checkpointed and restored workload goes on from
 * its count with the same pid. Its stdio become its own /dev/null first, so
 * that nothing outside the container is open in it. */
static int cmd_count(const char* path) {
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0) return fail("open", "/dev/null");
    for (int fd = 0; fd < 3; ++fd) dup2(null_fd, fd);
    if (null_fd > 2) close(null_fd);
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    for (unsigned long count = 1;; ++count) {
        char line[64];
        int len = snprintf(line, sizeof line, "%d %lu\n", (int)getpid(), count);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, line, (size_t)len) != len || close(fd) != 0) return 1;
        if (rename(tmp, path) != 0) return 1;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int cmd_sleep(const char* secs) {
    double s = strtod(secs, NULL);
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    return 0;
}

/* Allocates and touches MB megibytes, one at a time, printing each one's
 * number and flushing, so that a memory limit shows where it stopped it. */
static int cmd_alloc(const char* mb) {
    long n = atol(mb);
    for (long i = 1; i <= n; ++i) {
        char* block = malloc(1 << 20);
        if (!block) return fail("malloc", mb);
        memset(block, (int)i, 1 << 20);
        printf("%ld\n", i);
        fflush(stdout);
    }
    printf("allocated %ld\n", n);
    return 0;
}

/* A fork bomb that never gives up: every process forks again and again,
 * sleeping 10 ms after each refused fork. Only a pids limit stops it. */
static _Noreturn void cmd_forkbomb(void) {
    printf("forking\n");
    fflush(stdout);
    for (;;) {
        if (fork() < 0) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
}

static volatile sig_atomic_t pending[65];

static void on_signal(int sig) {
    pending[sig] = 1;
}

/* Prints "ready", then the name of every signal received; exits 0 after SIGTERM. */
static int cmd_signals(void) {
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    for (int sig = 1; sig < NSIG && sig < 65; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
    }
    printf("ready\n");
    fflush(stdout);
    sigset_t none;
    sigemptyset(&none);
    for (;;) {
        sigsuspend(&none);
        for (int sig = 1; sig < 65; ++sig) {
            if (!pending[sig]) continue;
            pending[sig] = 0;
            const char* abbrev = sigabbrev_np(sig);
            if (abbrev) {
                printf("SIG%s\n", abbrev);
            } else {
                printf("SIG%d\n", sig);
            }
            fflush(stdout);
            if (sig == SIGTERM) return 0;
        }
    }
}

static int cmd_write(const char* path, const char* text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail("open", path);
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    if (n < 0 || (size_t)n != len) {
        int saved = errno;
        close(fd);
        errno = saved;
        return fail("write", path);
    }
    if (close(fd) != 0) return fail("close", path);
    printf("ok\n");
    return 0;
}

static int cmd_stat(const char* path) {
    struct stat st;
    if (lstat(path, &st) != 0) return fail("stat", path);
    const char* type = "other";
    switch (st.st_mode & S_IFMT) {
        case S_IFREG:
            type = "file";
            break;
        case S_IFDIR:
            type = "dir";
            break;
        case S_IFCHR:
            type = "char";
            break;
        case S_IFBLK:
            type = "block";
            break;
        case S_IFIFO:
            type = "fifo";
            break;
        case S_IFLNK:
            type = "symlink";
            break;
        case S_IFSOCK:
            type = "socket";
            break;
    }
    printf(
        "{\"type\":\"%s\",\"mode\":%u,\"uid\":%u,\"gid\":%u,\"major\":%u,\"minor\":%u,\"size\":%"
        "lld",
        type, (unsigned)(st.st_mode & 07777), st.st_uid, st.st_gid, major(st.st_rdev),
        minor(st.st_rdev), (long long)st.st_size);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t len = readlink(path, target, sizeof target - 1);
        target[len < 0 ? 0 : len] = '\0';
        printf(",\"target\":");
        json_str(target);
    }
    printf("}\n");
    return 0;
}

/* One raw syscall (seccomp tests): {"ret":R,"errno":E}; numbers in C syntax. */
static int cmd_syscall(int nargs, char** args) {
    long a[7] = {0};
    for (int i = 0; i < nargs && i < 7; ++i) a[i] = (long)strtoull(args[i], NULL, 0);
    errno = 0;
    long ret = syscall(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    printf("{\"ret\":%ld,\"errno\":%d}\n", ret, ret < 0 ? errno : 0);
    return 0;
}

static int usage(void) {
    fprintf(stderr,
            "usage: probe ids|caps|fds|rlimits|hostname|ns|mounts|cwd|env|oom|pid|clock\n"
            "       probe sysctl KEY | exit N | sleep SECS | signals | write PATH TEXT\n"
            "       probe stat PATH | read PATH | alloc MB | syscall NR [ARG...]\n"
            "       probe forkbomb\n");
    return 2;
}

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const char* cmd = argv[1];
    int nargs = argc - 2;
    char** args = argv + 2;
    int rc;
    if (strcmp(cmd, "ids") == 0) {
        rc = cmd_ids();
    } else if (strcmp(cmd, "caps") == 0) {
        rc = cmd_caps();
    } else if (strcmp(cmd, "fds") == 0) {
        rc = cmd_fds();
    } else if (strcmp(cmd, "rlimits") == 0) {
        rc = cmd_rlimits();
    } else if (strcmp(cmd, "hostname") == 0) {
        rc = cmd_hostname();
    } else if (strcmp(cmd, "ns") == 0) {
        rc = cmd_ns();
    } else if (strcmp(cmd, "mounts") == 0) {
        rc = copy_file("/proc/self/mountinfo", (size_t)-1);
    } else if (strcmp(cmd, "cwd") == 0) {
        rc = cmd_cwd();
    } else if (strcmp(cmd, "env") == 0) {
        rc = cmd_env();
    } else if (strcmp(cmd, "oom") == 0) {
        rc = copy_file("/proc/self/oom_score_adj", 64);
    } else if (strcmp(cmd, "pid") == 0) {
        rc = cmd_pid();
    } else if (strcmp(cmd, "clock") == 0) {
        rc = cmd_clock();
    } else if (strcmp(cmd, "sysctl") == 0 && nargs == 1) {
        rc = cmd_sysctl(args[0]);
    } else if (strcmp(cmd, "exit") == 0 && nargs == 1) {
        fflush(stdout);
        _exit(atoi(args[0]));
    } else if (strcmp(cmd, "count") == 0 && nargs == 1) {
        rc = cmd_count(args[0]);
    } else if (strcmp(cmd, "sleep") == 0 && nargs == 1) {
        rc = cmd_sleep(args[0]);
    } else if (strcmp(cmd, "signals") == 0) {
        rc = cmd_signals();
    } else if (strcmp(cmd, "write") == 0 && nargs == 2) {
        rc = cmd_write(args[0], args[1]);
    } else if (strcmp(cmd, "stat") == 0 && nargs == 1) {
        rc = cmd_stat(args[0]);
    } else if (strcmp(cmd, "forkbomb") == 0) {
        cmd_forkbomb();
    } else if (strcmp(cmd, "alloc") == 0 && nargs == 1) {
        rc = cmd_alloc(args[0]);
    } else if (strcmp(cmd, "syscall") == 0 && nargs >= 1 && nargs <= 7) {
        rc = cmd_syscall(nargs, args);
    } else if (strcmp(cmd, "read") == 0 && nargs == 1) {
        rc = copy_file(args[0], 1 << 20);
    } else {
        return usage();
    }
    if (fflush(stdout) != 0) return 1;
    return rc;
}
