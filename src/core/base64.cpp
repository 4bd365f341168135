#include "minirunc/base64.hpp"

#include <array>
#include <cstdint>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const std::array<int, 256>& decode_table() {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t;
        t.fill(-1);
        for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
        return t;
    }();
    return table;
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t chunk = 0;
        for (size_t j = 0; j < 3; ++j)
            chunk = chunk << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
        for (size_t j = 0; j < 4; ++j)
            out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
    }
    return out;
}

std::string base64_decode(const std::string& text) {
    if (text.size() % 4) throw Error("invalid base64: length is not a multiple of 4");
    std::string out;
    out.reserve(text.size() / 4 * 3);
    const auto& table = decode_table();
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t chunk = 0;
        int padding = 0;
        for (size_t j = 0; j < 4; ++j) {
            char c = text[i + j];
            int value = table[static_cast<unsigned char>(c)];
            // "=" only at the end: in the last two positions of the last group.
            if (c == '=' && i + 4 == text.size() && j >= 2 && (j == 3 || text[i + 3] == '=')) {
                ++padding;
                value = 0;
            } else if (value < 0 || padding) {
                throw Error("invalid base64: unexpected character at offset " +
                            std::to_string(i + j));
            }
            chunk = chunk << 6 | static_cast<uint32_t>(value);
        }
        for (int j = 0; j < 3 - padding; ++j)
            out += static_cast<char>((chunk >> (16 - 8 * j)) & 0xff);
    }
    return out;
}

}  // namespace minirunc
