#include "minirunc/lru_eviction.hpp"

#include <algorithm>

namespace minirunc {

std::vector<std::string> plan_lru_eviction(std::vector<CacheEntry> entries,
                                           const CacheLimits& limits) {
    std::sort(entries.begin(), entries.end(), [](const CacheEntry& a, const CacheEntry& b) {
        if (a.last_used_ns != b.last_used_ns) return a.last_used_ns < b.last_used_ns;
        return a.name < b.name;
    });
    uint64_t total = 0;
    for (const auto& entry : entries) total += entry.bytes;
    std::vector<std::string> evicted;
    size_t left = entries.size();
    for (const auto& entry : entries) {
        if (left <= limits.max_entries && total <= limits.max_bytes) break;
        evicted.push_back(entry.name);
        total -= entry.bytes;
        --left;
    }
    return evicted;
}

}  // namespace minirunc
