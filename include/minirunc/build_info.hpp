// Version and commit of this build. The commit lives in one translation unit
// so that a new commit recompiles only build_info.cpp.
#pragma once

namespace minirunc {

const char* build_version();
const char* build_commit();

}  // namespace minirunc
