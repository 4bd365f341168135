#include "minirunc/mount_plan.hpp"

#include <sys/mount.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

spec::Mount mount(std::string destination, std::string type, std::string source,
                  Strings options = {}) {
    spec::Mount m;
    m.destination = std::move(destination);
    m.type = std::move(type);
    m.source = std::move(source);
    m.options = std::move(options);
    return m;
}

MountStep plan_one(const spec::Mount& m, const std::string& bundle = "/bundle") {
    auto steps = plan_mounts({m}, bundle);
    EXPECT_EQ(steps.size(), 1u);
    return steps.empty() ? MountStep{} : steps[0];
}

// runc's default mounts (`runc spec`).
std::vector<spec::Mount> runc_default_mounts() {
    return {
        mount("/proc", "proc", "proc"),
        mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
        mount("/dev/pts", "devpts", "devpts",
              {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
        mount("/dev/shm", "tmpfs", "shm",
              {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
        mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
        mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
        mount("/sys/fs/cgroup", "cgroup", "cgroup",
              {"nosuid", "noexec", "nodev", "relatime", "ro"}),
    };
}

constexpr uint64_t kNoSuidDevExec = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

}  // namespace

// ---- ms_flags_to_attrs ----

TEST(MsFlagsToAttrs, NoFlagsNoAttrs) {
    uint64_t set = 0, clear = 0;
    ms_flags_to_attrs(0, set, clear);
    EXPECT_EQ(set, 0u);
    EXPECT_EQ(clear, 0u);
}

TEST(MsFlagsToAttrs, EachSimpleFlag) {
    const std::vector<std::pair<unsigned long, uint64_t>> cases = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
        {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
        {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    };
    for (const auto& [ms, attr] : cases) {
        uint64_t set = 0, clear = 0;
        ms_flags_to_attrs(ms, set, clear);
        EXPECT_EQ(set, attr) << ms;
        EXPECT_EQ(clear, 0u) << ms;
    }
}

TEST(MsFlagsToAttrs, AtimeModesClearTheWholeMask) {
    uint64_t set = 0, clear = 0;
    ms_flags_to_attrs(MS_NOATIME, set, clear);
    EXPECT_EQ(set, uint64_t{MOUNT_ATTR_NOATIME});
    EXPECT_EQ(clear, uint64_t{MOUNT_ATTR__ATIME});

    set = clear = 0;
    ms_flags_to_attrs(MS_STRICTATIME, set, clear);
    EXPECT_EQ(set, uint64_t{MOUNT_ATTR_STRICTATIME});
    EXPECT_EQ(clear, uint64_t{MOUNT_ATTR__ATIME});

    set = clear = 0;
    ms_flags_to_attrs(MS_RELATIME, set, clear);
    EXPECT_EQ(set, uint64_t{MOUNT_ATTR_RELATIME});  // zero: the enum's default
    EXPECT_EQ(clear, uint64_t{MOUNT_ATTR__ATIME});
}

TEST(MsFlagsToAttrs, NoatimeWinsOverOtherAtimeFlags) {
    uint64_t set = 0, clear = 0;
    ms_flags_to_attrs(MS_NOATIME | MS_STRICTATIME | MS_RELATIME, set, clear);
    EXPECT_EQ(set & MOUNT_ATTR__ATIME, uint64_t{MOUNT_ATTR_NOATIME});
    set = clear = 0;
    ms_flags_to_attrs(MS_STRICTATIME | MS_RELATIME, set, clear);
    EXPECT_EQ(set & MOUNT_ATTR__ATIME, uint64_t{MOUNT_ATTR_STRICTATIME});
}

TEST(MsFlagsToAttrs, AccumulatesIntoExistingValues) {
    uint64_t set = MOUNT_ATTR_NOSUID, clear = MOUNT_ATTR_NODEV;
    ms_flags_to_attrs(MS_RDONLY, set, clear);
    EXPECT_EQ(set, uint64_t{MOUNT_ATTR_NOSUID | MOUNT_ATTR_RDONLY});
    EXPECT_EQ(clear, uint64_t{MOUNT_ATTR_NODEV});
}

TEST(MsFlagsToAttrs, FlagsWithoutAnAttrAreIgnored) {
    uint64_t set = 0, clear = 0;
    ms_flags_to_attrs(MS_BIND | MS_REC | MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT, set, clear);
    EXPECT_EQ(set, 0u);
    EXPECT_EQ(clear, 0u);
}

// ---- runc's default mounts ----

TEST(MountPlan, DefaultMountsKeepOrderAndDestinations) {
    auto steps = plan_mounts(runc_default_mounts(), "/bundle");
    ASSERT_EQ(steps.size(), 7u);
    const Strings destinations = {"/proc",       "/dev", "/dev/pts",      "/dev/shm",
                                  "/dev/mqueue", "/sys", "/sys/fs/cgroup"};
    for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].destination, destinations[i]);
}

TEST(MountPlan, DefaultProc) {
    auto step = plan_one(mount("/proc", "proc", "proc"));
    EXPECT_EQ(step.kind, MountKind::Filesystem);
    EXPECT_EQ(step.fstype, "proc");
    EXPECT_EQ(step.source, "proc");
    EXPECT_TRUE(step.fs_params.empty());
    EXPECT_TRUE(step.sb_flags.empty());
    EXPECT_EQ(step.attr_set, 0u);
    EXPECT_EQ(step.attr_clear, 0u);
    EXPECT_TRUE(step.no_symlink_destination);
    EXPECT_FALSE(step.recursive_bind);
    EXPECT_FALSE(step.tmpcopyup);
}

TEST(MountPlan, DefaultDevTmpfs) {
    auto step = plan_one(runc_default_mounts()[1]);
    EXPECT_EQ(step.kind, MountKind::Filesystem);
    EXPECT_EQ(step.fstype, "tmpfs");
    EXPECT_EQ(step.source, "tmpfs");
    EXPECT_EQ(step.fs_params, (Strings{"mode=755", "size=65536k"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME});
    EXPECT_EQ(step.attr_clear, uint64_t{MOUNT_ATTR__ATIME});
    EXPECT_FALSE(step.no_symlink_destination);
}

TEST(MountPlan, DefaultDevpts) {
    auto step = plan_one(runc_default_mounts()[2]);
    EXPECT_EQ(step.fstype, "devpts");
    EXPECT_EQ(step.fs_params, (Strings{"newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC});
    EXPECT_EQ(step.attr_clear, 0u);
}

TEST(MountPlan, DefaultShmAndMqueue) {
    auto steps = plan_mounts(runc_default_mounts(), "/bundle");
    ASSERT_EQ(steps.size(), 7u);
    EXPECT_EQ(steps[3].source, "shm");
    EXPECT_EQ(steps[3].fs_params, (Strings{"mode=1777", "size=65536k"}));
    EXPECT_EQ(steps[3].attr_set, kNoSuidDevExec);
    EXPECT_EQ(steps[4].fstype, "mqueue");
    EXPECT_TRUE(steps[4].fs_params.empty());
    EXPECT_EQ(steps[4].attr_set, kNoSuidDevExec);
}

TEST(MountPlan, DefaultSysfsIsReadOnly) {
    auto step = plan_one(runc_default_mounts()[5]);
    EXPECT_EQ(step.kind, MountKind::Filesystem);
    EXPECT_EQ(step.fstype, "sysfs");
    EXPECT_EQ(step.attr_set, kNoSuidDevExec | MOUNT_ATTR_RDONLY);
    EXPECT_EQ(step.attr_clear, 0u);
    EXPECT_TRUE(step.fs_params.empty());
    EXPECT_TRUE(step.no_symlink_destination);
}

TEST(MountPlan, DefaultCgroupIsACgroupMount) {
    auto step = plan_one(runc_default_mounts()[6]);
    EXPECT_EQ(step.kind, MountKind::Cgroup);
    EXPECT_EQ(step.fstype, "cgroup");
    EXPECT_EQ(step.destination, "/sys/fs/cgroup");
    EXPECT_EQ(step.attr_set, kNoSuidDevExec | MOUNT_ATTR_RDONLY | MOUNT_ATTR_RELATIME);
    EXPECT_EQ(step.attr_clear, uint64_t{MOUNT_ATTR__ATIME});
    EXPECT_TRUE(step.fs_params.empty());
    EXPECT_FALSE(step.no_symlink_destination);
}

TEST(MountPlan, Cgroup2IsACgroupMount) {
    auto step = plan_one(mount("/sys/fs/cgroup", "cgroup2", "cgroup2", {"ro"}));
    EXPECT_EQ(step.kind, MountKind::Cgroup);
    EXPECT_EQ(step.fstype, "cgroup2");
}

// ---- bind mounts ----

TEST(MountPlan, BindTypeIsABind) {
    auto step = plan_one(mount("/data", "bind", "/srv/data", {"bind"}));
    EXPECT_EQ(step.kind, MountKind::Bind);
    EXPECT_EQ(step.source, "/srv/data");
    EXPECT_FALSE(step.recursive_bind);
    EXPECT_TRUE(step.fs_params.empty());
}

TEST(MountPlan, BindOptionMakesABindWhateverTheType) {
    auto step = plan_one(mount("/data", "none", "/srv/data", {"bind"}));
    EXPECT_EQ(step.kind, MountKind::Bind);
    auto empty_type = plan_one(mount("/data", "", "/srv/data", {"rbind"}));
    EXPECT_EQ(empty_type.kind, MountKind::Bind);
    EXPECT_TRUE(empty_type.recursive_bind);
}

TEST(MountPlan, BindTypeWithoutOptionIsABind) {
    auto step = plan_one(mount("/data", "bind", "/srv/data"));
    EXPECT_EQ(step.kind, MountKind::Bind);
    EXPECT_FALSE(step.recursive_bind);
}

TEST(MountPlan, RbindIsRecursive) {
    auto step = plan_one(mount("/data", "bind", "/srv/data", {"rbind", "ro"}));
    EXPECT_EQ(step.kind, MountKind::Bind);
    EXPECT_TRUE(step.recursive_bind);
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_RDONLY});
}

TEST(MountPlan, BindOfCgroupTypeIsStillABind) {
    auto step = plan_one(mount("/sys/fs/cgroup", "cgroup", "/sys/fs/cgroup", {"rbind"}));
    EXPECT_EQ(step.kind, MountKind::Bind);
}

TEST(MountPlan, RelativeBindSourceIsResolvedAgainstTheBundle) {
    auto step = plan_one(mount("/data", "bind", "data/dir", {"bind"}), "/run/bundles/b1");
    EXPECT_EQ(step.source, "/run/bundles/b1/data/dir");
    auto dotted = plan_one(mount("/data", "bind", "./x/../y/", {"bind"}), "/run/bundles/b1/");
    EXPECT_EQ(dotted.source, "/run/bundles/b1/y");
}

TEST(MountPlan, RelativeBindSourceCanClimbOutOfTheBundle) {
    auto step = plan_one(mount("/data", "bind", "../shared", {"bind"}), "/run/bundles/b1");
    EXPECT_EQ(step.source, "/run/bundles/shared");
}

TEST(MountPlan, AbsoluteBindSourceIsCleaned) {
    auto step = plan_one(mount("/data", "bind", "/srv//data/./x/../", {"rbind"}));
    EXPECT_EQ(step.source, "/srv/data");
}

TEST(MountPlan, BindDataOptionsAreNotFsParams) {
    auto step = plan_one(mount("/data", "bind", "/srv", {"rbind", "mode=755"}));
    EXPECT_TRUE(step.fs_params.empty());
    EXPECT_TRUE(step.sb_flags.empty());
    EXPECT_FALSE(step.no_symlink_destination);
}

// ---- attributes ----

TEST(MountPlan, RestrictiveOptionsBecomeAttrs) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "ro", "nosuid", "nodev", "noexec"}));
    EXPECT_EQ(step.attr_set, kNoSuidDevExec | MOUNT_ATTR_RDONLY);
    EXPECT_EQ(step.attr_clear, 0u);
}

