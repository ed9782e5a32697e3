#include "rules/pattern.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "core/strings.h"

namespace tw::rules {

std::vector<GlobPiece> ParseGlob(std::string_view glob) {
    std::vector<GlobPiece> out;
    auto literal = [&]() -> std::string& {
        if (out.empty() || out.back().kind != GlobPiece::kLiteral) out.push_back({});
        return out.back().text;
    };
    for (size_t i = 0; i < glob.size(); ++i) {
        const char c = glob[i];
        if (c == '\\' && i + 1 < glob.size() &&
            (glob[i + 1] == '*' || glob[i + 1] == '?' || glob[i + 1] == '\\')) {
            literal().push_back(glob[++i]);
        } else if (c == '*') {
            if (out.empty() || out.back().kind != GlobPiece::kStar) {
                out.push_back({GlobPiece::kStar, {}});
            }
        } else if (c == '?') {
            out.push_back({GlobPiece::kQuestion, {}});
        } else {
            literal().push_back(c);
        }
    }
    return out;
}

std::string EscapeGlob(std::string_view literal) {
    std::string out;
    out.reserve(literal.size());
    for (char c : literal) {
        if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

std::optional<std::string> GlobLiteral(std::string_view glob) {
    std::string out;
    for (const GlobPiece& p : ParseGlob(glob)) {
        if (p.kind != GlobPiece::kLiteral) return std::nullopt;
        out += p.text;
    }
    return out;
}

namespace {

bool LiteralAt(std::string_view text, size_t pos, std::string_view lit, bool fold) {
    if (pos + lit.size() > text.size()) return false;
    if (!fold) return std::memcmp(text.data() + pos, lit.data(), lit.size()) == 0;
    for (size_t i = 0; i < lit.size(); ++i) {
        if (AsciiLower(text[pos + i]) != lit[i]) return false;
    }
    return true;
}

}  // namespace

bool GlobMatch(const std::vector<GlobPiece>& pieces, std::string_view text, bool fold) {
    // Iterative matcher with one backtrack point (the last star): linear for typical globs,
    // never exponential.
    size_t p = 0, t = 0;
    size_t star_p = SIZE_MAX, star_t = 0;
    while (true) {
        if (p < pieces.size()) {
            const GlobPiece& piece = pieces[p];
            if (piece.kind == GlobPiece::kStar) {
                star_p = ++p;
                star_t = t;
                continue;
            }
            if (piece.kind == GlobPiece::kQuestion) {
                if (t < text.size()) {
                    ++p;
                    ++t;
                    continue;
                }
            } else if (LiteralAt(text, t, piece.text, fold)) {
                ++p;
                t += piece.text.size();
                continue;
            }
        } else if (t == text.size()) {
            return true;
        }
        if (star_p == SIZE_MAX || star_t >= text.size()) return false;
        p = star_p;
        t = ++star_t;
    }
}

bool ContainsMaybeFold(std::string_view haystack, std::string_view needle, bool fold) {
    if (fold) return ContainsFold(haystack, needle);
    return haystack.find(needle) != std::string_view::npos;
}

bool ParseIp(std::string_view s, bool& v6, std::array<uint8_t, 16>& out) {
    char buf[64];
    if (s.empty() || s.size() >= sizeof buf) return false;
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    out.fill(0);
    if (s.find(':') != std::string_view::npos) {
        v6 = true;
        return inet_pton(AF_INET6, buf, out.data()) == 1;
    }
    v6 = false;
    return inet_pton(AF_INET, buf, out.data()) == 1;
}

std::optional<Cidr> ParseCidr(std::string_view s) {
    Cidr net;
    std::string_view addr = s;
    int prefix = -1;
    if (size_t slash = s.find('/'); slash != std::string_view::npos) {
        addr = s.substr(0, slash);
        std::string_view p = s.substr(slash + 1);
        auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
        if (ec != std::errc() || ptr != p.data() + p.size() || p.empty()) return std::nullopt;
    }
    if (!ParseIp(addr, net.v6, net.addr)) return std::nullopt;
    const int max = net.v6 ? 128 : 32;
    if (prefix < 0) prefix = max;
    if (prefix > max) return std::nullopt;
    net.prefix = prefix;
    return net;
}

namespace {

bool PrefixEqual(const uint8_t* a, const uint8_t* b, int bits) {
    const int bytes = bits / 8;
    if (std::memcmp(a, b, bytes) != 0) return false;
    const int rest = bits % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

}  // namespace

bool CidrContains(const Cidr& net, std::string_view ip_text) {
    bool v6 = false;
    std::array<uint8_t, 16> ip{};
    if (!ParseIp(ip_text, v6, ip)) return false;
    if (v6 == net.v6) return PrefixEqual(ip.data(), net.addr.data(), net.prefix);
    if (v6 && !net.v6) {
        // ::ffff:a.b.c.d
        static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
        if (std::memcmp(ip.data(), kMapped, 12) != 0) return false;
        return PrefixEqual(ip.data() + 12, net.addr.data(), net.prefix);
    }
    return false;
}

std::optional<double> ParseNumber(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::string_view body = s;
    bool neg = false;
    if (body[0] == '-' || body[0] == '+') {
        neg = body[0] == '-';
        body.remove_prefix(1);
    }
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
        uint64_t v = 0;
        auto [ptr, ec] = std::from_chars(body.data() + 2, body.data() + body.size(), v, 16);
        if (ec != std::errc() || ptr != body.data() + body.size()) return std::nullopt;
        return neg ? -static_cast<double>(v) : static_cast<double>(v);
    }
    if (body.empty() || !((body[0] >= '0' && body[0] <= '9') || body[0] == '.')) {
        return std::nullopt;
    }
    double v = 0;
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
    if (ec != std::errc() || ptr != body.data() + body.size()) return std::nullopt;
    return neg ? -v : v;
}

}  // namespace tw::rules
