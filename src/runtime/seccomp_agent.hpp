// SCMP_ACT_NOTIFY: the listener fd of a container process goes to the
// seccomp agent listening at linux.seccomp.listenerPath.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "launcher.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"

namespace minirunc::runtime {

// Connects to the agent's AF_UNIX SOCK_STREAM socket, sends the container
// process state as JSON with the listener fd (SCM_RIGHTS, on the first
// sendmsg) and closes the connection. Any failure is an Error.
void send_to_seccomp_agent(const std::string& listener_path, const nlohmann::json& process_state,
                           int listener_fd);

// The on_seccomp_listener handler of launch_init for a container whose
// state is `container` (read when the listener arrives: the pid is known by
// then), reported with `status`; empty without a notify rule.
std::function<void(const LaunchedInit&, int)> seccomp_listener_handler(
    const spec::Spec& spec, const ContainerState& container, Status status);

}  // namespace minirunc::runtime
