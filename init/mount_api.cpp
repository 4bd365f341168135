#include "mount_api.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include <unistd.h>

#include "minirunc/error.hpp"
#include "minirunc/overlay.hpp"

namespace minirunc::init {

namespace {

// fsconfig(2) copies a string value of at most this many bytes.
constexpr size_t kMaxFsconfigString = 255;

// The outcome of configuring one parameter.
enum class Configured { done, too_long };

// overlay's lowerdir one layer per call ("lowerdir+", "datadir+": Linux 6.8);
// too_long when the kernel has no lowerdir+ or a single layer is too long.
Configured add_overlay_layers(int fs, const std::string& value) {
    OverlayLowerdir lowerdir = split_lowerdir(value);
    bool first = true;
    auto add = [&](const char* key, const std::string& layer) {
        if (layer.size() > kMaxFsconfigString) return false;
        if (::fsconfig(fs, FSCONFIG_SET_STRING, key, layer.c_str(), 0) == 0) {
            first = false;
            return true;
        }
        if (first && errno == EINVAL) return false;  // an older kernel: no lowerdir+
        throw_errno("mount option \"" + std::string(key) + "=" + layer + "\" for overlay");
    };
    for (const auto& layer : lowerdir.layers)
        if (!add("lowerdir+", layer)) return Configured::too_long;
    for (const auto& layer : lowerdir.data_layers)
        if (!add("datadir+", layer)) return Configured::too_long;
    return Configured::done;
}

Configured configure(int fs, const std::string& fstype, const std::string& param) {
    auto eq = param.find('=');
    if (eq == std::string::npos) {
        if (::fsconfig(fs, FSCONFIG_SET_FLAG, param.c_str(), nullptr, 0))
            throw_errno("mount option \"" + param + "\" for " + fstype);
        return Configured::done;
    }
    std::string key = param.substr(0, eq), value = param.substr(eq + 1);
    if (value.size() > kMaxFsconfigString) {
        if (fstype == "overlay" && key == "lowerdir") return add_overlay_layers(fs, value);
        return Configured::too_long;
    }
    if (::fsconfig(fs, FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0))
        throw_errno("mount option \"" + param + "\" for " + fstype);
    return Configured::done;
}

}  // namespace

UniqueFd new_filesystem(const std::string& fstype, const std::string& source,
                        const std::vector<std::string>& params,
                        const std::vector<std::string>& sb_flags, uint64_t attrs) {
    UniqueFd fs(::fsopen(fstype.c_str(), FSOPEN_CLOEXEC));
    if (!fs) throw_errno("fsopen " + fstype);
    if (source.size() > kMaxFsconfigString) return UniqueFd();
    if (!source.empty() && ::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", source.c_str(), 0))
        throw_errno("fsconfig " + fstype + " source=" + source);
    for (const auto& flag : sb_flags)
        if (configure(fs.get(), fstype, flag) == Configured::too_long) return UniqueFd();
    for (const auto& param : params)
        if (configure(fs.get(), fstype, param) == Configured::too_long) return UniqueFd();
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0))
        throw_errno("create " + fstype + " filesystem");
    int mnt = ::fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(attrs));
    if (mnt < 0) throw_errno("fsmount " + fstype);
    return UniqueFd(mnt);
}

void mount_with_data(const std::string& fstype, const std::string& source, const std::string& data,
                     unsigned long flags, int target_fd) {
    // mount(2) copies one page of data: a longer string would be cut short.
    if (data.size() >= static_cast<size_t>(::sysconf(_SC_PAGESIZE)))
        throw Error("mount options for " + fstype + " are longer than a page (" +
                        std::to_string(data.size()) + " bytes)",
                    EINVAL);
    // mount(2) takes a path: "." after fchdir to the target keeps it an fd.
    UniqueFd cwd(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!cwd) throw_errno("open current directory");
    if (::fchdir(target_fd)) throw_errno("chdir to mount target");
    int rc = ::mount(source.empty() ? fstype.c_str() : source.c_str(), ".", fstype.c_str(), flags,
                     data.c_str());
    int err = errno;
    if (::fchdir(cwd.get())) throw_errno("chdir back");
    if (rc)
        throw_errno(
            "mount " + fstype + " (mount(2), " + std::to_string(data.size()) + " bytes of options)",
            err);
}

UniqueFd clone_tree(int dirfd, const std::string& path, bool recursive) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
    if (path.empty()) flags |= AT_EMPTY_PATH;
    int fd = ::open_tree(dirfd, path.c_str(), flags);
    if (fd < 0) throw_errno("open_tree " + path);
    return UniqueFd(fd);
}

void set_attrs(int mount_fd, uint64_t set, uint64_t clear, bool recursive) {
    if (!set && !clear) return;
    mount_attr attr{};
    attr.attr_set = set;
    attr.attr_clr = clear;
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr)) throw_errno("mount_setattr");
}

void set_propagation(int mount_fd, unsigned long propagation) {
    mount_attr attr{};
    attr.propagation = propagation & ~static_cast<unsigned long>(MS_REC);
    unsigned flags = AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr))
        throw_errno("set mount propagation");
}

void set_idmap(int mount_fd, int userns_fd, bool recursive) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<uint64_t>(userns_fd);
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::mount_setattr(mount_fd, "", flags, &attr, sizeof attr)) throw_errno("idmap mount");
}

void attach(int mount_fd, int target_fd) {
    if (::move_mount(mount_fd, "", target_fd, "",
                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
        throw_errno("move_mount");
}

}  // namespace minirunc::init
