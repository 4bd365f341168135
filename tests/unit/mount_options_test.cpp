#include "minirunc/mount_options.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"

using namespace minirunc;

namespace {

constexpr uint64_t kAtimeMask = MOUNT_ATTR__ATIME;

MountOptions parse(std::vector<std::string> options) {
    return parse_mount_options(options);
}

}  // namespace

TEST(MountOptions, Empty) {
    auto m = parse({});
    EXPECT_EQ(m.flags, 0u);
    EXPECT_EQ(m.clear_flags, 0u);
    EXPECT_TRUE(m.propagation.empty());
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, 0u);
    EXPECT_FALSE(m.bind || m.recursive_bind || m.tmpcopyup || m.idmap || m.recursive_idmap ||
                 m.nosymfollow);
    EXPECT_EQ(m.data, "");
}

TEST(MountOptions, EverySetFlag) {
    const std::vector<std::pair<std::string, unsigned long>> cases = {
        {"ro", MS_RDONLY},          {"nosuid", MS_NOSUID},
        {"nodev", MS_NODEV},        {"noexec", MS_NOEXEC},
        {"sync", MS_SYNCHRONOUS},   {"dirsync", MS_DIRSYNC},
        {"remount", MS_REMOUNT},    {"mand", MS_MANDLOCK},
        {"noatime", MS_NOATIME},    {"nodiratime", MS_NODIRATIME},
        {"bind", MS_BIND},          {"rbind", MS_BIND | MS_REC},
        {"relatime", MS_RELATIME},  {"strictatime", MS_STRICTATIME},
        {"lazytime", MS_LAZYTIME},  {"silent", MS_SILENT},
        {"iversion", MS_I_VERSION}, {"nosymfollow", MS_NOSYMFOLLOW},
    };
    for (const auto& [option, flag] : cases) {
        auto m = parse({option});
        EXPECT_EQ(m.flags, flag) << option;
        EXPECT_EQ(m.clear_flags, 0u) << option;
        EXPECT_EQ(m.data, "") << option;
    }
}

TEST(MountOptions, EveryClearFlag) {
    const std::vector<std::pair<std::string, unsigned long>> cases = {
        {"rw", MS_RDONLY},
        {"suid", MS_NOSUID},
        {"dev", MS_NODEV},
        {"exec", MS_NOEXEC},
        {"async", MS_SYNCHRONOUS},
        {"atime", MS_NOATIME},
        {"diratime", MS_NODIRATIME},
        {"norelatime", MS_RELATIME},
        {"nostrictatime", MS_STRICTATIME},
        {"nolazytime", MS_LAZYTIME},
        {"loud", MS_SILENT},
        {"nomand", MS_MANDLOCK},
        {"noiversion", MS_I_VERSION},
        {"symfollow", MS_NOSYMFOLLOW},
    };
    for (const auto& [option, flag] : cases) {
        auto m = parse({option});
        EXPECT_EQ(m.flags, 0u) << option;
        EXPECT_EQ(m.clear_flags, flag) << option;
        EXPECT_EQ(m.data, "") << option;
    }
}

TEST(MountOptions, LaterOptionWins) {
    auto m = parse({"ro", "rw"});
    EXPECT_EQ(m.flags, 0u);
    EXPECT_EQ(m.clear_flags, static_cast<unsigned long>(MS_RDONLY));
    m = parse({"rw", "ro"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_RDONLY));
    EXPECT_EQ(m.clear_flags, 0u);
    m = parse({"exec", "nosuid", "noexec", "suid"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_NOEXEC));
    EXPECT_EQ(m.clear_flags, static_cast<unsigned long>(MS_NOSUID));
}

