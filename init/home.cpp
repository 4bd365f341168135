// HOME for the workload when process.env has none (runc does the same): read
// from the container's /etc/passwd, once "/" is the container's root (after
// pivot_root, or after joining its mount namespace for exec), as root.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.hpp"
#include "minirunc/passwd.hpp"
#include "root_paths.hpp"

namespace minirunc::init {
namespace {

// Past this the rest of a passwd file is not read (it is not a real one).
constexpr size_t kMaxPasswd = 4 << 20;

// The container's /etc/passwd, or "" when it is missing or not a regular file.
std::string read_container_passwd() {
    UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return "";
    // In the root, no magic links; O_NONBLOCK: a fifo put there must not hang us.
    UniqueFd file(try_open_in_root(root.get(), "/etc/passwd", O_RDONLY | O_NONBLOCK));
    struct stat st;
    if (!file || ::fstat(file.get(), &st) || !S_ISREG(st.st_mode)) return "";
    std::string text;
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(file.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() >= kMaxPasswd) break;
    }
    return text;
}

}  // namespace

std::string home_variable(const spec::Process& process) {
    if (has_home(process.env)) return "";
    return "HOME=" + home_for_uid(read_container_passwd(), process.user.uid);
}

}  // namespace minirunc::init
