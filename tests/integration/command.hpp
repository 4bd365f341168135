// Running a command as a child process of the test, with captured output and a timeout.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace minirunc::test {

using namespace std::chrono_literals;

// The outcome of one command.
struct Result {
    std::vector<std::string> argv;
    int status = -1;  // exit code, or 128 + signal number when killed by a signal
    int signal = 0;   // the signal that killed it, 0 if it exited
    bool timed_out = false;
    std::string hang;  // when timed out: what the child was doing (program, state, stack)
    std::string out;   // captured stdout (empty when redirected to a file)
    std::string err;   // captured stderr

    bool ok() const { return status == 0 && !timed_out; }
};

// Prints the command, its status and its output: for assertion messages.
std::ostream& operator<<(std::ostream& os, const Result& r);

struct RunOptions {
    std::optional<std::string> stdin_text;    // a pipe holding this text; /dev/null otherwise
    std::map<std::string, std::string> env;   // added to (or replacing in) our environment
    std::chrono::milliseconds timeout = 60s;  // then the child is SIGKILLed and the test fails
    std::string cwd;                          // working directory of the child
    std::string stdout_path;                  // write stdout to this file instead of capturing
    std::vector<int> extra_fds;               // become fds 3, 4, ... of the child (inheritable)
};

// Runs argv[0] (looked up in $PATH when it has no slash) and waits for it. Stdout and
// stderr are captured in memfds rather than pipes, so a container that inherits them
// cannot keep the call waiting for end-of-file. Only fds 0-2 and extra_fds reach the
// child. A timeout kills the child (by pid) and fails the current test.
Result run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Starts argv in the background with stdout/stderr appended to output_path; the
// caller must kill and wait for it.
pid_t spawn(const std::vector<std::string>& argv, const std::string& output_path);

}  // namespace minirunc::test