TEST(MountOptions, TypicalDockerTmpfs) {
    auto m = parse({"nosuid", "strictatime", "mode=755", "size=65536k"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
    EXPECT_EQ(m.data, "mode=755,size=65536k");
}

TEST(MountOptions, DataKeepsOrderAndDuplicates) {
    auto m = parse({"size=1m", "ro", "mode=1777", "uid=5", "size=1m", "newinstance",
                    "ptmxmode=0666", "gid=5"});
    EXPECT_EQ(m.data, "size=1m,mode=1777,uid=5,size=1m,newinstance,ptmxmode=0666,gid=5");
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_RDONLY));
}

TEST(MountOptions, UnknownOptionsAreDataNotErrors) {
    // "acl" stays data as in runc: it is not MS_POSIXACL.
    auto m = parse({"acl", "user_xattr", "lowerdir=/a:/b", "RO"});
    EXPECT_EQ(m.data, "acl,user_xattr,lowerdir=/a:/b,RO");
    EXPECT_EQ(m.flags, 0u);
}

TEST(MountOptions, DefaultsIsANoOp) {
    auto m = parse({"defaults"});
    EXPECT_EQ(m.flags, 0u);
    EXPECT_EQ(m.clear_flags, 0u);
    EXPECT_EQ(m.data, "");
    m = parse({"ro", "defaults", "size=1k"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_RDONLY));
    EXPECT_EQ(m.data, "size=1k");
}

TEST(MountOptions, Bind) {
    auto m = parse({"bind", "ro"});
    EXPECT_TRUE(m.bind);
    EXPECT_FALSE(m.recursive_bind);
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_BIND | MS_RDONLY));
    m = parse({"rbind"});
    EXPECT_TRUE(m.bind);
    EXPECT_TRUE(m.recursive_bind);
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_BIND | MS_REC));
    // As in runc, a later "bind" does not undo the recursion of "rbind".
    m = parse({"rbind", "bind"});
    EXPECT_TRUE(m.recursive_bind);
}

TEST(MountOptions, PropagationInOrder) {
    auto m = parse({"rprivate", "shared", "rslave", "unbindable", "private", "rshared", "slave",
                    "runbindable"});
    const std::vector<unsigned long> expected = {
        MS_PRIVATE | MS_REC, MS_SHARED,          MS_SLAVE | MS_REC, MS_UNBINDABLE,
        MS_PRIVATE,          MS_SHARED | MS_REC, MS_SLAVE,          MS_UNBINDABLE | MS_REC,
    };
    EXPECT_EQ(m.propagation, expected);
    EXPECT_EQ(m.flags, 0u);
    EXPECT_EQ(m.data, "");
}

TEST(MountOptions, PropagationDoesNotMakeBindRecursive) {
    auto m = parse({"bind", "rprivate"});
    EXPECT_TRUE(m.bind);
    EXPECT_FALSE(m.recursive_bind);
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_BIND));
}

TEST(MountOptions, RecursiveAttrsSet) {
    const std::vector<std::pair<std::string, uint64_t>> cases = {
        {"rro", MOUNT_ATTR_RDONLY},
        {"rnosuid", MOUNT_ATTR_NOSUID},
        {"rnodev", MOUNT_ATTR_NODEV},
        {"rnoexec", MOUNT_ATTR_NOEXEC},
        {"rnodiratime", MOUNT_ATTR_NODIRATIME},
        {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW},
    };
    for (const auto& [option, attr] : cases) {
        auto m = parse({option});
        EXPECT_EQ(m.recursive_attr_set, attr) << option;
        EXPECT_EQ(m.recursive_attr_clear, 0u) << option;
        EXPECT_EQ(m.flags, 0u) << option;
        EXPECT_EQ(m.data, "") << option;
    }
}

TEST(MountOptions, RecursiveAttrsClear) {
    const std::vector<std::pair<std::string, uint64_t>> cases = {
        {"rrw", MOUNT_ATTR_RDONLY},           {"rsuid", MOUNT_ATTR_NOSUID},
        {"rdev", MOUNT_ATTR_NODEV},           {"rexec", MOUNT_ATTR_NOEXEC},
        {"rdiratime", MOUNT_ATTR_NODIRATIME}, {"rsymfollow", MOUNT_ATTR_NOSYMFOLLOW},
    };
    for (const auto& [option, attr] : cases) {
        auto m = parse({option});
        EXPECT_EQ(m.recursive_attr_set, 0u) << option;
        EXPECT_EQ(m.recursive_attr_clear, attr) << option;
    }
}

