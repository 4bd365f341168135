#include "minirunc/bootstrap.hpp"

#include "minirunc/base64.hpp"
#include "minirunc/error.hpp"

namespace minirunc {

nlohmann::json to_json(const Bootstrap& b) {
    nlohmann::json cgroups = nlohmann::json::array();
    for (const auto& c : b.cgroups)
        cgroups.push_back({{"name", c.name},
                           {"host_dir", c.host_dir},
                           {"v2", c.v2},
                           {"fs_options", c.fs_options}});
    nlohmann::json doc = {{"type", "bootstrap"},
                          {"mode", b.mode},
                          {"id", b.id},
                          {"config", b.config},
                          {"bundle", b.bundle},
                          {"rootfs", b.rootfs},
                          {"exec_fifo", b.exec_fifo},
                          {"no_pivot", b.no_pivot},
                          {"no_new_keyring", b.no_new_keyring},
                          {"preserve_fds", b.preserve_fds},
                          {"in_user_namespace", b.in_user_namespace},
                          {"cgroups", cgroups}};
    if (b.seccomp)
        doc["seccomp"] = {{"bpf", base64_encode(b.seccomp->bpf)},
                          {"flags", b.seccomp->flags},
                          {"notify", b.seccomp->notify}};
    return doc;
}

Bootstrap bootstrap_from_json(const nlohmann::json& doc) {
    Bootstrap b;
    try {
        b.mode = doc.at("mode").get<std::string>();
        b.id = doc.at("id").get<std::string>();
        b.config = doc.at("config");
        b.bundle = doc.at("bundle").get<std::string>();
        b.rootfs = doc.at("rootfs").get<std::string>();
        b.exec_fifo = doc.at("exec_fifo").get<std::string>();
        b.no_pivot = doc.at("no_pivot").get<bool>();
        b.no_new_keyring = doc.at("no_new_keyring").get<bool>();
        b.preserve_fds = doc.at("preserve_fds").get<int>();
        // Optional: false unless the runtime is in a user namespace.
        b.in_user_namespace = doc.value("in_user_namespace", false);
        for (const auto& c : doc.at("cgroups"))
            b.cgroups.push_back({c.at("name").get<std::string>(),
                                 c.at("host_dir").get<std::string>(), c.at("v2").get<bool>(),
                                 c.at("fs_options").get<std::string>()});
        if (doc.contains("seccomp")) {
            const auto& s = doc.at("seccomp");
            b.seccomp =
                SeccompProgram{base64_decode(s.at("bpf").get<std::string>()),
                               s.at("flags").get<unsigned long>(), s.at("notify").get<bool>()};
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("malformed bootstrap message: ") + e.what());
    } catch (const Error& e) {
        throw e.wrap("malformed bootstrap message");
    }
    return b;
}

}  // namespace minirunc
