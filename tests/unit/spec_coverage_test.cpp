#include "minirunc/spec_coverage.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "minirunc/features.hpp"
#include "spec_example.hpp"

namespace minirunc {
namespace {

using nlohmann::json;

// The example sets every member the model knows; these add what it leaves
// out (every hook kind, netDevices, memoryPolicy, id-mapped mounts).
json every_field_config() {
    json doc = spec::testing::full_example_config();
    json hook = {{"path", "/bin/true"}, {"args", {"true"}}, {"env", {"A=1"}}, {"timeout", 5}};
    for (const char* kind : {"prestart", "createRuntime", "createContainer", "startContainer",
                             "poststart", "poststop"})
        doc["hooks"][kind] = {hook};
    json mapping = {{"containerID", 0}, {"hostID", 1000}, {"size", 1}};
    doc["mounts"][0]["uidMappings"] = {mapping};
    doc["mounts"][0]["gidMappings"] = {mapping};
    doc["linux"]["netDevices"] = {{"eth0", {{"name", "eth9"}}}};
    doc["linux"]["memoryPolicy"] = {
        {"mode", "MPOL_BIND"}, {"nodes", "0"}, {"flags", {"MPOL_F_STATIC_NODES"}}};
    return doc;
}

const FieldCoverage* row_for(const std::string& pointer) {
    for (const auto& row : spec_coverage())
        if (pointer_matches(row.pointer, pointer)) return &row;
    return nullptr;
}

TEST(SpecCoverage, PointerPatterns) {
    EXPECT_TRUE(pointer_matches("/mounts/*/type", "/mounts/3/type"));
    EXPECT_TRUE(pointer_matches("/linux/netDevices/*/name", "/linux/netDevices/eth0/name"));
    EXPECT_FALSE(pointer_matches("/mounts/*/type", "/mounts/3"));
    EXPECT_FALSE(pointer_matches("/process/args", "/process/env"));
}

// The property: no field the parser accepts is missing from the table.
TEST(SpecCoverage, EveryFieldTheParserReadsIsInTheTable) {
    std::vector<std::string> lookups = parser_lookups(every_field_config());
    ASSERT_GT(lookups.size(), 150u);
    for (const auto& pointer : lookups)
        EXPECT_NE(row_for(pointer), nullptr) << pointer << " is read but not in spec_coverage()";
}

// And the table names no field the parser never reads (except other platforms').
TEST(SpecCoverage, EveryTableFieldIsReadByTheParser) {
    std::vector<std::string> lookups = parser_lookups(every_field_config());
    for (const auto& row : spec_coverage()) {
        if (row.coverage == Coverage::NotParsed) continue;
        bool read = false;
        for (const auto& pointer : lookups) {
            // A map key row ("/linux/netDevices/*") is read through its members.
            std::string prefix = pointer;
            for (;;) {
                if (pointer_matches(row.pointer, prefix)) read = true;
                size_t slash = prefix.rfind('/');
                if (read || slash == 0 || slash == std::string::npos) break;
                prefix.resize(slash);
            }
            if (read) break;
        }
        EXPECT_TRUE(read) << row.pointer << " is in the table but never read";
    }
}

TEST(SpecCoverage, EveryIgnoredOrRefusedFieldSaysWhy) {
    std::set<std::string> seen;
    for (const auto& row : spec_coverage()) {
        EXPECT_TRUE(seen.insert(std::string(row.pointer)).second) << "duplicate " << row.pointer;
        if (row.coverage != Coverage::Applied && row.pointer.find('*') == std::string::npos &&
            row.coverage != Coverage::NotParsed) {
            EXPECT_FALSE(row.note.empty()) << row.pointer;
        }
    }
    // The issue-24 fields are applied (or refused), never ignored.
    for (const char* field : {"/process/scheduler/policy", "/process/ioPriority/class",
                              "/process/execCPUAffinity/final", "/linux/personality/domain",
                              "/linux/memoryPolicy/mode", "/linux/intelRdt/closID"}) {
        const FieldCoverage* row = row_for(field);
        ASSERT_NE(row, nullptr) << field;
        EXPECT_NE(row->coverage, Coverage::Ignored) << field;
    }
}

// `features`: a feature reported disabled gates only rows that are refused
// (or refused by the host), never ones that would be silently ignored.
TEST(SpecCoverage, FeaturesReportedDisabledAreNeverIgnored) {
    json doc = features_document(FeatureSwitches{})["linux"];
    for (const auto& row : spec_coverage()) {
        if (row.feature.empty()) continue;
        std::string feature(row.feature.substr(std::string_view("linux.").size()));
        json::json_pointer ptr("/" + [&] {
            std::string p = feature;
            for (auto& c : p)
                if (c == '.') c = '/';
            return p;
        }());
        ASSERT_TRUE(doc.contains(ptr)) << row.feature << " is not in `features`";
        json value = doc[ptr];
        bool enabled = value.is_boolean() ? value.get<bool>() : value.value("enabled", true);
        if (!enabled) {
            EXPECT_TRUE(row.coverage == Coverage::HostRefused || row.coverage == Coverage::Refused)
                << row.pointer << " is gated by " << row.feature << ", reported disabled";
        }
    }
}

// docs/spec-coverage.md is the table's Markdown (regenerate with
// MINIRUNC_WRITE_COVERAGE=1 build/bin/unit_tests --gtest_filter=SpecCoverage.*).
TEST(SpecCoverage, DocMatchesTheTable) {
    std::string source = __FILE__;
    if (source[0] != '/') {
        // Relative to where it was compiled (ccache's base_dir): <build>/tests,
        // beside <build>/bin where this binary is.
        char exe[4096];
        ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            std::string dir(exe, static_cast<size_t>(n));
            source = dir.substr(0, dir.rfind('/')) + "/../tests/" + source;
        }
    }
    std::string doc = source.substr(0, source.rfind("tests/unit/")) + "docs/spec-coverage.md";
    if (std::getenv("MINIRUNC_WRITE_COVERAGE")) std::ofstream(doc) << spec_coverage_markdown();
    std::ifstream in(doc);
    if (!in) GTEST_SKIP() << "source tree not found from " << source;
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), spec_coverage_markdown()) << doc << " is stale: regenerate it";
}

}  // namespace
}  // namespace minirunc
