// Every field of runtime-spec 1.3's config (config.md, config-linux.md) and
// what minirunc does with it: applied, refused (and when), or ignored (and
// why). Nothing the parser reads is missing from this table: a unit test
// parses a config holding every field and fails on a lookup the table does
// not list (tests/unit/spec_coverage_test.cpp). docs/spec-coverage.md is
// printed from it (`spec_coverage_markdown`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minirunc {

enum class Coverage {
    Applied,      // done as the spec says
    HostRefused,  // applied where the host can, refused (naming the field) where it cannot
    Refused,      // always refused when set
    Ignored,      // accepted and not used, for the reason given
    NotParsed,    // another platform's object: never read
};

struct FieldCoverage {
    std::string_view pointer;  // JSON pointer; "*" stands for any array index or map key
    Coverage coverage;
    std::string_view note;     // how, the condition of a refusal, or why it is ignored
    std::string_view feature;  // the `features` switch that gates it ("linux.intelRdt"), if any
};

const std::vector<FieldCoverage>& spec_coverage();
std::string_view to_string(Coverage coverage);

// Whether `pointer` ("/mounts/3/type") matches a table `pattern` ("/mounts/*/type").
bool pointer_matches(std::string_view pattern, std::string_view pointer);

// Every member pointer spec::parse looks up while reading `doc`.
std::vector<std::string> parser_lookups(const nlohmann::json& doc);

// The table as Markdown (docs/spec-coverage.md).
std::string spec_coverage_markdown();

}  // namespace minirunc
