// The Linux capabilities by their config.json names ("CAP_CHOWN" ..
// "CAP_CHECKPOINT_RESTORE"), as the kernel numbers them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace minirunc {

// Highest capability this table knows (CAP_CHECKPOINT_RESTORE, Linux 5.9).
inline constexpr int kLastCapability = 40;

// Every known capability, in kernel order (index == number).
const std::vector<std::string>& all_capability_names();

// The number for an exact, case-sensitive name; nullopt when unknown.
// runc warns and skips unknown names rather than failing, so callers need a
// non-throwing form.
std::optional<int> find_capability(const std::string& name);

// As find_capability, but throws Error("unknown capability \"CAP_FOO\"").
int capability_number(const std::string& name);

// "CAP_SYS_ADMIN" for 21; throws Error("unknown capability number N").
std::string capability_name(int number);

// One bit per capability (1 << number); throws on an unknown name.
uint64_t capability_mask(const std::vector<std::string>& names);

}  // namespace minirunc
