// JsonBuf: the append-only output buffer the simulator writes CloudTrail JSON into, with the
// formatters CloudTrail values need (ISO and "Jun 20, 2024, 9:55:34 PM" times, UUIDs, AWS id
// shapes such as ASIA.../AROA... keys). Writing is a sequence of appends; no JSON tree is built.
//
// Strings passed to Str() must not need escaping (identifiers, ARNs, names the simulator
// chose); Esc() escapes arbitrary text.
//
// Thread-safety: a JsonBuf belongs to one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "simulate/random.h"

namespace tw::simulate {

class JsonBuf {
  public:
    JsonBuf() { data_.resize(1 << 16); }

    void Clear() { size_ = 0; }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] std::string_view view() const { return {data_.data(), size_}; }
    [[nodiscard]] char* data() { return data_.data(); }
    // Drops everything from `pos` on (used to undo a partial record).
    void Truncate(size_t pos) { size_ = pos; }
    // Commits `n` bytes written in place after data() + size() (after Reserve(n)).
    void Advance(size_t n) { size_ += n; }

    void Add(std::string_view s) {
        Reserve(s.size());
        if (!s.empty()) std::memcpy(data_.data() + size_, s.data(), s.size());
        size_ += s.size();
    }
    void Add(char c) {
        Reserve(1);
        data_[size_++] = c;
    }
    // "s" (no escaping: s must be plain text without quotes, backslashes or controls).
    void Str(std::string_view s) {
        Reserve(s.size() + 2);
        char* p = data_.data() + size_;
        *p++ = '"';
        if (!s.empty()) std::memcpy(p, s.data(), s.size());
        p[s.size()] = '"';
        size_ += s.size() + 2;
    }
    // "key":
    void Key(std::string_view k) {
        Reserve(k.size() + 3);
        char* p = data_.data() + size_;
        *p++ = '"';
        if (!k.empty()) std::memcpy(p, k.data(), k.size());
        p[k.size()] = '"';
        p[k.size() + 1] = ':';
        size_ += k.size() + 3;
    }
    // "key":"value"
    void KV(std::string_view k, std::string_view v) {
        Key(k);
        Str(v);
    }
    // Escaped JSON string literal of arbitrary text.
    void Esc(std::string_view s);
    void UInt(uint64_t v);
    void Int(int64_t v) {
        if (v < 0) {
            Add('-');
            UInt(static_cast<uint64_t>(-v));
        } else {
            UInt(static_cast<uint64_t>(v));
        }
    }
    void Bool(bool b) { Add(b ? std::string_view("true") : std::string_view("false")); }

    // "2024-06-20T21:55:34Z" with quotes.
    void IsoTime(TimeMs t);
    // "2024-06-20T21:55:34Z" without quotes.
    void IsoTimeRaw(TimeMs t);

    void Reserve(size_t n) {
        if (size_ + n > data_.size()) data_.resize(std::max(data_.size() * 2, size_ + n));
    }

  private:
    std::vector<char> data_;
    size_t size_ = 0;
};

// ---- value formatters (append to a std::string; used when building identities and plans)

// Random lowercase UUID v4 "8d1d432b-6647-431b-88a7-2da2c2042516".
void AppendUuid(std::string& out, Rng& rng);
[[nodiscard]] std::string Uuid(Rng& rng);
// A SAML assertion id: "_" and a UUID.
[[nodiscard]] std::string AssertionId(Rng& rng);
// `n` random characters from `alphabet`.
void AppendRandom(std::string& out, Rng& rng, std::string_view alphabet, size_t n);
[[nodiscard]] std::string RandomString(Rng& rng, std::string_view alphabet, size_t n);

inline constexpr std::string_view kHexLower = "0123456789abcdef";
inline constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// Alphabet of the 16 characters after the 4-letter prefix of AWS access key and unique ids.
inline constexpr std::string_view kKeyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// AWS unique ids: prefix ("AKIA", "ASIA", "AROA", "AIDA") + 16 (keys) or 17 (ids) characters.
[[nodiscard]] std::string AwsKeyId(Rng& rng, std::string_view prefix);
[[nodiscard]] std::string AwsUniqueId(Rng& rng, std::string_view prefix);

// "Jun 20, 2024, 9:55:34 PM" (STS credential expiration, sso-directory meta).
[[nodiscard]] std::string AwsLongDate(TimeMs t);
// "Jun 20, 2024 9:55:34 PM" (IAM createDate in responses).
[[nodiscard]] std::string AwsIamDate(TimeMs t);
// "20240620T2155Z" (delivery file names).
[[nodiscard]] std::string FileStamp(TimeMs t);

struct Civil {
    int year;
    unsigned month, day, hour, minute, second;
    unsigned weekday;  // 0 = Sunday
};
[[nodiscard]] Civil ToCivil(TimeMs t);

}  // namespace tw::simulate
