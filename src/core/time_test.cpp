#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace tw {
namespace {

TEST(TimeTest, ParsesCloudTrailTimestamp) {
    auto t = ParseIsoTime("2024-06-20T21:55:34Z");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(*t, 1718920534000LL);
    EXPECT_EQ(FormatIsoTime(*t), "2024-06-20T21:55:34Z");
}

TEST(TimeTest, ParsesVariantsSeenInExports) {
    EXPECT_EQ(ParseIsoTime("2024-06-20 21:55:34.250"), 1718920534250LL);
    EXPECT_EQ(ParseIsoTime("2024-06-20T23:55:34+02:00"), 1718920534000LL);
    EXPECT_EQ(ParseIsoTime("2024-06-20T21:55:34.5Z"), 1718920534500LL);
    EXPECT_EQ(ParseIsoTime("2024-06-20"), 1718841600000LL);
    EXPECT_EQ(ParseIsoTime("1970-01-01T00:00:00Z"), 0);
}

TEST(TimeTest, RejectsGarbage) {
    EXPECT_FALSE(ParseIsoTime(""));
    EXPECT_FALSE(ParseIsoTime("yesterday"));
    EXPECT_FALSE(ParseIsoTime("2024-13-01T00:00:00Z"));
    EXPECT_FALSE(ParseIsoTime("2024-06-20T21:55:34Zjunk"));
    EXPECT_FALSE(ParseIsoTime("2024-06-20T25:00:00Z"));
}

TEST(TimeTest, TimeBoundsAcceptRelativeForms) {
    const TimeMs now = 1718920534000LL;
    EXPECT_EQ(ParseTimeBound("now", now), now);
    EXPECT_EQ(ParseTimeBound("7d", now), now - 7 * 86400000LL);
    EXPECT_EQ(ParseTimeBound("36h", now), now - 36 * 3600000LL);
    EXPECT_EQ(ParseTimeBound("1718920534", now), 1718920534000LL);
    EXPECT_FALSE(ParseTimeBound("7x", now));
}

TEST(TimeTest, FormatsDatesBeforeEpochAndLeapDays) {
    EXPECT_EQ(FormatIsoTime(*ParseIsoTime("2024-02-29T12:00:00Z")), "2024-02-29T12:00:00Z");
    EXPECT_EQ(FormatIsoTime(*ParseIsoTime("1969-12-31T23:59:59Z")), "1969-12-31T23:59:59Z");
}

// The parser that remembers the last date gives exactly what ParseIsoTime gives, whatever
// comes before: the same date with good and broken times, a new date, the other shapes.
TEST(TimeTest, DateMemoParsesAsParseIsoTime) {
    std::vector<std::string> inputs = {"2024-06-20T21:55:34Z",
                                       "2024-06-20T00:00:00Z",
                                       "2024-06-20T23:59:60Z",
                                       "2024-06-20T24:00:00Z",
                                       "2024-06-20T23:60:00Z",
                                       "2024-06-20T23:59:61Z",
                                       "2024-06-20T2a:00:00Z",
                                       "2024-06-20T21:5:34Z",
                                       "2024-06-20T21:55:34",
                                       "2024-06-20t21:55:34Z",
                                       "2024-06-20 21:55:34Z",
                                       "2024-06-20T21:55:34.250Z",
                                       "2024-06-20T21:55:34+02:00",
                                       "2024-06-20T21:55Z",
                                       "2024-06-20T21:55:34Zx",
                                       "2024-06-20X21:55:34Z",
                                       "2024-06-20",
                                       "2024-06-21T01:02:03Z",
                                       "2024-06-20T21:55:34Z",
                                       "2024-13-20T21:55:34Z",
                                       "2024-06-20T21:55:34Z",
                                       "2024-02-31T10:00:00Z",
                                       "2024-02-31T10:00:01Z",
                                       "1969-12-31T23:59:59Z",
                                       "",
                                       "2024-06-2",
                                       "garbage!!!!!!!!!!!!!",
                                       "2024-06-20T21:55:34Z"};
    // Every time of one date, with each byte of the time part broken in turn.
    const std::string good = "2024-06-20T13:45:07Z";
    for (size_t i = 10; i < good.size(); ++i) {
        for (const char c : {'0', '9', ':', 'Z', 'T', '/', ' '}) {
            inputs.push_back(good);
            std::string bad = good;
            bad[i] = c;
            inputs.push_back(bad);
        }
    }
    for (int h = 0; h < 25; h += 3) {
        for (int m = 0; m < 61; m += 7) {
            char buf[64];  // (room for any int, so that GCC sees no truncation)
            std::snprintf(buf, sizeof buf, "2024-06-20T%02d:%02d:%02dZ", h, m, (h * m) % 62);
            inputs.emplace_back(buf);
        }
    }
    IsoTimeParser memo;
    for (const std::string& s : inputs) {
        EXPECT_EQ(memo.Parse(s), ParseIsoTime(s)) << s;
    }
    // The memo takes the date as it was: the same time under another date is another value.
    IsoTimeParser fresh;
    EXPECT_EQ(fresh.Parse("2024-06-20T21:55:34Z"), 1718920534000LL);
    EXPECT_EQ(fresh.Parse("2024-06-21T21:55:34Z"), 1718920534000LL + 86400000LL);
    EXPECT_EQ(fresh.Parse("2024-06-21T21:55:35Z"), 1718920535000LL + 86400000LL);
}

}  // namespace
}  // namespace tw
