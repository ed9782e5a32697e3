// JsonBuf appends and the AWS value formatters.
#include "simulate/json_buf.h"

#include <algorithm>
#include <cstdio>

namespace tw::simulate {

namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void Two(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// "2024-06-20T21:55:34Z" into p (20 bytes).
void FormatIso(char* p, TimeMs t) {
    const Civil c = ToCivil(t);
    const unsigned y = static_cast<unsigned>(c.year);
    Two(p, y / 100);
    Two(p + 2, y % 100);
    p[4] = '-';
    Two(p + 5, c.month);
    p[7] = '-';
    Two(p + 8, c.day);
    p[10] = 'T';
    Two(p + 11, c.hour);
    p[13] = ':';
    Two(p + 14, c.minute);
    p[16] = ':';
    Two(p + 17, c.second);
    p[19] = 'Z';
}

std::string Clock12(const Civil& c) {
    const unsigned h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u:%02u:%02u %s", h12, c.minute, c.second,
                  c.hour < 12 ? "AM" : "PM");
    return buf;
}

}  // namespace

Civil ToCivil(TimeMs t) {
    int64_t secs = t >= 0 ? t / 1000 : (t - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    Civil c{};
    c.hour = static_cast<unsigned>(rem / 3600);
    c.minute = static_cast<unsigned>(rem % 3600 / 60);
    c.second = static_cast<unsigned>(rem % 60);
    c.weekday = static_cast<unsigned>(((days % 7) + 11) % 7);
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0));
    return c;
}

void JsonBuf::Esc(std::string_view s) {
    Reserve(s.size() * 6 + 2);
    char* p = data_.data() + size_;
    *p++ = '"';
    for (unsigned char ch : s) {
        switch (ch) {
            case '"':
                *p++ = '\\';
                *p++ = '"';
                break;
            case '\\':
                *p++ = '\\';
                *p++ = '\\';
                break;
            case '\n':
                *p++ = '\\';
                *p++ = 'n';
                break;
            case '\t':
                *p++ = '\\';
                *p++ = 't';
                break;
            case '\r':
                *p++ = '\\';
                *p++ = 'r';
                break;
            default:
                if (ch < 0x20) {
                    static constexpr char kHex[] = "0123456789abcdef";
                    *p++ = '\\';
                    *p++ = 'u';
                    *p++ = '0';
                    *p++ = '0';
                    *p++ = kHex[ch >> 4];
                    *p++ = kHex[ch & 15];
                } else {
                    *p++ = static_cast<char>(ch);
                }
        }
    }
    *p++ = '"';
    size_ = static_cast<size_t>(p - data_.data());
}

void JsonBuf::UInt(uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    Reserve(static_cast<size_t>(n));
    char* p = data_.data() + size_;
    for (int i = n - 1; i >= 0; --i) *p++ = tmp[i];
    size_ += static_cast<size_t>(n);
}

void JsonBuf::IsoTime(TimeMs t) {
    Reserve(22);
    char* p = data_.data() + size_;
    p[0] = '"';
    FormatIso(p + 1, t);
    p[21] = '"';
    size_ += 22;
}

void JsonBuf::IsoTimeRaw(TimeMs t) {
    Reserve(20);
    FormatIso(data_.data() + size_, t);
    size_ += 20;
}

void AppendUuid(std::string& out, Rng& rng) {
    const uint64_t a = rng.Next();
    const uint64_t b = rng.Next();
    char s[36];
    int k = 0;
    auto hex = [&](uint64_t v, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) s[k++] = kHexLower[(v >> (4 * i)) & 15];
    };
    hex(a >> 32, 8);
    s[k++] = '-';
    hex((a >> 16) & 0xFFFF, 4);
    s[k++] = '-';
    hex(0x4000 | (a & 0x0FFF), 4);
    s[k++] = '-';
    hex(0x8000 | ((b >> 48) & 0x3FFF), 4);
    s[k++] = '-';
    hex(b & 0xFFFFFFFFFFFFull, 12);
    out.append(s, 36);
}

std::string Uuid(Rng& rng) {
    std::string s;
    AppendUuid(s, rng);
    return s;
}

std::string AssertionId(Rng& rng) {
    std::string s(1, '_');
    AppendUuid(s, rng);
    return s;
}

void AppendRandom(std::string& out, Rng& rng, std::string_view alphabet, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        out.push_back(alphabet[rng.Below(static_cast<uint32_t>(alphabet.size()))]);
    }
}

std::string RandomString(Rng& rng, std::string_view alphabet, size_t n) {
    std::string s;
    AppendRandom(s, rng, alphabet, n);
    return s;
}

std::string AwsKeyId(Rng& rng, std::string_view prefix) {
    std::string s(prefix);
    AppendRandom(s, rng, kKeyChars, 16);
    return s;
}

std::string AwsUniqueId(Rng& rng, std::string_view prefix) {
    std::string s(prefix);
    AppendRandom(s, rng, kKeyChars, 17);
    return s;
}

std::string AwsLongDate(TimeMs t) {
    const Civil c = ToCivil(t);
    return std::string(kMonths[c.month - 1]) + " " + std::to_string(c.day) + ", " +
           std::to_string(c.year) + ", " + Clock12(c);
}

std::string AwsIamDate(TimeMs t) {
    const Civil c = ToCivil(t);
    return std::string(kMonths[c.month - 1]) + " " + std::to_string(c.day) + ", " +
           std::to_string(c.year) + " " + Clock12(c);
}

std::string FileStamp(TimeMs t) {
    const Civil c = ToCivil(t);
    char buf[20];
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02u%02uZ", c.year, c.month, c.day, c.hour,
                  c.minute);
    return buf;
}

}  // namespace tw::simulate
