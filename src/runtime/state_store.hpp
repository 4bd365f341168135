// The state directory: <root>/<id>/{state.json,config.json,exec.fifo}.
#pragma once

#include <string>
#include <vector>

#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"
#include "minirunc/unique_fd.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {

struct Container {
    std::string dir;
    ContainerState state;
    Status status = Status::Stopped;
};

std::string container_dir(const Runtime& runtime, const std::string& id);
// Makes the state root and the container's directory (create, restore):
// Error("container with id exists: ID", EEXIST) when it is already there.
std::string make_container_dir(const Runtime& runtime, const std::string& id);
std::string exec_fifo_path(const std::string& dir);
std::string frozen_config_path(const std::string& dir);
// The config.json frozen at create.
spec::Spec load_frozen_config(const std::string& dir);

// Exclusive flock on the container directory (held until the fd closes).
UniqueFd lock_container_dir(const std::string& dir);

// Throws Error("container does not exist") when there is no such container.
Container load_container(const Runtime& runtime, const std::string& id);
void save_state(const std::string& dir, const ContainerState& state);
Status current_status(const std::string& dir, const ContainerState& state);

std::vector<std::string> list_container_ids(const Runtime& runtime);

// Writes a pid file as callers parse it: bare digits, no newline, atomically.
void write_pid_file(const std::string& path, pid_t pid);

}  // namespace minirunc::runtime
