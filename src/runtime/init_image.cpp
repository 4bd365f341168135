#include "init_image.hpp"

#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "minirunc/elf_build_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/paths.hpp"
#include "minirunc/sys/file.hpp"

// init_image.S
extern "C" const unsigned char minirunc_init_image_start[];
extern "C" const unsigned char minirunc_init_image_end[];

// The libexec directory relative to the install prefix (GNUInstallDirs).
#ifndef MINIRUNC_LIBEXEC_RELATIVE
#define MINIRUNC_LIBEXEC_RELATIVE "libexec"
#endif

namespace minirunc::runtime {
namespace {

// A build id lies in the notes right after the ELF headers.
constexpr size_t kHeadBytes = 4096;

std::optional<std::string> build_id_at(int fd, off_t offset) {
    char head[kHeadBytes];
    ssize_t n = ::pread(fd, head, sizeof head, offset);
    if (n <= 0) return std::nullopt;
    return elf_build_id(std::string_view(head, static_cast<size_t>(n)));
}

// A part of a file: a whole minirunc-init, or the image inside our own.
struct ImageFile {
    UniqueFd fd;
    off_t offset = 0;
    size_t size = 0;
};

// The embedded image as bytes of our own executable: copied from there with
// sendfile and its build id read with pread, so none of its pages is ever
// mapped into the runtime (no RSS for the ~1 MB it takes).
std::optional<ImageFile> embedded_image() {
    const auto address = reinterpret_cast<uintptr_t>(minirunc_init_image_start);
    struct Found {
        uintptr_t address;
        std::optional<off_t> offset;
    } found{address, std::nullopt};
    ::dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            auto* f = static_cast<Found*>(data);
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
                if (ph.p_type == PT_LOAD && f->address >= start && f->address < start + ph.p_filesz)
                    f->offset = static_cast<off_t>(ph.p_offset + (f->address - start));
            }
            return 1;  // the main program comes first, and holds the image
        },
        &found);
    if (!found.offset) return std::nullopt;
    UniqueFd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    if (!self) return std::nullopt;
    return ImageFile{std::move(self), *found.offset,
                     static_cast<size_t>(minirunc_init_image_end - minirunc_init_image_start)};
}

// The init runs from a sealed in-memory copy: a container can never reach
// the binary on disk through /proc/<pid>/exe (CVE-2019-5736).
UniqueFd sealed_copy(const ImageFile& image, const std::string& what) {
    UniqueFd memfd(::memfd_create("minirunc-init", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!memfd) throw_errno("memfd_create");
    off_t offset = image.offset;
    size_t remaining = image.size;
    while (remaining > 0) {
        ssize_t n = image.fd
                        ? ::sendfile(memfd.get(), image.fd.get(), &offset, remaining)
                        : ::write(memfd.get(), minirunc_init_image_start + (image.size - remaining),
                                  remaining);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw_errno("copy " + what);
        remaining -= static_cast<size_t>(n);
    }
    int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    if (::fcntl(memfd.get(), F_ADD_SEALS, seals)) throw_errno("seal init copy");
    return memfd;
}

// The same protection without copying 1 MB per container (runc 1.2 does the
// same): the init runs from a private read-only bind mount of the binary,
// detached from every mount namespace, so /proc/<pid>/exe reaches only a
// file on which every write fails with EROFS and which no one can remount.
// Needs CAP_SYS_ADMIN; empty when that is not at hand.
UniqueFd read_only_clone(int file) {
    UniqueFd tree(::open_tree(file, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
    if (!tree) return {};
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr)) return {};
    return tree;
}

UniqueFd executable_of(const std::string& path, UniqueFd file) {
    if (UniqueFd clone = read_only_clone(file.get())) return clone;
    struct stat st;
    if (::fstat(file.get(), &st)) throw_errno("stat " + path);
    return sealed_copy(ImageFile{std::move(file), 0, static_cast<size_t>(st.st_size)}, path);
}

}  // namespace

std::vector<std::string> helper_binary_candidates(const std::string& name) {
    std::vector<std::string> candidates;
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        std::string dir = dirname_of(self);
        candidates.push_back(dir + "/" + name);
        candidates.push_back(dirname_of(dir) + "/" MINIRUNC_LIBEXEC_RELATIVE "/minirunc/" + name);
    }
    candidates.push_back(std::string(MINIRUNC_INSTALL_LIBEXEC) + "/minirunc/" + name);
    return candidates;
}

UniqueFd init_executable() {
    if (const char* env = std::getenv("MINIRUNC_INIT"); env && *env)
        return executable_of(env, sys::open_file(env, O_RDONLY));
    std::optional<ImageFile> embedded = embedded_image();
    std::optional<std::string> id =
        embedded ? build_id_at(embedded->fd.get(), embedded->offset) : std::nullopt;
    if (id) {
        for (const std::string& candidate : helper_binary_candidates("minirunc-init")) {
            UniqueFd file(::open(candidate.c_str(), O_RDONLY | O_CLOEXEC));
            if (file && build_id_at(file.get(), 0) == id)
                return executable_of(candidate, std::move(file));
        }
    }
    if (embedded) return sealed_copy(*embedded, "embedded minirunc-init");
    // No /proc/self/exe: copy the image from our memory.
    const auto size = static_cast<size_t>(minirunc_init_image_end - minirunc_init_image_start);
    return sealed_copy(ImageFile{UniqueFd(), 0, size}, "embedded minirunc-init");
}

}  // namespace minirunc::runtime
