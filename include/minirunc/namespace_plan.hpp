// Which namespaces the init creates and which it joins, in the order that
// works: the user namespace first (it owns the others), then joins, then one
// unshare() of the rest.
#pragma once

#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

struct NamespaceJoin {
    std::string type;
    int clone_flag = 0;
    std::string path;
};

struct NamespacePlan {
    bool new_user = false;
    std::vector<NamespaceJoin> joins;  // user (if any) first
    int unshare_flags = 0;             // everything new except user
    bool pid_new_or_joined = false;    // needs a fork to land in it
    bool has(int clone_flag) const {
        return (unshare_flags & clone_flag) != 0 || joined(clone_flag);
    }
    bool joined(int clone_flag) const;
};

int namespace_clone_flag(const std::string& type);         // 0 when unknown
const char* namespace_proc_name(const std::string& type);  // "net" for "network"
NamespacePlan plan_namespaces(const std::vector<spec::Namespace>& namespaces);

}  // namespace minirunc
