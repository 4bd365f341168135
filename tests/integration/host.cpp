#include "host.hpp"

#include <dirent.h>
#include <ftw.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace minirunc::test {
namespace {

// Decodes the octal escapes (\040 etc.) the kernel uses in mountinfo.
std::string unescapeMountPath(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

int removeEntry(const char* path, const struct stat*, int, struct FTW*) {
    return ::remove(path);
}

}  // namespace

bool startsWithPath(const std::string& path, const std::string& prefix) {
    return path == prefix || path.rfind(prefix + "/", 0) == 0;
}

std::string readLink(const std::string& path) {
    char buf[4096];
    ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
    if (n < 0) return {};
    return std::string(buf, static_cast<size_t>(n));
}

// Open fds of this process with their targets, without the one used to list them.
std::map<int, std::string> openFds() {
    std::map<int, std::string> fds;
    DIR* d = opendir("/proc/self/fd");
    if (!d) return fds;
    int self = dirfd(d);
    while (dirent* e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        int fd = std::atoi(e->d_name);
        if (fd == self) continue;
        fds[fd] = readLink(std::string("/proc/self/fd/") + e->d_name);
    }
    closedir(d);
    return fds;
}

std::vector<MountEntry> hostMounts() {
    std::vector<MountEntry> mounts;
    for (const auto& line : splitLines(readFile("/proc/self/mountinfo"))) {
        std::istringstream in(line);
        std::vector<std::string> fields;
        std::string f;
        while (in >> f) fields.push_back(f);
        auto sep = std::find(fields.begin(), fields.end(), "-");
        if (fields.size() < 5 || sep == fields.end() || sep + 1 == fields.end()) continue;
        mounts.push_back({unescapeMountPath(fields[4]), *(sep + 1)});
    }
    return mounts;
}

// Mount points of every cgroup (v1 or v2) hierarchy of the host.
std::vector<std::string> cgroupHierarchies() {
    std::vector<std::string> result;
    for (const auto& m : hostMounts()) {
        if (m.fsType == "cgroup" || m.fsType == "cgroup2") result.push_back(m.mountPoint);
    }
    return result;
}

std::optional<ProcStat> procStat(pid_t pid) {
    std::string text = readFile("/proc/" + std::to_string(pid) + "/stat");
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream in(text.substr(close + 2));
    ProcStat st;
    in >> st.state >> st.ppid;
    std::string skip;
    // Fields 5..21 come before starttime (field 22); state and ppid were 3 and 4.
    for (int i = 5; i <= 21; ++i) in >> skip;
    in >> st.startTime;
    if (!in) return std::nullopt;
    return st;
}

std::vector<pid_t> allPids() {
    std::vector<pid_t> pids;
    DIR* d = opendir("/proc");
    if (!d) return pids;
    while (dirent* e = readdir(d)) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (end != e->d_name && *end == '\0') pids.push_back(static_cast<pid_t>(pid));
    }
    closedir(d);
    return pids;
}

void removeTree(const std::string& path) {
    nftw(path.c_str(), removeEntry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

bool processRunning(pid_t pid) {
    if (pid <= 0) return false;
    auto st = procStat(pid);
    return st && st->state != 'Z' && st->state != 'X';
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) ADD_FAILURE() << "cannot write " << path;
}

bool exists(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> listDir(const std::string& path) {
    std::vector<std::string> names;
    DIR* d = opendir(path.c_str());
    if (!d) return names;
    while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

json parseJson(const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        ADD_FAILURE() << "not JSON (" << e.what() << "): " << text;
        return json::object();
    }
}

unsigned long long hostNamespaceInode(const std::string& type) {
    struct stat st;
    if (stat(("/proc/self/ns/" + type).c_str(), &st) != 0) return 0;
    return st.st_ino;
}

}  // namespace minirunc::test
