// Process identity and signalling that survive pid reuse: a pid is only ever
// acted on through a pidfd whose start time matches the recorded one.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "minirunc/unique_fd.hpp"

namespace minirunc::sys {

struct ProcStat {
    char state = '?';         // R, S, D, Z, T, ...
    uint64_t start_time = 0;  // clock ticks since boot (field 22)
};

// nullopt when the process does not exist.
std::optional<ProcStat> read_proc_stat(pid_t pid);

// A pidfd for `pid` if it is alive (not a zombie) and started at `start_time`.
UniqueFd open_live_process(pid_t pid, uint64_t start_time);

void send_signal(int pidfd, int signal);
// Waits until the process behind `pidfd` has exited; false on timeout.
bool wait_exit(int pidfd, int timeout_ms);

int pidfd_open(pid_t pid);

// Exit status as a shell reports it: code, or 128+signal.
int exit_code_of(int wait_status);

}  // namespace minirunc::sys
