// Reading /proc/<pid>/mountinfo text as printed by `probe mounts`.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "host.hpp"

namespace minirunc::test {

// The fields of one mountinfo line that tests look at.
struct MountInfo {
    std::string root;          // the mount's root within its filesystem
    std::string mountPoint;    // where it is mounted
    std::string options;       // per-mount options ("ro,nosuid,...")
    std::string optional;      // propagation: "shared:N", "master:N", ...
    std::string fsType;        // "tmpfs", "cgroup2", ...
    std::string superOptions;  // per-superblock options
};

inline std::vector<MountInfo> parseMountInfo(const std::string& text) {
    std::vector<MountInfo> result;
    for (const auto& line : splitLines(text)) {
        std::istringstream in(line);
        std::vector<std::string> f;
        std::string w;
        while (in >> w) f.push_back(w);
        if (f.size() < 10) continue;
        MountInfo m{f[3], f[4], f[5], "", "", ""};
        size_t i = 6;
        for (; i < f.size() && f[i] != "-"; ++i)
            m.optional += (m.optional.empty() ? "" : " ") + f[i];
        if (i + 3 >= f.size()) continue;  // after "-": type, source, super options
        m.fsType = f[i + 1];
        m.superOptions = f[i + 3];
        result.push_back(m);
    }
    return result;
}

// The visible (last) mount at `target`, or an empty entry.
inline MountInfo mountAt(const std::string& mountinfo, const std::string& target) {
    MountInfo found;
    for (const auto& m : parseMountInfo(mountinfo)) {
        if (m.mountPoint == target) found = m;
    }
    return found;
}

// `word` is one of the comma-separated entries of `list`.
inline bool hasWord(const std::string& list, const std::string& word) {
    return contains("," + list + ",", "," + word + ",");
}

}  // namespace minirunc::test
