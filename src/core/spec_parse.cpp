// Reads a whole config.json into the spec model: the top-level members here,
// the big sections in spec_parse_{process,linux,resources}.cpp.
#include "core/spec_parse_internal.hpp"
#include "minirunc/error.hpp"

namespace minirunc::spec {
namespace detail {
namespace {

Root parse_root(const Reader& r) {
    Root root;
    r.read("path", root.path);
    r.read("readonly", root.readonly);
    return root;
}

Mount parse_mount(const Reader& r) {
    Mount m;
    r.read("destination", m.destination);
    r.read("type", m.type);
    r.read("source", m.source);
    r.read("options", m.options);
    r.read_list("uidMappings", m.uid_mappings, parse_id_mapping);
    r.read_list("gidMappings", m.gid_mappings, parse_id_mapping);
    return m;
}

Hook parse_hook(const Reader& r) {
    Hook h;
    r.read("path", h.path);
    r.read("args", h.args);
    r.read("env", h.env);
    r.read("timeout", h.timeout);
    return h;
}

Hooks parse_hooks(const Reader& r) {
    Hooks h;
    r.read_list("prestart", h.prestart, parse_hook);
    r.read_list("createRuntime", h.create_runtime, parse_hook);
    r.read_list("createContainer", h.create_container, parse_hook);
    r.read_list("startContainer", h.start_container, parse_hook);
    r.read_list("poststart", h.poststart, parse_hook);
    r.read_list("poststop", h.poststop, parse_hook);
    return h;
}

}  // namespace

IdMapping parse_id_mapping(const Reader& r) {
    IdMapping m;
    r.read("containerID", m.container_id);
    r.read("hostID", m.host_id);
    r.read("size", m.size);
    return m;
}

}  // namespace detail

Spec parse(const nlohmann::json& doc) {
    const detail::Reader r(doc, "");
    r.require_object();
    Spec s;
    r.read("ociVersion", s.oci_version);
    r.read_object("process", s.process, detail::parse_process_object);
    r.read_object("root", s.root, detail::parse_root);
    r.read("hostname", s.hostname);
    r.read("domainname", s.domainname);
    r.read_list("mounts", s.mounts, detail::parse_mount);
    r.read_object("hooks", s.hooks, detail::parse_hooks);
    r.read("annotations", s.annotations);
    r.read_object("linux", s.linux, detail::parse_linux_object);
    return s;
}

Spec parse_text(const std::string& text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // Drop nlohmann's "[json.exception.parse_error.101] " tag.
        std::string detail = e.what();
        if (auto pos = detail.find("] ");
            detail.rfind("[json.exception.", 0) == 0 && pos != std::string::npos)
            detail.erase(0, pos + 2);
        throw Error("config.json: invalid JSON: " + detail);
    }
    return parse(doc);
}

}  // namespace minirunc::spec
