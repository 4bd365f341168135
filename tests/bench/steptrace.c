/* steptrace OUT PROGRAM [ARG...]: runs PROGRAM under PTRACE_SINGLESTEP and
 * writes to OUT one "address count" line per instruction address its main
 * process executed (children run untraced). Used by
 * scripts/update-symbol-order.sh to learn which functions each command runs;
 * slow (tens of microseconds per instruction), never part of a measurement. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS (1u << 22) /* open addressing; a command runs far fewer distinct addresses */

static unsigned long address[SLOTS];
static unsigned long count[SLOTS];

static void record(unsigned long rip) {
    unsigned long slot = (rip * 0x9E3779B97F4A7C15ul) >> 42;
    for (;; ++slot) {
        slot &= SLOTS - 1;
        if (address[slot] == rip || address[slot] == 0) {
            address[slot] = rip;
            ++count[slot];
            return;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: steptrace OUT PROGRAM [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) return 1; /* stopped at execve */
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL);
    int pass_signal = 0;
    for (;;) {
        if (ptrace(PTRACE_SINGLESTEP, pid, 0, pass_signal) < 0) break;
        if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) || WIFSIGNALED(status)) break;
        pass_signal = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) == 0) record(regs.rip);
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) return 1;
    for (unsigned i = 0; i < SLOTS; ++i)
        if (address[i]) fprintf(out, "%lx %lu\n", address[i], count[i]);
    fclose(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
