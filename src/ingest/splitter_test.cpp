#include "ingest/splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tw::ingest {
namespace {

std::vector<std::string> SplitAll(std::string_view text, size_t pos = 0) {
    ObjectSplitter s;
    std::vector<std::string> out;
    size_t start, end;
    while ((end = s.Next(text, pos, &start)) != 0) {
        out.emplace_back(text.substr(start, end - start));
        pos = end;
    }
    return out;
}

TEST(SplitterTest, IgnoresBracesAndQuotesInsideStrings) {
    const std::string text = R"({"a":"}{\"]"}, {"b":{"c":"\\"}} ,{"d":[1,{"e":2}]}])";
    auto parts = SplitAll(text);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0], R"({"a":"}{\"]"})");
    EXPECT_EQ(parts[1], R"({"b":{"c":"\\"}})");
    EXPECT_EQ(parts[2], R"({"d":[1,{"e":2}]})");
}

TEST(SplitterTest, StopsAtTheCloseOfTheArray) {
    ObjectSplitter s;
    const std::string text = R"({"a":1}] , {"b":2})";
    size_t start;
    EXPECT_NE(s.Next(text, 0, &start), 0u);
    EXPECT_EQ(s.Next(text, 7, &start), 0u);
    EXPECT_TRUE(s.ended());
}

TEST(SplitterTest, SkipsScalarsAndArraysBetweenObjects) {
    auto parts = SplitAll(R"( 12, "x{", [ {"no":1} ], {"yes":1})");
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0], R"({"yes":1})");
}

TEST(SplitterTest, ResumesAcrossChunkBoundariesInsideStringsAndEscapes) {
    const std::string text = R"({"k":"a\"b}c"},{"k":"\\"})";
    // Feed growing prefixes, as the streaming reader does.
    for (size_t cut = 1; cut < text.size(); ++cut) {
        ObjectSplitter s;
        std::vector<std::string> out;
        size_t pos = 0, start, end;
        std::string_view first(text.data(), cut);
        while ((end = s.Next(first, pos, &start)) != 0) {
            out.emplace_back(first.substr(start, end - start));
            pos = end;
        }
        pos = s.resume();
        while ((end = s.Next(text, pos, &start)) != 0) {
            out.emplace_back(text.substr(start, end - start));
            pos = end;
        }
        ASSERT_EQ(out.size(), 2u) << "cut at " << cut;
        EXPECT_EQ(out[1], R"({"k":"\\"})");
    }
}

TEST(SplitterTest, FindsTheRecordsArrayWhateverTheKeyOrder) {
    EXPECT_EQ(FindRecordsArray(R"({"Records":[)"), 12u);
    EXPECT_EQ(FindRecordsArray("{\"x\":1,\n \"Records\" :\n [ {}"), 23u);
    EXPECT_EQ(FindRecordsArray(R"({"Records2":1})"), 0u);
}

}  // namespace
}  // namespace tw::ingest
