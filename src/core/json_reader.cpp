#include "core/json_reader.hpp"

#include "minirunc/error.hpp"

namespace minirunc::spec::detail {

std::string pointer_token(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

void config_error(const std::string& pointer, const std::string& reason) {
    if (pointer.empty()) throw Error("config.json: " + reason);
    throw Error("config.json: " + pointer + ": " + reason);
}

void Reader::require_object() const {
    if (value_.is_object()) return;
    fail(pointer_.empty() ? "must be a JSON object" : "must be an object");
}

// When set (spec_coverage.cpp), every member the parser looks up, present or
// not, is appended as a JSON pointer: how the coverage table is checked.
extern thread_local std::vector<std::string>* member_lookups;
thread_local std::vector<std::string>* member_lookups = nullptr;

std::optional<Reader> Reader::member(const std::string& key) const {
    if (member_lookups) member_lookups->push_back(pointer_ + "/" + pointer_token(key));
    auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) return std::nullopt;
    return child(key, *it);
}

std::string Reader::as_string() const {
    if (!value_.is_string()) fail("must be a string");
    return value_.get<std::string>();
}

bool Reader::as_bool() const {
    if (!value_.is_boolean()) fail("must be a boolean");
    return value_.get<bool>();
}

std::vector<std::string> Reader::as_strings() const {
    if (!value_.is_array()) fail("must be an array of strings");
    std::vector<std::string> out;
    out.reserve(value_.size());
    for (std::size_t i = 0; i < value_.size(); ++i) out.push_back(element(i).as_string());
    return out;
}

std::map<std::string, std::string> Reader::as_string_map() const {
    if (!value_.is_object()) fail("must be an object of strings");
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : value_.items()) out.emplace(k, child(k, v).as_string());
    return out;
}

void Reader::fail_integer(bool is_signed, int bits) const {
    fail(std::string("must be ") + (is_signed ? "a signed " : "an unsigned ") +
         std::to_string(bits) + "-bit integer");
}

}  // namespace minirunc::spec::detail
