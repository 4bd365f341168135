#include "minirunc/seccomp_names.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "error_text.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

using test::error_of;

TEST(SeccompNames, Actions) {
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_ALLOW"), SeccompAction::allow);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_ERRNO"), SeccompAction::errno_ret);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_KILL"), SeccompAction::kill);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_KILL_PROCESS"), SeccompAction::kill_process);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_KILL_THREAD"), SeccompAction::kill_thread);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_LOG"), SeccompAction::log);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_NOTIFY"), SeccompAction::notify);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_TRACE"), SeccompAction::trace);
    EXPECT_EQ(parse_seccomp_action("SCMP_ACT_TRAP"), SeccompAction::trap);
    EXPECT_EQ(error_of([] { parse_seccomp_action("SCMP_ACT_NOPE"); }),
              "string SCMP_ACT_NOPE is not a valid action for seccomp");
    EXPECT_THROW(parse_seccomp_action("scmp_act_allow"), Error);
    for (const auto& name : seccomp_action_names()) {
        EXPECT_EQ(seccomp_action_name(parse_seccomp_action(name)), name);
    }
    EXPECT_EQ(seccomp_action_names().size(), 9u);
}

TEST(SeccompNames, Operators) {
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_NE"), SeccompOperator::ne);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_LT"), SeccompOperator::lt);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_LE"), SeccompOperator::le);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_EQ"), SeccompOperator::eq);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_GE"), SeccompOperator::ge);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_GT"), SeccompOperator::gt);
    EXPECT_EQ(parse_seccomp_operator("SCMP_CMP_MASKED_EQ"), SeccompOperator::masked_eq);
    EXPECT_EQ(error_of([] { parse_seccomp_operator("SCMP_CMP_XX"); }),
              "string SCMP_CMP_XX is not a valid operator for seccomp");
    for (const auto& name : seccomp_operator_names()) {
        EXPECT_EQ(seccomp_operator_name(parse_seccomp_operator(name)), name);
    }
    EXPECT_EQ(seccomp_operator_names().size(), 7u);
}

TEST(SeccompNames, Archs) {
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_X86_64"), "x86_64");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_X86"), "x86");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_X32"), "x32");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_AARCH64"), "aarch64");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_ARM"), "arm");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_MIPSEL64N32"), "mipsel64n32");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_PPC64LE"), "ppc64le");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_S390X"), "s390x");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_RISCV64"), "riscv64");
    EXPECT_EQ(seccomp_arch_libseccomp_name("SCMP_ARCH_PARISC64"), "parisc64");
    EXPECT_EQ(error_of([] { seccomp_arch_libseccomp_name("SCMP_ARCH_VAX"); }),
              "string SCMP_ARCH_VAX is not a valid arch for seccomp");
    EXPECT_EQ(seccomp_arch_names().size(), 19u);
    for (const auto& name : seccomp_arch_names()) {
        EXPECT_EQ(name.rfind("SCMP_ARCH_", 0), 0u);
        EXPECT_FALSE(seccomp_arch_libseccomp_name(name).empty());
    }
}

TEST(SeccompNames, Flags) {
    EXPECT_EQ(seccomp_flag_value("SECCOMP_FILTER_FLAG_TSYNC"), 1u);
    EXPECT_EQ(seccomp_flag_value("SECCOMP_FILTER_FLAG_LOG"), 2u);
    EXPECT_EQ(seccomp_flag_value("SECCOMP_FILTER_FLAG_SPEC_ALLOW"), 4u);
    EXPECT_EQ(seccomp_flag_value("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), 32u);
    EXPECT_EQ(error_of([] { seccomp_flag_value("SECCOMP_FILTER_FLAG_NEW_LISTENER"); }),
              "seccomp flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\" is not known");
    EXPECT_EQ(seccomp_flag_names().size(), 4u);
}

TEST(SeccompNames, ListsAreSorted) {
    for (const auto* list : {&seccomp_action_names(), &seccomp_operator_names(),
                             &seccomp_arch_names(), &seccomp_flag_names()}) {
        EXPECT_TRUE(std::is_sorted(list->begin(), list->end()));
        EXPECT_EQ(std::adjacent_find(list->begin(), list->end()), list->end());
    }
}