TEST(MountOptions, RecursiveAttrsCombineAndOverride) {
    auto m = parse({"rro", "rnosuid", "rnodev", "rrw"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV});
    EXPECT_EQ(m.recursive_attr_clear, uint64_t{MOUNT_ATTR_RDONLY});
    m = parse({"rrw", "rro"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_RDONLY});
    EXPECT_EQ(m.recursive_attr_clear, 0u);
    // Recursive attributes never leak into the plain flags, and vice versa.
    m = parse({"ro", "rro"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_RDONLY));
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_RDONLY});
}

TEST(MountOptions, RecursiveAtimeIsAnEnumWithTheWholeMaskCleared) {
    auto m = parse({"rnoatime"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_NOATIME});
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    m = parse({"rstrictatime"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_STRICTATIME});
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    m = parse({"rrelatime"});  // MOUNT_ATTR_RELATIME is 0: only the mask says "change it"
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    // The last choice wins; two atime values at once would be EINVAL.
    m = parse({"rstrictatime", "rnoatime"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_NOATIME});
    m = parse({"rnoatime", "rrelatime"});
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    // Atime choices leave the other attributes alone.
    m = parse({"rro", "rnoatime", "rnodiratime"});
    EXPECT_EQ(m.recursive_attr_set,
              uint64_t{MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME | MOUNT_ATTR_NODIRATIME});
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
}

TEST(MountOptions, RecursiveAtimeTurnedOffFallsBackToRelatime) {
    auto m = parse({"ratime"});
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    m = parse({"rnoatime", "ratime"});
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    m = parse({"rnostrictatime"});
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    // Turning off a value that was not chosen keeps the chosen one.
    m = parse({"rstrictatime", "ratime"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_STRICTATIME});
    EXPECT_EQ(m.recursive_attr_clear, kAtimeMask);
    // rnorelatime names the default, so there is nothing to do.
    m = parse({"rnorelatime"});
    EXPECT_EQ(m.recursive_attr_set, 0u);
    EXPECT_EQ(m.recursive_attr_clear, 0u);
    m = parse({"rnoatime", "rnorelatime"});
    EXPECT_EQ(m.recursive_attr_set, uint64_t{MOUNT_ATTR_NOATIME});
}

TEST(MountOptions, AtimeStateIsAlwaysValidForMountSetattr) {
    // Whatever the sequence, the kernel's rule holds: atime bits in attr_set
    // only with the whole mask in attr_clr, and never a partial mask.
    const std::vector<std::string> atime = {"rrelatime", "rnorelatime",  "rnoatime",
                                            "ratime",    "rstrictatime", "rnostrictatime"};
    for (const auto& a : atime) {
        for (const auto& b : atime) {
            for (const auto& c : atime) {
                auto m = parse({a, b, c});
                uint64_t clr = m.recursive_attr_clear & kAtimeMask;
                uint64_t set = m.recursive_attr_set & kAtimeMask;
                EXPECT_TRUE(clr == 0 || clr == kAtimeMask) << a << "," << b << "," << c;
                if (clr == 0) {
                    EXPECT_EQ(set, 0u) << a << "," << b << "," << c;
                }
                EXPECT_TRUE(set == MOUNT_ATTR_RELATIME || set == MOUNT_ATTR_NOATIME ||
                            set == MOUNT_ATTR_STRICTATIME)
                    << a << "," << b << "," << c;
            }
        }
    }
}

