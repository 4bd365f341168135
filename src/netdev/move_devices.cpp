#include "move_devices.hpp"

#include <fcntl.h>
#include <linux/if.h>

#include <algorithm>
#include <set>

#include "minirunc/error.hpp"
#include "minirunc/unique_fd.hpp"
#include "rtnl.hpp"

namespace minirunc::netdev {
namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

// What it takes to put a device back: where it is now and how it was.
struct Moved {
    const NetDeviceMove* move;
    int index_inside = 0;  // 0 while still on the host
    bool was_up = false;
    std::vector<Address> on_host;  // all of them: a device put back gets each again
};

std::vector<Address> movable(const std::vector<Address>& all) {
    std::vector<Address> keep;
    for (const Address& a : all)
        if (address_moves_with_device(a.flags, a.scope)) keep.push_back(a);
    return keep;
}

// The device the kernel just moved in: by its name, or for a "%d" template
// the one that was not there before.
int find_inside(Rtnl& inside, const NetDeviceMove& move, const std::set<int>& before) {
    if (!move.name_is_template()) {
        if (auto link = inside.link(move.name)) return link->index;
    } else {
        for (const Link& link : inside.links())
            if (!before.count(link.index)) return link.index;
    }
    throw Error("the moved device is not in the container's network namespace");
}

// Best effort, in reverse: each moved device goes home under its old name.
void put_back(std::vector<Moved>& moved, Rtnl& host, Rtnl& inside, int host_netns_fd) noexcept {
    std::reverse(moved.begin(), moved.end());
    for (Moved& m : moved) {
        try {
            if (m.index_inside) {
                inside.move(m.index_inside, host_netns_fd, m.move->host_name);
                auto link = host.link(m.move->host_name);
                if (!link) continue;
                for (const Address& a : m.on_host) {
                    try {
                        host.add_address(link->index, a);
                    } catch (const Error&) {  // e.g. an IPv6 link-local the kernel made anew
                    }
                }
                if (m.was_up) host.set_up(link->index, true);
            } else if (m.was_up) {
                if (auto link = host.link(m.move->host_name)) host.set_up(link->index, true);
            }
        } catch (const std::exception&) {
        }
    }
}

}  // namespace

void move_devices(const std::vector<NetDeviceMove>& moves, int container_netns_fd) {
    UniqueFd host_netns(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!host_netns) throw_errno("open /proc/thread-self/ns/net");
    Rtnl host;
    Rtnl inside(container_netns_fd);

    // Everything checked before anything changes.
    std::vector<Link> links;
    for (const NetDeviceMove& move : moves) {
        auto link = host.link(move.host_name);
        if (!link)
            throw Error("config.json: " + move.field + ": network device " +
                            quoted(move.host_name) +
                            " does not exist in the runtime's network namespace",
                        ENODEV);
        links.push_back(*link);
        if (!move.name_is_template() && inside.link(move.name))
            throw Error("config.json: " + move.name_field + ": a network device named " +
                            quoted(move.name) +
                            " already exists in the container's network namespace",
                        EEXIST);
    }

    std::vector<Moved> moved;
    for (size_t i = 0; i < moves.size(); ++i) {
        const NetDeviceMove& move = moves[i];
        Moved& m = moved.emplace_back(Moved{&move, 0, (links[i].flags & IFF_UP) != 0, {}});
        try {
            m.on_host = host.addresses(links[i].index);
            // Down first, as runc: nothing on the host keeps using it mid-move.
            if (m.was_up) host.set_up(links[i].index, false);
            std::set<int> before;
            if (move.name_is_template())
                for (const Link& link : inside.links()) before.insert(link.index);
            host.move(links[i].index, container_netns_fd, move.name);
            m.index_inside = find_inside(inside, move, before);
            for (const Address& a : movable(m.on_host)) inside.add_address(m.index_inside, a);
            inside.set_up(m.index_inside, true);  // the spec: "up" once moved
        } catch (const Error& e) {
            put_back(moved, host, inside, host_netns.get());
            throw e.wrap("config.json: " + move.field + ": moving network device " +
                         quoted(move.host_name) + " into the container's network namespace as " +
                         quoted(move.name));
        }
    }
}

}  // namespace minirunc::netdev
