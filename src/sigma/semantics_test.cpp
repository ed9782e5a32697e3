// Conformance suite, part 1: detection structure, field access, values, wildcards, keywords and
// conditions, written from the Sigma specification (sigma-rules-specification.md).
#include <gtest/gtest.h>

#include "sigma/test_harness.h"

namespace tw::sigma {
namespace {

std::string E(std::string_view body) {
    return "{\"eventTime\":\"2024-06-20T10:00:00Z\"," + std::string(body) + "}";
}

#define EXPECT_LOADS(h) ASSERT_EQ((h).errors(), 0u) << (h).AllProblems()

TEST(SigmaSemanticsTest, MapEntriesAreAnded) {
    SigmaHarness h(
        Rule("    sel:\n        eventName: A\n        eventSource: s\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A","eventSource":"s")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","eventSource":"t")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"B","eventSource":"s")")));
}

TEST(SigmaSemanticsTest, ValueListsAreOred) {
    SigmaHarness h(
        Rule("    sel:\n        eventName:\n            - A\n            - B\n"
             "    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"B")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"C")")));
}

TEST(SigmaSemanticsTest, ListOfMapsIsOrOfAnds) {
    SigmaHarness h(
        Rule("    sel:\n        - eventName: A\n          awsRegion: r1\n"
             "        - eventSource: x\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A","awsRegion":"r1")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","awsRegion":"r2")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","eventSource":"x")")));
}

TEST(SigmaSemanticsTest, StringsCompareCaseInsensitivelyByDefault) {
    SigmaHarness h(Rule("    sel:\n        eventName: createuser\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"CreateUser")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"CreateUsers")")));
}

TEST(SigmaSemanticsTest, CasedComparesExactly) {
    SigmaHarness h(Rule("    sel:\n        eventName|cased: CreateUser\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"CreateUser")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"createuser")")));
}

TEST(SigmaSemanticsTest, DottedPathsReachNestedObjects) {
    SigmaHarness h(
        Rule("    sel:\n        userIdentity.sessionContext.sessionIssuer.type: Role\n"
             "    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(
        R"("eventName":"X","userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role"}}})")));
    EXPECT_FALSE(h.Matches(E(
        R"("eventName":"X","userIdentity":{"sessionContext":{"sessionIssuer":{"type":"User"}}})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userIdentity":{"type":"Role"})")));
}

TEST(SigmaSemanticsTest, PathCrossingAnArrayMatchesWhenAnyElementMatches) {
    SigmaHarness h(Rule("    sel:\n        resources.ARN: 'arn:aws:s3:::b2'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(
        E(R"("eventName":"X","resources":[{"ARN":"arn:aws:s3:::b1"},{"ARN":"arn:aws:s3:::b2"}])")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","resources":[{"ARN":"arn:aws:s3:::b1"}])")));
}

TEST(SigmaSemanticsTest, PathEndingAtAnArrayMatchesItsElements) {
    SigmaHarness h(Rule("    sel:\n        requestParameters.names: b\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"names":["a","b"]})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","requestParameters":{"names":["a","c"]})")));
}

TEST(SigmaSemanticsTest, ContainsSearchesInsideAnObjectsJsonText) {
    SigmaHarness h(
        Rule("    sel:\n        requestParameters|contains: secret\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"a":{"b":"my-SECRET"}})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","requestParameters":{"a":"public"})")));
}

TEST(SigmaSemanticsTest, ObjectTextHasStringEscapesDecoded) {
    // An IAM policy is a JSON document inside a string: `"Allow"` must be found in it.
    SigmaHarness h(
        Rule("    sel:\n        requestParameters|contains: '\"Allow\"'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(
        E(R"("eventName":"X","requestParameters":{"policyDocument":"{\"Effect\":\"Allow\"}"})")));
    EXPECT_FALSE(h.Matches(
        E(R"("eventName":"X","requestParameters":{"policyDocument":"{\"Effect\":\"Deny\"}"})")));
}

TEST(SigmaSemanticsTest, NullMatchesMissingOrNullButNotValues) {
    SigmaHarness h(Rule("    sel:\n        errorCode: null\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","errorCode":null)")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","errorCode":"AccessDenied")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","errorCode":"")")));
}

TEST(SigmaSemanticsTest, EmptyStringMatchesOnlyEmpty) {
    SigmaHarness h(Rule("    sel:\n        errorCode: ''\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","errorCode":"")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","errorCode":null)")));
}

TEST(SigmaSemanticsTest, MissingFieldNeverMatchesAValue) {
    SigmaHarness h(Rule("    sel:\n        errorCode: '*'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","errorCode":"x")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","errorCode":null)")));
}

TEST(SigmaSemanticsTest, NumbersMatchNumbersAndNumericStrings) {
    SigmaHarness h(Rule("    sel:\n        requestParameters.port: 443\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":443})")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":"443"})")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":443.0})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":4430})")));
}

TEST(SigmaSemanticsTest, QuotedNumberMatchesJsonNumber) {
    SigmaHarness h(Rule("    sel:\n        requestParameters.port: '22'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":22})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","requestParameters":{"port":23})")));
}

