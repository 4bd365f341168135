// state, list, spec, features: commands that only read or print.
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "minirunc/container_id.hpp"
#include "minirunc/default_spec.hpp"
#include "minirunc/error.hpp"
#include "minirunc/features.hpp"
#include "minirunc/sys/file.hpp"
#include "net_devices.hpp"
#include "state_store.hpp"
#include "swrk.hpp"

namespace minirunc::runtime {
namespace {

void print(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

std::string user_name_from_passwd(uid_t uid) {
    std::string passwd;
    if (sys::read_file_if_exists("/etc/passwd", passwd)) {
        std::istringstream in(passwd);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string name, password, id;
            if (std::getline(fields, name, ':') && std::getline(fields, password, ':') &&
                std::getline(fields, id, ':') && id == std::to_string(uid))
                return name;
        }
    }
    return "#" + std::to_string(uid);
}

// The user name of `uid` from /etc/passwd, read directly (no NSS in a static
// binary), once per uid: `list` asks for every container.
std::string user_name(uid_t uid) {
    static std::map<uid_t, std::string> known;
    auto found = known.find(uid);
    if (found == known.end()) found = known.emplace(uid, user_name_from_passwd(uid)).first;
    return found->second;
}

std::string pad(const std::string& text, size_t width) {
    return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

}  // namespace

int cmd_state(Runtime& runtime, const cli::CommandLine& command) {
    validate_container_id(command.args[0]);
    Container container = load_container(runtime, command.args[0]);
    print(oci_state(container.state, container.status).dump(2) + "\n");
    return 0;
}

int cmd_list(Runtime& runtime, const cli::CommandLine& command) {
    std::string format = command.flags.get("format", "table");
    if (format != "table" && format != "json") throw Error("invalid format option");
    std::vector<nlohmann::ordered_json> rows;
    for (const auto& id : list_container_ids(runtime)) {
        try {
            Container container = load_container(runtime, id);
            nlohmann::ordered_json row = oci_state(container.state, container.status);
            struct stat st;
            row["owner"] = ::stat(container.dir.c_str(), &st) == 0 ? user_name(st.st_uid) : "";
            rows.push_back(row);
        } catch (const Error&) {
            // Being deleted or created right now: not listed.
        }
    }
    if (command.flags.flag("quiet")) {
        for (const auto& row : rows) print(row["id"].get<std::string>() + "\n");
        return 0;
    }
    if (format == "json") {
        print(rows.empty() ? "null\n" : nlohmann::ordered_json(rows).dump() + "\n");
        return 0;
    }
    // runc's tabwriter: columns at least 12 wide, 3 spaces of padding.
    std::vector<std::vector<std::string>> table = {
        {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
    for (const auto& row : rows)
        table.push_back({row["id"], std::to_string(row["pid"].get<int>()), row["status"],
                         row["bundle"], row["created"], row["owner"]});
    std::vector<size_t> widths(6, 12);
    for (const auto& line : table)
        for (size_t i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], line[i].size() + 3);
    for (const auto& line : table) {
        std::string out;
        for (size_t i = 0; i < line.size(); ++i)
            out += i + 1 < line.size() ? pad(line[i], widths[i]) : line[i];
        print(out + "\n");
    }
    return 0;
}

int cmd_spec(Runtime&, const cli::CommandLine& command) {
    std::string bundle = command.flags.get("bundle", ".");
    std::string path = bundle + "/config.json";
    if (sys::path_exists(path)) throw Error("File " + path + " exists. Remove it first");
    nlohmann::json doc = default_spec(command.flags.flag("rootless"), ::geteuid(), ::getegid());
    UniqueFd fd = sys::open_file(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    sys::write_all(fd.get(), doc.dump(1, '\t') + "\n");
    return 0;
}

int cmd_features(Runtime&, const cli::CommandLine&) {
    FeatureSwitches switches;
    switches.cgroup_v2 = sys::path_exists("/sys/fs/cgroup/cgroup.controllers") ||
                         sys::path_exists("/sys/fs/cgroup/unified/cgroup.controllers");
    switches.net_devices = net_devices_supported();  // the minirunc-netdev helper
    switches.idmap_mounts = true;                    // init/idmap_mounts.cpp
    switches.checkpoint = criu::built_with_criu();   // checkpoint, restore
#ifdef MINIRUNC_WITH_SYSTEMD
    switches.systemd = true;  // built with the sd-bus helper (systemd_cgroup.cpp)
#endif
    print(features_document(switches).dump(4) + "\n");
    return 0;
}

}  // namespace minirunc::runtime
