// `events`: the container's cgroup statistics in runc's JSON format
// (types.Stats of runc's `events`), built from the text of the cgroup files.
// Pure: the caller passes a reader, so every version and kernel variant is
// unit-tested from file contents alone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minirunc {

// The text of `file` in the container's cgroup for `controller` ("memory",
// "cpuacct", ...; ignored on v2), or nullopt when there is no such file.
using CgroupFileReader = std::function<std::optional<std::string>(const std::string& controller,
                                                                  const std::string& file)>;

// runc's stats document (cpu, cpuset, memory, pids, blkio, hugetlb, intel_rdt,
// network_interfaces), members in runc's order, zeros left out where runc's
// `omitempty` leaves them out. `hugepage_sizes` as hugepage_sizes() names them.
nlohmann::ordered_json cgroup_stats_v1(const CgroupFileReader& read,
                                       const std::vector<std::string>& hugepage_sizes);
// The same from a v2 cgroup: cpu.stat, memory.*, pids.*, io.stat, hugetlb.*,
// and the pressure (PSI) files where the kernel has them.
nlohmann::ordered_json cgroup_stats_v2(const CgroupFileReader& read,
                                       const std::vector<std::string>& hugepage_sizes);

// The page sizes of the host as the hugetlb files name them, from the entries of
// /sys/kernel/mm/hugepages ("hugepages-2048kB" -> "2MB", "hugepages-1048576kB" -> "1GB").
std::vector<std::string> hugepage_sizes(const std::vector<std::string>& sysfs_entries);

// A cpuset list ("0-3,8,10-11") as numbers; empty on malformed text.
std::vector<uint16_t> parse_cpu_list(const std::string& text);

// The key/value lines of a flat keyed cgroup file ("cache 123\nrss 456").
std::vector<std::pair<std::string, uint64_t>> parse_flat_keyed(const std::string& text);

// A Go time.Duration ("5s", "100ms", "1m30s", "1.5h") in nanoseconds; throws Error
// with Go's flag message ("invalid value \"x\" for flag -interval: parse error").
int64_t parse_go_duration(const std::string& text, const std::string& flag);

}  // namespace minirunc
