#include "seccomp_agent.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "minirunc/error.hpp"
#include "minirunc/seccomp_plan.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {
namespace {

UniqueFd connect_agent(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        throw Error("invalid listener path \"" + path + "\"");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket) throw_errno("socket");
    while (::connect(socket.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr)) {
        if (errno != EINTR) throw_errno("connect " + path);
    }
    return socket;
}

// One sendmsg carries the fd and as much of the payload as fits; the rest
// follows as plain data (the runtime-spec allows several sendmsg calls).
void send_with_fd(int socket, const std::string& payload, int fd) {
    iovec iov{const_cast<char*>(payload.data()), payload.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    ssize_t sent;
    do {
        sent = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) throw_errno("sendmsg");
    for (size_t done = static_cast<size_t>(sent); done < payload.size();) {
        ssize_t n = ::send(socket, payload.data() + done, payload.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("send");
        done += static_cast<size_t>(n);
    }
}

}  // namespace

void send_to_seccomp_agent(const std::string& listener_path, const nlohmann::json& process_state,
                           int listener_fd) {
    with_context("sending the seccomp listener to " + listener_path, [&] {
        UniqueFd socket = connect_agent(listener_path);
        send_with_fd(socket.get(), process_state.dump(), listener_fd);
    });
}

std::function<void(const LaunchedInit&, int)> seccomp_listener_handler(
    const spec::Spec& spec, const ContainerState& container, Status status) {
    if (!spec.linux || !spec.linux->seccomp || !seccomp_uses_notify(*spec.linux->seccomp))
        return {};
    spec::Seccomp seccomp = *spec.linux->seccomp;
    return [seccomp, &container, status](const LaunchedInit& process, int listener_fd) {
        send_to_seccomp_agent(
            seccomp.listener_path,
            container_process_state(container, status, process.pid, seccomp.listener_metadata),
            listener_fd);
    };
}

}  // namespace minirunc::runtime
