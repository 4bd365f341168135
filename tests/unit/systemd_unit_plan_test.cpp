#include "minirunc/systemd_unit_plan.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "error_text.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

constexpr uint64_t kInfinity = std::numeric_limits<uint64_t>::max();

using test::error_of;

const UnitProperty* find(const std::vector<UnitProperty>& props, const std::string& name) {
    const UnitProperty* found = nullptr;
    for (const auto& p : props)
        if (p.name == name) found = &p;  // the last one wins, as in systemd
    return found;
}

std::vector<std::string> names(const std::vector<UnitProperty>& props) {
    std::vector<std::string> out;
    for (const auto& p : props) out.push_back(p.name);
    return out;
}

template <typename T>
T value_of(const std::vector<UnitProperty>& props, const std::string& name) {
    const UnitProperty* p = find(props, name);
    if (!p) {
        ADD_FAILURE() << "no property " << name;
        return T{};
    }
    if (!std::holds_alternative<T>(p->value)) {
        ADD_FAILURE() << name << " has signature " << dbus_signature(p->value);
        return T{};
    }
    return std::get<T>(p->value);
}

const char kProcDevices[] =
    "Character devices:\n"
    "  1 mem\n"
    "  5 /dev/tty\n"
    "136 pts\n"
    "\n"
    "Block devices:\n"
    "  8 sd\n"
    "259 blkext\n";

}  // namespace

// --- unit naming and placement ---

TEST(SystemdUnitFor, SlicePrefixNameGivesAScopeInTheSlice) {
    SystemdUnit unit = systemd_unit_for("system.slice:docker:abc", "id");
    EXPECT_EQ(unit.name, "docker-abc.scope");
    EXPECT_EQ(unit.slice, "system.slice");
    EXPECT_EQ(unit.cgroup_path, "/system.slice/docker-abc.scope");
    EXPECT_FALSE(unit.is_slice());
}

TEST(SystemdUnitFor, NestedSliceExpandsIntoItsAncestors) {
    SystemdUnit unit = systemd_unit_for("machine-test-a.slice:p:c1", "id");
    EXPECT_EQ(unit.cgroup_path,
              "/machine.slice/machine-test.slice/machine-test-a.slice/p-c1.scope");
}

TEST(SystemdUnitFor, EmptyPathIsTheDefaultPrefixInSystemSlice) {
    SystemdUnit unit = systemd_unit_for("", "abc");
    EXPECT_EQ(unit.name, "minirunc-abc.scope");
    EXPECT_EQ(unit.cgroup_path, "/system.slice/minirunc-abc.scope");
    EXPECT_EQ(systemd_unit_for("", "abc", "runc").name, "runc-abc.scope");
}

TEST(SystemdUnitFor, EmptySliceIsSystemSlice) {
    SystemdUnit unit = systemd_unit_for(":pfx:abc", "id");
    EXPECT_EQ(unit.slice, "system.slice");
    EXPECT_EQ(unit.name, "pfx-abc.scope");
}

TEST(SystemdUnitFor, RootSliceHoldsTheScopeAtTheTop) {
    EXPECT_EQ(systemd_unit_for("-.slice:p:n", "id").cgroup_path, "/p-n.scope");
}

TEST(SystemdUnitFor, NameEndingInSliceIsASliceOfItsOwn) {
    SystemdUnit unit = systemd_unit_for("system.slice:ignored:mine-x.slice", "id");
    EXPECT_TRUE(unit.is_slice());
    EXPECT_EQ(unit.name, "mine-x.slice");
    EXPECT_EQ(unit.cgroup_path, "/mine.slice/mine-x.slice");
}

TEST(SystemdUnitFor, PathNotInSlicePrefixNameFormIsRefusedNamingTheField) {
    EXPECT_EQ(error_of([] { systemd_unit_for("/a/b", "id"); }),
              "config.json: /linux/cgroupsPath: expected cgroupsPath to be of format "
              "\"slice:prefix:name\" for systemd cgroups, got \"/a/b\" instead");
    EXPECT_NE(error_of([] { systemd_unit_for("a:b:c:d", "id"); }).find("slice:prefix:name"),
              std::string::npos);
}

TEST(SystemdUnitFor, InvalidSliceIsRefusedNamingTheField) {
    EXPECT_EQ(error_of([] { systemd_unit_for("system:p:n", "id"); }),
              "config.json: /linux/cgroupsPath: invalid slice name: system");
    EXPECT_EQ(error_of([] { systemd_unit_for("a--b.slice:p:n", "id"); }),
              "config.json: /linux/cgroupsPath: invalid slice name: a--b.slice");
}

