#include "cgroup_util.hpp"

#include <dirent.h>

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
        std::string dev = trim(readFile("/sys/block/" + name + "/dev"));
        if (!dev.empty()) return dev;
    }
    return "";
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
