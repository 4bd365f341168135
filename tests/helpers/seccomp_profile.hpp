// Docker's and podman's seccomp profile files (profiles/seccomp/default.json,
// containers-common seccomp.json) carry an "archMap" and per-rule
// "includes"/"excludes" (capabilities, architectures, kernel version). The
// engines turn them into a runtime-spec linux.seccomp section before calling
// the runtime; this does the same, for x86_64 and a bounding set.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minirunc::test {

inline nlohmann::json engine_seccomp_profile(const nlohmann::json& profile,
                                             const std::vector<std::string>& bounding,
                                             const std::string& arch = "amd64",
                                             const std::string& scmp_arch = "SCMP_ARCH_X86_64") {
    using nlohmann::json;
    auto has = [](const json& list, const std::string& value) {
        return list.is_array() && std::find(list.begin(), list.end(), value) != list.end();
    };
    auto granted = [&](const std::string& cap) {
        return std::find(bounding.begin(), bounding.end(), cap) != bounding.end();
    };
    json out = {{"defaultAction", profile.at("defaultAction")}, {"syscalls", json::array()}};
    if (profile.contains("defaultErrnoRet")) out["defaultErrnoRet"] = profile["defaultErrnoRet"];
    json archs = json::array();
    for (const auto& entry : profile.value("archMap", json::array())) {
        if (entry.at("architecture") != scmp_arch) continue;
        archs.push_back(entry["architecture"]);
        if (entry["subArchitectures"].is_array())
            for (const auto& sub : entry["subArchitectures"]) archs.push_back(sub);
    }
    out["architectures"] = archs;
    for (const auto& rule : profile.at("syscalls")) {
        json excludes = rule.value("excludes", json::object());
        json includes = rule.value("includes", json::object());
        bool keep = true;
        if (has(excludes.value("arches", json()), arch)) keep = false;
        for (const auto& cap : excludes.value("caps", json::array()))
            if (granted(cap)) keep = false;
        // Every kernel these tests run on is newer than any minKernel here.
        if (excludes.contains("minKernel")) keep = false;
        json arches = includes.value("arches", json::array());
        if (!arches.empty() && !has(arches, arch)) keep = false;
        for (const auto& cap : includes.value("caps", json::array()))
            if (!granted(cap)) keep = false;
        if (!keep) continue;
        json converted = {{"names", rule.at("names")}, {"action", rule.at("action")}};
        if (rule.contains("errnoRet")) converted["errnoRet"] = rule["errnoRet"];
        if (rule.contains("args") && rule["args"].is_array() && !rule["args"].empty())
            converted["args"] = rule["args"];
        out["syscalls"].push_back(converted);
    }
    return out;
}

}  // namespace minirunc::test
