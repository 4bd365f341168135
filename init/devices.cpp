// /dev inside the container (default devices, linux.devices, the standard
// symlinks) and the masking of maskedPaths/readonlyPaths.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <map>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/mount_options.hpp"
#include "minirunc/sys/file.hpp"
#include "mount_api.hpp"
#include "root_paths.hpp"

namespace minirunc::init {
namespace {

const std::vector<spec::Device>& default_devices() {
    static const std::vector<spec::Device> devices = {
        {"c", "/dev/null", 1, 3, 0666, 0, 0},    {"c", "/dev/zero", 1, 5, 0666, 0, 0},
        {"c", "/dev/full", 1, 7, 0666, 0, 0},    {"c", "/dev/random", 1, 8, 0666, 0, 0},
        {"c", "/dev/urandom", 1, 9, 0666, 0, 0}, {"c", "/dev/tty", 5, 0, 0666, 0, 0},
    };
    return devices;
}

mode_t device_type_bits(const std::string& type) {
    if (type == "b") return S_IFBLK;
    if (type == "p") return S_IFIFO;
    return S_IFCHR;  // "c" and "u"
}

// Directories devices are made in, each resolved in the root once (most
// devices share /dev).
class DeviceDirs {
  public:
    explicit DeviceDirs(int root_fd) : root_fd_(root_fd) {}
    int get(const std::string& path) {
        auto found = dirs_.find(path);
        if (found != dirs_.end()) return found->second.get();
        UniqueFd dir = mkdir_all_in_root(root_fd_, path, 0755);
        UniqueFd dir_rw = sys::open_at(dir.get(), ".", O_RDONLY | O_DIRECTORY);
        return dirs_.emplace(path, std::move(dir_rw)).first->second.get();
    }
    // A private tmpfs (never attached) where nodes are made to be bound over
    // image entries that must not be touched.
    int scratch() {
        if (!scratch_) scratch_ = new_filesystem("tmpfs", "tmpfs", {"mode=755"}, {}, 0);
        return scratch_.get();
    }