TEST(MountPlan, RwAndSuidClearAttrs) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "rw", "suid", "dev", "exec"}));
    EXPECT_EQ(step.attr_set, 0u);
    EXPECT_EQ(step.attr_clear, kNoSuidDevExec | MOUNT_ATTR_RDONLY);
}

TEST(MountPlan, LaterOptionOverridesEarlier) {
    auto rw = plan_one(mount("/x", "bind", "/y", {"bind", "ro", "rw"}));
    EXPECT_EQ(rw.attr_set & MOUNT_ATTR_RDONLY, 0u);
    EXPECT_EQ(rw.attr_clear & MOUNT_ATTR_RDONLY, uint64_t{MOUNT_ATTR_RDONLY});
    auto ro = plan_one(mount("/x", "bind", "/y", {"bind", "rw", "ro"}));
    EXPECT_EQ(ro.attr_set & MOUNT_ATTR_RDONLY, uint64_t{MOUNT_ATTR_RDONLY});
    EXPECT_EQ(ro.attr_clear & MOUNT_ATTR_RDONLY, 0u);
}

TEST(MountPlan, NodiratimeAndNosymfollow) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "nodiratime", "nosymfollow"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW});
    auto cleared = plan_one(mount("/x", "bind", "/y", {"bind", "diratime", "symfollow"}));
    EXPECT_EQ(cleared.attr_clear, uint64_t{MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW});
}

