// Static checks of linux.seccomp (names, errnoRet, notify and its listener).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;

json config_with(const json& seccomp) {
    return {{"ociVersion", "1.3.0"},
            {"process", {{"args", {"sh"}}, {"cwd", "/"}}},
            {"root", {{"path", "rootfs"}}},
            {"linux", {{"namespaces", {{{"type", "mount"}}}}, {"seccomp", seccomp}}}};
}

std::string seccomp_error(const json& seccomp) {
    try {
        validate(parse(config_with(seccomp)));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

json valid() {
    return json::parse(R"({
      "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "flags": ["SECCOMP_FILTER_FLAG_LOG"],
      "syscalls": [
        {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
        {"names": ["clone"], "action": "SCMP_ACT_TRACE", "errnoRet": 1,
         "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}
      ]})");
}

TEST(SpecValidateSeccomp, AcceptsAFullProfile) {
    EXPECT_EQ(seccomp_error(valid()), "");
}

TEST(SpecValidateSeccomp, DefaultActionIsRequiredAndKnown) {
    json s = valid();
    s.erase("defaultAction");
    EXPECT_EQ(seccomp_error(s), "config.json: /linux/seccomp/defaultAction: is required");
    s["defaultAction"] = "SCMP_ACT_NOPE";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/defaultAction: string SCMP_ACT_NOPE is not a valid "
              "action for seccomp");
}

TEST(SpecValidateSeccomp, ErrnoRetOnlyWithErrnoOrTrace) {
    json s = valid();
    s["defaultAction"] = "SCMP_ACT_KILL";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/defaultErrnoRet: only SCMP_ACT_ERRNO and "
              "SCMP_ACT_TRACE take an errno");
    s = valid();
    s["syscalls"][0]["errnoRet"] = 1;
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/0/errnoRet: only SCMP_ACT_ERRNO and "
              "SCMP_ACT_TRACE take an errno");
}

TEST(SpecValidateSeccomp, UnknownArchitectureFlagOperatorOrActionIsNamed) {
    json s = valid();
    s["architectures"][1] = "SCMP_ARCH_PDP11";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/architectures/1: string SCMP_ARCH_PDP11 is not a "
              "valid arch for seccomp");
    s = valid();
    s["flags"] = {"SECCOMP_FILTER_FLAG_NOPE"};
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/flags/0: seccomp flag \"SECCOMP_FILTER_FLAG_NOPE\" is "
              "not known");
    s = valid();
    s["syscalls"][1]["args"][0]["op"] = "SCMP_CMP_ALMOST";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/1/args/0/op: string SCMP_CMP_ALMOST is not a "
              "valid operator for seccomp");
    s = valid();
    s["syscalls"][0]["action"] = "allow";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/0/action: string allow is not a valid action "
              "for seccomp");
}

TEST(SpecValidateSeccomp, SyscallNamesAreRequiredAndNotEmpty) {
    json s = valid();
    s["syscalls"][0]["names"] = json::array();
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/0/names: must name at least one syscall");
    s["syscalls"][0]["names"] = {"read", ""};
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/0/names/1: empty string is not a valid "
              "syscall");
}

TEST(SpecValidateSeccomp, ArgumentIndexIsBelowSix) {
    json s = valid();
    s["syscalls"][1]["args"][0]["index"] = 6;
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/1/args/0/index: a syscall has at most 6 "
              "arguments (index 0 to 5)");
}

TEST(SpecValidateSeccomp, NotifyNeedsAListenerPathAndIsNeverTheDefault) {
    json s = valid();
    s["syscalls"][0]["action"] = "SCMP_ACT_NOTIFY";
    s["syscalls"][0]["names"] = {"mount"};
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/syscalls/0/action: SCMP_ACT_NOTIFY requires "
              "/linux/seccomp/listenerPath");
    s["listenerPath"] = "/run/agent.sock";
    s["listenerMetadata"] = "opaque";
    EXPECT_EQ(seccomp_error(s), "");
    s["defaultAction"] = "SCMP_ACT_NOTIFY";
    s.erase("defaultErrnoRet");
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/defaultAction: SCMP_ACT_NOTIFY cannot be used as the "
              "default action");
}

TEST(SpecValidateSeccomp, NotifyOnTheSyscallThatCarriesTheListenerIsRefused) {
    json s = valid();
    s["listenerPath"] = "/run/agent.sock";
    s["syscalls"][0] = {{"names", {"sendmsg"}}, {"action", "SCMP_ACT_NOTIFY"}};
    EXPECT_NE(seccomp_error(s).find("SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall"),
              std::string::npos);
}

TEST(SpecValidateSeccomp, MetadataWithoutListenerPathIsRefused) {
    json s = valid();
    s["listenerMetadata"] = "opaque";
    EXPECT_EQ(seccomp_error(s),
              "config.json: /linux/seccomp/listenerMetadata: must not be set without "
              "listenerPath");
}

}  // namespace
}  // namespace minirunc::spec
