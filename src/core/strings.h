// Small string helpers used everywhere: ASCII case folding (CloudTrail identifiers are ASCII;
// non-ASCII bytes compare exactly), JSON and CSV escaping for output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tw {

[[nodiscard]] constexpr char AsciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

[[nodiscard]] std::string AsciiLowerCopy(std::string_view s);

// ASCII case-insensitive comparisons.
[[nodiscard]] bool EqualsFold(std::string_view a, std::string_view b);
[[nodiscard]] bool StartsWithFold(std::string_view s, std::string_view prefix);
[[nodiscard]] bool EndsWithFold(std::string_view s, std::string_view suffix);
// `lowered_needle` must already be lower case.
[[nodiscard]] bool ContainsFold(std::string_view haystack, std::string_view lowered_needle);

// Appends `s` as a JSON string literal (with quotes). Invalid UTF-8 bytes are replaced with
// U+FFFD so that the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);

// Appends `s` as one CSV field (RFC 4180 quoting when needed).
void AppendCsvField(std::string& out, std::string_view s);

// Splits on `sep`, keeping empty pieces.
[[nodiscard]] std::vector<std::string_view> Split(std::string_view s, char sep);

[[nodiscard]] std::string_view Trim(std::string_view s);

// Formats 1234567 as "1,234,567".
[[nodiscard]] std::string WithThousands(uint64_t n);

}  // namespace tw
