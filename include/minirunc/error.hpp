// One error type for the whole project: a message built from context frames
// ("creating cgroup: mkdir /sys/fs/cgroup/pids/x: permission denied") plus the
// errno that caused it, if any.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

namespace minirunc {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message, int err = 0)
        : std::runtime_error(message), errno_(err) {}

    int code() const noexcept { return errno_; }

    // A new error with `context` prepended: "context: original message".
    Error wrap(const std::string& context) const { return Error(context + ": " + what(), errno_); }

  private:
    int errno_;
};

// runc-style lower-case text for an errno ("no such file or directory").
std::string errno_text(int err);

// Throws Error("<what>: <strerror(errno)>", errno) using the current errno.
[[noreturn]] void throw_errno(const std::string& what);
[[noreturn]] void throw_errno(const std::string& what, int err);

// Runs `fn`, re-throwing any Error with `context` prepended.
template <typename Fn>
auto with_context(const std::string& context, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const Error& e) {
        throw e.wrap(context);
    }
}

}  // namespace minirunc
