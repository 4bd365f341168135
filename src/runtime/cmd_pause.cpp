// pause and resume: the container's freezer cgroup.
#include "cgroup_freezer.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "rootless.hpp"
#include "runtime.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {
namespace {

Container locked_container(Runtime& runtime, const std::string& id, UniqueFd& lock) {
    validate_container_id(id);
    Container container = load_container(runtime, id);
    lock = lock_container_dir(container.dir);
    container.status = current_status(container.dir, container.state);
    return container;
}

void require_freezer(const Runtime& runtime, const Container& container, const char* verb) {
    if (container.state.freezer_dir.empty())
        throw Error(std::string("cannot ") + verb + " the container: it has no freezer cgroup" +
                    rootless_cgroup_note(runtime.rootless.cgroups));
}

}  // namespace

int cmd_pause(Runtime& runtime, const cli::CommandLine& command) {
    UniqueFd lock;
    Container container = locked_container(runtime, command.args[0], lock);
    // runc: a created or running container can be paused, nothing else.
    if (container.status != Status::Running && container.status != Status::Created)
        throw Error("container not running", ESRCH);
    require_freezer(runtime, container, "pause");
    freeze_container(container.state);
    return 0;
}

int cmd_resume(Runtime& runtime, const cli::CommandLine& command) {
    UniqueFd lock;
    Container container = locked_container(runtime, command.args[0], lock);
    if (container.status != Status::Paused) throw Error("container not paused");
    require_freezer(runtime, container, "resume");
    thaw_container(container.state);
    return 0;
}

}  // namespace minirunc::runtime