TEST(ExpandSlice, FollowsSystemdNesting) {
    EXPECT_EQ(expand_slice("a-b-c.slice"), "/a.slice/a-b.slice/a-b-c.slice");
    EXPECT_EQ(expand_slice("system.slice"), "/system.slice");
    EXPECT_EQ(expand_slice("-.slice"), "/");
    for (const char* bad : {".slice", "a", "-a.slice", "a-.slice", "a/b.slice", "a.scope"})
        EXPECT_EQ(error_of([&] { expand_slice(bad); }), std::string("invalid slice name: ") + bad)
            << bad;
}

// --- the properties that start the unit ---

TEST(UnitStartProperties, ScopeIsDelegatedWithThePidAndAccounting) {
    SystemdUnit unit = systemd_unit_for("system.slice:t:c", "id");
    auto props = unit_start_properties(unit, 1234, true);
    EXPECT_EQ(names(props),
              (std::vector<std::string>{"Description", "Slice", "Delegate", "PIDs",
                                        "MemoryAccounting", "CPUAccounting", "IOAccounting",
                                        "TasksAccounting", "DefaultDependencies"}));
    EXPECT_EQ(value_of<std::string>(props, "Slice"), "system.slice");
    EXPECT_EQ(value_of<std::vector<uint32_t>>(props, "PIDs"), std::vector<uint32_t>{1234});
    EXPECT_TRUE(value_of<bool>(props, "Delegate"));
    EXPECT_FALSE(value_of<bool>(props, "DefaultDependencies"));
    EXPECT_EQ(value_of<std::string>(props, "Description"), "minirunc container c");
}

TEST(UnitStartProperties, V1UsesBlockIOAccounting) {
    auto props = unit_start_properties(systemd_unit_for("", "c"), 1, false);
    EXPECT_NE(find(props, "BlockIOAccounting"), nullptr);
    EXPECT_EQ(find(props, "IOAccounting"), nullptr);
}

TEST(UnitStartProperties, SliceWantsItsParentInsteadOfDelegation) {
    auto props = unit_start_properties(systemd_unit_for("system.slice:p:x.slice", "id"), 9, true);
    EXPECT_EQ(value_of<std::vector<std::string>>(props, "Wants"),
              std::vector<std::string>{"system.slice"});
    EXPECT_EQ(find(props, "Slice"), nullptr);
    EXPECT_EQ(find(props, "Delegate"), nullptr);
}

TEST(UnitStartProperties, AnnotationPropertiesComeLast) {
    std::vector<UnitProperty> extra = {{"CollectMode", std::string("inactive-or-failed")}};
    auto props = unit_start_properties(systemd_unit_for("", "c"), 1, true, extra);
    EXPECT_EQ(props.back(), extra.back());
}

// --- resources ---

TEST(UnitResourceProperties, V2MemoryPidsCpu) {
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->limit = 64 << 20;
    r.memory->swap = 96 << 20;
    r.memory->reservation = 32 << 20;
    r.pids = spec::PidsResources{42};
    r.cpu = spec::CpuResources{};
    r.cpu->shares = 1024;
    r.cpu->quota = 50000;
    r.cpu->period = 100000;
    auto props = unit_resource_properties(r, true, nullptr);
    EXPECT_EQ(value_of<uint64_t>(props, "MemoryMax"), uint64_t{64} << 20);
    EXPECT_EQ(value_of<uint64_t>(props, "MemoryLow"), uint64_t{32} << 20);
    EXPECT_EQ(value_of<uint64_t>(props, "MemorySwapMax"), uint64_t{32} << 20);  // swap only
    EXPECT_EQ(value_of<uint64_t>(props, "TasksMax"), 42u);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUWeight"), 39u);  // runc's conversion of 1024
    EXPECT_EQ(value_of<uint64_t>(props, "CPUQuotaPerSecUSec"), 500000u);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUQuotaPeriodUSec"), 100000u);
    EXPECT_EQ(find(props, "CPUQuotaPeriodUSec")->min_systemd, 242);
}

TEST(UnitResourceProperties, UnlimitedIsInfinity) {
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->limit = -1;
    r.pids = spec::PidsResources{-1};
    auto props = unit_resource_properties(r, true, nullptr);
    EXPECT_EQ(value_of<uint64_t>(props, "MemoryMax"), kInfinity);
    EXPECT_EQ(value_of<uint64_t>(props, "MemorySwapMax"), kInfinity);
    EXPECT_EQ(value_of<uint64_t>(props, "TasksMax"), kInfinity);
}

