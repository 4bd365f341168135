#include "minirunc/namespace_plan.hpp"

#include <sched.h>

#include "minirunc/error.hpp"

namespace minirunc {

int namespace_clone_flag(const std::string& type) {
    if (type == "pid") return CLONE_NEWPID;
    if (type == "network") return CLONE_NEWNET;
    if (type == "mount") return CLONE_NEWNS;
    if (type == "ipc") return CLONE_NEWIPC;
    if (type == "uts") return CLONE_NEWUTS;
    if (type == "user") return CLONE_NEWUSER;
    if (type == "cgroup") return CLONE_NEWCGROUP;
    if (type == "time") return CLONE_NEWTIME;
    return 0;
}

const char* namespace_proc_name(const std::string& type) {
    if (type == "network") return "net";
    if (type == "mount") return "mnt";
    return type == "pid"      ? "pid"
           : type == "ipc"    ? "ipc"
           : type == "uts"    ? "uts"
           : type == "user"   ? "user"
           : type == "cgroup" ? "cgroup"
           : type == "time"   ? "time"
                              : "";
}

bool NamespacePlan::joined(int clone_flag) const {
    for (const auto& join : joins)
        if (join.clone_flag == clone_flag) return true;
    return false;
}

NamespacePlan plan_namespaces(const std::vector<spec::Namespace>& namespaces) {
    NamespacePlan plan;
    for (const auto& ns : namespaces) {
        int flag = namespace_clone_flag(ns.type);
        if (!flag) throw Error("unknown namespace type \"" + ns.type + "\"");
        if (ns.path.empty()) {
            if (flag == CLONE_NEWUSER)
                plan.new_user = true;
            else
                plan.unshare_flags |= flag;
        } else {
            NamespaceJoin join{ns.type, flag, ns.path};
            if (flag == CLONE_NEWUSER)
                plan.joins.insert(plan.joins.begin(), join);
            else
                plan.joins.push_back(join);
        }
        if (flag == CLONE_NEWPID) plan.pid_new_or_joined = true;
    }
    return plan;
}

}  // namespace minirunc
