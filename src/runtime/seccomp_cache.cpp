#include "seccomp_cache.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "minirunc/base64.hpp"
#include "minirunc/sys/file.hpp"
#include "seccomp_compile.hpp"

namespace minirunc::runtime {
namespace {

// FNV-1a names the entry; the entry holds the whole key, compared exactly,
// so a hash collision only costs a recompile.
std::string entry_name(const std::string& key) {
    uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ULL;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(hash));
    return name;
}

}  // namespace

SeccompProgram compile_seccomp_cached(const std::string& cache_dir, const std::string& key,
                                      const spec::Seccomp& config) {
    std::string path = cache_dir + "/" + entry_name(key);
    try {
        std::string text;
        if (sys::read_file_if_exists(path, text)) {
            nlohmann::json entry = nlohmann::json::parse(text, nullptr, false);
            if (entry.is_object() && entry.value("key", "") == key) {
                SeccompProgram program;
                program.bpf = base64_decode(entry.at("bpf").get<std::string>());
                program.flags = entry.at("flags").get<unsigned long>();
                program.notify = entry.at("notify").get<bool>();
                return program;
            }
        }
    } catch (const std::exception&) {
        // A damaged entry is recompiled and replaced below.
    }
    SeccompProgram program = compile_seccomp(config);
    try {
        ::mkdir(cache_dir.c_str(), 0700);
        nlohmann::json entry = {{"key", key},
                                {"bpf", base64_encode(program.bpf)},
                                {"flags", program.flags},
                                {"notify", program.notify}};
        sys::write_file_atomic(path, entry.dump(), 0600);
    } catch (const std::exception&) {
    }
    return program;
}

}  // namespace minirunc::runtime