TEST(UnitResourceProperties, ZeroPidsLimitIsOneTask) {
    spec::Resources r;
    r.pids = spec::PidsResources{0};
    EXPECT_EQ(value_of<uint64_t>(unit_resource_properties(r, true, nullptr), "TasksMax"), 1u);
}

TEST(UnitResourceProperties, AbsentOrZeroSetsNothing) {
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.cpu = spec::CpuResources{};
    r.pids = spec::PidsResources{};
    EXPECT_TRUE(unit_resource_properties(r, true, nullptr).empty());
    EXPECT_TRUE(unit_resource_properties(r, false, nullptr).empty());
}

TEST(UnitResourceProperties, V1UsesMemoryLimitSharesAndBlockIOWeight) {
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->limit = 1 << 20;
    r.cpu = spec::CpuResources{};
    r.cpu->shares = 512;
    r.block_io = spec::BlockIoResources{};
    r.block_io->weight = 300;
    auto props = unit_resource_properties(r, false, nullptr);
    EXPECT_EQ(names(props),
              (std::vector<std::string>{"MemoryLimit", "CPUShares", "BlockIOWeight"}));
    EXPECT_EQ(value_of<uint64_t>(props, "CPUShares"), 512u);
}

TEST(UnitResourceProperties, V2IOWeightIsConverted) {
    spec::Resources r;
    r.block_io = spec::BlockIoResources{};
    r.block_io->weight = 500;
    EXPECT_EQ(value_of<uint64_t>(unit_resource_properties(r, true, nullptr), "IOWeight"),
              blkio_weight_to_io_weight(500));
}

TEST(UnitResourceProperties, QuotaRoundsUpToWholePercentsAndNoQuotaIsInfinity) {
    EXPECT_EQ(cpu_quota_per_sec_usec(12345, 100000), 130000u);
    EXPECT_EQ(cpu_quota_per_sec_usec(20000, 0), 200000u);  // the default period
    EXPECT_EQ(cpu_quota_per_sec_usec(-1, 100000), kInfinity);
    spec::Resources r;
    r.cpu = spec::CpuResources{};
    r.cpu->period = 50000;
    auto props = unit_resource_properties(r, true, nullptr);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUQuotaPerSecUSec"), kInfinity);
}

TEST(UnitResourceProperties, CpusetsAreByteMasks) {
    spec::Resources r;
    r.cpu = spec::CpuResources{};
    r.cpu->cpus = "0-2,9";
    r.cpu->mems = "0";
    auto props = unit_resource_properties(r, true, nullptr);
    EXPECT_EQ(value_of<std::vector<uint8_t>>(props, "AllowedCPUs"),
              (std::vector<uint8_t>{0x07, 0x02}));
    EXPECT_EQ(value_of<std::vector<uint8_t>>(props, "AllowedMemoryNodes"),
              std::vector<uint8_t>{0x01});
    EXPECT_EQ(find(props, "AllowedCPUs")->min_systemd, 244);
    r.cpu->cpus = "3-1";
    EXPECT_EQ(error_of([&] { unit_resource_properties(r, true, nullptr); }),
              "resources.CPU.Cpus=\"3-1\" conversion error: invalid range: 3-1");
}

TEST(RangeToBits, MatchesRunc) {
    EXPECT_EQ(range_to_bits("0"), std::vector<uint8_t>{0x01});
    EXPECT_EQ(range_to_bits(" 1, 3-5 ,,"), std::vector<uint8_t>{0x3a});
    EXPECT_EQ(range_to_bits("8"), (std::vector<uint8_t>{0x00, 0x01}));
    EXPECT_EQ(error_of([] { range_to_bits(","); }), "empty value");
    EXPECT_NE(error_of([] { range_to_bits("x"); }), "(no error)");
    EXPECT_NE(error_of([] { range_to_bits("0-4294967295"); }), "(no error)");
}

TEST(UnitResourceProperties, SwapWithoutLimitIsRefusedAsOnTheCgroupFiles) {
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->swap = 1 << 20;
    EXPECT_EQ(error_of([&] { unit_resource_properties(r, true, nullptr); }),
              "unable to set swap limit without memory limit");
}

