#include "criu_common.hpp"

#include <fcntl.h>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::runtime {

UniqueFd open_criu_dir(const std::string& path, const std::string& what) {
    with_context("creating the " + what + " " + path, [&] { sys::mkdir_all(path, 0700); });
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw_errno("open the " + what + " " + path);
    return fd;
}

}  // namespace minirunc::runtime
