// Which entries of a bounded cache go: the least recently used first, until
// both the entry count and the byte total are within their limits. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace minirunc {

struct CacheEntry {
    std::string name;
    uint64_t bytes = 0;
    int64_t last_used_ns = 0;  // later is more recent
};

struct CacheLimits {
    size_t max_entries = 0;
    uint64_t max_bytes = 0;
};

// The names to remove, oldest first. Ties go by name, so two processes
// evicting at once agree.
std::vector<std::string> plan_lru_eviction(std::vector<CacheEntry> entries,
                                           const CacheLimits& limits);

}  // namespace minirunc
