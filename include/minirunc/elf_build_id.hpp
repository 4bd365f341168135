// The GNU build id of an ELF image (the .note.gnu.build-id note): how the
// runtime tells whether an installed minirunc-init is the one it was built with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace minirunc {

// The build id in hex, read from the first bytes of a 64-bit ELF file
// (`head`: its notes must lie inside); nothing when there is none in them.
std::optional<std::string> elf_build_id(std::string_view head);

}  // namespace minirunc
