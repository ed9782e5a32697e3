// Conformance suite, part 2: every value modifier of the Sigma modifiers appendix, positive and
// negative, plus the errors a bad modifier or value gives.
#include <gtest/gtest.h>

#include "sigma/test_harness.h"

namespace tw::sigma {
namespace {

std::string E(std::string_view body) {
    return "{\"eventTime\":\"2024-06-20T10:00:00Z\",\"eventName\":\"X\"," + std::string(body) + "}";
}

std::string One(std::string_view key, std::string_view value) {
    return Rule("    sel:\n        " + std::string(key) + ": " + std::string(value) +
                "\n    condition: sel");
}

#define EXPECT_LOADS(h) ASSERT_EQ((h).errors(), 0u) << (h).AllProblems()

TEST(SigmaModifierTest, Contains) {
    SigmaHarness h(One("userAgent|contains", "Boto3"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("userAgent":"aws-cli boto3/1.0")")));
    EXPECT_FALSE(h.Matches(E(R"("userAgent":"aws-cli botocore")")));
}

TEST(SigmaModifierTest, StartsWithAndEndsWith) {
    SigmaHarness s(One("eventSource|startswith", "iam."));
    EXPECT_LOADS(s);
    EXPECT_TRUE(s.Matches(E(R"("eventSource":"IAM.amazonaws.com")")));
    EXPECT_FALSE(s.Matches(E(R"("eventSource":"xiam.amazonaws.com")")));
    SigmaHarness e(One("eventSource|endswith", ".amazonaws.com"));
    EXPECT_LOADS(e);
    EXPECT_TRUE(e.Matches(E(R"("eventSource":"iam.amazonaws.com")")));
    EXPECT_FALSE(e.Matches(E(R"("eventSource":"iam.amazonaws.com.evil")")));
}

TEST(SigmaModifierTest, ContainsAllRequiresEveryValue) {
    SigmaHarness h(One("userAgent|contains|all", "['a1', 'b2']"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("userAgent":"xx b2 yy A1")")));
    EXPECT_FALSE(h.Matches(E(R"("userAgent":"xx b2 yy")")));
}

TEST(SigmaModifierTest, RegexIsCaseSensitiveByDefault) {
    SigmaHarness h(One("userIdentity.arn|re", "'.+:assumed-role/aws:.+'"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(
        h.Matches(E(R"("userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2/i-1"}})")));
    EXPECT_FALSE(
        h.Matches(E(R"("userIdentity":{"arn":"arn:aws:sts::1:ASSUMED-ROLE/aws:ec2/i"}})")));
}

TEST(SigmaModifierTest, RegexFlags) {
    SigmaHarness i(One("userAgent|re|i", "'^abc$'"));
    EXPECT_LOADS(i);
    EXPECT_TRUE(i.Matches(E(R"("userAgent":"ABC")")));
    SigmaHarness m(One("userAgent|re|m", "'^two$'"));
    EXPECT_LOADS(m);
    EXPECT_TRUE(m.Matches(E(R"("userAgent":"one\ntwo\nthree")")));
    SigmaHarness no_m(One("userAgent|re", "'^two$'"));
    EXPECT_FALSE(no_m.Matches(E(R"("userAgent":"one\ntwo\nthree")")));
    SigmaHarness s(One("userAgent|re|s", "'a.b'"));
    EXPECT_TRUE(s.Matches(E(R"("userAgent":"a\nb")")));
    SigmaHarness no_s(One("userAgent|re", "'a.b'"));
    EXPECT_FALSE(no_s.Matches(E(R"("userAgent":"a\nb")")));
}

TEST(SigmaModifierTest, BadRegexDisablesTheRuleWithAMessage) {
    SigmaHarness h(One("userAgent|re", "'a(b'"));
    EXPECT_EQ(h.errors(), 1u);
    EXPECT_NE(h.AllProblems().find("invalid regular expression"), std::string::npos);
}

TEST(SigmaModifierTest, CidrV4AndV6) {
    SigmaHarness h(One("sourceIPAddress|cidr", "['10.0.0.0/8', '2001:db8::/32']"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("sourceIPAddress":"10.20.30.40")")));
    EXPECT_FALSE(h.Matches(E(R"("sourceIPAddress":"11.0.0.1")")));
    EXPECT_TRUE(h.Matches(E(R"("sourceIPAddress":"2001:db8:1::5")")));
    EXPECT_FALSE(h.Matches(E(R"("sourceIPAddress":"2001:db9::5")")));
    EXPECT_FALSE(h.Matches(E(R"("sourceIPAddress":"AWS Internal")")));
    EXPECT_TRUE(h.Matches(E(R"("sourceIPAddress":"::ffff:10.1.2.3")")));
}

TEST(SigmaModifierTest, CidrRejectsBadNetworkAtLoad) {
    SigmaHarness h(One("sourceIPAddress|cidr", "'10.0.0.0/40'"));
    EXPECT_EQ(h.errors(), 1u);
}

TEST(SigmaModifierTest, Base64) {
    SigmaHarness h(One("requestParameters.userData|base64", "secret"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"userData":"c2VjcmV0"})")));
    EXPECT_FALSE(h.Matches(E(R"("requestParameters":{"userData":"secret"})")));
}

TEST(SigmaModifierTest, Base64OffsetFindsTheValueAtEveryAlignment) {
    SigmaHarness h(One("requestParameters.userData|base64offset|contains", "ping"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"userData":"cGluZyBkb25l"})")));
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"userData":"eHBpbmcgZG9uZQ=="})")));
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"userData":"eHhwaW5nIGRvbmU="})")));
    EXPECT_FALSE(h.Matches(E(R"("requestParameters":{"userData":"c2VjcmV0"})")));
}

TEST(SigmaModifierTest, Utf16LittleEndianThenBase64) {
    SigmaHarness h(One("requestParameters.script|wide|base64offset|contains", "whoami"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"script":"dwBoAG8AYQBtAGkA"})")));
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"script":"egB6ACAAdwBoAG8AYQBtAGkA"})")));
    EXPECT_FALSE(h.Matches(E(R"("requestParameters":{"script":"d2hvYW1p"})")));
    SigmaHarness le(One("requestParameters.script|utf16le|base64", "whoami"));
    EXPECT_TRUE(le.Matches(E(R"("requestParameters":{"script":"dwBoAG8AYQBtAGkA"})")));
}

TEST(SigmaModifierTest, Utf16BigEndianAndBom) {
    // "hi" as UTF-16BE is 00 68 00 69 -> base64 AGgAaQ==; with the LE BOM: FF FE 68 00 69 00.
    SigmaHarness be(One("requestParameters.s|utf16be|base64", "hi"));
    EXPECT_LOADS(be);
    EXPECT_TRUE(be.Matches(E(R"("requestParameters":{"s":"AGgAaQ=="})")));
    EXPECT_FALSE(be.Matches(E(R"("requestParameters":{"s":"aABpAA=="})")));
    SigmaHarness bom(One("requestParameters.s|utf16|base64", "hi"));
    EXPECT_LOADS(bom);
    EXPECT_TRUE(bom.Matches(E(R"("requestParameters":{"s":"//5oAGkA"})")));
}

TEST(SigmaModifierTest, EncodingAValueWithWildcardsIsAnError) {
    SigmaHarness h(One("requestParameters.s|contains|base64", "abc"));
    EXPECT_EQ(h.errors(), 1u);
    EXPECT_NE(h.AllProblems().find("cannot encode a value with wildcards"), std::string::npos);
}

TEST(SigmaModifierTest, WindashMatchesEveryDash) {
    SigmaHarness h(One("requestParameters.cmd|windash|contains", "' -enc '"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"cmd":"ps -enc abc"})")));
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"cmd":"ps /enc abc"})")));
    EXPECT_TRUE(h.Matches(E(R"("requestParameters":{"cmd":"ps \u2013enc abc"})")));
    EXPECT_FALSE(h.Matches(E(R"("requestParameters":{"cmd":"ps +enc abc"})")));
}

TEST(SigmaModifierTest, Exists) {
    SigmaHarness yes(One("errorCode|exists", "true"));
    EXPECT_LOADS(yes);
    EXPECT_TRUE(yes.Matches(E(R"("errorCode":"x")")));
    EXPECT_TRUE(yes.Matches(E(R"("errorCode":null)")));
    EXPECT_FALSE(yes.Matches(E(R"("awsRegion":"r")")));
    SigmaHarness no(One("errorCode|exists", "false"));
    EXPECT_TRUE(no.Matches(E(R"("awsRegion":"r")")));
    EXPECT_FALSE(no.Matches(E(R"("errorCode":"")")));
    SigmaHarness bad(One("errorCode|exists", "maybe"));
    EXPECT_EQ(bad.errors(), 1u);
}

TEST(SigmaModifierTest, NumericComparisons) {
    struct Case {
        const char* mod;
        bool at9, at10, at11;
    };
    for (Case c : {Case{"lt", true, false, false}, Case{"lte", true, true, false},
                   Case{"gt", false, false, true}, Case{"gte", false, true, true}}) {
        SigmaHarness h(One(std::string("requestParameters.n|") + c.mod, "10"));
        EXPECT_LOADS(h);
        EXPECT_EQ(h.Matches(E(R"("requestParameters":{"n":9})")), c.at9) << c.mod;
        EXPECT_EQ(h.Matches(E(R"("requestParameters":{"n":10})")), c.at10) << c.mod;
        EXPECT_EQ(h.Matches(E(R"("requestParameters":{"n":"11"})")), c.at11) << c.mod;
    }
    SigmaHarness h(One("requestParameters.n|gt", "10"));
    EXPECT_FALSE(h.Matches(E(R"("requestParameters":{"n":"eleven"})")));
    EXPECT_FALSE(h.Matches(E(R"("awsRegion":"r")")));
    SigmaHarness bad(One("requestParameters.n|gt", "ten"));
    EXPECT_EQ(bad.errors(), 1u);
}

TEST(SigmaModifierTest, FieldRefComparesTwoFields) {
    SigmaHarness h(One("userIdentity.arn|fieldref", "requestParameters.roleArn"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(
        R"("userIdentity":{"arn":"arn:aws:iam::1:role/A"},"requestParameters":{"roleArn":"arn:aws:iam::1:role/a"}})")));
    EXPECT_FALSE(h.Matches(E(
        R"("userIdentity":{"arn":"arn:aws:iam::1:role/A"},"requestParameters":{"roleArn":"arn:aws:iam::1:role/B"}})")));
    EXPECT_FALSE(h.Matches(E(R"("userIdentity":{"arn":"arn:aws:iam::1:role/A"}})")));
}

TEST(SigmaModifierTest, ExpandReplacesPlaceholders) {
    LoadOptions opt;
    opt.placeholders["Admins"] = {"alice", "bob*"};
    SigmaHarness h(One("userIdentity.userName|expand", "'%Admins%'"), opt);
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("userIdentity":{"userName":"alice"})")));
    EXPECT_TRUE(h.Matches(E(R"("userIdentity":{"userName":"bobby"})")));
    EXPECT_FALSE(h.Matches(E(R"("userIdentity":{"userName":"mallory"})")));
}

TEST(SigmaModifierTest, UnresolvedPlaceholderIsALoadError) {
    SigmaHarness h(One("userIdentity.userName|expand", "'%Admins%'"));
    EXPECT_EQ(h.errors(), 1u);
    EXPECT_NE(h.AllProblems().find("placeholder %Admins% has no value"), std::string::npos);
    EXPECT_NE(h.AllProblems().find("test.yml:7:39:"), std::string::npos) << h.AllProblems();
}

TEST(SigmaModifierTest, PercentWithoutExpandIsLiteral) {
    SigmaHarness h(One("userAgent", "'%Admins%'"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("userAgent":"%admins%")")));
}

TEST(SigmaModifierTest, NeqMatchesOtherValuesOfAPresentField) {
    SigmaHarness h(One("awsRegion|neq", "['us-east-1', 'eu-west-1']"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("awsRegion":"ap-south-1")")));
    EXPECT_FALSE(h.Matches(E(R"("awsRegion":"US-EAST-1")")));
    EXPECT_FALSE(h.Matches(E(R"("errorCode":"x")")));
}

TEST(SigmaModifierTest, TimePartsCompareExtractedNumbers) {
    SigmaHarness h(One("eventTime|hour|gte", "22"));
    EXPECT_LOADS(h);
    EXPECT_FALSE(h.Matches(E(R"("awsRegion":"r")")));  // 10:00
    EXPECT_TRUE(h.Matches(R"({"eventTime":"2024-06-20T23:10:00Z","eventName":"X"})"));
    SigmaHarness m(One("eventTime|month", "6"));
    EXPECT_TRUE(m.Matches(E(R"("awsRegion":"r")")));
}

TEST(SigmaModifierTest, UnknownModifierIsAPositionedError) {
    SigmaHarness h(One("userAgent|contians", "x"));
    EXPECT_EQ(h.errors(), 1u);
    EXPECT_NE(h.AllProblems().find("test.yml:7:9: rule 'T': unknown modifier 'contians'"),
              std::string::npos)
        << h.AllProblems();
}

TEST(SigmaModifierTest, RegexSubModifierWithoutRegexIsAnError) {
    SigmaHarness h(One("userAgent|i", "x"));
    EXPECT_EQ(h.errors(), 1u);
}

}  // namespace
}  // namespace tw::sigma
