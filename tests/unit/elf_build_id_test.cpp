#include "minirunc/elf_build_id.hpp"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>

namespace minirunc {
namespace {

// A 64-bit ELF header, one PT_NOTE program header, then notes.
std::string elf_with_notes(const std::string& notes) {
    std::string out(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr), '\0');
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_phoff = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 1;
    Elf64_Phdr ph{};
    ph.p_type = PT_NOTE;
    ph.p_offset = out.size();
    ph.p_filesz = notes.size();
    std::memcpy(out.data(), &eh, sizeof eh);
    std::memcpy(out.data() + sizeof eh, &ph, sizeof ph);
    return out + notes;
}

std::string note(uint32_t type, const std::string& name, const std::string& desc) {
    Elf64_Nhdr nh{static_cast<uint32_t>(name.size()), static_cast<uint32_t>(desc.size()), type};
    std::string out(reinterpret_cast<const char*>(&nh), sizeof nh);
    auto padded = [](std::string s) { return s + std::string((4 - s.size() % 4) % 4, '\0'); };
    return out + padded(name) + padded(desc);
}

TEST(ElfBuildId, FindsTheGnuBuildIdNoteAfterOthers) {
    std::string notes = note(NT_GNU_ABI_TAG, std::string("GNU\0", 4), std::string(16, '\0')) +
                        note(NT_GNU_BUILD_ID, std::string("GNU\0", 4), "\x01\xab\xff\x10");
    EXPECT_EQ(elf_build_id(elf_with_notes(notes)), "01abff10");
}

TEST(ElfBuildId, NothingWithoutTheNoteOrForOtherFiles) {
    EXPECT_EQ(elf_build_id(elf_with_notes(note(NT_GNU_BUILD_ID, "XYZ", "\x01"))), std::nullopt);
    EXPECT_EQ(elf_build_id(elf_with_notes("")), std::nullopt);
    EXPECT_EQ(elf_build_id("#!/bin/sh\necho not an ELF file\n"), std::nullopt);
    EXPECT_EQ(elf_build_id(""), std::nullopt);
}

TEST(ElfBuildId, TruncatedNotesAreNotReadPastTheEnd) {
    std::string image =
        elf_with_notes(note(NT_GNU_BUILD_ID, std::string("GNU\0", 4), std::string(20, 'x')));
    EXPECT_EQ(elf_build_id(image.substr(0, image.size() - 8)), std::nullopt);
}

}  // namespace
}  // namespace minirunc