  private:
    int root_fd_;
    std::map<std::string, UniqueFd> dirs_;
    UniqueFd scratch_;
};

void make_node(int dir, const std::string& name, const spec::Device& device) {
    mode_t mode = device_type_bits(device.type) | (device.file_mode.value_or(0666) & 07777);
    dev_t dev = device.type == "p" ? 0
                                   : makedev(static_cast<unsigned>(device.major),
                                             static_cast<unsigned>(device.minor));
    if (::mknodat(dir, name.c_str(), mode, dev)) throw_errno("mknod " + device.path);
    if (::fchownat(dir, name.c_str(), device.uid.value_or(0), device.gid.value_or(0),
                   AT_SYMLINK_NOFOLLOW))
        throw_errno("chown " + device.path);
}

// A detached mount of the device node: the host's (a user namespace cannot
// mknod), or one made in the scratch tmpfs.
UniqueFd device_tree(DeviceDirs& dirs, const spec::Device& device, bool bind) {
    if (bind) return clone_tree(AT_FDCWD, device.path, false);
    std::string name =
        std::to_string(device.major) + "." + std::to_string(device.minor) + "." + device.type;
    if (::unlinkat(dirs.scratch(), name.c_str(), 0) && errno != ENOENT)
        throw_errno("reuse scratch node " + name);
    make_node(dirs.scratch(), name, device);
    return clone_tree(dirs.scratch(), name, false);
}

void create_device(DeviceDirs& dirs, const spec::Device& device, bool bind) {
    if (device.type == "p") bind = false;
    std::string parent, name;
    split_parent(device.path, parent, name);
    int dir = dirs.get(parent);
    struct stat existing;
    bool found = ::fstatat(dir, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0;
    if (!found && errno != ENOENT) throw_errno("stat existing " + device.path);
    if (found && S_ISDIR(existing.st_mode))
        throw Error(device.path + " is a directory in the rootfs, where a device goes");
    bool image_node = found && (S_ISCHR(existing.st_mode) || S_ISBLK(existing.st_mode) ||
                                S_ISFIFO(existing.st_mode));
    if (!bind && (!found || image_node)) {
        // A node of the image (no content) is replaced by the one asked for.
        if (image_node && ::unlinkat(dir, name.c_str(), 0))
            throw_errno("remove existing " + device.path);
        return make_node(dir, name, device);
    }
    // Anything else of the image (a file with content, a symlink that may
    // point to the host) is never opened, followed, changed or removed: the
    // device is bound over the entry itself (CVE-2025-31133 class).
    if (!found) {
        UniqueFd created(::openat(dir, name.c_str(),
                                  O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
        if (!created && errno != EEXIST) throw_errno("create mount point " + device.path);
    }
    UniqueFd target(::openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!target) throw_errno("open " + device.path + " in rootfs");
    if (::fstat(target.get(), &existing)) throw_errno("stat " + device.path);
    if (S_ISDIR(existing.st_mode))
        throw Error(device.path + " is a directory in the rootfs, where a device goes");
    UniqueFd tree = device_tree(dirs, device, bind);
    try {
        attach(tree.get(), target.get());
    } catch (const Error& e) {
        if (!S_ISLNK(existing.st_mode)) throw;
        throw Error(device.path + " is a symlink in the rootfs: refusing to follow it or mount " +
                        "over it (" + e.what() + ")",
                    e.code());
    }
}

void create_symlink(int dev_fd, const char* target, const char* name) {
    if (::symlinkat(target, dev_fd, name) && errno != EEXIST)
        throw_errno(std::string("symlink /dev/") + name);
}

bool has_mount_at(const spec::Spec& spec, const std::string& destination, bool bind) {
    for (const auto& mount : spec.mounts)
        if (mount.destination == destination && is_bind_mount(mount) == bind) return true;
    return false;
}

// The host's /dev/null, checked to be the real 1:3 character device.
UniqueFd verified_dev_null() {
    UniqueFd fd = sys::open_file("/dev/null", O_PATH);
    struct stat st;
    if (::fstat(fd.get(), &st) || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
        throw Error("/dev/null is not the null device: refusing to use it for masking");
    return fd;
}

}  // namespace

void setup_devices(Context& ctx, int root_fd) {
    // A /dev bind-mounted from the host is used as it is.
    if (has_mount_at(ctx.spec, "/dev", true)) return;
    bool bind = ctx.in_user_namespace;
    DeviceDirs dirs(root_fd);
    for (const auto& device : default_devices())
        with_context("device " + device.path, [&] { create_device(dirs, device, bind); });
    if (ctx.spec.linux)
        for (const auto& device : ctx.spec.linux->devices)
            with_context("device " + device.path, [&] { create_device(dirs, device, bind); });

    int dev = dirs.get("/dev");
    create_symlink(dev, "/proc/self/fd", "fd");
    create_symlink(dev, "/proc/self/fd/0", "stdin");
    create_symlink(dev, "/proc/self/fd/1", "stdout");
    create_symlink(dev, "/proc/self/fd/2", "stderr");
    if (sys::path_exists("/proc/kcore")) create_symlink(dev, "/proc/kcore", "core");
    if (has_mount_at(ctx.spec, "/dev/pts", false)) {
        // Each container has its own devpts instance: /dev/ptmx must point into it.
        if (::unlinkat(dev, "ptmx", 0) && errno != ENOENT) throw_errno("remove /dev/ptmx");
        create_symlink(dev, "pts/ptmx", "ptmx");
    }
}

void mask_paths(Context& ctx, int root_fd) {
    if (!ctx.spec.linux) return;
    const auto& linux = *ctx.spec.linux;
    UniqueFd dev_null;
    for (const auto& path : linux.masked_paths) {
        int raw = try_open_in_root(root_fd, path, O_PATH);
        if (raw < 0) {
            if (errno == ENOENT) continue;
            throw_errno("mask " + path);
        }
        UniqueFd target(raw);
        struct stat st;
        if (::fstat(target.get(), &st)) throw_errno("stat " + path);
        UniqueFd mask;
        if (S_ISDIR(st.st_mode)) {
            mask = new_filesystem("tmpfs", "tmpfs", {}, {}, MOUNT_ATTR_RDONLY);
        } else {
            if (!dev_null) dev_null = verified_dev_null();
            mask = clone_tree(dev_null.get(), "", false);
        }
        with_context("mask " + path, [&] { attach(mask.get(), target.get()); });
    }
    for (const auto& path : linux.readonly_paths) {
        int raw = try_open_in_root(root_fd, path, O_PATH);
        if (raw < 0) {
            if (errno == ENOENT) continue;
            throw_errno("make " + path + " read-only");
        }
        UniqueFd target(raw);
        with_context("make " + path + " read-only", [&] {
            UniqueFd tree = clone_tree(target.get(), "", true);
            set_attrs(tree.get(), MOUNT_ATTR_RDONLY, 0, true);
            attach(tree.get(), target.get());
        });
    }
}

}  // namespace minirunc::init
