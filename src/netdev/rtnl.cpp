#include "rtnl.hpp"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sched.h>

#include <vector>

#include "minirunc/error.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::netdev {
namespace {

// Big enough for a dump batch (the kernel fills up to 32 KiB per read).
constexpr size_t kReceiveBuffer = 64 * 1024;
constexpr size_t kRequestBuffer = 4096;

struct Attrs {
    const nlattr* table[IFLA_MAX > IFA_MAX ? IFLA_MAX + 1 : IFA_MAX + 1] = {};
    uint16_t max = 0;
};

int store_attr(const nlattr* attr, void* data) {
    auto* attrs = static_cast<Attrs*>(data);
    uint16_t type = mnl_attr_get_type(attr);
    if (type <= attrs->max) attrs->table[type] = attr;
    return MNL_CB_OK;
}

std::string payload(const nlattr* attr) {
    if (!attr) return {};
    return std::string(static_cast<const char*>(mnl_attr_get_payload(attr)),
                       mnl_attr_get_payload_len(attr));
}

void parse_link(const nlmsghdr* message, void* data) {
    if (message->nlmsg_type != RTM_NEWLINK) return;
    const auto* info = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(message));
    Attrs attrs;
    attrs.max = IFLA_MAX;
    mnl_attr_parse(message, sizeof *info, store_attr, &attrs);
    Link link;
    link.index = info->ifi_index;
    link.flags = info->ifi_flags;
    if (attrs.table[IFLA_IFNAME]) link.name = mnl_attr_get_str(attrs.table[IFLA_IFNAME]);
    static_cast<std::vector<Link>*>(data)->push_back(std::move(link));
}

struct AddressDump {
    int index;
    std::vector<Address> found;
};

void parse_address(const nlmsghdr* message, void* data) {
    if (message->nlmsg_type != RTM_NEWADDR) return;
    auto* dump = static_cast<AddressDump*>(data);
    const auto* info = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(message));
    if (static_cast<int>(info->ifa_index) != dump->index) return;
    Attrs attrs;
    attrs.max = IFA_MAX;
    mnl_attr_parse(message, sizeof *info, store_attr, &attrs);
    Address a;
    a.family = info->ifa_family;
    a.prefix_length = info->ifa_prefixlen;
    a.scope = info->ifa_scope;
    a.flags = attrs.table[IFA_FLAGS] ? mnl_attr_get_u32(attrs.table[IFA_FLAGS]) : info->ifa_flags;
    a.local = payload(attrs.table[IFA_LOCAL]);
    a.address = payload(attrs.table[IFA_ADDRESS]);
    a.broadcast = payload(attrs.table[IFA_BROADCAST]);
    dump->found.push_back(std::move(a));
}

// A dump ends with NLMSG_DONE; any other request with its ACK. (Not told
// apart by the flags: NLM_F_EXCL and NLM_F_MATCH share a bit.)
enum class Reply { ack, dump };

nlmsghdr* start_request(std::vector<char>& buffer, uint16_t type, Reply reply, uint16_t flags = 0) {
    nlmsghdr* message = mnl_nlmsg_put_header(buffer.data());
    message->nlmsg_type = type;
    message->nlmsg_flags = NLM_F_REQUEST | flags | (reply == Reply::dump ? NLM_F_DUMP : NLM_F_ACK);
    return message;
}

ifinfomsg* put_link_header(nlmsghdr* message, int index) {
    auto* info = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(message, sizeof(ifinfomsg)));
    info->ifi_family = AF_UNSPEC;
    info->ifi_index = index;
    return info;
}

// Enters `netns_fd` for as long as it lives (this thread only), then goes back.
class NetnsVisit {
  public:
    explicit NetnsVisit(int netns_fd) {
        if (netns_fd < 0) return;
        home_.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
        if (!home_) throw_errno("open /proc/thread-self/ns/net");
        if (::setns(netns_fd, CLONE_NEWNET))
            throw_errno("entering the container's network namespace");
    }
    ~NetnsVisit() {
        // Failing to go home would leave every later request in the wrong
        // namespace: better to die than to move the wrong devices.
        if (home_ && ::setns(home_.get(), CLONE_NEWNET)) ::abort();
    }

  private:
    UniqueFd home_;
};

}  // namespace

