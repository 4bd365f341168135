#include "minirunc/systemd_property.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// An integer of the JSON document or of GVariant text, range-checked into T.
template <typename T>
T checked(long double value, const std::string& what) {
    if (value != std::floor(value) ||
        value < static_cast<long double>(std::numeric_limits<T>::min()) ||
        value > static_cast<long double>(std::numeric_limits<T>::max()))
        throw Error(what + " out of range");
    return static_cast<T>(value);
}

template <typename T>
T json_integer(const nlohmann::json& v, const std::string& name) {
    if (v.is_number_unsigned()) {
        auto u = v.get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<T>::max()))
            throw Error("property " + name + ": value out of range");
        return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
        auto i = v.get<int64_t>();
        if constexpr (std::is_unsigned_v<T>) {
            if (i < 0) throw Error("property " + name + ": value out of range");
            if (static_cast<uint64_t>(i) > std::numeric_limits<T>::max())
                throw Error("property " + name + ": value out of range");
        } else {
            if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max())
                throw Error("property " + name + ": value out of range");
        }
        return static_cast<T>(i);
    }
    throw Error("property " + name + ": expected an integer");
}

template <typename T>
std::vector<T> json_integers(const nlohmann::json& v, const std::string& name) {
    if (!v.is_array()) throw Error("property " + name + ": expected an array");
    std::vector<T> out;
    for (const auto& e : v) out.push_back(json_integer<T>(e, name));
    return out;
}

// --- GVariant text (the subset systemd properties need) ---

class GVariantParser {
  public:
    explicit GVariantParser(const std::string& text) : text_(text) {}

    UnitPropertyValue parse() {
        skip_space();
        UnitPropertyValue value = parse_value();
        skip_space();
        if (pos_ != text_.size()) fail("unexpected \"" + text_.substr(pos_) + "\"");
        return value;
    }

  private:
    [[noreturn]] void fail(const std::string& what) { throw Error(what); }

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }

    std::string word() {
        size_t start = pos_;
        while (pos_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' ||
                text_[pos_] == '(' || text_[pos_] == ')'))
            ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // A type given as "@t" or "uint64": the signature, or empty.
    std::string type_annotation() {
        static const std::map<std::string, std::string> keywords = {
            {"boolean", "b"}, {"byte", "y"},   {"int16", "n"},     {"uint16", "q"},
            {"int32", "i"},   {"uint32", "u"}, {"int64", "x"},     {"uint64", "t"},
            {"double", "d"},  {"string", "s"}, {"objectpath", "o"}};
        if (pos_ < text_.size() && text_[pos_] == '@') {
            ++pos_;
            std::string sig;
            while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
                   text_[pos_] != '[' && text_[pos_] != '\'' && text_[pos_] != '"')
                sig += text_[pos_++];
            if (sig.empty()) fail("missing type after @");
            return sig;
        }
        size_t start = pos_;
        std::string w = word();
        if (auto it = keywords.find(w); it != keywords.end()) return it->second;
        pos_ = start;
        return "";
    }

    UnitPropertyValue parse_value() {
        std::string sig = type_annotation();
        skip_space();
        if (pos_ >= text_.size()) fail("missing value");
        char c = text_[pos_];
        if (c == '[') return parse_array(sig);
        if (c == '\'' || c == '"') {
            if (!sig.empty() && sig != "s" && sig != "o") fail("a string is not of type " + sig);
            return parse_string();
        }
        size_t start = pos_;
        std::string w = word();
        if (w == "true" || w == "false") {
            if (!sig.empty() && sig != "b") fail("a boolean is not of type " + sig);
            return w == "true";
        }
        pos_ = start;
        return parse_number(sig);
    }

    std::string parse_string() {
        char quote = text_[pos_++];
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != quote) {
            char c = text_[pos_++];
            if (c == '\\' && pos_ < text_.size()) {
                char e = text_[pos_++];
                out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            } else {
                out += c;
            }
        }
        if (pos_ >= text_.size()) fail("unterminated string");
        ++pos_;
        return out;
    }

    long double number_text(bool& is_float) {
        size_t start = pos_;
        if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) ++pos_;
        is_float = false;
        while (pos_ < text_.size() &&
               (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
                text_[pos_] == 'e' || text_[pos_] == 'E' ||
                ((text_[pos_] == '-' || text_[pos_] == '+') &&
                 (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
            if (!std::isdigit(static_cast<unsigned char>(text_[pos_]))) is_float = true;
            ++pos_;
        }
        std::string digits = text_.substr(start, pos_ - start);
        if (digits.empty() || digits == "-" || digits == "+")
            fail("cannot parse \"" + text_.substr(start) + "\"");
        char* end = nullptr;
        long double value = std::strtold(digits.c_str(), &end);
        if (*end != '\0') fail("cannot parse \"" + digits + "\"");
        return value;
    }

    UnitPropertyValue parse_number(const std::string& sig) {
        bool is_float = false;
        long double v = number_text(is_float);
        const std::string what = "value";
        if (sig == "d" || (sig.empty() && is_float)) return static_cast<double>(v);
        if (sig.empty() || sig == "i") return checked<int32_t>(v, what);
        if (sig == "t") return checked<uint64_t>(v, what);
        if (sig == "x") return checked<int64_t>(v, what);
        if (sig == "u") return checked<uint32_t>(v, what);
        if (sig == "q") return checked<uint16_t>(v, what);
        if (sig == "n") return checked<int16_t>(v, what);
        if (sig == "y") return checked<uint8_t>(v, what);
        fail("a number is not of type " + sig);
    }

    // Arrays of strings (as), or of integers typed @au / @ay.
    UnitPropertyValue parse_array(const std::string& sig) {
        ++pos_;  // '['
        std::vector<std::string> strings;
        std::vector<long double> numbers;
        skip_space();
        while (pos_ < text_.size() && text_[pos_] != ']') {
            if (text_[pos_] == '\'' || text_[pos_] == '"') {
                strings.push_back(parse_string());
            } else {
                bool is_float = false;
                numbers.push_back(number_text(is_float));
                if (is_float) fail("arrays of doubles are not supported");
            }
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                skip_space();
            }
        }
        if (pos_ >= text_.size()) fail("unterminated array");
        ++pos_;
        if (!strings.empty() && !numbers.empty()) fail("mixed array");
        if (sig == "au" || sig == "ay") {
            if (!strings.empty()) fail("strings in an array of type " + sig);
            if (sig == "au") {
                std::vector<uint32_t> out;
                for (auto n : numbers) out.push_back(checked<uint32_t>(n, "array element"));
                return out;
            }
            std::vector<uint8_t> out;
            for (auto n : numbers) out.push_back(checked<uint8_t>(n, "array element"));
            return out;
        }
        if ((sig.empty() || sig == "as") && numbers.empty()) return strings;
        fail("unsupported array type" + (sig.empty() ? std::string() : " " + sig));
    }

    const std::string& text_;
    size_t pos_ = 0;
};

