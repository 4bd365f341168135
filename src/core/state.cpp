#include "minirunc/state.hpp"

#include <ctime>

#include "minirunc/error.hpp"

namespace minirunc {

std::string to_string(Status status) {
    switch (status) {
        case Status::Creating:
            return "creating";
        case Status::Created:
            return "created";
        case Status::Running:
            return "running";
        case Status::Paused:
            return "paused";
        case Status::Stopped:
            return "stopped";
    }
    return "unknown";
}

nlohmann::json to_json(const ContainerState& s) {
    nlohmann::json doc = {
        {"id", s.id},
        {"pid", s.pid},
        {"pid_start_time", s.pid_start_time},
        {"bundle", s.bundle},
        {"rootfs", s.rootfs},
        {"created", s.created},
        {"owner", s.owner},
        {"annotations", s.annotations},
        {"cgroup_dirs", s.cgroup_dirs},
        {"created_cgroup_dirs", s.created_cgroup_dirs},
        {"freezer_dir", s.freezer_dir},
        {"freezer_v2", s.freezer_v2},
        {"namespace_paths", s.namespace_paths},
    };
    if (!s.resources.is_null()) doc["resources"] = s.resources;
    if (!s.systemd_unit.empty()) doc["systemd_unit"] = s.systemd_unit;
    return doc;
}

ContainerState state_from_json(const nlohmann::json& doc) {
    if (!doc.is_object()) throw Error("state.json: must be a JSON object");
    ContainerState s;
    try {
        s.id = doc.at("id").get<std::string>();
        s.pid = doc.at("pid").get<pid_t>();
        s.pid_start_time = doc.at("pid_start_time").get<uint64_t>();
        s.bundle = doc.at("bundle").get<std::string>();
        s.rootfs = doc.at("rootfs").get<std::string>();
        s.created = doc.at("created").get<std::string>();
        s.owner = doc.value("owner", "");
        s.annotations = doc.value("annotations", std::map<std::string, std::string>{});
        s.cgroup_dirs = doc.value("cgroup_dirs", std::vector<std::string>{});
        s.created_cgroup_dirs = doc.value("created_cgroup_dirs", std::vector<std::string>{});
        s.freezer_dir = doc.value("freezer_dir", "");
        s.freezer_v2 = doc.value("freezer_v2", false);
        s.systemd_unit = doc.value("systemd_unit", "");
        s.namespace_paths = doc.value("namespace_paths", std::map<std::string, std::string>{});
        if (doc.contains("resources")) s.resources = doc.at("resources");
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("state.json: ") + e.what());
    }
    return s;
}

Status derive_status(bool init_alive, bool exec_fifo_present, bool frozen) {
    // As runc: a frozen container is paused even if it was never started.
    if (!init_alive) return Status::Stopped;
    if (frozen) return Status::Paused;
    return exec_fifo_present ? Status::Created : Status::Running;
}

nlohmann::ordered_json oci_state(const ContainerState& s, Status status) {
    // The order of runc's containerState struct; annotations (a sorted map,
    // as Go prints maps) only when present.
    nlohmann::ordered_json doc = {
        {"ociVersion", "1.3.0"},
        {"id", s.id},
        {"pid", status == Status::Stopped ? 0 : s.pid},
        {"status", to_string(status)},
        {"bundle", s.bundle},
        {"rootfs", s.rootfs},
        {"created", s.created},
    };
    if (!s.annotations.empty()) doc["annotations"] = s.annotations;
    doc["owner"] = s.owner;
    return doc;
}

std::string rfc3339(int64_t seconds, long nanoseconds, bool with_nanos) {
    time_t t = static_cast<time_t>(seconds);
    tm utc{};
    gmtime_r(&t, &utc);
    char buf[64];
    size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(buf, n);
    if (with_nanos) {
        char frac[16];
        std::snprintf(frac, sizeof frac, ".%09ld", nanoseconds);
        out += frac;
    }
    return out + "Z";
}

std::string rfc3339_now() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return rfc3339(ts.tv_sec, ts.tv_nsec, true);
}

}  // namespace minirunc
