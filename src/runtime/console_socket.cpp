#include "console_socket.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "minirunc/error.hpp"
#include "minirunc/sys/channel.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/terminal.hpp"

namespace minirunc::runtime {

UniqueFd connect_console_socket(const std::string& path) {
    const std::string context = "connect to console socket " + path;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string name = path;
    UniqueFd dir;
    if (name.size() >= sizeof addr.sun_path) {
        // Too long for sun_path: reach it through its directory's fd.
        dir = with_context(context,
                           [&] { return sys::open_file(dirname_of(path), O_PATH | O_DIRECTORY); });
        name =
            "/proc/self/fd/" + std::to_string(dir.get()) + "/" + path.substr(path.rfind('/') + 1);
        if (name.size() >= sizeof addr.sun_path) throw Error(context + ": path too long");
    }
    std::memcpy(addr.sun_path, name.c_str(), name.size() + 1);
    UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket) throw_errno(context);
    int rc;
    do {
        rc = ::connect(socket.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) throw_errno(context);
    return socket;
}

void send_console_master(int socket, int master_fd) {
    unsigned index = 0;
    if (::ioctl(master_fd, TIOCGPTN, &index)) throw_errno("get pty number");
    with_context("send pty master to console socket",
                 [&] { sys::send_fds(socket, pty_path(index), {master_fd}); });
}

ConsoleTarget::ConsoleTarget(const std::string& socket_path, UniqueFd* keep_master)
    : keep_master_(keep_master) {
    if (!socket_path.empty()) socket_ = connect_console_socket(socket_path);
}

void ConsoleTarget::deliver(int master_fd) {
    if (socket_) {
        send_console_master(socket_.get(), master_fd);
        socket_.reset();  // exactly one message: the receiver sees EOF after it
        return;
    }
    if (!keep_master_) throw Error("the container's pty master has nowhere to go");
    keep_master_->reset(::fcntl(master_fd, F_DUPFD_CLOEXEC, 3));
    if (!*keep_master_) throw_errno("keep pty master");
}

}  // namespace minirunc::runtime