TEST(MountPlan, NoatimeSetsTheAtimeMaskInClear) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "noatime"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NOATIME});
    EXPECT_EQ(step.attr_clear, uint64_t{MOUNT_ATTR__ATIME});
}

TEST(MountPlan, StrictatimeAndRelatimeSetTheAtimeMaskInClear) {
    auto strict = plan_one(mount("/x", "tmpfs", "tmpfs", {"strictatime"}));
    EXPECT_EQ(strict.attr_set, uint64_t{MOUNT_ATTR_STRICTATIME});
    EXPECT_EQ(strict.attr_clear, uint64_t{MOUNT_ATTR__ATIME});
    auto rel = plan_one(mount("/x", "tmpfs", "tmpfs", {"relatime"}));
    EXPECT_EQ(rel.attr_set, uint64_t{MOUNT_ATTR_RELATIME});
    EXPECT_EQ(rel.attr_clear, uint64_t{MOUNT_ATTR__ATIME});
}

TEST(MountPlan, TurningAnAtimeModeOffChangesNothing) {
    // "atime", "norelatime", "nostrictatime" only drop a flag; they name no mode.
    for (const char* option : {"atime", "norelatime", "nostrictatime"}) {
        auto step = plan_one(mount("/x", "bind", "/y", {"bind", option}));
        EXPECT_EQ(step.attr_set, 0u) << option;
        EXPECT_EQ(step.attr_clear, 0u) << option;
    }
}

