// Lifecycle hooks that run on the container side of the init.
#include "init.hpp"

namespace minirunc::init {

void run_create_hooks(Context&) {}

void run_start_container_hooks(Context&) {}

}  // namespace minirunc::init
