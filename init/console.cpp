// The container's terminal (process.terminal).
#include "init.hpp"
#include "minirunc/error.hpp"

namespace minirunc::init {

void setup_console(Context& ctx) {
    if (ctx.spec.process && ctx.spec.process->terminal)
        throw Error("config.json: /process/terminal: terminals are not supported yet");
}

}  // namespace minirunc::init