TEST(MountPlan, AtimeAfterNoatimeDropsTheMode) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "noatime", "atime"}));
    EXPECT_EQ(step.attr_set & MOUNT_ATTR__ATIME, 0u);
    EXPECT_EQ(step.attr_clear & MOUNT_ATTR__ATIME, 0u);
}

TEST(MountPlan, AttrSetAndClearNeverOverlapOutsideTheAtimeMask) {
    const std::vector<Strings> cases = {
        {"ro", "rw"},
        {"rw", "ro"},
        {"nosuid", "suid", "nosuid"},
        {"exec", "noexec"},
        {"dev", "nodev", "dev"},
        {"nodiratime", "diratime"},
        {"symfollow", "nosymfollow"},
    };
    for (auto options : cases) {
        options.insert(options.begin(), "bind");
        auto step = plan_one(mount("/x", "bind", "/y", options));
        EXPECT_EQ(step.attr_set & step.attr_clear & ~uint64_t{MOUNT_ATTR__ATIME}, 0u)
            << ::testing::PrintToString(options);
    }
}

TEST(MountPlan, RecursiveAttrsAreSeparate) {
    auto step = plan_one(mount("/x", "bind", "/y", {"rbind", "rro", "rnosuid", "rnodev"}));
    EXPECT_EQ(step.recursive_attr_set,
              uint64_t{MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV});
    EXPECT_EQ(step.recursive_attr_clear, 0u);
    EXPECT_EQ(step.attr_set, 0u);
    EXPECT_EQ(step.attr_clear, 0u);
}

TEST(MountPlan, RecursiveClearAndAtime) {
    auto step = plan_one(mount("/x", "bind", "/y", {"rbind", "rrw", "rexec", "rnoatime"}));
    EXPECT_EQ(step.recursive_attr_set, uint64_t{MOUNT_ATTR_NOATIME});
    EXPECT_EQ(step.recursive_attr_clear,
              uint64_t{MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME});
}

