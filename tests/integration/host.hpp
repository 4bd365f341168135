// Looking at the host: files, /proc, mounts and cgroup hierarchies.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace minirunc::test {

using nlohmann::json;

std::string readFile(const std::string& path);  // empty when unreadable
void writeFile(const std::string& path, const std::string& content);
bool exists(const std::string& path);                       // lstat succeeds
std::vector<std::string> listDir(const std::string& path);  // sorted, without . and ..
void removeTree(const std::string& path);                   // rm -rf that stays on one filesystem
std::string readLink(const std::string& path);
std::vector<std::string> splitLines(const std::string& text);
bool contains(const std::string& haystack, const std::string& needle);
std::string trim(const std::string& s);
// path is prefix itself or lies below it.
bool startsWithPath(const std::string& path, const std::string& prefix);

// Parses JSON (e.g. one line printed by the probe); fails the test and returns {}
// on bad JSON.
json parseJson(const std::string& text);

// Open fds of this process with their targets (without the one used to list them).
std::map<int, std::string> openFds();

struct MountEntry {
    std::string mountPoint;
    std::string fsType;
};
// The mounts of the test's mount namespace (/proc/self/mountinfo).
std::vector<MountEntry> hostMounts();
// Mount points of every cgroup (v1 or v2) hierarchy of the host.
std::vector<std::string> cgroupHierarchies();

struct ProcStat {
    char state = '?';
    pid_t ppid = 0;
    unsigned long long startTime = 0;
};
std::optional<ProcStat> procStat(pid_t pid);
std::vector<pid_t> allPids();
// True while pid exists and is not a zombie (orphans may wait a while to be reaped).
bool processRunning(pid_t pid);

// Inode of /proc/self/ns/<type> of the test process (0 when the kernel lacks it).
unsigned long long hostNamespaceInode(const std::string& type);

// Polls until pred() holds or the timeout elapses; returns the last pred() value.
template <class Pred>
bool waitUntil(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return pred();
        struct timespec ts = {0, 5'000'000};
        nanosleep(&ts, nullptr);
    }
    return true;
}

}  // namespace minirunc::test
