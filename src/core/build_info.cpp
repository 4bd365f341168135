#include "minirunc/build_info.hpp"

namespace minirunc {

const char* build_version() {
    return MINIRUNC_VERSION;
}
const char* build_commit() {
    return MINIRUNC_COMMIT;
}

}  // namespace minirunc