TEST(MountPlan, TopAndRecursiveAttrsCombine) {
    auto step = plan_one(mount("/x", "bind", "/y", {"rbind", "ro", "rnosuid"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_RDONLY});
    EXPECT_EQ(step.recursive_attr_set, uint64_t{MOUNT_ATTR_NOSUID});
}

// ---- propagation, tmpcopyup, idmap ----

TEST(MountPlan, PropagationListKeepsOrder) {
    auto step = plan_one(mount("/x", "bind", "/y", {"rbind", "rprivate", "shared", "rslave"}));
    EXPECT_EQ(step.propagation,
              (std::vector<unsigned long>{MS_PRIVATE | MS_REC, MS_SHARED, MS_SLAVE | MS_REC}));
    EXPECT_EQ(step.attr_set, 0u);
}

TEST(MountPlan, UnbindablePropagation) {
    auto step = plan_one(mount("/x", "tmpfs", "tmpfs", {"runbindable", "unbindable", "private"}));
    EXPECT_EQ(step.propagation,
              (std::vector<unsigned long>{MS_UNBINDABLE | MS_REC, MS_UNBINDABLE, MS_PRIVATE}));
    EXPECT_TRUE(step.fs_params.empty());
}

TEST(MountPlan, NoPropagationByDefault) {
    EXPECT_TRUE(plan_one(mount("/x", "tmpfs", "tmpfs")).propagation.empty());
}

TEST(MountPlan, Tmpcopyup) {
    auto step = plan_one(mount("/etc", "tmpfs", "tmpfs", {"tmpcopyup", "mode=755"}));
    EXPECT_TRUE(step.tmpcopyup);
    EXPECT_EQ(step.fs_params, Strings{"mode=755"});  // tmpcopyup is not a tmpfs parameter
    EXPECT_FALSE(plan_one(mount("/etc", "tmpfs", "tmpfs")).tmpcopyup);
}

TEST(MountPlan, IdmapAndMappingsArePassedOn) {
    auto m = mount("/x", "bind", "/y", {"rbind", "ridmap"});
    m.uid_mappings = {{0, 100000, 65536}};
    m.gid_mappings = {{0, 200000, 1000}, {1000, 1000, 1}};
    auto step = plan_one(m);
    EXPECT_TRUE(step.idmap);
    EXPECT_TRUE(step.recursive_idmap);
    ASSERT_EQ(step.uid_mappings.size(), 1u);
    EXPECT_EQ(step.uid_mappings[0].container_id, 0u);
    EXPECT_EQ(step.uid_mappings[0].host_id, 100000u);
    EXPECT_EQ(step.uid_mappings[0].size, 65536u);
    ASSERT_EQ(step.gid_mappings.size(), 2u);
    EXPECT_EQ(step.gid_mappings[1].host_id, 1000u);
}

TEST(MountPlan, NonRecursiveIdmap) {
    auto step = plan_one(mount("/x", "bind", "/y", {"bind", "idmap"}));
    EXPECT_TRUE(step.idmap);
    EXPECT_FALSE(step.recursive_idmap);
    EXPECT_FALSE(plan_one(mount("/x", "bind", "/y", {"bind"})).idmap);
}

// ---- destinations ----

TEST(MountPlan, DestinationIsCleaned) {
    EXPECT_EQ(plan_one(mount("/a/../b/", "tmpfs", "tmpfs")).destination, "/b");
    EXPECT_EQ(plan_one(mount("//dev///shm/.", "tmpfs", "tmpfs")).destination, "/dev/shm");
}

TEST(MountPlan, RelativeDestinationIsMadeAbsolute) {
    EXPECT_EQ(plan_one(mount("data", "tmpfs", "tmpfs")).destination, "/data");
    EXPECT_EQ(plan_one(mount("./x/y", "tmpfs", "tmpfs")).destination, "/x/y");
}

TEST(MountPlan, DestinationCannotClimbAboveRoot) {
    EXPECT_EQ(plan_one(mount("/../../etc", "tmpfs", "tmpfs")).destination, "/etc");
    EXPECT_EQ(plan_one(mount("../../etc", "tmpfs", "tmpfs")).destination, "/etc");
    EXPECT_EQ(plan_one(mount("/..", "tmpfs", "tmpfs")).destination, "/");
}

TEST(MountPlan, ProcAndSysfsMustNotLandOnSymlinks) {
    EXPECT_TRUE(plan_one(mount("/proc", "proc", "proc")).no_symlink_destination);
    EXPECT_TRUE(plan_one(mount("/sys", "sysfs", "sysfs")).no_symlink_destination);
    EXPECT_FALSE(plan_one(mount("/tmp", "tmpfs", "tmpfs")).no_symlink_destination);
    EXPECT_FALSE(plan_one(mount("/dev/mqueue", "mqueue", "mqueue")).no_symlink_destination);
}

// ---- superblock flags and filesystem data ----

TEST(MountPlan, SyncAndDirsyncAreSuperblockFlags) {
    auto step = plan_one(mount("/x", "tmpfs", "tmpfs", {"sync", "dirsync", "size=1m"}));
    EXPECT_EQ(step.sb_flags, (Strings{"sync", "dirsync"}));
    EXPECT_EQ(step.fs_params, Strings{"size=1m"});
    EXPECT_EQ(step.attr_set, 0u);
}

TEST(MountPlan, LazytimeAndMandAreSuperblockFlags) {
    auto step = plan_one(mount("/x", "ext4", "/dev/sdb1", {"mand", "lazytime"}));
    EXPECT_EQ(step.sb_flags, (Strings{"lazytime", "mand"}));
}

TEST(MountPlan, AsyncAfterSyncDropsTheSuperblockFlag) {
    auto step = plan_one(mount("/x", "tmpfs", "tmpfs", {"sync", "async"}));
    EXPECT_TRUE(step.sb_flags.empty());
}

TEST(MountPlan, UnknownOptionsAreFsParamsInOrder) {
    auto step =
        plan_one(mount("/x", "tmpfs", "tmpfs", {"uid=1000", "nosuid", "gid=1000", "huge=within"}));
    EXPECT_EQ(step.fs_params, (Strings{"uid=1000", "gid=1000", "huge=within"}));
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NOSUID});
}

