#include "cgroup_devices_bpf.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {
namespace {

long bpf(int cmd, bpf_attr& attr) {
    return ::syscall(SYS_bpf, cmd, &attr, sizeof attr);
}

uint64_t ptr(const void* p) {
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

UniqueFd load(const std::vector<bpf_insn>& program) {
    static const char kLicense[] = "Apache";
    bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = ptr(program.data());
    attr.insn_cnt = static_cast<uint32_t>(program.size());
    attr.license = ptr(kLicense);
    long fd = bpf(BPF_PROG_LOAD, attr);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    int err = errno;
    if (err != EINVAL && err != EACCES) throw_errno("loading the device filter (bpf)", err);
    // Again with the verifier's log, to say why.
    std::string log(65536, '\0');
    attr.log_buf = ptr(log.data());
    attr.log_size = static_cast<uint32_t>(log.size());
    attr.log_level = 1;
    fd = bpf(BPF_PROG_LOAD, attr);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    log.resize(std::strlen(log.c_str()));
    throw Error("loading the device filter (bpf): " + errno_text(err) +
                    (log.empty() ? "" : ": verifier: " + log),
                err);
}

std::vector<uint32_t> attached_programs(int cgroup_fd) {
    std::vector<uint32_t> ids(64);
    bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = ptr(ids.data());
    attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
    if (bpf(BPF_PROG_QUERY, attr) != 0) throw_errno("querying the cgroup's device filters (bpf)");
    ids.resize(std::min<size_t>(attr.query.prog_cnt, ids.size()));
    return ids;
}

}  // namespace

void install_device_program(const std::string& cgroup_dir, const std::vector<bpf_insn>& program) {
    UniqueFd cgroup = sys::open_file(cgroup_dir, O_RDONLY | O_DIRECTORY);
    std::vector<uint32_t> before = attached_programs(cgroup.get());
    UniqueFd prog = load(program);
    bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.target_fd = static_cast<uint32_t>(cgroup.get());
    attr.attach_bpf_fd = static_cast<uint32_t>(prog.get());
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, attr) != 0) throw_errno("attaching the device filter (bpf)");
    // With BPF_F_ALLOW_MULTI every attached program must allow an access:
    // the old ones would keep restricting the new rules.
    for (uint32_t id : before) {
        std::memset(&attr, 0, sizeof attr);
        attr.prog_id = id;
        long old = bpf(BPF_PROG_GET_FD_BY_ID, attr);
        if (old < 0) continue;  // gone meanwhile
        UniqueFd old_fd(static_cast<int>(old));
        std::memset(&attr, 0, sizeof attr);
        attr.target_fd = static_cast<uint32_t>(cgroup.get());
        attr.attach_bpf_fd = static_cast<uint32_t>(old_fd.get());
        attr.attach_type = BPF_CGROUP_DEVICE;
        if (bpf(BPF_PROG_DETACH, attr) != 0 && errno != ENOENT)
            throw_errno("detaching an old device filter (bpf)");
    }
}

}  // namespace minirunc::runtime