Rtnl::Rtnl(int netns_fd) {
    NetnsVisit visit(netns_fd);
    socket_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!socket_) throw_errno("opening a netlink socket");
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
        int err = errno;
        mnl_socket_close(socket_);
        throw_errno("binding a netlink socket", err);
    }
    port_ = mnl_socket_get_portid(socket_);
}

Rtnl::~Rtnl() {
    mnl_socket_close(socket_);
}

int Rtnl::talk(nlmsghdr* request, void (*on_message)(const nlmsghdr*, void*), void* data) {
    request->nlmsg_seq = ++seq_;
    if (mnl_socket_sendto(socket_, request, request->nlmsg_len) < 0) return -1;
    struct Feed {
        void (*on_message)(const nlmsghdr*, void*);
        void* data;
    } feed{on_message, data};
    auto callback = [](const nlmsghdr* message, void* feed_data) -> int {
        auto* f = static_cast<Feed*>(feed_data);
        if (f->on_message) f->on_message(message, f->data);
        return MNL_CB_OK;
    };
    std::vector<char> buffer(kReceiveBuffer);
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (n < 0) return -1;
        int result = mnl_cb_run(buffer.data(), static_cast<size_t>(n), request->nlmsg_seq, port_,
                                callback, &feed);
        if (result <= MNL_CB_STOP) return result;
    }
}

std::optional<Link> Rtnl::link(const std::string& name) {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_GETLINK, Reply::ack);
    put_link_header(request, 0);
    mnl_attr_put_strz(request, IFLA_IFNAME, name.c_str());
    std::vector<Link> found;
    if (talk(request, parse_link, &found) < 0) {
        if (errno == ENODEV) return std::nullopt;
        throw_errno("looking up network device \"" + name + "\"");
    }
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<Link> Rtnl::links() {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_GETLINK, Reply::dump);
    put_link_header(request, 0);
    std::vector<Link> found;
    if (talk(request, parse_link, &found) < 0) throw_errno("listing network devices");
    return found;
}

std::vector<Address> Rtnl::addresses(int index) {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_GETADDR, Reply::dump);
    auto* info = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(request, sizeof(ifaddrmsg)));
    info->ifa_family = AF_UNSPEC;
    AddressDump dump{index, {}};
    if (talk(request, parse_address, &dump) < 0) throw_errno("listing addresses");
    return dump.found;
}

void Rtnl::set_up(int index, bool up) {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_NEWLINK, Reply::ack);
    ifinfomsg* info = put_link_header(request, index);
    info->ifi_change = IFF_UP;
    info->ifi_flags = up ? IFF_UP : 0;
    if (talk(request, nullptr, nullptr) < 0)
        throw_errno(up ? "setting the device up" : "setting the device down");
}

void Rtnl::move(int index, int netns_fd, const std::string& name) {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_NEWLINK, Reply::ack);
    put_link_header(request, index);
    mnl_attr_put_u32(request, IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
    mnl_attr_put_strz(request, IFLA_IFNAME, name.c_str());
    if (talk(request, nullptr, nullptr) < 0) throw_errno("moving the device");
}

void Rtnl::add_address(int index, const Address& a) {
    std::vector<char> buffer(kRequestBuffer);
    nlmsghdr* request = start_request(buffer, RTM_NEWADDR, Reply::ack, NLM_F_CREATE | NLM_F_EXCL);
    auto* info = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(request, sizeof(ifaddrmsg)));
    info->ifa_family = a.family;
    info->ifa_prefixlen = a.prefix_length;
    info->ifa_scope = a.scope;
    info->ifa_index = static_cast<uint32_t>(index);
    // What a user may set; the kernel makes the address permanent itself.
    uint32_t flags = a.flags & (IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |
                                IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN);
    info->ifa_flags = static_cast<uint8_t>(flags);
    if (flags > 0xff) mnl_attr_put_u32(request, IFA_FLAGS, flags);
    if (!a.local.empty()) mnl_attr_put(request, IFA_LOCAL, a.local.size(), a.local.data());
    if (!a.address.empty()) mnl_attr_put(request, IFA_ADDRESS, a.address.size(), a.address.data());
    if (!a.broadcast.empty())
        mnl_attr_put(request, IFA_BROADCAST, a.broadcast.size(), a.broadcast.data());
    if (talk(request, nullptr, nullptr) < 0) throw_errno("adding an address");
}

}  // namespace minirunc::netdev