TEST(SigmaSemanticsTest, BooleansMatchJsonBooleans) {
    SigmaHarness h(Rule("    sel:\n        readOnly: false\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","readOnly":false)")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","readOnly":true)")));
}

TEST(SigmaWildcardTest, StarAndQuestionMark) {
    SigmaHarness h(
        Rule("    sel:\n        eventName:\n            - 'Create*Key'\n"
             "            - '?etUser'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"CreateAccessKey")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"createkey")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"GetUser")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"GGetUser")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"CreateAccessKeys")")));
}

TEST(SigmaWildcardTest, EscapedWildcardsAreLiteral) {
    SigmaHarness h(
        Rule("    sel:\n        userAgent:\n            - 'a\\*b'\n"
             "            - 'c\\?d'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"a*b")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"axxb")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"c?d")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"cxd")")));
}

TEST(SigmaWildcardTest, BackslashBeforeOtherCharacterIsLiteral) {
    // YAML 'C:\Windows\x' is the Sigma value C:\Windows\x: both backslashes are plain.
    SigmaHarness h(Rule("    sel:\n        userAgent: 'C:\\Windows\\x'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"C:\\Windows\\x")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"C:Windowsx")")));
}

TEST(SigmaWildcardTest, DoubleBackslashBeforeStarIsBackslashThenWildcard) {
    SigmaHarness h(Rule("    sel:\n        userAgent: 'dir\\\\*'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"dir\\anything")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"dir*")")));
}

TEST(SigmaWildcardTest, ThreeBackslashesAndStarAreBackslashThenLiteralStar) {
    SigmaHarness h(Rule("    sel:\n        userAgent: 'dir\\\\\\*'\n    condition: sel"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"dir\\*")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"dir\\abc")")));
}

TEST(SigmaKeywordTest, KeywordListSearchesEveryStringValue) {
    SigmaHarness h(
        Rule("    keywords:\n        - 'evil-tool'\n        - 'pacu'\n"
             "    condition: keywords"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"Pacu")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","requestParameters":{"deep":["evil-tool"]})")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"pacuX")")));
    // Keys are not values.
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","pacu":"no")")));
}

TEST(SigmaKeywordTest, KeywordWildcardsAndEscapedJson) {
    SigmaHarness h(Rule("    keywords:\n        - '*say \"hi\"*'\n    condition: keywords"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","userAgent":"they say \"hi\" now")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","userAgent":"they say hi")")));
}

TEST(SigmaKeywordTest, AllModifierOnKeywordsRequiresEach) {
    SigmaHarness h(
        Rule("    keywords:\n        '|all':\n            - 'alpha'\n"
             "            - 'beta'\n    condition: keywords"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"X","a":"alpha","b":"beta")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"X","a":"alpha")")));
}

const char* kThree =
    "    sel_a:\n        eventName: A\n    sel_b:\n        awsRegion: r\n"
    "    filter:\n        errorCode: Denied\n    _hidden:\n        eventSource: s\n";

TEST(SigmaConditionTest, AndBindsTighterThanOr) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: sel_a or sel_b and not filter"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A","errorCode":"Denied")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","awsRegion":"r")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"Z","awsRegion":"r","errorCode":"Denied")")));
}

TEST(SigmaConditionTest, ParenthesesGroup) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: (sel_a or sel_b) and not filter"));
    EXPECT_LOADS(h);
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","errorCode":"Denied")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A")")));
}

TEST(SigmaConditionTest, OneOfPattern) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: 1 of sel_*"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","awsRegion":"r")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"Z")")));
}

TEST(SigmaConditionTest, AllOfPattern) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: all of sel_*"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A","awsRegion":"r")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A")")));
}

TEST(SigmaConditionTest, OneOfThemSkipsUnderscoreIdentifiers) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: 1 of them"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","errorCode":"Denied")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"Z","eventSource":"s")")));
}

TEST(SigmaConditionTest, AllOfThem) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: all of them"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A","awsRegion":"r","errorCode":"Denied")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","awsRegion":"r")")));
}

TEST(SigmaConditionTest, NotBindsTighterThanAnd) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: not sel_a and sel_b"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","awsRegion":"r")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","awsRegion":"r")")));
}

TEST(SigmaConditionTest, ConditionListIsOred) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition:\n        - sel_a\n        - filter"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A")")));
    EXPECT_TRUE(h.Matches(E(R"("eventName":"Z","errorCode":"Denied")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"Z")")));
}

TEST(SigmaConditionTest, KeywordsAreCaseInsensitive) {
    SigmaHarness h(Rule(std::string(kThree) + "    condition: sel_a AND NOT filter"));
    EXPECT_LOADS(h);
    EXPECT_TRUE(h.Matches(E(R"("eventName":"A")")));
    EXPECT_FALSE(h.Matches(E(R"("eventName":"A","errorCode":"Denied")")));
}

}  // namespace
}  // namespace tw::sigma
