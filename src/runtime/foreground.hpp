// Waiting in the foreground for a container process (run, exec): every
// signal we receive is passed on, and the exit status is returned.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>

#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {

class TtyProxy;

// Blocks the signals a foreground command forwards and returns a signalfd
// for them. Call before creating the process, so no signal is lost.
UniqueFd block_forwarded_signals();

// Reaps children until `pid` (our child) exits, forwarding each signal read
// from `signal_fd` to it (SIGWINCH resizes `tty` instead, as runc does), and
// copying between our stdio and `tty` if given. Returns the shell-style exit
// status.
int wait_forwarding_signals(pid_t pid, uint64_t start_time, int signal_fd, TtyProxy* tty = nullptr);

}  // namespace minirunc::runtime
