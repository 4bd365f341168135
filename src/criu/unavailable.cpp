// The build without protobuf-c or CRIU's rpc.proto: checkpoint and restore
// say so instead of running.
#include "minirunc/error.hpp"
#include "swrk.hpp"

namespace minirunc::criu {

pid_t run_swrk(const std::string&, const Request&, const std::vector<int>&, const Callbacks&) {
    throw Error(
        "this minirunc was built without checkpoint/restore support (protobuf-c and "
        "CRIU's rpc.proto were not found)");
}

std::string check_host(const std::string&) {
    return "built without checkpoint/restore support";
}

bool built_with_criu() {
    return false;
}

}  // namespace minirunc::criu
