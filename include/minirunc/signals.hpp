// Signal names and numbers as `minirunc kill` accepts them: runc's forms
// ("KILL", "SIGKILL", "kill", "9") plus the real-time names kill(1) knows
// ("RTMIN", "SIGRTMIN+3", "RTMAX-2").
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace minirunc {

// The number for `text`. Names are matched after upper-casing and dropping
// an optional "SIG" prefix, as runc does. Throws Error("unknown signal
// \"FOO\"") for an unknown name and Error("invalid signal number 99") for a
// number outside 0..64 (0: only the check that the process may be signalled).
int parse_signal(const std::string& text);

// "SIGKILL" for 9, "SIGRTMIN+1" for 35, "SIGRTMAX" for 64; "SIG<n>" for a
// number without a name (32, 33, or out of range).
std::string signal_name(int number);

// The standard (non-real-time) signals, canonical names with "SIG", by number.
const std::vector<std::pair<std::string, int>>& signal_table();

// glibc reserves the kernel's first two real-time signals (32, 33) for its
// threads, so SIGRTMIN as users see it is 34 (as in kill(1) and docker).
inline constexpr int kSigRtMin = 34;
inline constexpr int kSigRtMax = 64;

}  // namespace minirunc
