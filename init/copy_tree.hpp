#pragma once

namespace minirunc::init {

// Copies the content of directory `from` into directory `to` (both fds),
// keeping modes, owners and symlinks; used by the tmpcopyup mount option.
// With copy_top false the mode and owner of `to` itself stay as they are.
void copy_tree(int from, int to, bool copy_top = true);

}  // namespace minirunc::init