TEST(UnitResourceProperties, UnifiedKeysSystemdKnows) {
    spec::Resources r;
    r.unified = {{"memory.high", "1048576"}, {"pids.max", "max"},      {"cpu.weight", " 77 "},
                 {"cpu.max", "max 20000"},   {"io.max", "8:0 rbps=1"}, {"cpuset.cpus", "1"}};
    auto props = unit_resource_properties(r, true, nullptr);
    EXPECT_EQ(value_of<uint64_t>(props, "MemoryHigh"), 1048576u);
    EXPECT_EQ(value_of<uint64_t>(props, "TasksMax"), kInfinity);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUWeight"), 77u);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUQuotaPeriodUSec"), 20000u);
    EXPECT_EQ(value_of<uint64_t>(props, "CPUQuotaPerSecUSec"), kInfinity);
    EXPECT_EQ(value_of<std::vector<uint8_t>>(props, "AllowedCPUs"), std::vector<uint8_t>{0x02});
    EXPECT_EQ(names(props).size(), 6u);  // io.max only goes to the file
    r.unified = {{"memory.max", "lots"}};
    EXPECT_NE(error_of([&] {
                  unit_resource_properties(r, true, nullptr);
              }).find("unified resource \"memory.max\" value conversion error"),
              std::string::npos);
}

// --- devices ---

TEST(UnitDeviceProperties, DenyAllWithExceptionsBecomesStrictWithAllowEntries) {
    std::vector<DeviceRule> rules = {
        DeviceRule{},                                         // deny all
        DeviceRule{'c', 1, 3, "rwm", true},                   // /dev/null
        DeviceRule{'c', 136, DeviceRule::kAny, "rwm", true},  // pts
        DeviceRule{'b', DeviceRule::kAny, DeviceRule::kAny, "m", true},
        DeviceRule{'c', DeviceRule::kAny, 5, "r", true},    // no systemd form
        DeviceRule{'c', 250, DeviceRule::kAny, "r", true},  // no group in /proc/devices
    };
    spec::Resources r;
    auto props = unit_resource_properties(r, true, &rules, kProcDevices);
    ASSERT_EQ(names(props),
              (std::vector<std::string>{"DeviceAllow", "DevicePolicy", "DeviceAllow"}));
    EXPECT_TRUE(std::get<std::vector<DeviceAllowEntry>>(props[0].value).empty());
    EXPECT_EQ(value_of<std::string>(props, "DevicePolicy"), "strict");
    EXPECT_EQ(value_of<std::vector<DeviceAllowEntry>>(props, "DeviceAllow"),
              (std::vector<DeviceAllowEntry>{
                  {"block-*", "m"}, {"/dev/char/1:3", "rwm"}, {"char-pts", "rwm"}}));
}

TEST(UnitDeviceProperties, AllowAllIsPolicyAuto) {
    std::vector<DeviceRule> rules = {
        DeviceRule{'a', DeviceRule::kAny, DeviceRule::kAny, "rwm", true}};
    auto props = unit_resource_properties(spec::Resources{}, true, &rules);
    EXPECT_EQ(value_of<std::string>(props, "DevicePolicy"), "auto");
    EXPECT_TRUE(value_of<std::vector<DeviceAllowEntry>>(props, "DeviceAllow").empty());
}

TEST(UnitDeviceProperties, DenyListIsStrictDenyAllLikeRunc) {
    std::vector<DeviceRule> rules = {
        DeviceRule{'a', DeviceRule::kAny, DeviceRule::kAny, "rwm", true},
        DeviceRule{'c', 1, 3, "rwm", false}};
    auto props = unit_resource_properties(spec::Resources{}, true, &rules);
    EXPECT_EQ(value_of<std::string>(props, "DevicePolicy"), "strict");
    EXPECT_TRUE(value_of<std::vector<DeviceAllowEntry>>(props, "DeviceAllow").empty());
}

TEST(UnitDeviceProperties, TheContainersDefaultRulesAllMapToEntries) {
    auto rules = container_device_rules({}, {});
    auto props = unit_resource_properties(spec::Resources{}, true, &rules, kProcDevices);
    auto allow = value_of<std::vector<DeviceAllowEntry>>(props, "DeviceAllow");
    EXPECT_NE(std::find(allow.begin(), allow.end(), DeviceAllowEntry{"/dev/char/1:3", "rwm"}),
              allow.end());
    EXPECT_NE(std::find(allow.begin(), allow.end(), DeviceAllowEntry{"char-pts", "rwm"}),
              allow.end());
}
