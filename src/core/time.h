// Time: CloudTrail timestamps as milliseconds since the Unix epoch (UTC), parsed without
// allocation or locale, and formatted back in CloudTrail's own ISO 8601 shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tw {

// Milliseconds since 1970-01-01T00:00:00Z.
using TimeMs = int64_t;

// Parses "2024-06-20T21:55:34Z" and the variants seen in exports: fractional seconds,
// "+hh:mm"/"-hhmm" offsets, a space instead of "T", a missing "Z", and a bare date
// ("2024-06-20", midnight UTC). Returns nullopt for anything else.
[[nodiscard]] std::optional<TimeMs> ParseIsoTime(std::string_view s);

// ParseIsoTime for a stream of times that mostly share their date (a trail's eventTime
// values): a time in CloudTrail's own shape ("2024-06-20T21:55:34Z") whose date is the last
// one parsed here reads only its time of day. Same results as ParseIsoTime, always.
// Thread-safety: one per thread (it remembers the last date).
class IsoTimeParser {
  public:
    [[nodiscard]] std::optional<TimeMs> Parse(std::string_view s);

  private:
    char date_[10] = {};  // "2024-06-20" of the last time parsed in CloudTrail's shape
    TimeMs date_ms_ = 0;  // its midnight
    bool has_date_ = false;
};

// Parses a user-supplied time bound: ISO 8601 as above, epoch seconds ("1718920534"),
// "now", or a duration before now ("90m", "36h", "7d", "2w"). `now` is injected for tests.
[[nodiscard]] std::optional<TimeMs> ParseTimeBound(std::string_view s, TimeMs now);

// Current wall-clock time.
[[nodiscard]] TimeMs NowMs();

// "2024-06-20T21:55:34Z" (milliseconds are dropped, as CloudTrail prints them).
[[nodiscard]] std::string FormatIsoTime(TimeMs t);

// Days since the epoch for a civil date (proleptic Gregorian).
[[nodiscard]] int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

}  // namespace tw
