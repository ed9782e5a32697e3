#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <cstring>

namespace tw {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool Digits(std::string_view s, size_t pos, size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::optional<TimeMs> ParseIsoTime(std::string_view s) {
    unsigned year, month, day;
    if (!Digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, month) ||
        s[7] != '-' || !Digits(s, 8, 2, day)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    int64_t ms = DaysFromCivil(year, month, day) * 86400000LL;
    if (s.size() == 10) return ms;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    unsigned hh, mm, ss = 0;
    if (!Digits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, mm)) {
        return std::nullopt;
    }
    size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!Digits(s, pos + 1, 2, ss)) return std::nullopt;
        pos += 3;
    }
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    ms += (hh * 3600LL + mm * 60LL + ss) * 1000LL;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int64_t frac = 0;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) {
                frac = frac * 10 + (s[pos] - '0');
                ++digits;
            }
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        while (digits < 3) {
            frac *= 10;
            ++digits;
        }
        ms += frac;
    }
    if (pos == s.size()) return ms;
    if (s[pos] == 'Z' || s[pos] == 'z')
        return pos + 1 == s.size() ? std::optional(ms) : std::nullopt;
    if (s[pos] == '+' || s[pos] == '-') {
        const int sign = s[pos] == '+' ? 1 : -1;
        unsigned oh, om = 0;
        if (!Digits(s, pos + 1, 2, oh)) return std::nullopt;
        size_t p = pos + 3;
        if (p < s.size() && s[p] == ':') ++p;
        if (p < s.size()) {
            if (!Digits(s, p, 2, om)) return std::nullopt;
            p += 2;
        }
        if (p != s.size()) return std::nullopt;
        return ms - sign * (oh * 3600LL + om * 60LL) * 1000LL;
    }
    return std::nullopt;
}

namespace {

// "hh:mm:ssZ" at `s` (9 characters): the seconds of the day, or -1.
int64_t CloudTrailTimeOfDay(const char* s) {
    const auto d = [&](size_t i) { return static_cast<unsigned>(s[i]) - '0'; };
    for (size_t i : {0, 1, 3, 4, 6, 7}) {
        if (d(i) > 9) return -1;
    }
    if (s[2] != ':' || s[5] != ':' || s[8] != 'Z') return -1;
    const unsigned hh = d(0) * 10 + d(1), mm = d(3) * 10 + d(4), ss = d(6) * 10 + d(7);
    if (hh > 23 || mm > 59 || ss > 60) return -1;
    return hh * 3600LL + mm * 60LL + ss;
}

}  // namespace

std::optional<TimeMs> IsoTimeParser::Parse(std::string_view s) {
    // CloudTrail's shape: "YYYY-MM-DDThh:mm:ssZ".
    const bool shaped = s.size() == 20 && s[10] == 'T';
    if (shaped && has_date_ && std::memcmp(s.data(), date_, sizeof date_) == 0) {
        const int64_t secs = CloudTrailTimeOfDay(s.data() + 11);
        if (secs >= 0) return date_ms_ + secs * 1000;
    }
    const std::optional<TimeMs> t = ParseIsoTime(s);
    // A date of this shape that parsed: its midnight is what ParseIsoTime adds the time to.
    if (t && shaped) {
        std::memcpy(date_, s.data(), sizeof date_);
        date_ms_ = *ParseIsoTime(s.substr(0, sizeof date_));
        has_date_ = true;
    }
    return t;
}

std::optional<TimeMs> ParseTimeBound(std::string_view s, TimeMs now) {
    if (s.empty()) return std::nullopt;
    if (s == "now") return now;
    if (auto t = ParseIsoTime(s)) return t;
    // All digits: epoch seconds.
    size_t i = 0;
    int64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 15) n = n * 10 + (s[i++] - '0');
    if (i == 0) return std::nullopt;
    if (i == s.size()) return n * 1000;
    if (i + 1 != s.size()) return std::nullopt;
    int64_t unit;
    switch (s[i]) {
        case 's':
            unit = 1000;
            break;
        case 'm':
            unit = 60000;
            break;
        case 'h':
            unit = 3600000;
            break;
        case 'd':
            unit = 86400000;
            break;
        case 'w':
            unit = 7 * 86400000LL;
            break;
        default:
            return std::nullopt;
    }
    return now - n * unit;
}

TimeMs NowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatIsoTime(TimeMs t) {
    int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
    int64_t rem = (t - days * 86400000) / 1000;
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, y, m, d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    return buf;
}

}  // namespace tw
