// Validator: valid policies pass; each grammar or safety rule rejects what it should.
#include "response/validator.h"

#include <gtest/gtest.h>

namespace tw::response {
namespace {

ValidationOptions Scp() { return ValidationOptions{}; }

ValidationOptions Identity() {
    ValidationOptions o;
    o.kind = PolicyKind::kIdentityPolicy;
    o.max_characters = kRoleInlineMaxCharacters;
    return o;
}

std::string Issues(std::string_view policy, const ValidationOptions& o) {
    return FormatIssues(ValidatePolicy(policy, o));
}

constexpr std::string_view kDenyAll = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyAllExceptBreakGlass",
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {
        "ArnNotLike": {
          "aws:PrincipalARN": [
            "arn:aws:iam::*:role/BreakGlass1",
            "arn:aws:iam::111122223333:role/BreakGlass2"
          ]
        }
      }
    }
  ]
})";

TEST(ValidatorTest, AcceptsDenyAllWithBreakGlassExemption) {
    EXPECT_EQ(Issues(kDenyAll, Scp()), "");
}

TEST(ValidatorTest, AcceptsTokenIssueTimeRevocation) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":{"Effect":"Deny",
        "Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":
        "2024-06-20T21:55:34Z"}}}})";
    EXPECT_EQ(Issues(p, Identity()), "");
}

TEST(ValidatorTest, RejectsInvalidJson) {
    EXPECT_NE(Issues(R"({"Version": "2012-10-17", "Statement": [)", Scp()).find("invalid JSON"),
              std::string::npos);
}

TEST(ValidatorTest, RejectsPrincipalInScp) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}]})";
    EXPECT_NE(Issues(p, Scp()).find("Statement[0].Principal: not supported in a service control"),
              std::string::npos);
}

TEST(ValidatorTest, RejectsNotPrincipalInIdentityPolicy) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"}]})";
    EXPECT_NE(Issues(p, Identity()).find("NotPrincipal: not supported"), std::string::npos);
}

TEST(ValidatorTest, RejectsUnknownConditionOperator) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:RequestedRegion":"x"}}}]})";
    EXPECT_NE(Issues(p, Scp()).find("unknown condition operator \"StringEqualz\""),
              std::string::npos);
}

TEST(ValidatorTest, KnowsOperatorsPrefixesAndIfExists) {
    for (std::string_view op :
         {"StringEquals", "StringNotLike", "ArnNotLikeIfExists", "DateLessThan",
          "ForAnyValue:StringLike", "ForAllValues:StringEqualsIgnoreCase", "BoolIfExists",
          "NumericGreaterThanEqualsIfExists", "IpAddress", "NotIpAddressIfExists", "Null",
          "BinaryEquals", "ForAnyValue:ArnLikeIfExists"}) {
        EXPECT_TRUE(IsConditionOperator(op)) << op;
    }
    for (std::string_view op : {"NullIfExists", "ForAnyValue:Null", "stringequals", "StringEqual",
                                "ForSomeValues:StringLike", "IfExists", "DateLessThen"}) {
        EXPECT_FALSE(IsConditionOperator(op)) << op;
    }
}

TEST(ValidatorTest, RejectsValuesOfTheWrongTypeForTheOperator) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":"*","Resource":"*","Condition":{
          "DateLessThan":{"aws:TokenIssueTime":"yesterday"},
          "Bool":{"aws:MultiFactorAuthPresent":"maybe"},
          "ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/BreakGlass"]}}}]})";
    const std::string issues = Issues(p, Scp());
    EXPECT_NE(issues.find("\"yesterday\" is not an ISO 8601"), std::string::npos) << issues;
    EXPECT_NE(issues.find("\"maybe\" must be \"true\" or \"false\""), std::string::npos);
}

TEST(ValidatorTest, RejectsPolicyOverTheSizeLimit) {
    std::string p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":[)";
    for (int i = 0; i < 400; ++i) p += (i ? ",\"" : "\"") + std::string("ec2:RunInstances\"");
    p += R"(],"Resource":"*"}]})";
    ASSERT_GT(p.size(), 5120u);
    EXPECT_NE(Issues(p, Scp()).find("over the limit of 5120"), std::string::npos);
    ValidationOptions unlimited = Scp();
    unlimited.max_characters = 0;
    EXPECT_EQ(Issues(p, unlimited), "");
}

TEST(ValidatorTest, ScpSizeCountsWhiteSpaceIdentitySizeDoesNot) {
    const std::string_view spaced = R"({ "Version" : "2012-10-17" })";
    EXPECT_EQ(CountedCharacters(spaced, PolicyKind::kServiceControlPolicy), spaced.size());
    EXPECT_EQ(CountedCharacters(spaced, PolicyKind::kIdentityPolicy),
              std::string_view(R"({"Version":"2012-10-17"})").size());
    EXPECT_EQ(CountedCharacters(R"({"a b":"\" c"})", PolicyKind::kIdentityPolicy), 14u);
}

