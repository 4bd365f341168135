#pragma once

namespace minirunc::init {

// Copies the content of directory `from` into directory `to` (both fds),
// keeping modes, owners and symlinks; used by the tmpcopyup mount option.
void copy_tree(int from, int to);

}  // namespace minirunc::init
