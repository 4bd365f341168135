// libFuzzer target: the sync-protocol decoder, as the init and the runtime
// run it on what the other end sent. The input is one datagram; after its
// first NUL byte, the rest is the content of a memfd sent with it (how a
// body over the inline limit travels: {"type":"large"} plus the memfd).
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "minirunc/bootstrap.hpp"
#include "minirunc/error.hpp"
#include "minirunc/mount_plan.hpp"
#include "minirunc/namespace_plan.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/sys/channel.hpp"
#include "minirunc/sys/file.hpp"

namespace {

using minirunc::sys::Message;

// What the init does with the first message: expect_message("bootstrap"),
// then decode it and plan from it (init/main.cpp, before any syscall).
void decode_as_init(const Message& message) {
    minirunc::sys::check_message(message, "bootstrap");
    minirunc::Bootstrap bootstrap = minirunc::bootstrap_from_json(message.body);
    minirunc::spec::Spec spec = minirunc::spec::parse(bootstrap.config);
    (void)minirunc::plan_namespaces(spec.linux ? spec.linux->namespaces
                                               : std::vector<minirunc::spec::Namespace>{});
    (void)minirunc::plan_mounts(spec.mounts, bootstrap.bundle);
    (void)minirunc::to_json(bootstrap).dump();
}

// The fields the runtime's launch loop and the init's later steps read
// (src/runtime/launcher.cpp, init/hooks.cpp).
void decode_as_runtime(const Message& message) {
    try {
        minirunc::sys::raise_if_error(message, "container init failed");
    } catch (const minirunc::Error&) {
    }
    const std::string type = message.type();
    if (type == "pid") {
        (void)message.body.at("pid").get<pid_t>();
    } else if (type == "hooks") {
        (void)message.body.value("phase", "");
    } else if (type == "hooks_done") {
        (void)message.body.value("state", nlohmann::json::object()).dump();
    }
    for (const char* expected : {"continue", "userns_done", "cgroups_joined", "console_done"}) {
        try {
            minirunc::sys::check_message(message, expected);
        } catch (const minirunc::Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // One connected pair for the whole run: every datagram is read right
    // after it is sent, so nothing queues up.
    static auto channels = minirunc::sys::Channel::pair();
    std::string input(reinterpret_cast<const char*>(data), size);
    size_t nul = input.find('\0');
    std::string datagram = input.substr(0, nul);

    minirunc::UniqueFd memfd;
    if (nul != std::string::npos) {
        memfd = minirunc::UniqueFd(::memfd_create("fuzz-message", MFD_CLOEXEC));
        if (!memfd) return 0;
        minirunc::sys::write_all(memfd.get(), input.substr(nul + 1));
    }
    // An empty datagram reads as end of file: the decoder would not see it.
    if (datagram.empty()) return 0;
    try {
        minirunc::sys::send_fds(channels.first.fd(), datagram,
                                memfd ? std::vector<int>{memfd.get()} : std::vector<int>{});
    } catch (const minirunc::Error&) {
        return 0;  // over the socket's send buffer: never reaches the decoder
    }

    Message message;
    try {
        message = channels.second.recv();
    } catch (const std::exception&) {
        return 0;  // malformed or truncated: the decoder's own verdict
    }
    try {
        decode_as_init(message);
    } catch (const std::exception&) {
    }
    try {
        decode_as_runtime(message);
    } catch (const std::exception&) {
    }
    return 0;
}