// runc's isSecSuffix: a time in seconds that systemd only takes as USec.
bool is_sec_suffix(const std::string& name) {
    auto ends = [&](const std::string& s) {
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return ends("Sec") && !ends("USec") && !ends("NSec");
}

uint64_t seconds_to_usec(const UnitPropertyValue& value) {
    constexpr long double kMicro = 1000000;
    return std::visit(Overloaded{[&](double d) -> uint64_t {
                                     if (d < 0) throw Error("negative time");
                                     return checked<uint64_t>(std::floor(d * kMicro), "time");
                                 },
                                 [&](auto v) -> uint64_t {
                                     if constexpr (std::is_integral_v<decltype(v)> &&
                                                   !std::is_same_v<decltype(v), bool>) {
                                         if (v < 0) throw Error("negative time");
                                         return checked<uint64_t>(
                                             static_cast<long double>(v) * kMicro, "time");
                                     } else {
                                         throw Error("not a number");
                                     }
                                 }},
                      value);
}

void check_property_name(const std::string& name) {
    if (name.size() < 3) throw Error("too short");
    for (char c : name)
        if (!std::isalpha(static_cast<unsigned char>(c)))
            throw Error("contains non-alphabetic character");
}

}  // namespace

std::string dbus_signature(const UnitPropertyValue& value) {
    return std::visit(Overloaded{[](bool) { return "b"; }, [](const std::string&) { return "s"; },
                                 [](uint64_t) { return "t"; }, [](int64_t) { return "x"; },
                                 [](uint32_t) { return "u"; }, [](int32_t) { return "i"; },
                                 [](uint16_t) { return "q"; }, [](int16_t) { return "n"; },
                                 [](uint8_t) { return "y"; }, [](double) { return "d"; },
                                 [](const std::vector<uint8_t>&) { return "ay"; },
                                 [](const std::vector<uint32_t>&) { return "au"; },
                                 [](const std::vector<std::string>&) { return "as"; },
                                 [](const std::vector<DeviceAllowEntry>&) { return "a(ss)"; }},
                      value);
}

