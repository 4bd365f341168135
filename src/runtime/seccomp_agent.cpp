#include "seccomp_agent.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "minirunc/error.hpp"
#include "minirunc/seccomp_plan.hpp"
#include "minirunc/sys/channel.hpp"
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

}  // namespace

void send_to_seccomp_agent(const std::string& listener_path, const nlohmann::json& process_state,
                           int listener_fd) {
    with_context("sending the seccomp listener to " + listener_path, [&] {
        UniqueFd socket;
        with_context("failed to connect with seccomp agent",
                     [&] { socket = connect_agent(listener_path); });
        sys::send_all_with_fds(socket.get(), process_state.dump(), {listener_fd});
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
