#include "systemd_bus.hpp"

#include <time.h>

#include <algorithm>
#include <cstdlib>

#include "minirunc/error.hpp"

namespace minirunc::systemd {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr uint64_t kJobTimeoutUsec = 30ULL * 1000 * 1000;  // runc's

// An sd_bus_error that frees itself.
class BusError {
  public:
    BusError() = default;
    BusError(const BusError&) = delete;
    BusError& operator=(const BusError&) = delete;
    ~BusError() { sd_bus_error_free(&error_); }
    sd_bus_error* get() { return &error_; }
    bool has_name(const char* name) const { return sd_bus_error_has_name(&error_, name); }
    // The bus's message, else the errno's.
    std::string text(int r) const {
        if (error_.message) return error_.message;
        return errno_text(-r);
    }

  private:
    sd_bus_error error_ = SD_BUS_ERROR_NULL;
};

void check(int r, const std::string& what) {
    if (r < 0) throw Error(what + ": " + errno_text(-r), -r);
}

uint64_t now_usec() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
}

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// One value into an open variant container of its own signature.
int append_value(sd_bus_message* m, const UnitPropertyValue& value) {
    return std::visit(
        Overloaded{
            [&](bool v) {
                int b = v;  // D-Bus booleans are 32-bit
                return sd_bus_message_append_basic(m, 'b', &b);
            },
            [&](const std::string& v) { return sd_bus_message_append_basic(m, 's', v.c_str()); },
            [&](uint64_t v) { return sd_bus_message_append_basic(m, 't', &v); },
            [&](int64_t v) { return sd_bus_message_append_basic(m, 'x', &v); },
            [&](uint32_t v) { return sd_bus_message_append_basic(m, 'u', &v); },
            [&](int32_t v) { return sd_bus_message_append_basic(m, 'i', &v); },
            [&](uint16_t v) { return sd_bus_message_append_basic(m, 'q', &v); },
            [&](int16_t v) { return sd_bus_message_append_basic(m, 'n', &v); },
            [&](uint8_t v) { return sd_bus_message_append_basic(m, 'y', &v); },
            [&](double v) { return sd_bus_message_append_basic(m, 'd', &v); },
            [&](const std::vector<uint8_t>& v) {
                return sd_bus_message_append_array(m, 'y', v.data(), v.size());
            },
            [&](const std::vector<uint32_t>& v) {
                return sd_bus_message_append_array(m, 'u', v.data(), v.size() * sizeof(uint32_t));
            },
            [&](const std::vector<std::string>& v) {
                int r = sd_bus_message_open_container(m, 'a', "s");
                for (size_t i = 0; r >= 0 && i < v.size(); ++i)
                    r = sd_bus_message_append_basic(m, 's', v[i].c_str());
                return r < 0 ? r : sd_bus_message_close_container(m);
            },
            [&](const std::vector<DeviceAllowEntry>& v) {
                int r = sd_bus_message_open_container(m, 'a', "(ss)");
                for (size_t i = 0; r >= 0 && i < v.size(); ++i)
                    r = sd_bus_message_append(m, "(ss)", v[i].path.c_str(), v[i].perms.c_str());
                return r < 0 ? r : sd_bus_message_close_container(m);
            },
        },
        value);
}

// The a(sv) of unit properties.
void append_properties(sd_bus_message* m, const std::vector<UnitProperty>& properties) {
    check(sd_bus_message_open_container(m, 'a', "(sv)"), "building unit properties");
    for (const auto& p : properties) {
        const std::string signature = dbus_signature(p.value);
        int r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0) r = sd_bus_message_append_basic(m, 's', p.name.c_str());
        if (r >= 0) r = sd_bus_message_open_container(m, 'v', signature.c_str());
        if (r >= 0) r = append_value(m, p.value);
        if (r >= 0) r = sd_bus_message_close_container(m);
        if (r >= 0) r = sd_bus_message_close_container(m);
        check(r, "building unit property " + p.name);
    }
    check(sd_bus_message_close_container(m), "building unit properties");
}

MessagePtr method_call(sd_bus* bus, const char* member) {
    sd_bus_message* m = nullptr;
    check(sd_bus_message_new_method_call(bus, &m, kService, kPath, kManager, member),
          std::string("building ") + member);
    return MessagePtr(m);
}

// "v252.38-1" or "252" -> 252, as runc reads systemd's Version.
int parse_version(const std::string& text) {
    size_t i = text.find_first_of("0123456789");
    return i == std::string::npos ? 0 : std::atoi(text.c_str() + i);
}

std::string unit_interface(const std::string& unit) {
    return unit.size() > 6 && unit.compare(unit.size() - 6, 6, ".slice") == 0
               ? "org.freedesktop.systemd1.Slice"
               : "org.freedesktop.systemd1.Scope";
}

}  // namespace

Manager::Manager() {
    sd_bus* bus = nullptr;
    int r = sd_bus_open_system(&bus);
    if (r < 0)
        throw Error("connecting to the system bus: " + errno_text(-r) + " (is systemd running?)",
                    -r);
    bus_.reset(bus);
    // Before any job exists: its JobRemoved must not slip by.
    sd_bus_slot* slot = nullptr;
    check(sd_bus_match_signal(bus, &slot, kService, kPath, kManager, "JobRemoved",
                              &Manager::on_job_removed, this),
          "watching systemd jobs");
    job_match_.reset(slot);
    // Job signals go to subscribers (the caller of a job gets its own since
    // systemd 228, but older ones need this).
    BusError error;
    MessagePtr subscribe = method_call(bus, "Subscribe");
    sd_bus_message* reply = nullptr;
    if (sd_bus_call(bus, subscribe.get(), 0, error.get(), &reply) >= 0) sd_bus_message_unref(reply);
}

