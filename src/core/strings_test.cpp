#include "core/strings.h"

#include <gtest/gtest.h>

namespace tw {
namespace {

TEST(StringsTest, FoldedComparisons) {
    EXPECT_TRUE(EqualsFold("ConsoleLogin", "consolelogin"));
    EXPECT_FALSE(EqualsFold("ConsoleLogin", "consolelogins"));
    EXPECT_TRUE(StartsWithFold("AWSReservedSSO_Admin", "awsreservedsso_"));
    EXPECT_TRUE(EndsWithFold("arn:aws:iam::1:role/Admin", "/ADMIN"));
    EXPECT_TRUE(ContainsFold("xxAdministratorAccessyy", "administratoraccess"));
    EXPECT_FALSE(ContainsFold("Admin", "administrator"));
    EXPECT_TRUE(ContainsFold("anything", ""));
}

TEST(StringsTest, JsonEscapingIsValidAndKeepsUtf8) {
    std::string out;
    AppendJsonString(out, "a\"b\\c\n\x01é");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001é\"");
    out.clear();
    AppendJsonString(out, std::string("bad\xff", 4));
    EXPECT_EQ(out, "\"bad\xEF\xBF\xBD\"");
}

TEST(StringsTest, CsvQuotesOnlyWhenNeeded) {
    std::string out;
    AppendCsvField(out, "plain");
    out += ',';
    AppendCsvField(out, "a,\"b\"");
    EXPECT_EQ(out, "plain,\"a,\"\"b\"\"\"");
}

TEST(StringsTest, ThousandsSeparators) {
    EXPECT_EQ(WithThousands(0), "0");
    EXPECT_EQ(WithThousands(21), "21");
    EXPECT_EQ(WithThousands(999), "999");
    EXPECT_EQ(WithThousands(1000), "1,000");
    EXPECT_EQ(WithThousands(1234567), "1,234,567");
}

TEST(StringsTest, SplitKeepsEmptyPieces) {
    auto parts = Split("a,,b", ',');
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[1], "");
    EXPECT_EQ(Trim("  x \n"), "x");
}

}  // namespace
}  // namespace tw