TEST(ValidatorTest, RejectsDenyAllWithoutBreakGlass) {
    constexpr std::string_view p =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
    EXPECT_NE(Issues(p, Scp()).find("must exempt at least one break-glass principal"),
              std::string::npos);
    ValidationOptions lax = Scp();
    lax.require_break_glass = false;
    EXPECT_EQ(Issues(p, lax), "");
}

TEST(ValidatorTest, RejectsDenyAllWhoseExemptionIsNotNegated) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "NotAction":["s3:Get*"],"Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":
        "arn:aws:iam::*:role/BreakGlass"}}}]})";
    EXPECT_NE(Issues(p, Scp()).find("break-glass"), std::string::npos);
}

TEST(ValidatorTest, RejectsCatchAllBreakGlass) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":"*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":
        ["arn:aws:iam::*:role/*"]}}}]})";
    EXPECT_NE(Issues(p, Scp()).find("matches every principal"), std::string::npos);
}

TEST(ValidatorTest, RejectsAllowInDenyPolicyAndBadEffect) {
    constexpr std::string_view allow = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Action":"s3:GetObject","Resource":"*"}]})";
    EXPECT_NE(Issues(allow, Scp()).find("must be \"Deny\""), std::string::npos);
    constexpr std::string_view bad = R"({"Version":"2012-10-17","Statement":[{"Effect":"deny",
        "Action":"s3:GetObject","Resource":"*"}]})";
    EXPECT_NE(Issues(bad, Scp()).find("must be \"Allow\" or \"Deny\""), std::string::npos);
}

TEST(ValidatorTest, RejectsWrongVersionAndMissingStatement) {
    EXPECT_NE(Issues(R"({"Version":"2008-10-17","Statement":[]})", Scp()).find("2012-10-17"),
              std::string::npos);
    EXPECT_NE(Issues(R"({"Version":"2012-10-17"})", Scp()).find("missing Statement"),
              std::string::npos);
    EXPECT_NE(Issues(R"([1,2])", Scp()).find("one JSON object"), std::string::npos);
}

TEST(ValidatorTest, RejectsDuplicateKeysAndSids) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Version":"2012-10-17",
        "Statement":[{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"},
                     {"Sid":"A","Effect":"Deny","Action":"ec2:*","Resource":"*"}]})";
    const std::string issues = Issues(p, Scp());
    EXPECT_NE(issues.find("duplicate key \"Version\""), std::string::npos) << issues;
    EXPECT_NE(issues.find("duplicate Sid \"A\""), std::string::npos);
}

TEST(ValidatorTest, RequiresExactlyOneActionElementAndAResource) {
    constexpr std::string_view both = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":"s3:*","NotAction":"ec2:*","Resource":"*"}]})";
    EXPECT_NE(Issues(both, Scp()).find("exactly one of Action or NotAction"), std::string::npos);
    constexpr std::string_view none = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":"s3:*"}]})";
    EXPECT_NE(Issues(none, Scp()).find("missing Resource"), std::string::npos);
}

TEST(ValidatorTest, ScpWildcardsOnlyAloneOrAtTheEnd) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":["s3:*Object","iam:Create*","ec2:Describe?"],"Resource":"*"}]})";
    const std::string issues = Issues(p, Scp());
    EXPECT_NE(issues.find("s3:*Object"), std::string::npos) << issues;
    EXPECT_EQ(issues.find("iam:Create*"), std::string::npos);
    EXPECT_EQ(Issues(p, Identity()), "");
}

TEST(ValidatorTest, RejectsMalformedActionsAndResources) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
        "Action":["StopLogging","s3 :GetObject","s3:","S3:GetObject"],"Resource":["bucket"]}]})";
    const std::string issues = Issues(p, Scp());
    EXPECT_NE(issues.find("\"StopLogging\" is not"), std::string::npos) << issues;
    EXPECT_NE(issues.find("\"s3 :GetObject\" is not"), std::string::npos);
    EXPECT_NE(issues.find("\"s3:\" is not"), std::string::npos);
    EXPECT_EQ(issues.find("S3:GetObject"), std::string::npos);  // prefixes are case-insensitive
    EXPECT_NE(issues.find("\"bucket\" is neither"), std::string::npos);
}

TEST(ValidatorTest, RejectsUnknownElements) {
    constexpr std::string_view p = R"({"Version":"2012-10-17","Id":"x","Statement":[{
        "Effect":"Deny","Actions":"s3:*","Resource":"*"}]})";
    const std::string issues = Issues(p, Scp());
    EXPECT_NE(issues.find("unsupported top-level element \"Id\""), std::string::npos) << issues;
    EXPECT_NE(issues.find("Statement[0].Actions: unknown statement element"), std::string::npos);
}

}  // namespace
}  // namespace tw::response