TEST(MountOptions, TmpcopyupAndIdmap) {
    auto m = parse({"tmpcopyup"});
    EXPECT_TRUE(m.tmpcopyup);
    EXPECT_EQ(m.data, "");
    m = parse({"idmap"});
    EXPECT_TRUE(m.idmap);
    EXPECT_FALSE(m.recursive_idmap);
    m = parse({"ridmap"});
    EXPECT_TRUE(m.idmap);
    EXPECT_TRUE(m.recursive_idmap);
    m = parse({"ridmap", "idmap"});  // the last one decides, as in runc
    EXPECT_TRUE(m.idmap);
    EXPECT_FALSE(m.recursive_idmap);
    EXPECT_EQ(m.data, "");
}

TEST(MountOptions, Nosymfollow) {
    auto m = parse({"nosymfollow"});
    EXPECT_TRUE(m.nosymfollow);
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_NOSYMFOLLOW));
    m = parse({"nosymfollow", "symfollow"});
    EXPECT_FALSE(m.nosymfollow);
    EXPECT_EQ(m.clear_flags, static_cast<unsigned long>(MS_NOSYMFOLLOW));
    m = parse({"rnosymfollow"});
    EXPECT_FALSE(m.nosymfollow);  // recursive form lives in the attrs only
}

TEST(MountOptions, IsBindMount) {
    spec::Mount mount;
    mount.type = "bind";
    EXPECT_TRUE(is_bind_mount(mount));
    mount.type = "none";
    mount.options = {"rbind", "ro"};
    EXPECT_TRUE(is_bind_mount(mount));
    mount.options = {"ro", "bind"};
    EXPECT_TRUE(is_bind_mount(mount));
    mount.type = "tmpfs";
    mount.options = {"nosuid", "size=1m"};
    EXPECT_FALSE(is_bind_mount(mount));
    mount.options = {"bindfoo"};
    EXPECT_FALSE(is_bind_mount(mount));
}

TEST(MountOptions, KnownOptionsAreSortedUniqueAndRecognised) {
    const auto& known = known_mount_options();
    EXPECT_TRUE(std::is_sorted(known.begin(), known.end()));
    EXPECT_EQ(std::set<std::string>(known.begin(), known.end()).size(), known.size());
    // 32 flag options, 8 propagation, 18 recursive attributes, 4 others.
    EXPECT_EQ(known.size(), 62u);
    for (const auto& option : known) {
        EXPECT_EQ(parse({option}).data, "") << option << " would be passed as data";
    }
    for (const char* option : {"ro", "rbind", "rshared", "rro", "rnosymfollow", "tmpcopyup",
                               "idmap", "ridmap", "defaults", "nosymfollow", "lazytime"}) {
        EXPECT_TRUE(std::binary_search(known.begin(), known.end(), option)) << option;
    }
}

TEST(MountOptions, RootfsPropagation) {
    EXPECT_EQ(propagation_flags(""), 0u);
    EXPECT_EQ(propagation_flags("shared"), static_cast<unsigned long>(MS_SHARED));
    EXPECT_EQ(propagation_flags("rshared"), static_cast<unsigned long>(MS_SHARED | MS_REC));
    EXPECT_EQ(propagation_flags("slave"), static_cast<unsigned long>(MS_SLAVE));
    EXPECT_EQ(propagation_flags("rslave"), static_cast<unsigned long>(MS_SLAVE | MS_REC));
    EXPECT_EQ(propagation_flags("private"), static_cast<unsigned long>(MS_PRIVATE));
    EXPECT_EQ(propagation_flags("rprivate"), static_cast<unsigned long>(MS_PRIVATE | MS_REC));
    EXPECT_EQ(propagation_flags("unbindable"), static_cast<unsigned long>(MS_UNBINDABLE));
    EXPECT_EQ(propagation_flags("runbindable"), static_cast<unsigned long>(MS_UNBINDABLE | MS_REC));
    try {
        propagation_flags("bogus");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "rootfsPropagation=bogus is not supported");
    }
    EXPECT_THROW(propagation_flags("ro"), Error);
}
