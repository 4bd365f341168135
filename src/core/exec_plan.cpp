#include "minirunc/exec_plan.hpp"

#include <algorithm>

#include "minirunc/error.hpp"
#include "minirunc/namespace_plan.hpp"
#include "minirunc/paths.hpp"

namespace minirunc {
namespace {

uint32_t parse_id(const std::string& text, const std::string& what) {
    if (text.empty() || text.size() > 10 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Error("invalid " + what + " \"" + text + "\": must be a number");
    unsigned long long value = std::stoull(text);
    if (value > 0xFFFFFFFFULL) throw Error("invalid " + what + " \"" + text + "\": out of range");
    return static_cast<uint32_t>(value);
}

void append_unique(std::optional<std::vector<std::string>>& set, const std::string& cap) {
    if (!set) set.emplace();
    if (std::find(set->begin(), set->end(), cap) == set->end()) set->push_back(cap);
}

}  // namespace

spec::Process merge_exec_process(const spec::Process& base, const ExecFlags& flags) {
    if (flags.args.empty()) throw Error("exec args cannot be empty");
    spec::Process process = base;
    process.args = flags.args;
    process.terminal = flags.tty;
    process.console_size.reset();
    if (flags.cwd) process.cwd = *flags.cwd;
    for (const auto& entry : flags.env) {
        // A variable given again replaces the container's value.
        auto eq = entry.find('=');
        std::string name = entry.substr(0, eq);
        auto same = [&](const std::string& e) { return e.substr(0, e.find('=')) == name; };
        process.env.erase(std::remove_if(process.env.begin(), process.env.end(), same),
                          process.env.end());
        process.env.push_back(entry);
    }
    if (flags.user) {
        const std::string& user = *flags.user;
        auto colon = user.find(':');
        process.user.uid = parse_id(user.substr(0, colon), "user");
        if (colon != std::string::npos)
            process.user.gid = parse_id(user.substr(colon + 1), "group");
    }
    if (!flags.additional_gids.empty()) {
        process.user.additional_gids.clear();
        for (const auto& gid : flags.additional_gids)
            process.user.additional_gids.push_back(parse_id(gid, "additional gid"));
    }
    if (flags.no_new_privs) process.no_new_privileges = true;
    if (flags.apparmor) process.apparmor_profile = *flags.apparmor;
    if (flags.process_label) process.selinux_label = *flags.process_label;
    if (!flags.caps.empty()) {
        if (!process.capabilities) process.capabilities.emplace();
        auto& caps = *process.capabilities;
        for (const auto& cap : flags.caps) {
            append_unique(caps.bounding, cap);
            append_unique(caps.effective, cap);
            append_unique(caps.permitted, cap);
            // As runc: ambient only works with inheritable, which --cap does not add.
            if (caps.inheritable) append_unique(caps.ambient, cap);
        }
    }
    return process;
}

std::vector<spec::Namespace> exec_namespaces(const std::vector<spec::Namespace>& container,
                                             pid_t init_pid) {
    std::vector<spec::Namespace> joins;
    for (const auto& ns : container)
        joins.push_back(
            {ns.type, "/proc/" + std::to_string(init_pid) + "/ns/" + namespace_proc_name(ns.type)});
    return joins;
}

std::vector<std::string> exec_cgroup_dirs(const std::vector<std::string>& dirs,
                                          const std::vector<std::string>& names,
                                          const std::vector<std::string>& requests) {
    std::vector<std::string> result = dirs;
    for (const auto& request : requests) {
        auto colon = request.find(':');
        std::string controllers = colon == std::string::npos ? "" : request.substr(0, colon);
        std::string sub = colon == std::string::npos ? request : request.substr(colon + 1);
        std::string cleaned = clean_path("/" + sub);
        if (sub.empty() || cleaned == "/" || sub.find("..") != std::string::npos)
            throw Error("invalid --cgroup \"" + request +
                        "\": must name a sub-cgroup of the container's");
        bool matched = false;
        for (size_t i = 0; i < dirs.size(); ++i) {
            bool applies = controllers.empty();
            size_t start = 0;
            while (!applies && start <= controllers.size()) {
                size_t end = controllers.find(',', start);
                if (end == std::string::npos) end = controllers.size();
                std::string c = controllers.substr(start, end - start);
                std::string name = i < names.size() ? names[i] : "";
                applies = c == name || ("," + name + ",").find("," + c + ",") != std::string::npos;
                start = end + 1;
            }
            if (!applies) continue;
            result[i] = dirs[i] + cleaned;
            matched = true;
        }
        if (!matched) throw Error("invalid --cgroup \"" + request + "\": no such controller");
    }
    return result;
}

}  // namespace minirunc
