#include "minirunc/process_attributes.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <utility>

#include "core/json_reader.hpp"
#include "minirunc/error.hpp"

namespace minirunc {
namespace {

constexpr unsigned kWordBits = sizeof(unsigned long) * CHAR_BIT;

unsigned parse_id(const std::string& text, const std::string& element) {
    if (text.empty() || text.size() > 10 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Error("invalid element \"" + element + "\"");
    unsigned long long value = std::stoull(text);
    if (value > kMaxCpuOrNodeId)
        throw Error("values larger than " + std::to_string(kMaxCpuOrNodeId) + " are not supported");
    return static_cast<unsigned>(value);
}

template <size_t N>
int index_of(const std::array<std::string_view, N>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// Kernel values (uapi sched.h, mempolicy.h, ioprio.h, personality.h); the
// installed headers may predate MPOL_WEIGHTED_INTERLEAVE.
constexpr std::array<std::string_view, 7> kPolicies = {"SCHED_OTHER",   "SCHED_FIFO", "SCHED_RR",
                                                       "SCHED_BATCH",   "SCHED_ISO",  "SCHED_IDLE",
                                                       "SCHED_DEADLINE"};
constexpr std::array<std::string_view, 7> kSchedFlags = {
    "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
    "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
    "SCHED_FLAG_UTIL_CLAMP_MAX"};
constexpr std::array<std::string_view, 7> kMemoryModes = {
    "MPOL_DEFAULT",        "MPOL_PREFERRED",          "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
    "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"};
constexpr std::pair<std::string_view, int> kMemoryFlags[] = {
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_STATIC_NODES", 1 << 15},
};
constexpr int kMpolDefault = 0, kMpolPreferred = 1, kMpolLocal = 4;

}  // namespace

bool IdSet::has(unsigned id) const {
    return id / kWordBits < words.size() && (words[id / kWordBits] >> (id % kWordBits)) & 1;
}

unsigned IdSet::count() const {
    unsigned n = 0;
    for (unsigned long w : words) n += static_cast<unsigned>(__builtin_popcountl(w));
    return n;
}

void IdSet::add(unsigned id) {
    if (words.size() <= id / kWordBits) words.resize(id / kWordBits + 1, 0);
    words[id / kWordBits] |= 1UL << (id % kWordBits);
}

std::vector<unsigned> IdSet::ids() const {
    std::vector<unsigned> out;
    for (unsigned id = 0; id < words.size() * kWordBits; ++id)
        if (has(id)) out.push_back(id);
    return out;
}

IdSet parse_id_list(const std::string& text) {
    IdSet set;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string element = text::trim(text.substr(start, comma - start));
        start = comma + 1;
        if (element.empty()) continue;
        size_t dash = element.find('-');
        unsigned first = parse_id(element.substr(0, dash), element);
        unsigned last =
            dash == std::string::npos ? first : parse_id(element.substr(dash + 1), element);
        if (first > last) throw Error("invalid range \"" + element + "\"");
        for (unsigned id = first; id <= last; ++id) set.add(id);
    }
    if (set.count() == 0) throw Error("no members found in set \"" + text + "\"");
    return set;
}

int scheduler_policy(const std::string& name) {
    return index_of(kPolicies, name);
}

int64_t scheduler_flag(const std::string& name) {
    int bit = index_of(kSchedFlags, name);
    return bit < 0 ? -1 : int64_t{1} << bit;
}

SchedAttr plan_scheduler(const spec::Scheduler& s) {
    SchedAttr attr;
    attr.policy = static_cast<uint32_t>(std::max(scheduler_policy(s.policy), 0));
    for (const auto& flag : s.flags) attr.flags |= static_cast<uint64_t>(scheduler_flag(flag));
    attr.nice = s.nice.value_or(0);
    attr.priority = static_cast<uint32_t>(s.priority.value_or(0));
    attr.runtime = s.runtime.value_or(0);
    attr.deadline = s.deadline.value_or(0);
    attr.period = s.period.value_or(0);
    return attr;
}

int io_priority_value(const spec::IoPriority& p) {
    int io_class = p.io_class == "IOPRIO_CLASS_RT"     ? 1
                   : p.io_class == "IOPRIO_CLASS_BE"   ? 2
                   : p.io_class == "IOPRIO_CLASS_IDLE" ? 3
                                                       : -1;
    return io_class < 0 ? -1 : io_class << 13 | p.priority;
}

long personality_value(const spec::Personality& p) {
    if (p.domain == "LINUX") return 0x0000;    // PER_LINUX
    if (p.domain == "LINUX32") return 0x0008;  // PER_LINUX32
    return -1;
}

int memory_policy_mode(const std::string& name) {
    return index_of(kMemoryModes, name);
}

int memory_policy_flag(const std::string& name) {
    for (const auto& [flag, value] : kMemoryFlags)
        if (flag == name) return value;
    return -1;
}

MemoryPolicyPlan plan_memory_policy(const spec::MemoryPolicy& policy) {
    const std::string base = "/linux/memoryPolicy/";
    MemoryPolicyPlan plan;
    plan.mode = memory_policy_mode(policy.mode);
    if (plan.mode < 0)
        spec::detail::config_error(base + "mode",
                                   "invalid memory policy mode \"" + policy.mode + "\"");
    if (!text::trim(policy.nodes).empty() || policy.nodes.find(',') != std::string::npos) {
        try {
            plan.nodes = parse_id_list(policy.nodes);
        } catch (const Error& e) {
            spec::detail::config_error(base + "nodes", "invalid memory policy nodes \"" +
                                                           policy.nodes + "\": " + e.what());
        }
    }
    unsigned count = plan.nodes.count();
    if ((plan.mode == kMpolDefault || plan.mode == kMpolLocal) && count != 0)
        spec::detail::config_error(base + "nodes", "memory policy mode " + policy.mode +
                                                       " requires 0 nodes but got " +
                                                       std::to_string(count));
    if (plan.mode != kMpolDefault && plan.mode != kMpolLocal && plan.mode != kMpolPreferred &&
        count == 0)
        spec::detail::config_error(base + "nodes", "memory policy mode " + policy.mode +
                                                       " requires at least one node but got 0");
    for (size_t i = 0; i < policy.flags.size(); ++i) {
        int flag = memory_policy_flag(policy.flags[i]);
        if (flag < 0)
            spec::detail::config_error(base + "flags/" + std::to_string(i),
                                       "invalid memory policy flag \"" + policy.flags[i] + "\"");
        plan.mode |= flag;
    }
    return plan;
}

IdSet all_cpus() {
    IdSet set;
    set.words.assign((kMaxCpuOrNodeId + kWordBits - 1) / kWordBits / 8, ~0UL);  // 8192 CPUs
    return set;
}

AffinityPlan plan_final_affinity(bool exec, const std::optional<spec::ExecCpuAffinity>& affinity) {
    AffinityPlan plan;
    const bool has_initial = exec && affinity && !text::trim(affinity->initial).empty();
    const bool has_final = exec && affinity && !text::trim(affinity->final_cpus).empty();
    if (has_final) {
        plan.cpus = parse_id_list(affinity->final_cpus);
    } else if (has_initial) {
        plan.keep = true;
    } else {
        plan.cpus = all_cpus();
    }
    return plan;
}

}  // namespace minirunc