TEST(MountPlan, DefaultsIsNotAParameter) {
    auto step = plan_one(mount("/x", "tmpfs", "tmpfs", {"defaults"}));
    EXPECT_TRUE(step.fs_params.empty());
    EXPECT_EQ(step.attr_set, 0u);
}

TEST(MountPlan, FilesystemSourceIsKeptVerbatim) {
    auto step = plan_one(mount("/x", "tmpfs", "relative/source"));
    EXPECT_EQ(step.source, "relative/source");  // only bind sources are paths
}

TEST(MountPlan, EmptyListGivesNoSteps) {
    EXPECT_TRUE(plan_mounts({}, "/bundle").empty());
}

TEST(MountPlan, ReadOnlyDevBecomesReadOnlyAfterItIsFilled) {
    auto step = plan_one(mount("/dev", "tmpfs", "tmpfs", {"ro", "nosuid", "mode=755"}));
    EXPECT_TRUE(step.readonly_after_submounts);
    EXPECT_EQ(step.attr_set, uint64_t{MOUNT_ATTR_NOSUID}) << "ro comes later";
}

TEST(MountPlan, ReadOnlyMountWithMountsUnderItBecomesReadOnlyLast) {
    auto steps = plan_mounts(
        {mount("/data", "tmpfs", "tmpfs", {"ro"}), mount("/database", "tmpfs", "tmpfs", {"ro"}),
         mount("/data/cache", "tmpfs", "tmpfs", {"ro"})},
        "/bundle");
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_TRUE(steps[0].readonly_after_submounts);
    EXPECT_EQ(steps[0].attr_set, 0u);
    for (size_t i : {1u, 2u}) {
        EXPECT_FALSE(steps[i].readonly_after_submounts) << "nothing lands under it";
        EXPECT_EQ(steps[i].attr_set, uint64_t{MOUNT_ATTR_RDONLY}) << i;
    }
}

TEST(MountPlan, MountsBeforeAReadOnlyOneDoNotDeferIt) {
    auto steps = plan_mounts(
        {mount("/a/b", "tmpfs", "tmpfs", {}), mount("/a", "tmpfs", "tmpfs", {"ro"})}, "/bundle");
    EXPECT_FALSE(steps[1].readonly_after_submounts) << "/a covers /a/b: nothing lands under it";
}
