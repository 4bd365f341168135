#include "swrk.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <sstream>

#include "minirunc/error.hpp"
#include "minirunc/sys/hook_process.hpp"
#include "minirunc/unique_fd.hpp"
#include "rpc.pb-c.h"

namespace minirunc::criu {
namespace {

const char* type_name(CriuReqType type) {
    switch (type) {
        case CRIU_REQ_TYPE__DUMP:
            return "DUMP";
        case CRIU_REQ_TYPE__PRE_DUMP:
            return "PRE_DUMP";
        case CRIU_REQ_TYPE__RESTORE:
            return "RESTORE";
        case CRIU_REQ_TYPE__NOTIFY:
            return "NOTIFY";
        default:
            return "EMPTY";
    }
}

// `criu` by name is looked up in $PATH, as exec.Command does in runc.
std::string resolve(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* env = ::getenv("PATH");
    std::stringstream dirs(env ? env
                               : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        std::string path = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    throw Error("exec: \"" + name + "\": executable file not found in $PATH", ENOENT);
}

// The request message, built on the stack: every pointer refers to `request`
// or to the vectors here, which live as long as this object.
class Message {
  public:
    explicit Message(const Request& request) {
        criu_opts__init(&opts_);
        criu_req__init(&req_);
        const Options& o = *request.options;
        opts_.images_dir_fd = request.images_dir_fd;
        if (request.work_dir_fd >= 0) {
            opts_.has_work_dir_fd = true;
            opts_.work_dir_fd = request.work_dir_fd;
        }
        opts_.has_log_level = true;
        opts_.log_level = 4;
        opts_.log_file = const_cast<char*>(request.log_file.c_str());
        opts_.root = const_cast<char*>(request.root.c_str());
        opts_.has_manage_cgroups = true;
        opts_.manage_cgroups = true;
        opts_.has_notify_scripts = true;
        opts_.notify_scripts = true;
        set(opts_.has_shell_job, opts_.shell_job, o.shell_job);
        set(opts_.has_tcp_established, opts_.tcp_established, o.tcp_established);
        set(opts_.has_ext_unix_sk, opts_.ext_unix_sk, o.ext_unix_sk);
        set(opts_.has_file_locks, opts_.file_locks, o.file_locks);
        set(opts_.has_auto_dedup, opts_.auto_dedup, o.auto_dedup);
        set(opts_.has_orphan_pts_master, opts_.orphan_pts_master, true);
        opts_.has_empty_ns = true;
        opts_.empty_ns = o.empty_ns;
        if (o.cgroup_mode) {
            opts_.has_manage_cgroups_mode = true;
            opts_.manage_cgroups_mode = static_cast<CriuCgMode>(*o.cgroup_mode);
        }
        if (request.type == RequestType::Restore) {
            req_.type = CRIU_REQ_TYPE__RESTORE;
            set(opts_.has_rst_sibling, opts_.rst_sibling, true);
            set(opts_.has_evasive_devices, opts_.evasive_devices, true);
        } else {
            req_.type = request.type == RequestType::PreDump ? CRIU_REQ_TYPE__PRE_DUMP
                                                             : CRIU_REQ_TYPE__DUMP;
            opts_.has_pid = true;
            opts_.pid = request.pid;
            set(opts_.has_leave_running, opts_.leave_running, o.leave_running);
            if (!request.freeze_cgroup.empty())
                opts_.freeze_cgroup = const_cast<char*>(request.freeze_cgroup.c_str());
            if (!o.parent_path.empty()) {
                opts_.parent_img = const_cast<char*>(o.parent_path.c_str());
                set(opts_.has_track_mem, opts_.track_mem, true);
            }
            // Memory is tracked from the first pre-dump on, for the next.
            if (request.type == RequestType::PreDump)
                set(opts_.has_track_mem, opts_.track_mem, true);
        }
        for (const ExtMount& m : request.plan->ext_mounts) {
            auto& e = mounts_.emplace_back(std::make_unique<ExtMountMap>());
            ext_mount_map__init(e.get());
            e->key = const_cast<char*>(m.key.c_str());
            e->val = const_cast<char*>(m.value.c_str());
            mount_ptrs_.push_back(e.get());
        }
        opts_.n_ext_mnt = mount_ptrs_.size();
        opts_.ext_mnt = mount_ptrs_.data();
        for (const InheritFd& f : request.inherit_fds) {
            auto& e = inherits_.emplace_back(std::make_unique<::InheritFd>());
            inherit_fd__init(e.get());
            e->key = const_cast<char*>(f.key.c_str());
            e->fd = f.fd;
            inherit_ptrs_.push_back(e.get());
        }
        opts_.n_inherit_fd = inherit_ptrs_.size();
        opts_.inherit_fd = inherit_ptrs_.data();
        for (const CgroupRoot& r : request.cgroup_roots) {
            auto& e = roots_.emplace_back(std::make_unique<::CgroupRoot>());
            cgroup_root__init(e.get());
            if (!r.controller.empty()) e->ctrl = const_cast<char*>(r.controller.c_str());
            e->path = const_cast<char*>(r.path.c_str());
            root_ptrs_.push_back(e.get());
        }
        opts_.n_cg_root = root_ptrs_.size();
        opts_.cg_root = root_ptrs_.data();
        for (const std::string& e : request.external)
            external_.push_back(const_cast<char*>(e.c_str()));
        opts_.n_external = external_.size();
        opts_.external = external_.data();
        req_.opts = &opts_;
    }

    CriuReqType type() const { return req_.type; }
    const CriuReq* get() const { return &req_; }

  private:
    static void set(protobuf_c_boolean& has, protobuf_c_boolean& field, bool value) {
        has = true;
        field = value;
    }
    CriuOpts opts_;
    CriuReq req_;
    std::vector<std::unique_ptr<ExtMountMap>> mounts_;
    std::vector<ExtMountMap*> mount_ptrs_;
    std::vector<std::unique_ptr<::InheritFd>> inherits_;
    std::vector<::InheritFd*> inherit_ptrs_;
    std::vector<std::unique_ptr<::CgroupRoot>> roots_;
    std::vector<::CgroupRoot*> root_ptrs_;
    std::vector<char*> external_;
};

void send_message(int fd, const CriuReq* req) {
    std::string buffer(criu_req__get_packed_size(req), '\0');
    criu_req__pack(req, reinterpret_cast<uint8_t*>(buffer.data()));
    if (::send(fd, buffer.data(), buffer.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(buffer.size()))
        throw_errno("send a request to criu");
}

struct RespDeleter {
    void operator()(CriuResp* r) const { criu_resp__free_unpacked(r, nullptr); }
};
using Response = std::unique_ptr<CriuResp, RespDeleter>;

// Null when criu closed the socket (it exited).
Response receive(int fd) {
    std::string buffer(1 << 16, '\0');
    ssize_t n;
    do n = ::recv(fd, buffer.data(), buffer.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) throw_errno("read criu's response");
    if (n == 0) return nullptr;
    CriuResp* resp = criu_resp__unpack(nullptr, n, reinterpret_cast<const uint8_t*>(buffer.data()));
    if (!resp) throw Error("criu sent a response that is not a criu_resp message");
    return Response(resp);
}

// Runs criu with `sock` as fd 3 and `extra` as 4, 5, ...; returns its pid.
// Without `stdio`, criu's 0-2 are /dev/null (a dump needs none of ours).
pid_t spawn(const std::string& path, int sock, const std::vector<int>& extra, bool stdio) {
    // Every source above the targets first, so no dup2 overwrites a later source.
    int floor = 4 + static_cast<int>(extra.size()) + 1;
    std::vector<UniqueFd> high;
    std::vector<int> sources;
    auto lift = [&](int fd) {
        high.emplace_back(::fcntl(fd, F_DUPFD_CLOEXEC, floor));
        if (!high.back()) throw_errno("dup an fd for criu");
        sources.push_back(high.back().get());
    };
    lift(sock);
    for (int fd : extra) lift(fd);
    const char* argv[] = {path.c_str(), "swrk", "3", nullptr};
    pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork criu");
    if (pid == 0) {
        if (!stdio) {
            int null_fd = ::open("/dev/null", O_RDWR);
            if (null_fd < 0) ::_exit(127);
            for (int fd = 0; fd < 3; ++fd) ::dup2(null_fd, fd);
        }
        for (size_t i = 0; i < sources.size(); ++i)
            if (::dup2(sources[i], 3 + static_cast<int>(i)) < 0) ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(argv[0], const_cast<char* const*>(argv));
        ::_exit(127);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

pid_t run_swrk(const std::string& criu_path, const Request& request,
               const std::vector<int>& extra_fds, const Callbacks& callbacks) {
    std::string path = resolve(criu_path.empty() ? "criu" : criu_path);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair)) throw_errno("socketpair");
    UniqueFd ours(pair[0]);
    UniqueFd theirs(pair[1]);
    // A restore hands our stdio on (inherited pipes); a dump gives criu none.
    pid_t criu = spawn(path, theirs.get(), extra_fds, request.type == RequestType::Restore);
    theirs.reset();
    std::string log_path = request.log_file;
    {
        // The work dir as CRIU sees it: through our fd.
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d",
                 request.work_dir_fd >= 0 ? request.work_dir_fd : request.images_dir_fd);
        char target[4096];
        ssize_t n = ::readlink(link, target, sizeof target - 1);
        if (n > 0) log_path = std::string(target, n) + "/" + request.log_file;
    }
    bool reaped = false;
    pid_t restored = 0;
    try {
        if (callbacks.on_started) callbacks.on_started(criu);
        Message message(request);
        send_message(ours.get(), message.get());
        CriuReqType last = message.type();
        for (;;) {
            Response resp = receive(ours.get());
            if (!resp) {
                int status = wait_for(criu);
                reaped = true;
                std::string why = WIFEXITED(status) && WEXITSTATUS(status) == 127
                                      ? "could not execute " + path
                                      : check_host(path);
                if (why.empty()) why = "criu exited without an answer";
                throw Error(std::string("criu failed: type ") + type_name(last) + ": " + why +
                            "\nlog file: " + log_path);
            }
            if (!resp->success) {
                std::string message =
                    std::string("criu failed: type ") + type_name(last) + " errno " +
                    std::to_string(resp->has_cr_errno ? resp->cr_errno : 0) +
                    (resp->cr_errmsg ? std::string(" (") + resp->cr_errmsg + ")" : "") +
                    "\nlog file: " + log_path;
                // A host criu cannot run on fails every request: say why.
                std::string why = check_host(path);
                throw Error(why.empty() ? message : message + "\n" + why);
            }
            if (resp->type == CRIU_REQ_TYPE__NOTIFY) {
                if (resp->notify && callbacks.on_notify)
                    callbacks.on_notify(resp->notify->script ? resp->notify->script : "",
                                        resp->notify->has_pid ? resp->notify->pid : 0);
                CriuReq reply;
                criu_req__init(&reply);
                reply.type = CRIU_REQ_TYPE__NOTIFY;
                reply.has_notify_success = true;
                reply.notify_success = true;
                send_message(ours.get(), &reply);
                last = CRIU_REQ_TYPE__NOTIFY;
                continue;
            }
            if (resp->type == CRIU_REQ_TYPE__RESTORE && resp->restore)
                restored = resp->restore->pid;
            break;
        }
    } catch (const Error&) {
        if (!reaped) {
            ::kill(criu, SIGKILL);
            wait_for(criu);
        }
        throw;
    }
    ::shutdown(ours.get(), SHUT_WR);
    int status = wait_for(criu);
    // After a PRE_DUMP criu waits for the next request of a series; runc, as
    // we, asks one per run, so its exit status then says nothing.
    if (request.type == RequestType::PreDump) return restored;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error("criu failed: " +
                    (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                       : "signal " + std::to_string(WTERMSIG(status))) +
                    "\nlog file: " + log_path);
    return restored;
}

std::string check_host(const std::string& criu_path) {
    spec::Hook check;
    check.path = resolve(criu_path.empty() ? "criu" : criu_path);
    check.args = {check.path, "check"};
    check.timeout = 60;
    HookOutcome outcome = sys::run_hook_process(check, "", "/");
    if (outcome.exec_errno)
        return "cannot execute " + check.path + ": " + errno_text(outcome.exec_errno);
    if (WIFEXITED(outcome.wait_status) && WEXITSTATUS(outcome.wait_status) == 0) return "";
    // Its error lines say why ("vdso: Failed to fill self vdso symtable").
    std::string text = outcome.err.empty() ? outcome.out : outcome.err;
    std::stringstream lines(text);
    std::string line, reasons;
    while (std::getline(lines, line)) {
        if (line.rfind("Error", 0) != 0) continue;
        size_t colon = line.find("): ");
        reasons += (reasons.empty() ? "" : "; ") +
                   (colon == std::string::npos ? line : line.substr(colon + 3));
    }
    if (reasons.empty()) reasons = text.substr(0, text.find('\n'));
    return "criu check failed on this host: " + reasons;
}

bool built_with_criu() {
    return true;
}

}  // namespace minirunc::criu
