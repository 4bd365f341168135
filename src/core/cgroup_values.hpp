// Private: small value helpers shared by the cgroup planners and `update`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace minirunc::cgroup_values {

// An absent field counts as its zero value (the spec's "unset").
template <typename T>
T value_or_zero(const std::optional<T>& v) {
    return v.value_or(T{});
}

// "major:minor", as the blkio, io and devices files write a device.
inline std::string device_number(int64_t major, int64_t minor) {
    return std::to_string(major) + ":" + std::to_string(minor);
}

}  // namespace minirunc::cgroup_values
