#include "seccomp_cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "minirunc/base64.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "seccomp_compile.hpp"

namespace minirunc::runtime {
namespace {

// Bumped whenever the compiler's output for one profile changes (2: the
// ENOSYS stub), so that no older program is loaded.
constexpr int kEntryFormat = 2;

// FNV-1a names the entry; the entry holds the whole key, compared exactly,
// so a hash collision only costs a recompile.
std::string entry_name(const std::string& key) {
    uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ULL;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(hash));
    return name;
}

// A directory of ours that nobody else may write to, or an empty fd.
UniqueFd open_private_dir(int dirfd, const std::string& path) {
    ::mkdirat(dirfd, path.c_str(), 0700);
    UniqueFd fd(::openat(dirfd, path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st;
    if (!fd || ::fstat(fd.get(), &st) || st.st_uid != ::geteuid() || (st.st_mode & 022))
        return UniqueFd();
    return fd;
}

UniqueFd open_cache(const std::string& cache_dir) {
    std::string base = cache_dir.substr(0, cache_dir.rfind('/'));
    try {
        sys::mkdir_all(base, 0700);
    } catch (const Error&) {
        return UniqueFd();
    }
    UniqueFd base_fd = open_private_dir(AT_FDCWD, base);
    if (!base_fd) return UniqueFd();
    return open_private_dir(base_fd.get(), cache_dir.substr(base.size() + 1));
}

std::optional<SeccompProgram> load_entry(int dir, const std::string& name, const std::string& key) {
    UniqueFd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return std::nullopt;
    nlohmann::json entry = nlohmann::json::parse(sys::read_fd(fd.get()), nullptr, false);
    if (!entry.is_object() || entry.value("format", 0) != kEntryFormat ||
        entry.value("key", "") != key)
        return std::nullopt;
    SeccompProgram program;
    program.bpf = base64_decode(entry.at("bpf").get<std::string>());
    program.flags = entry.at("flags").get<unsigned long>();
    program.notify = entry.at("notify").get<bool>();
    ::futimens(fd.get(), nullptr);  // used now: the last to be evicted
    return program;
}

void store_entry(int dir, const std::string& name, const std::string& key,
                 const SeccompProgram& program) {
    nlohmann::json entry = {{"format", kEntryFormat},
                            {"key", key},
                            {"bpf", base64_encode(program.bpf)},
                            {"flags", program.flags},
                            {"notify", program.notify}};
    std::string tmp = "." + name + "." + std::to_string(::getpid());
    UniqueFd fd(
        ::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return;
    sys::write_all(fd.get(), entry.dump());
    fd.reset();
    if (::renameat(dir, tmp.c_str(), dir, name.c_str())) ::unlinkat(dir, tmp.c_str(), 0);
}

// Every file counts, a writer's temporary one too (a crashed writer's
// would stay forever otherwise). Another runtime may evict at the same
// time: whatever is gone already is skipped.
void evict(int dir) {
    UniqueFd listing(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    DIR* stream = listing ? ::fdopendir(listing.get()) : nullptr;
    if (!stream) return;
    listing.release();
    std::vector<CacheEntry> entries;
    while (dirent* d = ::readdir(stream)) {
        struct stat st;
        std::string name = d->d_name;
        if (name == "." || name == "..") continue;
        if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
            continue;
        entries.push_back({name, static_cast<uint64_t>(st.st_size),
                           st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec});
    }
    ::closedir(stream);
    for (const auto& name : plan_lru_eviction(entries, kSeccompCacheLimits))
        ::unlinkat(dir, name.c_str(), 0);
}

}  // namespace

std::string seccomp_cache_dir(bool rootless) {
    const char* configured = std::getenv("MINIRUNC_CACHE_DIR");
    if (configured && *configured == '/') return std::string(configured) + "/seccomp";
    if (!rootless && ::geteuid() == 0) return "/run/minirunc-cache/seccomp";
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    if (xdg && *xdg == '/') return std::string(xdg) + "/minirunc-cache/seccomp";
    return "";
}

SeccompProgram compile_seccomp_cached(const std::string& cache_dir, const std::string& key,
                                      const spec::Seccomp& config) {
    UniqueFd dir = open_cache(cache_dir);
    std::string name = entry_name(key);
    if (dir) {
        try {
            if (auto program = load_entry(dir.get(), name, key)) return *program;
        } catch (const std::exception&) {
            // A damaged entry is recompiled and replaced below.
        }
    }
    SeccompProgram program = compile_seccomp(config);
    if (!dir) return program;
    try {
        store_entry(dir.get(), name, key, program);
        evict(dir.get());
    } catch (const std::exception&) {
    }
    return program;
}

}  // namespace minirunc::runtime
