// The last steps: find the executable (inside the container, with its PATH),
// tell the runtime we are ready, wait for `start` on the exec fifo, execve.
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "init.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {
namespace {

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
    for (const auto& entry : env)
        if (entry.compare(0, name.size() + 1, name + "=") == 0)
            return entry.substr(name.size() + 1);
    return "";
}

bool is_executable_file(const std::string& path, int& err) {
    struct stat st;
    if (::stat(path.c_str(), &st)) {
        err = errno;
        return false;
    }
    if (S_ISDIR(st.st_mode) || ::access(path.c_str(), X_OK)) {
        err = EACCES;
        return false;
    }
    return true;
}

}  // namespace

std::string find_executable(const spec::Process& process) {
    const std::string& name = process.args.at(0);
    int err = 0;
    if (name.find('/') != std::string::npos) {
        if (is_executable_file(name, err)) return name;
        throw Error("exec: \"" + name + "\": stat " + name + ": " + errno_text(err), err);
    }
    std::string path = env_value(process.env, "PATH");
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) dir = ".";
        std::string candidate = dir + "/" + name;
        if (is_executable_file(candidate, err)) return candidate;
        start = end + 1;
    }
    throw Error("exec: \"" + name + "\": executable file not found in $PATH", ENOENT);
}

void prepare_for_ready(Context& ctx) {
    unsigned first_closed = 3 + static_cast<unsigned>(ctx.bootstrap.preserve_fds);
    if (::close_range(first_closed, ~0U, CLOSE_RANGE_CLOEXEC)) throw_errno("close_range");
    ::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
}

void report_ready(Context& ctx) {
    ctx.channel.send({{"type", "ready"}});
    // exec: kept (close-on-exec) so the runtime learns the execve's outcome.
    if (ctx.bootstrap.mode != "exec") ctx.channel.close();
}

// A created container may wait a long time for `start`, and its image is
// replaced at execve anyway: drop the code and read-only pages setup touched
// (they stay in the page cache or the sealed memfd and fault back in on use), and the free heap.
// Everything is looked up first, so little code runs between madvise and the
// blocking open: each page fault maps a 64 KiB window again.
struct ImageRanges {
    unsigned long start[16];
    unsigned long length[16];
    int count = 0;
};

// The pages of our image that relocation changed after loading (PT_GNU_RELRO:
// the GOT, made read-only afterwards). Dropping them would fault the file's
// unrelocated bytes back in: only pages equal to the file may go.
struct AddressRange {
    unsigned long start = 0, end = 0;
};

AddressRange relro_range() {
    AddressRange relro;
    ::dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* out) {
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const auto& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_GNU_RELRO) continue;
                auto* range = static_cast<AddressRange*>(out);
                range->start = info->dlpi_addr + ph.p_vaddr;
                range->end = range->start + ph.p_memsz;
            }
            return 1;  // the main program comes first: the only one we drop pages of
        },
        &relro);
    return relro;
}

ImageRanges read_only_image_ranges(int procfs) {
    ImageRanges ranges;
    const AddressRange relro = relro_range();
    // Our image's mappings are those of our executable's inode: its name in
    // maps is no help (a memfd, or "/" for a detached bind mount).
    std::string pid = std::to_string(::getpid());
    struct stat exe;
    if (::fstatat(procfs, (pid + "/exe").c_str(), &exe, 0)) return ranges;
    int fd = ::openat(procfs, (pid + "/maps").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ranges;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return ranges;
    buf[n] = '\0';
    for (char* line = buf; *line && ranges.count < 16;) {
        char* next = std::strchr(line, '\n');
        if (next) *next = '\0';
        unsigned long start = 0, end = 0, offset = 0, inode = 0;
        unsigned major = 0, minor = 0;
        char perms[5] = {};
        // Read-only or executable mappings of our image only: never data, heap or stack.
        if (std::sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &start, &end, perms, &offset, &major,
                        &minor, &inode) == 7 &&
            perms[1] != 'w' && inode == exe.st_ino && major == ::major(exe.st_dev) &&
            minor == ::minor(exe.st_dev) && (end <= relro.start || start >= relro.end)) {
            ranges.start[ranges.count] = start;
            ranges.length[ranges.count++] = end - start;
        }
        if (!next) break;
        line = next + 1;
    }
    return ranges;
}

void release_image_pages(const ImageRanges& ranges) {
    ::malloc_trim(0);
    for (int i = 0; i < ranges.count; ++i)
        ::madvise(reinterpret_cast<void*>(ranges.start[i]), ranges.length[i], MADV_DONTNEED);
}

void wait_for_start(Context& ctx) {
    // Blocks until `start` opens the fifo for reading. Nobody is listening on
    // the sync channel any more: failures go to stderr.
    std::string self_fd = "self/fd/" + std::to_string(ctx.exec_fifo.get());
    release_image_pages(read_only_image_ranges(ctx.procfs.get()));
    int fifo = ::openat(ctx.procfs.get(), self_fd.c_str(), O_WRONLY | O_CLOEXEC);
    if (fifo < 0) {
        std::fprintf(stderr, "minirunc-init: open exec fifo: %s\n", std::strerror(errno));
        ::_exit(1);
    }
    if (::write(fifo, "0", 1) != 1) ::_exit(1);
    // Kept open (close-on-exec) so `start` sees end-of-file exactly when the
    // workload is executed, or a startContainer hook's failure before that.
    ctx.exec_fifo.reset(fifo);
    ctx.procfs.reset();
}

void exec_workload(Context& ctx, const std::string& executable) {
    const spec::Process& process = *ctx.spec.process;
    std::vector<char*> argv, envp;
    for (const auto& arg : process.args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const auto& var : process.env)
        if (ctx.home.empty() || var != "HOME=") envp.push_back(const_cast<char*>(var.c_str()));
    if (!ctx.home.empty()) envp.push_back(ctx.home.data());
    envp.push_back(nullptr);
    apply_seccomp(ctx, SeccompLoadPoint::before_exec);
    ::execve(executable.c_str(), argv.data(), envp.data());
    int err = errno;
    std::string message = "exec " + executable + ": " + errno_text(err);
    if (ctx.channel.fd() >= 0)
        ctx.channel.send_error(message, err);
    else
        std::fprintf(stderr, "%s\n", message.c_str());
    ::_exit(err == ENOENT ? 127 : 126);
}

}  // namespace minirunc::init
