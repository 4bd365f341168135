// Pieces of text shared by --help, the man pages and the completion script.
#pragma once

#include <string>
#include <vector>

#include "minirunc/cli.hpp"

namespace minirunc::cli {

inline constexpr const char* kProgramSummary =
    "an OCI runtime-spec 1.3 container runtime, compatible with runc";
inline constexpr const char* kProgramDescription =
    "minirunc runs containers from OCI bundles: a directory with a config.json and the "
    "root filesystem it names. It takes runc's commands and flags, so containerd, podman "
    "and docker can use it in place of runc.\n\n"
    "To run a container: \"minirunc spec\" in the bundle directory writes a config.json, "
    "then \"minirunc run <container-id>\" runs it.";

// The words separated by sep.
std::string join(const std::vector<std::string>& words, const std::string& sep);
// "--bundle DIR, -b DIR" (value_sep between a flag and its placeholder).
std::string flag_label(const FlagSpec& flag, const std::string& value_sep);
// The flag's help with "(default: ...)" when it has one.
std::string flag_help(const FlagSpec& flag);
// A description's paragraphs (separated by blank lines).
std::vector<std::string> paragraphs(const std::string& text);

}  // namespace minirunc::cli
