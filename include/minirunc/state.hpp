// What minirunc remembers about a container (state.json) and how its status
// is derived: never stored, always computed from the live system.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minirunc {

enum class Status { Creating, Created, Running, Paused, Stopped };

std::string to_string(Status status);

struct ContainerState {
    std::string id;
    pid_t pid = 0;
    uint64_t pid_start_time = 0;
    std::string bundle;
    std::string rootfs;
    std::string created;  // RFC 3339 with nanoseconds, UTC
    std::string owner;
    std::map<std::string, std::string> annotations;
    std::vector<std::string> cgroup_dirs;          // one absolute dir per hierarchy joined
    std::vector<std::string> created_cgroup_dirs;  // what create made, deepest first
    std::string freezer_dir;                       // v1 freezer or v2 dir; empty if none
    bool freezer_v2 = false;
    // The systemd driver's unit ("minirunc-abc.scope"); empty with the fs driver.
    std::string systemd_unit;
    std::map<std::string, std::string> namespace_paths;  // type -> /proc/PID/ns/x at create
    // linux.resources in force (runtime-spec JSON): the config's at create, then
    // as `update` changed them. Null when not recorded (an older state.json).
    nlohmann::json resources;
};

nlohmann::json to_json(const ContainerState& state);
// Throws Error naming the field when state.json is malformed.
ContainerState state_from_json(const nlohmann::json& doc);

// The status of a container given what is observable about it.
Status derive_status(bool init_alive, bool exec_fifo_present, bool frozen);

// The document `minirunc state` and `list` print (runc's format; pid 0 once
// stopped), with runc's key order: scripts compare the text.
nlohmann::ordered_json oci_state(const ContainerState& state, Status status);

// RFC 3339 UTC timestamp with nanoseconds: "2026-11-21T12:00:00.123456789Z".
std::string rfc3339_now();
std::string rfc3339(int64_t seconds, long nanoseconds, bool with_nanos);

}  // namespace minirunc
