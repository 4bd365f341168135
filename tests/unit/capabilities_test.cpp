#include "minirunc/capabilities.hpp"

#include <linux/capability.h>

#include <set>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

TEST(Capabilities, TableMatchesKernelHeader) {
    const auto& names = all_capability_names();
    ASSERT_EQ(names.size(), static_cast<size_t>(CAP_LAST_CAP) + 1);
    EXPECT_EQ(kLastCapability, CAP_LAST_CAP);
    EXPECT_EQ(capability_number("CAP_CHOWN"), CAP_CHOWN);
    EXPECT_EQ(capability_number("CAP_DAC_READ_SEARCH"), CAP_DAC_READ_SEARCH);
    EXPECT_EQ(capability_number("CAP_SETPCAP"), CAP_SETPCAP);
    EXPECT_EQ(capability_number("CAP_NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
    EXPECT_EQ(capability_number("CAP_NET_RAW"), CAP_NET_RAW);
    EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
    EXPECT_EQ(capability_number("CAP_SYS_TTY_CONFIG"), CAP_SYS_TTY_CONFIG);
    EXPECT_EQ(capability_number("CAP_MKNOD"), CAP_MKNOD);
    EXPECT_EQ(capability_number("CAP_AUDIT_WRITE"), CAP_AUDIT_WRITE);
    EXPECT_EQ(capability_number("CAP_SETFCAP"), CAP_SETFCAP);
    EXPECT_EQ(capability_number("CAP_SYSLOG"), CAP_SYSLOG);
    EXPECT_EQ(capability_number("CAP_WAKE_ALARM"), CAP_WAKE_ALARM);
    EXPECT_EQ(capability_number("CAP_BLOCK_SUSPEND"), CAP_BLOCK_SUSPEND);
    EXPECT_EQ(capability_number("CAP_AUDIT_READ"), CAP_AUDIT_READ);
    EXPECT_EQ(capability_number("CAP_PERFMON"), CAP_PERFMON);
    EXPECT_EQ(capability_number("CAP_BPF"), CAP_BPF);
    EXPECT_EQ(capability_number("CAP_CHECKPOINT_RESTORE"), CAP_CHECKPOINT_RESTORE);
}

TEST(Capabilities, NamesAreUniqueAndRoundTrip) {
    const auto& names = all_capability_names();
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(names[i].rfind("CAP_", 0), 0u);
        EXPECT_EQ(capability_number(names[i]), static_cast<int>(i));
        EXPECT_EQ(capability_name(static_cast<int>(i)), names[i]);
    }
}

TEST(Capabilities, UnknownName) {
    try {
        capability_number("CAP_FOO");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "unknown capability \"CAP_FOO\"");
    }
    // config.json names are exact: no case folding, no missing prefix.
    EXPECT_THROW(capability_number("cap_chown"), Error);
    EXPECT_THROW(capability_number("CHOWN"), Error);
    EXPECT_FALSE(find_capability("CAP_FOO").has_value());
    EXPECT_EQ(find_capability("CAP_KILL"), CAP_KILL);
}

TEST(Capabilities, UnknownNumber) {
    EXPECT_THROW(capability_name(-1), Error);
    EXPECT_THROW(capability_name(41), Error);
    try {
        capability_name(99);
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "unknown capability number 99");
    }
}

TEST(Capabilities, Mask) {
    EXPECT_EQ(capability_mask({}), 0u);
    EXPECT_EQ(capability_mask({"CAP_CHOWN"}), 1u);
    EXPECT_EQ(capability_mask({"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_KILL"}),
              (uint64_t{1} << 5) | (uint64_t{1} << 10));
    EXPECT_EQ(capability_mask({"CAP_CHECKPOINT_RESTORE", "CAP_MAC_OVERRIDE"}),
              (uint64_t{1} << 40) | (uint64_t{1} << 32));
    EXPECT_EQ(capability_mask(all_capability_names()), (uint64_t{1} << 41) - 1);
    EXPECT_THROW(capability_mask({"CAP_CHOWN", "CAP_NOPE"}), Error);
}
