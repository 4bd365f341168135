#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "minirunc/log_line.hpp"
#include "minirunc/state.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {
namespace {

std::string log_time() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return rfc3339(ts.tv_sec, 0, false);
}

void append_to_log(const cli::GlobalOptions& global, const std::string& level,
                   const std::string& message) {
    if (global.log.empty()) return;
    int fd = ::open(global.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    std::string line = format_log_line(global.log_format == "json", level, message, log_time());
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
}

}  // namespace

void log_message(const Runtime& runtime, const std::string& level, const std::string& message) {
    if (level == "debug" && !runtime.global.debug) return;
    if (runtime.global.log.empty()) {
        std::string line = format_log_line(false, level, message, log_time());
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        return;
    }
    append_to_log(runtime.global, level, message);
}

void report_error(const cli::GlobalOptions& global, const std::string& message) {
    append_to_log(global, "error", message);
    std::string line = message + "\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace minirunc::runtime
