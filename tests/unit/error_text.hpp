// The message of the minirunc::Error a call throws, for tests of bad input.
#pragma once

#include <string>

#include "minirunc/error.hpp"

namespace minirunc::test {

template <typename Fn>
std::string error_of(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace minirunc::test
