// A small rtnetlink client over libmnl: the link and address requests the
// network device moves need, in the network namespace the socket was opened in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct mnl_socket;
struct nlmsghdr;

namespace minirunc::netdev {

struct Link {
    int index = 0;
    std::string name;
    unsigned flags = 0;  // IFF_*
};

// One address as the kernel reports it; what a re-add needs.
struct Address {
    uint8_t family = 0;
    uint8_t prefix_length = 0;
    uint8_t scope = 0;
    uint32_t flags = 0;                     // IFA_F_* (IFA_FLAGS when present)
    std::string local, address, broadcast;  // raw IFA_LOCAL/IFA_ADDRESS/IFA_BROADCAST bytes
};

class Rtnl {
  public:
    // A NETLINK_ROUTE socket in the caller's network namespace; with
    // `netns_fd`, one bound in that namespace instead (entered and left by
    // this thread only while the socket is made).
    explicit Rtnl(int netns_fd = -1);
    ~Rtnl();
    Rtnl(const Rtnl&) = delete;
    Rtnl& operator=(const Rtnl&) = delete;

    std::optional<Link> link(const std::string& name);  // nullopt: no such device
    std::vector<Link> links();
    std::vector<Address> addresses(int index);
    void set_up(int index, bool up);
    // One RTM_NEWLINK: into the namespace of `netns_fd`, named `name` there
    // (a "%d" template lets the kernel number it).
    void move(int index, int netns_fd, const std::string& name);
    void add_address(int index, const Address& address);

  private:
    // Sends the request and feeds every reply to `on_message` until the ACK
    // or the end of the dump; a NLMSG_ERROR becomes -1 and errno.
    int talk(nlmsghdr* request, void (*on_message)(const nlmsghdr*, void*), void* data);

    mnl_socket* socket_ = nullptr;
    unsigned port_ = 0;
    unsigned seq_ = 0;
};

}  // namespace minirunc::netdev
