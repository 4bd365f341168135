// Private helper for reading config.json into the spec model: a Reader is a
// JSON value plus its RFC 6901 pointer, so every type error names the exact
// member ("config.json: /mounts/2/options/1: must be a string") and each field
// of the model is read with one line.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace minirunc::spec::detail {

// Escapes one map key as a pointer token ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

// Throws Error("config.json: <pointer>: <reason>"); an empty pointer names the
// whole document.
[[noreturn]] void config_error(const std::string& pointer, const std::string& reason);

// Integers only: bool is std::integral too, but JSON keeps them apart.
template <typename T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

class Reader {
  public:
    Reader(const nlohmann::json& value, std::string pointer)
        : value_(value), pointer_(std::move(pointer)) {}

    const nlohmann::json& value() const { return value_; }
    const std::string& pointer() const { return pointer_; }

    [[noreturn]] void fail(const std::string& reason) const { config_error(pointer_, reason); }
    void require_object() const;

    // The member `key`, or nullopt when it is missing or JSON null (absent).
    std::optional<Reader> member(const std::string& key) const;

    std::string as_string() const;
    bool as_bool() const;
    std::vector<std::string> as_strings() const;
    std::map<std::string, std::string> as_string_map() const;

    template <Integer T>
    T as_integer() const;

    // Converts to any scalar or list type the model uses.
    template <typename T>
    T as() const;

    // One-line field readers: `out` is left untouched when the member is absent.
    template <typename T>
    void read(const std::string& key, T& out) const {
        if (auto m = member(key)) out = m->template as<T>();
    }
    template <typename T>
    void read(const std::string& key, std::optional<T>& out) const {
        if (auto m = member(key)) out = m->template as<T>();
    }

    // Nested objects, lists of objects and maps of objects, each converted by
    // `fn(const Reader&) -> T` after checking that it is an object.
    template <typename T, typename Fn>
    void read_object(const std::string& key, std::optional<T>& out, Fn fn) const {
        if (auto m = member(key)) out = m->object(fn);
    }
    template <typename T, typename Fn>
    void read_object(const std::string& key, T& out, Fn fn) const {
        if (auto m = member(key)) out = m->object(fn);
    }
    template <typename T, typename Fn>
    void read_list(const std::string& key, std::vector<T>& out, Fn fn) const {
        auto m = member(key);
        if (!m) return;
        if (!m->value_.is_array()) m->fail("must be an array");
        out.clear();
        for (std::size_t i = 0; i < m->value_.size(); ++i) out.push_back(m->element(i).object(fn));
    }
    template <typename T, typename Fn>
    void read_map(const std::string& key, std::map<std::string, T>& out, Fn fn) const {
        auto m = member(key);
        if (!m) return;
        m->require_object();
        out.clear();
        for (const auto& [k, v] : m->value_.items()) out.emplace(k, m->child(k, v).object(fn));
    }

  private:
    Reader element(std::size_t index) const {
        return Reader(value_[index], pointer_ + "/" + std::to_string(index));
    }
    Reader child(const std::string& key, const nlohmann::json& v) const {
        return Reader(v, pointer_ + "/" + pointer_token(key));
    }
    template <typename Fn>
    auto object(Fn fn) const {
        require_object();
        return fn(*this);
    }
    [[noreturn]] void fail_integer(bool is_signed, int bits) const;

    const nlohmann::json& value_;
    std::string pointer_;
};

template <Integer T>
T Reader::as_integer() const {
    constexpr bool kSigned = std::is_signed_v<T>;
    constexpr int kBits = std::numeric_limits<T>::digits + (kSigned ? 1 : 0);
    // nlohmann stores non-negative numbers as unsigned when parsed, but as
    // signed when built in code; floats (even 1.0) are rejected as Go does.
    if (value_.is_number_unsigned() || (value_.is_number_integer() && value_.get<int64_t>() >= 0)) {
        const uint64_t v = value_.get<uint64_t>();
        if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) fail_integer(kSigned, kBits);
        return static_cast<T>(v);
    }
    if (value_.is_number_integer() && kSigned) {
        const int64_t v = value_.get<int64_t>();
        if (v < static_cast<int64_t>(std::numeric_limits<T>::min())) fail_integer(kSigned, kBits);
        return static_cast<T>(v);
    }
    fail_integer(kSigned, kBits);
}

template <typename T>
T Reader::as() const {
    if constexpr (std::is_same_v<T, std::string>) {
        return as_string();
    } else if constexpr (std::is_same_v<T, bool>) {
        return as_bool();
    } else if constexpr (Integer<T>) {
        return as_integer<T>();
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        return as_strings();
    } else if constexpr (std::is_same_v<T, std::map<std::string, std::string>>) {
        return as_string_map();
    } else {
        static_assert(is_vector<T>::value && Integer<typename T::value_type>,
                      "unsupported type for Reader::as");
        if (!value_.is_array()) fail("must be an array");
        T out;
        for (std::size_t i = 0; i < value_.size(); ++i)
            out.push_back(element(i).template as_integer<typename T::value_type>());
        return out;
    }
}

}  // namespace minirunc::spec::detail
