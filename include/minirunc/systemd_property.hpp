// Typed systemd unit properties (the a(sv) of StartTransientUnit and
// SetUnitProperties), their JSON form (what the runtime hands its sd-bus
// helper) and the GVariant text of `org.systemd.property.*` annotations.
// Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minirunc {

// One DeviceAllow= entry: a device path or group ("/dev/char/1:3",
// "char-pts", "block-*") and its access ("rwm").
struct DeviceAllowEntry {
    std::string path;
    std::string perms;

    bool operator==(const DeviceAllowEntry&) const = default;
};

// The D-Bus types systemd's unit properties use, by signature:
// b s t x u i q n y d ay au as a(ss).
using UnitPropertyValue =
    std::variant<bool, std::string, uint64_t, int64_t, uint32_t, int32_t, uint16_t, int16_t,
                 uint8_t, double, std::vector<uint8_t>, std::vector<uint32_t>,
                 std::vector<std::string>, std::vector<DeviceAllowEntry>>;

struct UnitProperty {
    std::string name;
    UnitPropertyValue value;
    // The oldest systemd that knows the property; older ones would refuse
    // the whole unit, so the helper leaves it out there (0: any).
    int min_systemd = 0;

    bool operator==(const UnitProperty&) const = default;
};

// "t" for a uint64_t, "a(ss)" for DeviceAllow entries, ...
std::string dbus_signature(const UnitPropertyValue& value);

// [{"name":"MemoryMax","type":"t","value":1048576}, ...]; min_systemd only
// when set. property_list_from_json throws Error on anything else.
nlohmann::json to_json(const std::vector<UnitProperty>& properties);
std::vector<UnitProperty> property_list_from_json(const nlohmann::json& doc);

// runc's org.systemd.property.<Name> annotations: the value is GVariant text
// ("true", "uint64 123", "@t 123", "'inactive-or-failed'", "['a', 'b']",
// a bare integer is an int32), the name letters only; a time in seconds
// (<Name>Sec) becomes <Name>USec in microseconds. Throws Error with runc's
// wording ("annotation K=V value parse error: ...").
std::vector<UnitProperty> annotation_properties(
    const std::map<std::string, std::string>& annotations);

// GVariant text of one value (the part of annotation_properties above).
UnitPropertyValue parse_gvariant(const std::string& text);

}  // namespace minirunc
