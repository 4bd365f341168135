#include "minirunc/process_attributes.hpp"

#include <gtest/gtest.h>

#include "error_text.hpp"

namespace minirunc {
namespace {

using test::error_of;

TEST(ProcessAttributes, CpuListsAreReadAsRuncReadsThem) {
    EXPECT_EQ(parse_id_list("0-3,7").ids(), (std::vector<unsigned>{0, 1, 2, 3, 7}));
    EXPECT_EQ(parse_id_list(" 1 , ,2,").ids(), (std::vector<unsigned>{1, 2}));
    EXPECT_EQ(parse_id_list("64").ids(), (std::vector<unsigned>{64}));
    EXPECT_EQ(parse_id_list("64").words.size(), 2u);
    EXPECT_EQ(error_of([] { parse_id_list("zz-garbage"); }), "invalid element \"zz-garbage\"");
    EXPECT_EQ(error_of([] { parse_id_list("3-1"); }), "invalid range \"3-1\"");
    EXPECT_EQ(error_of([] { parse_id_list("0-"); }), "invalid element \"0-\"");
    EXPECT_EQ(error_of([] { parse_id_list("-1"); }), "invalid element \"-1\"");
    EXPECT_EQ(error_of([] { parse_id_list(","); }), "no members found in set \",\"");
    EXPECT_EQ(error_of([] { parse_id_list("70000"); }),
              "values larger than 65536 are not supported");
}

TEST(ProcessAttributes, SchedulerBecomesSchedAttr) {
    spec::Scheduler s;
    s.policy = "SCHED_DEADLINE";
    s.flags = {"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_UTIL_CLAMP_MAX"};
    s.runtime = 1;
    s.deadline = 2;
    s.period = 3;
    SchedAttr a = plan_scheduler(s);
    EXPECT_EQ(a.size, 56u);
    EXPECT_EQ(a.policy, 6u);
    EXPECT_EQ(a.flags, 0x01u | 0x02u | 0x40u);
    EXPECT_EQ(a.runtime, 1u);
    EXPECT_EQ(a.deadline, 2u);
    EXPECT_EQ(a.period, 3u);
    s = {};
    s.policy = "SCHED_BATCH";
    s.nice = 7;
    a = plan_scheduler(s);
    EXPECT_EQ(a.policy, 3u);
    EXPECT_EQ(a.nice, 7);
    EXPECT_EQ(a.priority, 0u);
    EXPECT_EQ(scheduler_policy("SCHED_ISO"), 4);
    EXPECT_EQ(scheduler_policy("SCHED_FAST"), -1);
    EXPECT_EQ(scheduler_flag("SCHED_FLAG_FAST"), -1);
}

TEST(ProcessAttributes, IoPriorityAndPersonalityValues) {
    EXPECT_EQ(io_priority_value({"IOPRIO_CLASS_RT", 1}), 1 << 13 | 1);
    EXPECT_EQ(io_priority_value({"IOPRIO_CLASS_BE", 6}), 2 << 13 | 6);
    EXPECT_EQ(io_priority_value({"IOPRIO_CLASS_IDLE", 0}), 3 << 13);
    EXPECT_EQ(io_priority_value({"IOPRIO_CLASS_X", 0}), -1);
    EXPECT_EQ(personality_value({"LINUX", {}}), 0);
    EXPECT_EQ(personality_value({"LINUX32", {}}), 8);
    EXPECT_EQ(personality_value({"BSD", {}}), -1);
}

TEST(ProcessAttributes, MemoryPolicyModesFlagsAndNodes) {
    auto plan = [](std::string mode, std::string nodes, std::vector<std::string> flags = {}) {
        return plan_memory_policy({std::move(mode), std::move(nodes), std::move(flags)});
    };
    EXPECT_EQ(plan("MPOL_DEFAULT", "").mode, 0);
    EXPECT_EQ(plan("MPOL_PREFERRED", "").mode, 1);
    EXPECT_EQ(plan("MPOL_PREFERRED", "1").nodes.ids(), (std::vector<unsigned>{1}));
    EXPECT_EQ(plan("MPOL_BIND", "0-1").mode, 2);
    EXPECT_EQ(plan("MPOL_INTERLEAVE", "0").mode, 3);
    EXPECT_EQ(plan("MPOL_LOCAL", "").mode, 4);
    EXPECT_EQ(plan("MPOL_PREFERRED_MANY", "0").mode, 5);
    EXPECT_EQ(plan("MPOL_WEIGHTED_INTERLEAVE", "0").mode, 6);
    EXPECT_EQ(plan("MPOL_BIND", "0", {"MPOL_F_STATIC_NODES"}).mode, 2 | 1 << 15);
    EXPECT_EQ(plan("MPOL_BIND", "0", {"MPOL_F_RELATIVE_NODES", "MPOL_F_NUMA_BALANCING"}).mode,
              2 | 1 << 14 | 1 << 13);
    EXPECT_EQ(error_of([&] { plan("MPOL_BOGUS", ""); }),
              "config.json: /linux/memoryPolicy/mode: invalid memory policy mode \"MPOL_BOGUS\"");
    EXPECT_EQ(error_of([&] { plan("MPOL_BIND", ""); }),
              "config.json: /linux/memoryPolicy/nodes: memory policy mode MPOL_BIND requires at "
              "least one node but got 0");
    EXPECT_EQ(error_of([&] { plan("MPOL_LOCAL", "0"); }),
              "config.json: /linux/memoryPolicy/nodes: memory policy mode MPOL_LOCAL requires 0 "
              "nodes but got 1");
    EXPECT_EQ(error_of([&] { plan("MPOL_BIND", "x"); }),
              "config.json: /linux/memoryPolicy/nodes: invalid memory policy nodes \"x\": invalid "
              "element \"x\"");
    EXPECT_EQ(error_of([&] { plan("MPOL_BIND", "0", {"MPOL_F_X"}); }),
              "config.json: /linux/memoryPolicy/flags/0: invalid memory policy flag \"MPOL_F_X\"");
}

TEST(ProcessAttributes, FinalAffinityIsForExecOnly) {
    spec::ExecCpuAffinity both{"0", "1"};
    // The container's init: every CPU (its cpuset decides), whatever the config.
    AffinityPlan init = plan_final_affinity(false, both);
    EXPECT_FALSE(init.keep);
    EXPECT_TRUE(init.cpus.has(0) && init.cpus.has(1) && init.cpus.has(8191));
    EXPECT_EQ(plan_final_affinity(true, both).cpus.ids(), (std::vector<unsigned>{1}));
    EXPECT_TRUE(plan_final_affinity(true, spec::ExecCpuAffinity{"0", ""}).keep);
    EXPECT_EQ(plan_final_affinity(true, std::nullopt).cpus.count(), 8192u);
    EXPECT_EQ(plan_final_affinity(true, spec::ExecCpuAffinity{"", " "}).cpus.count(), 8192u);
}

}  // namespace
}  // namespace minirunc
