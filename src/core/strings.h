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

// Eight bytes at once (a little-endian word): each byte in 'A'..'Z' gets 0x20, every other byte
// (bytes of 0x80 and above included) stays, as AsciiLower does.
[[nodiscard]] constexpr uint64_t AsciiLowerWord(uint64_t w) {
    constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL, kHigh = 0x8080808080808080ULL;
    const uint64_t h = w & kLow7;
    const uint64_t at_least_a = h + 0x3f3f3f3f3f3f3f3fULL;  // high bit: byte >= 'A'
    const uint64_t past_z = h + 0x2525252525252525ULL;      // high bit: byte > 'Z'
    const uint64_t upper = at_least_a & ~past_z & ~w & kHigh;
    return w | (upper >> 2);
}

// The bytes [i, i + n) of s (n <= 8) as a little-endian word, zero beyond.
[[nodiscard]] inline uint64_t WordAt(std::string_view s, size_t i, size_t n) {
    uint64_t w = 0;
    if (n != 0) __builtin_memcpy(&w, s.data() + i, n);
    return w;
}

// ASCII case-insensitive comparisons.
[[nodiscard]] bool EqualsFold(std::string_view a, std::string_view b);
[[nodiscard]] bool StartsWithFold(std::string_view s, std::string_view prefix);
[[nodiscard]] bool EndsWithFold(std::string_view s, std::string_view suffix);
// `lowered_needle` must already be lower case.
[[nodiscard]] bool ContainsFold(std::string_view haystack, std::string_view lowered_needle);

// Appends `s` as a JSON string literal (with quotes). Invalid UTF-8 bytes are replaced with
// U+FFFD so that the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);
// True only when no byte of `s` needs an escape or a UTF-8 check (control bytes, '"', '\\',
// bytes of 0x80 and above): AppendJsonString then writes `s` as it is, between quotes. (Valid
// UTF-8 beyond ASCII is written unchanged too, but is not plain.)
[[nodiscard]] bool JsonPlain(std::string_view s);

// Appends `body`, the text between a JSON string's quotes, unescaped: \uXXXX as UTF-8, a
// surrogate pair as one character, half a pair alone as U+FFFD (valid JSON, not Unicode).
// Returns false when an escape is malformed (`\x`, `\u12`, a lone backslash at the end); the
// rest is still appended, the escape's characters as they are.
[[nodiscard]] bool AppendJsonUnescaped(std::string& out, std::string_view body);

// Appends the JSON text `json` to `out` with each \u escape of half a surrogate pair alone
// written \ufffd (valid JSON that parsers such as simdjson refuse); true when there was one.
[[nodiscard]] bool ReplaceLoneSurrogateEscapes(std::string_view json, std::string& out);

// The value of the four hex digits at s[i] (a \u escape's), or -1.
[[nodiscard]] int64_t Hex4At(std::string_view s, size_t i);

// Appends code point `cp` (at most 0x10FFFF) in UTF-8.
void AppendUtf8(std::string& out, uint32_t cp);

// Appends `s` as one CSV field (RFC 4180 quoting when needed).
void AppendCsvField(std::string& out, std::string_view s);

// Splits on `sep`, keeping empty pieces.
[[nodiscard]] std::vector<std::string_view> Split(std::string_view s, char sep);

[[nodiscard]] std::string_view Trim(std::string_view s);

// Formats 1234567 as "1,234,567".
[[nodiscard]] std::string WithThousands(uint64_t n);

}  // namespace tw