nlohmann::json to_json(const std::vector<UnitProperty>& properties) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : properties) {
        nlohmann::json entry = {{"name", p.name}, {"type", dbus_signature(p.value)}};
        entry["value"] = std::visit(Overloaded{[](const std::vector<DeviceAllowEntry>& list) {
                                                   nlohmann::json a = nlohmann::json::array();
                                                   for (const auto& e : list)
                                                       a.push_back({e.path, e.perms});
                                                   return a;
                                               },
                                               [](const auto& v) { return nlohmann::json(v); }},
                                    p.value);
        if (p.min_systemd) entry["min_systemd"] = p.min_systemd;
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<UnitProperty> property_list_from_json(const nlohmann::json& doc) {
    if (!doc.is_array()) throw Error("unit properties: expected an array");
    std::vector<UnitProperty> out;
    for (const auto& entry : doc) {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            !entry.contains("type") || !entry["type"].is_string() || !entry.contains("value"))
            throw Error("unit properties: each needs a name, a type and a value");
        UnitProperty p;
        p.name = entry["name"].get<std::string>();
        p.min_systemd = entry.value("min_systemd", 0);
        const std::string type = entry["type"].get<std::string>();
        const nlohmann::json& v = entry["value"];
        const std::string& n = p.name;
        if (type == "b" && v.is_boolean()) {
            p.value = v.get<bool>();
        } else if (type == "s" && v.is_string()) {
            p.value = v.get<std::string>();
        } else if (type == "t") {
            p.value = json_integer<uint64_t>(v, n);
        } else if (type == "x") {
            p.value = json_integer<int64_t>(v, n);
        } else if (type == "u") {
            p.value = json_integer<uint32_t>(v, n);
        } else if (type == "i") {
            p.value = json_integer<int32_t>(v, n);
        } else if (type == "q") {
            p.value = json_integer<uint16_t>(v, n);
        } else if (type == "n") {
            p.value = json_integer<int16_t>(v, n);
        } else if (type == "y") {
            p.value = json_integer<uint8_t>(v, n);
        } else if (type == "d" && v.is_number()) {
            p.value = v.get<double>();
        } else if (type == "ay") {
            p.value = json_integers<uint8_t>(v, n);
        } else if (type == "au") {
            p.value = json_integers<uint32_t>(v, n);
        } else if (type == "as" && v.is_array()) {
            std::vector<std::string> list;
            for (const auto& e : v) {
                if (!e.is_string()) throw Error("property " + n + ": expected strings");
                list.push_back(e.get<std::string>());
            }
            p.value = std::move(list);
        } else if (type == "a(ss)" && v.is_array()) {
            std::vector<DeviceAllowEntry> list;
            for (const auto& e : v) {
                if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string())
                    throw Error("property " + n + ": expected [path, perms] pairs");
                list.push_back({e[0].get<std::string>(), e[1].get<std::string>()});
            }
            p.value = std::move(list);
        } else {
            throw Error("property " + n + ": bad value for type \"" + type + "\"");
        }
        out.push_back(std::move(p));
    }
    return out;
}

UnitPropertyValue parse_gvariant(const std::string& text) {
    return GVariantParser(text).parse();
}

std::vector<UnitProperty> annotation_properties(
    const std::map<std::string, std::string>& annotations) {
    static const std::string kPrefix = "org.systemd.property.";
    std::vector<UnitProperty> out;
    for (const auto& [key, text] : annotations) {
        if (key.rfind(kPrefix, 0) != 0) continue;
        std::string name = key.substr(kPrefix.size());
        try {
            check_property_name(name);
        } catch (const Error& e) {
            throw e.wrap("annotation " + key + " name incorrect");
        }
        UnitPropertyValue value;
        try {
            value = parse_gvariant(text);
        } catch (const Error& e) {
            throw e.wrap("annotation " + key + "=" + text + " value parse error");
        }
        if (is_sec_suffix(name)) {
            name = name.substr(0, name.size() - 3) + "USec";
            try {
                value = seconds_to_usec(value);
            } catch (const Error& e) {
                throw e.wrap("annotation " + key + "=" + text + " value conversion error");
            }
        }
        out.push_back({name, std::move(value)});
    }
    return out;
}

}  // namespace minirunc
