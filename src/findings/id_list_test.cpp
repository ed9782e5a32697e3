// IdList: ids packed in one buffer read back exactly, in order, whatever their length.
#include "findings/id_list.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "findings/finding.h"

namespace tw::findings {
namespace {

TEST(IdListTest, ReadsBackEveryIdInOrder) {
    IdList ids;
    EXPECT_TRUE(ids.empty());
    ids.reserve(3, 10);
    ids.push_back("e1");
    ids.push_back("");  // an empty id stays an entry of its own
    ids.push_back("0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6");
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[0], "e1");
    EXPECT_EQ(ids[1], "");
    EXPECT_EQ(ids.back(), "0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6");
    EXPECT_EQ(ids.text_size(), 2u + 36u);
    const std::vector<std::string> want = {"e1", "", "0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6"};
    EXPECT_TRUE(ids == want);
    EXPECT_FALSE(ids == std::vector<std::string>({"e1", "", "other"}));
    EXPECT_FALSE(ids == std::vector<std::string>({"e1", ""}));
    std::vector<std::string> seen(ids.begin(), ids.end());
    EXPECT_EQ(seen, want);
    EXPECT_EQ(std::find(ids.begin(), ids.end(), "e1") - ids.begin(), 0);
    EXPECT_EQ(ids.end() - ids.begin(), 3);
}

TEST(IdListTest, AssignsFromStringsAndClears) {
    IdList ids({"a"});
    ids = std::vector<std::string>{"x", "yy", "zzz"};
    EXPECT_EQ(ids, (IdList{"x", "yy", "zzz"}));
    EXPECT_NE(ids, (IdList{"xy", "y", "zzz"}));  // same text, other boundaries
    ids.clear();
    EXPECT_TRUE(ids.empty());
    EXPECT_EQ(ids.text_size(), 0u);
}

TEST(IdListTest, ManyIdsSurviveAJsonRoundTrip) {
    Finding f;
    f.rule_id = "r";
    f.severity = Severity::kLow;
    for (int i = 0; i < 100000; ++i) f.event_ids.push_back("id-" + std::to_string(i));
    auto back = ParseFinding(ToJsonLine(f));
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(back->event_ids.size(), 100000u);
    EXPECT_EQ(back->event_ids[0], "id-0");
    EXPECT_EQ(back->event_ids[99999], "id-99999");
    EXPECT_EQ(back->event_ids, f.event_ids);
}

}  // namespace
}  // namespace tw::findings
