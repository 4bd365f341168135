#include "minirunc/elf_build_id.hpp"

#include <elf.h>

#include <cstring>

namespace minirunc {
namespace {

template <typename T>
bool read_at(std::string_view data, uint64_t offset, T& out) {
    if (offset > data.size() || data.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, data.data() + offset, sizeof(T));
    return true;
}

uint64_t align4(uint64_t n) {
    return (n + 3) & ~uint64_t{3};
}

std::optional<std::string> build_id_in_notes(std::string_view data, uint64_t offset,
                                             uint64_t size) {
    if (offset > data.size() || size > data.size() - offset) return std::nullopt;
    const uint64_t end = offset + size;
    while (end - offset >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr note;
        read_at(data, offset, note);
        const uint64_t name = offset + sizeof note;
        const uint64_t desc = name + align4(note.n_namesz);
        const uint64_t next = desc + align4(note.n_descsz);
        if (next > end || next <= offset) return std::nullopt;
        if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
            data.substr(name, 4) == std::string_view("GNU\0", 4) && note.n_descsz > 0) {
            static const char hex[] = "0123456789abcdef";
            std::string out;
            for (uint64_t i = 0; i < note.n_descsz; ++i) {
                auto byte = static_cast<unsigned char>(data[desc + i]);
                out += hex[byte >> 4];
                out += hex[byte & 15];
            }
            return out;
        }
        offset = next;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_build_id(std::string_view head) {
    Elf64_Ehdr eh;
    if (!read_at(head, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
        return std::nullopt;
    for (uint64_t i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        if (!read_at(head, eh.e_phoff + i * sizeof ph, ph)) return std::nullopt;
        if (ph.p_type != PT_NOTE) continue;
        if (auto id = build_id_in_notes(head, ph.p_offset, ph.p_filesz)) return id;
    }
    return std::nullopt;
}

}  // namespace minirunc
