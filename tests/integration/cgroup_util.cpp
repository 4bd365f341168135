#include "cgroup_util.hpp"

#include <dirent.h>
#include <sys/utsname.h>

#include <cctype>

#include "mountinfo.hpp"

namespace minirunc::test {

std::string v1Mount(const std::string& controller) {
    for (const auto& m : parseMountInfo(readFile("/proc/self/mountinfo")))
        if (m.fsType == "cgroup" && hasWord(m.superOptions, controller)) return m.mountPoint;
    return "";
}

std::string v2Mount() {
    for (const auto& m : parseMountInfo(readFile("/proc/self/mountinfo")))
        if (m.fsType == "cgroup2") return m.mountPoint;
    return "";
}

bool pureCgroupV2() {
    return v2Mount() == "/sys/fs/cgroup" &&
           !trim(readFile("/sys/fs/cgroup/cgroup.controllers")).empty();
}

std::string v2File(const std::string& path, const std::string& file) {
    std::string mount = v2Mount();
    if (mount.empty()) return "";
    return trim(readFile(mount + path + "/" + file));
}

std::string v1File(const std::string& path, const std::string& file) {
    std::string mount = v1Mount(file.substr(0, file.find('.')));
    if (mount.empty()) return "";
    return trim(readFile(mount + path + "/" + file));
}

std::string hostBlockDevice() {
    for (const auto& name : listDir("/sys/block")) {
        if (name.rfind("loop", 0) == 0 || name.rfind("zram", 0) == 0 || name.rfind("ram", 0) == 0)
            continue;
        // An empty CD drive or an unattached nbd has no size: a real disk instead.
        std::string size = trim(readFile("/sys/block/" + name + "/size"));
        if (size.empty() || size == "0") continue;
        std::string dev = trim(readFile("/sys/block/" + name + "/dev"));
        if (!dev.empty()) return dev;
    }
    return "";
}

namespace {

// The first number of a cpuset list ("2-5,7" gives "2"), "" when there is none.
std::string firstOfList(const std::string& list) {
    std::string text = trim(list);
    size_t end = 0;
    while (end < text.size() && isdigit(static_cast<unsigned char>(text[end]))) ++end;
    return text.substr(0, end);
}

// The first entry of the cpuset root's `v1File` (or `v2File` on cgroup2), else
// of the sysfs list, else "0".
std::string firstAllowed(const std::string& v1File, const std::string& v2File,
                         const std::string& sysfsList) {
    std::string root = v1Mount("cpuset");
    std::string first =
        firstOfList(readFile(root.empty() ? v2Mount() + "/" + v2File : root + "/" + v1File));
    if (first.empty()) first = firstOfList(readFile(sysfsList));
    return first.empty() ? "0" : first;
}

}  // namespace

std::string firstAllowedCpu() {
    return firstAllowed("cpuset.effective_cpus", "cpuset.cpus.effective",
                        "/sys/devices/system/cpu/online");
}

std::string firstAllowedMemoryNode() {
    return firstAllowed("cpuset.effective_mems", "cpuset.mems.effective",
                        "/sys/devices/system/node/has_memory");
}

bool hostHasFuse() {
    if (exists("/dev/fuse") || exists("/sys/module/fuse")) return true;
    // A module not loaded yet is loaded by the first open of 10:229.
    struct utsname u;
    if (uname(&u) != 0) return false;
    for (const auto& line :
         splitLines(readFile(std::string("/lib/modules/") + u.release + "/modules.devname")))
        if (line.rfind("fuse ", 0) == 0) return true;
    return false;
}

std::vector<std::string> withCgroup2Only(const std::vector<std::string>& argv) {
    std::vector<std::string> out = {
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        "for m in $(awk '$9 == \"cgroup\" {print $5}' /proc/self/mountinfo); do "
        "umount \"$m\" || exit 1; done; exec \"$@\"",
        "sh"};
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

json withFuseDevice(json cfg, bool allow) {
    json devices = {{{"allow", false}, {"access", "rwm"}}};
    if (allow)
        devices.push_back(
            {{"allow", true}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"access", "rw"}});
    cfg["linux"]["resources"]["devices"] = devices;
    cfg["linux"]["devices"] = {
        {{"path", "/dev/fuse"}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"fileMode", 0666}}};
    return cfg;
}

const char* const kOpenFuseScript =
    "if { true < /dev/fuse; } 2>/dev/null; then echo open-ok; else echo denied; fi";

}  // namespace minirunc::test
