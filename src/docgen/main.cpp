// minirunc-docgen: writes the man pages and the bash and zsh completion
// scripts from the command table, at build time (so they always match the
// parser).
// Usage: minirunc-docgen <man-dir> <bash-completion-file> <zsh-completion-file>
#include <cstdio>
#include <fstream>
#include <string>

#include "minirunc/cli.hpp"

using namespace minirunc;

namespace {

bool write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) std::fprintf(stderr, "minirunc-docgen: cannot write %s\n", path.c_str());
    return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr,
                     "usage: minirunc-docgen <man-dir> <bash-completion-file> "
                     "<zsh-completion-file>\n");
        return 2;
    }
    const std::string man_dir = argv[1];
    bool ok = write(man_dir + "/minirunc.8", cli::man_page(nullptr));
    for (const auto& command : cli::command_table())
        ok = write(man_dir + "/" + cli::man_page_name(&command) + ".8", cli::man_page(&command)) &&
             ok;
    ok = write(argv[2], cli::bash_completion()) && ok;
    ok = write(argv[3], cli::zsh_completion()) && ok;
    return ok ? 0 : 1;
}
