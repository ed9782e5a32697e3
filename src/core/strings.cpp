#include "core/strings.h"

#include <cstring>

namespace tw {

std::string AsciiLowerCopy(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = AsciiLower(c);
    return out;
}

bool EqualsFold(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    size_t i = 0;
    for (; i + 8 <= a.size(); i += 8) {
        if (AsciiLowerWord(WordAt(a, i, 8)) != AsciiLowerWord(WordAt(b, i, 8))) return false;
    }
    const size_t n = a.size() - i;
    return n == 0 || AsciiLowerWord(WordAt(a, i, n)) == AsciiLowerWord(WordAt(b, i, n));
}

bool StartsWithFold(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && EqualsFold(s.substr(0, prefix.size()), prefix);
}

bool EndsWithFold(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && EqualsFold(s.substr(s.size() - suffix.size()), suffix);
}

bool ContainsFold(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > haystack.size()) return false;
    const char first = needle[0];
    const bool alpha = first >= 'a' && first <= 'z';
    const char upper = alpha ? static_cast<char>(first - ('a' - 'A')) : first;
    const size_t last = haystack.size() - needle.size();
    for (size_t i = 0; i <= last; ++i) {
        const char c = haystack[i];
        if (c != first && c != upper) continue;
        size_t j = 1;
        while (j < needle.size() && AsciiLower(haystack[i + j]) == needle[j]) ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

namespace {

// Length of a valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8Length(std::string_view s, size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) {
        n = 2;
        cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        n = 3;
        cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        n = 4;
        cp = b & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

// Whether one of the eight bytes of `w` needs more than a copy in a JSON string: a control
// byte, '"', '\\', or a byte of 0x80 and above (checked as UTF-8).
bool WordNeedsEscape(uint64_t w) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const uint64_t control = (w - kOnes * 0x20) & ~w;  // high bit set by a byte below 0x20
    const uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
    const uint64_t quote = (q - kOnes) & ~q, backslash = (b - kOnes) & ~b;
    return ((control | quote | backslash | w) & kHigh) != 0;
}

// The same for one byte.
bool ByteNeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

// The end of the run of `s` from `i` that needs no escaping, found eight bytes at a time.
size_t PlainUntil(std::string_view s, size_t i) {
    while (i + 8 <= s.size() && !WordNeedsEscape(WordAt(s, i, 8))) i += 8;
    while (i < s.size() && !ByteNeedsEscape(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

}  // namespace

bool JsonPlain(std::string_view s) { return PlainUntil(s, 0) == s.size(); }

void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

int64_t Hex4At(std::string_view s, size_t i) {
    if (i + 4 > s.size()) return -1;
    int64_t v = 0;
    for (size_t k = i; k < i + 4; ++k) {
        const char c = s[k];
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

bool AppendJsonUnescaped(std::string& out, std::string_view body) {
    bool ok = true;
    for (size_t i = 0; i < body.size(); ++i) {
        const size_t plain = PlainUntil(body, i);  // up to the next quote or backslash
        out.append(body.substr(i, plain - i));
        i = plain;
        if (i == body.size()) break;
        if (body[i] != '\\' || i + 1 == body.size()) {
            // A quote or a control character, kept; or a backslash that ends the body.
            out += body[i];
            ok = ok && body[i] != '\\';
            continue;
        }
        const char e = body[++i];
        switch (e) {
            case '"':
            case '\\':
            case '/':
                out += e;
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                const int64_t u = Hex4At(body, i + 1);
                if (u < 0) {
                    out += e;
                    ok = false;
                    break;
                }
                i += 4;
                const int64_t low = i + 2 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u'
                                        ? Hex4At(body, i + 3)
                                        : -1;
                if (u >= 0xD800 && u < 0xDC00 && low >= 0xDC00 && low < 0xE000) {
                    AppendUtf8(out, static_cast<uint32_t>(0x10000 + ((u - 0xD800) << 10) +
                                                          (low - 0xDC00)));
                    i += 6;
                } else {
                    AppendUtf8(out, u >= 0xD800 && u < 0xE000 ? 0xFFFD : static_cast<uint32_t>(u));
                }
                break;
            }
            default:
                out += e;
                ok = false;
        }
    }
    return ok;
}

void AppendJsonString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    size_t i = 0;
    while (i < s.size()) {
        // Copy the longest run that needs no escaping in one go.
        const size_t j = PlainUntil(s, i);
        out.append(s.data() + i, j - i);
        if (j == s.size()) break;
        const auto c = static_cast<unsigned char>(s[j]);
        if (c >= 0x80) {
            const size_t n = Utf8Length(s, j);
            if (n == 0) {
                out.append("\xEF\xBF\xBD");
                i = j + 1;
            } else {
                out.append(s.data() + j, n);
                i = j + n;
            }
            continue;
        }
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            default:
                out.append("\\u00");
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
        i = j + 1;
    }
    out.push_back('"');
}

void AppendCsvField(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(s);
        return;
    }
    out.push_back('"');
    for (char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        const size_t p = s.find(sep, start);
        if (p == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string WithThousands(uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

bool ReplaceLoneSurrogateEscapes(std::string_view json, std::string& out) {
    bool replaced = false;
    for (size_t i = 0; i < json.size(); ++i) {
        if (json[i] != '\\' || i + 1 == json.size()) {
            out += json[i];
            continue;
        }
        const int64_t u = json[i + 1] == 'u' ? Hex4At(json, i + 2) : -1;
        if (u < 0xD800 || u >= 0xE000) {  // not a surrogate (or another escape): as it is
            out.append(json.substr(i, 2));
            ++i;
            continue;
        }
        const int64_t low =
            u < 0xDC00 && i + 7 < json.size() && json[i + 6] == '\\' && json[i + 7] == 'u'
                ? Hex4At(json, i + 8)
                : -1;
        const bool paired = low >= 0xDC00 && low < 0xE000;
        if (paired) {
            out.append(json.substr(i, 12));
            i += 11;
        } else {
            out += "\\ufffd";
            replaced = true;
            i += 5;
        }
    }
    return replaced;
}

}  // namespace tw