int Manager::on_job_removed(sd_bus_message* m, void* self, sd_bus_error*) {
    uint32_t id = 0;
    const char *path = nullptr, *unit = nullptr, *result = nullptr;
    if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) >= 0)
        static_cast<Manager*>(self)->removed_jobs_.emplace_back(path, result);
    return 0;
}

int Manager::version() {
    if (version_ >= 0) return version_;
    BusError error;
    char* text = nullptr;
    version_ = 0;
    if (sd_bus_get_property_string(bus_.get(), kService, kPath, kManager, "Version", error.get(),
                                   &text) >= 0) {
        version_ = parse_version(text);
        std::free(text);
    }
    return version_;
}

std::vector<UnitProperty> Manager::supported(const std::vector<UnitProperty>& properties) {
    std::vector<UnitProperty> out;
    for (const auto& p : properties)
        if (p.min_systemd == 0 || version() == 0 || version() >= p.min_systemd) out.push_back(p);
    return out;
}

std::string Manager::wait_for_job(const std::string& job) {
    const uint64_t deadline = now_usec() + kJobTimeoutUsec;
    for (;;) {
        auto it = std::find_if(removed_jobs_.begin(), removed_jobs_.end(),
                               [&](const auto& j) { return j.first == job; });
        if (it != removed_jobs_.end()) return it->second;
        int r = sd_bus_process(bus_.get(), nullptr);
        check(r, "waiting for systemd job " + job);
        if (r > 0) continue;
        uint64_t now = now_usec();
        if (now >= deadline) return "timeout";
        r = sd_bus_wait(bus_.get(), deadline - now);
        if (r < 0 && r != -EINTR) check(r, "waiting for systemd job " + job);
    }
}

void Manager::reset_failed(const std::string& unit) {
    BusError error;
    sd_bus_message* reply = nullptr;
    if (sd_bus_call_method(bus_.get(), kService, kPath, kManager, "ResetFailedUnit", error.get(),
                           &reply, "s", unit.c_str()) >= 0)
        sd_bus_message_unref(reply);
}

std::string Manager::control_group(const std::string& unit) {
    BusError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus_.get(), kService, kPath, kManager, "GetUnit", error.get(),
                               &reply, "s", unit.c_str());
    if (r < 0) return "";
    MessagePtr owned(reply);
    const char* path = nullptr;
    if (sd_bus_message_read(reply, "o", &path) < 0) return "";
    char* group = nullptr;
    BusError property_error;
    if (sd_bus_get_property_string(bus_.get(), kService, path, unit_interface(unit).c_str(),
                                   "ControlGroup", property_error.get(), &group) < 0)
        return "";
    std::string out = group;
    std::free(group);
    return out;
}

std::string Manager::start_transient_unit(const std::string& unit,
                                          const std::vector<UnitProperty>& properties) {
    const std::vector<UnitProperty> props = supported(properties);
    for (int attempt = 0;; ++attempt) {
        MessagePtr call = method_call(bus_.get(), "StartTransientUnit");
        check(sd_bus_message_append(call.get(), "ss", unit.c_str(), "replace"),
              "building StartTransientUnit");
        append_properties(call.get(), props);
        check(sd_bus_message_append(call.get(), "a(sa(sv))", 0), "building StartTransientUnit");
        BusError error;
        sd_bus_message* reply = nullptr;
        int r = sd_bus_call(bus_.get(), call.get(), 0, error.get(), &reply);
        if (r < 0) {
            // Perhaps a failed leftover of an earlier container: reset, once.
            if (attempt == 0 && error.has_name("org.freedesktop.systemd1.UnitExists")) {
                reset_failed(unit);
                continue;
            }
            throw Error("unable to start unit \"" + unit + "\": " + error.text(r), -r);
        }
        MessagePtr owned(reply);
        const char* job = nullptr;
        check(sd_bus_message_read(reply, "o", &job), "reading the StartTransientUnit reply");
        std::string result = wait_for_job(job);
        if (result != "done") {
            reset_failed(unit);
            if (result == "timeout") throw Error("timeout waiting for systemd to create " + unit);
            throw Error("error creating systemd unit `" + unit + "`: got `" + result + "`");
        }
        return control_group(unit);
    }
}

void Manager::set_unit_properties(const std::string& unit,
                                  const std::vector<UnitProperty>& properties) {
    const std::vector<UnitProperty> props = supported(properties);
    if (props.empty()) return;
    MessagePtr call = method_call(bus_.get(), "SetUnitProperties");
    check(sd_bus_message_append(call.get(), "sb", unit.c_str(), 1), "building SetUnitProperties");
    append_properties(call.get(), props);
    BusError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call(bus_.get(), call.get(), 0, error.get(), &reply);
    if (r < 0) throw Error("unable to set unit properties: " + error.text(r), -r);
    sd_bus_message_unref(reply);
}

void Manager::stop_unit(const std::string& unit) {
    BusError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus_.get(), kService, kPath, kManager, "StopUnit", error.get(),
                               &reply, "ss", unit.c_str(), "replace");
    if (r >= 0) {
        MessagePtr owned(reply);
        const char* job = nullptr;
        if (sd_bus_message_read(reply, "o", &job) >= 0) {
            std::string result = wait_for_job(job);
            if (result == "timeout")
                throw Error("timed out while waiting for systemd to remove " + unit);
        }
    } else if (!error.has_name("org.freedesktop.systemd1.NoSuchUnit")) {
        reset_failed(unit);
        throw Error("unable to stop unit \"" + unit + "\": " + error.text(r), -r);
    }
    // A failed unit stays loaded until reset.
    reset_failed(unit);
}

}  // namespace minirunc::systemd
