#include "minirunc/no_pivot_plan.hpp"

#include <gtest/gtest.h>

using minirunc::proc_and_sys_mounts_outside;
using Strings = std::vector<std::string>;

namespace {

const char* const kMountinfo =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "23 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
    "24 22 0:22 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
    "25 24 0:23 / /sys/fs/cgroup ro shared:8 - tmpfs tmpfs ro\n"
    "26 23 0:24 / /proc/sys/fs/binfmt_misc rw shared:13 - autofs systemd-1 rw\n"
    "27 22 0:25 / /srv/my\\040root rw master:1 - ext4 /dev/sdb1 rw\n"
    "28 27 0:26 / /srv/my\\040root/proc rw - proc proc rw\n"
    "29 27 0:27 / /srv/my\\040root/sys ro - sysfs sysfs ro\n"
    "30 22 0:21 / /var/lib/other\\040proc rw - proc proc rw\n"
    "31 23 0:21 / /proc rw - proc proc rw\n";

}  // namespace

TEST(NoPivotPlan, HostProcAndSysfsOutsideTheRootfsLastMountedFirst) {
    EXPECT_EQ(proc_and_sys_mounts_outside(kMountinfo, "/srv/my root"),
              (Strings{"/proc", "/var/lib/other proc", "/sys", "/proc"}));
}

TEST(NoPivotPlan, ARootfsPrefixThatIsNotAParentDoesNotCount) {
    std::string text = "40 22 0:21 / /srv/my\\040rootfs/proc rw - proc proc rw\n";
    EXPECT_EQ(proc_and_sys_mounts_outside(text, "/srv/my root"), Strings{"/srv/my rootfs/proc"});
}

TEST(NoPivotPlan, OptionalFieldsAndMalformedLines) {
    std::string text =
        "41 22 0:21 / /a rw shared:1 master:2 propagate_from:3 - proc proc rw\n"
        "garbage\n"
        "42 22 0:21 / /b rw - \n";
    EXPECT_EQ(proc_and_sys_mounts_outside(text, "/root"), Strings{"/a"});
}
