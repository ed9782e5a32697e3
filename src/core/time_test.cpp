#include "core/time.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tw
