// Value matchers of the rule engine: wildcard patterns, CIDR networks and numbers, with the
// case rules of Sigma (ASCII case folding; non-ASCII bytes compare exactly).
//
// A glob is kept in one canonical escaped form everywhere (IR, plan text, matcher): `*` is any
// run of bytes, `?` is one byte, and `\*`, `\?`, `\\` are the literal characters. Nothing else
// is special. Parsing Sigma's own escape rules into this form is the loader's job.
//
// Thread-safety: every function here is pure; matchers are immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tw::rules {

// One piece of a glob: a literal run or a wildcard.
struct GlobPiece {
    enum Kind : uint8_t { kLiteral, kStar, kQuestion } kind = kLiteral;
    std::string text;  // kLiteral only (unescaped)
};

// Splits a canonical glob into pieces (adjacent stars merged).
[[nodiscard]] std::vector<GlobPiece> ParseGlob(std::string_view glob);

// Escapes `*`, `?` and `\` so that `literal` is a glob matching exactly itself.
[[nodiscard]] std::string EscapeGlob(std::string_view literal);

// The literal text of a glob without wildcards, or nullopt if it has any.
[[nodiscard]] std::optional<std::string> GlobLiteral(std::string_view glob);

// Matches `text` against compiled pieces. `fold`: pieces are lower case and text is folded.
// Allocates nothing.
[[nodiscard]] bool GlobMatch(const std::vector<GlobPiece>& pieces, std::string_view text,
                             bool fold);

// Case-sensitive / folded substring search; `needle` is lower case when `fold`.
[[nodiscard]] bool ContainsMaybeFold(std::string_view haystack, std::string_view needle, bool fold);

// An IPv4 or IPv6 network ("10.0.0.0/8", "2001:db8::/32", or a bare address = /32 or /128).
struct Cidr {
    bool v6 = false;
    std::array<uint8_t, 16> addr{};  // v4 uses the first 4 bytes
    int prefix = 0;
};

// Parses a network; nullopt when malformed.
[[nodiscard]] std::optional<Cidr> ParseCidr(std::string_view s);
// Parses one address; returns false when `s` is not an IP address.
[[nodiscard]] bool ParseIp(std::string_view s, bool& v6, std::array<uint8_t, 16>& out);
// True when `ip_text` is an address inside `net` (an IPv4-mapped IPv6 address matches a v4
// network).
[[nodiscard]] bool CidrContains(const Cidr& net, std::string_view ip_text);

// Parses a JSON/YAML-style number ("42", "-1.5", "1e3", "0x1F"); nullopt when not a number.
// Surrounding spaces are not allowed.
[[nodiscard]] std::optional<double> ParseNumber(std::string_view s);

}  // namespace tw::rules
