// Generators and fitting: every generated policy passes the validator and an independent
// simdjson parse, says what the playbook needs, and matches its golden file.
#include "response/generators.h"

#include <gtest/gtest.h>

#include "response/fit.h"
#include "response/test_support.h"
#include "response/validator.h"

namespace tw::response {
namespace {

using test_support::ExpectGolden;
using test_support::ParsesAsJson;

const std::vector<std::string> kBreakGlass = {"arn:aws:iam::*:role/IR-BreakGlass",
                                              "arn:aws:iam::111111111111:role/OrgBreakGlass"};
constexpr std::string_view kCutoff = "2024-06-20T21:55:34Z";

ValidationOptions ScpOptions() { return ValidationOptions{}; }

ValidationOptions IdentityOptions(size_t limit) {
    ValidationOptions o;
    o.kind = PolicyKind::kIdentityPolicy;
    o.max_characters = limit;
    return o;
}

// Renders both layouts, checks each with the validator and simdjson; returns the pretty one.
std::string CheckedPretty(const Policy& p, const ValidationOptions& o) {
    for (Layout layout : {Layout::kPretty, Layout::kMinified}) {
        const std::string text = RenderPolicy(p, layout);
        EXPECT_TRUE(ParsesAsJson(text)) << text;
        EXPECT_EQ(FormatIssues(ValidatePolicy(text, o)), "") << text;
    }
    return RenderPolicy(p, Layout::kPretty);
}

simdjson::dom::element Parse(simdjson::dom::parser& parser, const std::string& text) {
    simdjson::dom::element e;
    EXPECT_FALSE(parser.parse(text).get(e));
    return e;
}

TEST(GeneratorsTest, DenyAllExemptsTheBreakGlassRoles) {
    const std::string text = CheckedPretty(DenyAllScp(kBreakGlass, false), ScpOptions());
    simdjson::dom::parser parser;
    auto st = Parse(parser, text)["Statement"].at(0);
    EXPECT_EQ(std::string_view(st["Effect"]), "Deny");
    EXPECT_EQ(std::string_view(st["Action"].at(0)), "*");
    auto exempt = st["Condition"]["ArnNotLike"]["aws:PrincipalArn"];
    ASSERT_EQ(exempt.get_array().size(), 2u);
    EXPECT_EQ(std::string_view(exempt.at(1)), kBreakGlass[1]);
    ExpectGolden("src/response/testdata/golden/policies/scp-deny-all.json", text);
}

TEST(GeneratorsTest, DenyAllWithAllowReadUsesAnUnsplittableNotAction) {
    const std::string text = CheckedPretty(DenyAllScp(kBreakGlass, true), ScpOptions());
    simdjson::dom::parser parser;
    auto st = Parse(parser, text)["Statement"].at(0);
    EXPECT_TRUE(st["NotAction"].is_array());
    EXPECT_TRUE(st["Action"].error());
    EXPECT_LE(PolicyCharacters(RenderPolicy(DenyAllScp(kBreakGlass, true), Layout::kMinified)),
              kScpMaxCharacters);
    for (const std::string& a : ReadOnlyActionPatterns()) {
        const std::string_view verb = std::string_view(a).substr(a.find(':') + 1);
        EXPECT_FALSE(verb.starts_with("Create") || verb.starts_with("Delete") ||
                     verb.starts_with("Put") || verb.starts_with("Update"))
            << a;
    }
    ExpectGolden("src/response/testdata/golden/policies/scp-deny-all-allow-read.json",
                 RenderPolicy(DenyAllScp(kBreakGlass, true), Layout::kMinified));
}

TEST(GeneratorsTest, RevokeSessionsDeniesTokensIssuedBeforeTheCutoff) {
    const std::string text = CheckedPretty(RevokeSessionsScp(kBreakGlass, kCutoff), ScpOptions());
    simdjson::dom::parser parser;
    auto cond = Parse(parser, text)["Statement"].at(0)["Condition"];
    EXPECT_EQ(std::string_view(cond["DateLessThan"]["aws:TokenIssueTime"].at(0)), kCutoff);
    EXPECT_FALSE(cond["ArnNotLike"]["aws:PrincipalArn"].error());
    ExpectGolden("src/response/testdata/golden/policies/scp-revoke-sessions.json", text);
}

TEST(GeneratorsTest, DenyNewIdpCoversIamProvidersAndIdentityCenter) {
    const std::string text = CheckedPretty(DenyNewIdpScp(kBreakGlass), ScpOptions());
    for (std::string_view a :
         {"iam:CreateSAMLProvider", "iam:UpdateSAMLProvider", "iam:CreateOpenIDConnectProvider",
          "sso:CreateInstance", "sso:AssociateDirectory",
          "sso-directory:CreateExternalIdPConfigurationForDirectory"}) {
        EXPECT_NE(text.find("\"" + std::string(a) + "\""), std::string::npos) << a;
    }
    ExpectGolden("src/response/testdata/golden/policies/scp-deny-new-idp.json", text);
}

TEST(GeneratorsTest, ProtectLoggingCoversTheFourServices) {
    const std::string text = CheckedPretty(ProtectLoggingScp(kBreakGlass), ScpOptions());
    for (std::string_view a :
         {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
          "guardduty:DeleteDetector", "config:StopConfigurationRecorder",
          "securityhub:DisableSecurityHub"}) {
        EXPECT_NE(text.find("\"" + std::string(a) + "\""), std::string::npos) << a;
    }
    ExpectGolden("src/response/testdata/golden/policies/scp-protect-logging.json", text);
}

TEST(GeneratorsTest, InlinePoliciesForRolesAndUsers) {
    const std::string role =
        CheckedPretty(RoleRevokeOlderSessionsPolicy(kCutoff), IdentityOptions(10240));
    const std::string user =
        CheckedPretty(UserTokenIssueTimePolicy(kCutoff), IdentityOptions(2048));
    EXPECT_NE(role.find("\"DateLessThan\": {"), std::string::npos);
    EXPECT_NE(user.find(std::string(kCutoff)), std::string::npos);
    ExpectGolden("src/response/testdata/golden/policies/iam-role-revoke-older-sessions.json", role);
    ExpectGolden("src/response/testdata/golden/policies/iam-user-token-issue-time.json", user);
}

TEST(GeneratorsTest, ChecksBreakGlassRoles) {
    for (std::string_view ok :
         {"arn:aws:iam::111122223333:role/BreakGlass", "arn:aws:iam::*:role/IR-BreakGlass",
          "arn:aws-us-gov:iam::111122223333:role/path/to/BreakGlass*"}) {
        EXPECT_TRUE(CheckBreakGlassRole(ok).has_value()) << ok;
    }
    for (std::string_view bad :
         {"BreakGlass", "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::*:role/*",
          "arn:aws:iam::1111:role/x", "arn:aws:sts::111122223333:assumed-role/x/y",
          "arn:aws:iam::111122223333:role/", "arn:aws:iam::111122223333:role/a b",
          "arn:aws:iam::111122223333:role/x\";rm"}) {
        EXPECT_FALSE(CheckBreakGlassRole(bad).has_value()) << bad;
    }
}

TEST(FitTest, PrettyWhenItFitsMinifiedWhenOnlyThatFits) {
    const Policy p = ProtectLoggingScp(kBreakGlass);
    auto fitted = FitScp(p, kScpMaxCharacters);
    ASSERT_TRUE(fitted.has_value());
    EXPECT_FALSE(fitted->minified);
    const size_t pretty = PolicyCharacters(RenderPolicy(p, Layout::kPretty));
    const size_t minified = PolicyCharacters(RenderPolicy(p, Layout::kMinified));
    ASSERT_LT(minified, pretty);
    fitted = FitScp(p, minified);
    ASSERT_TRUE(fitted.has_value());
    EXPECT_TRUE(fitted->minified);
    EXPECT_FALSE(fitted->split);
    EXPECT_EQ(fitted->documents[0], RenderPolicy(p, Layout::kMinified));
}

TEST(FitTest, SplitsActionListsAcrossPoliciesAndKeepsEveryAction) {
    const Policy p = ProtectLoggingScp(kBreakGlass);
    auto fitted = FitScp(p, 900);
    ASSERT_TRUE(fitted.has_value()) << fitted.error().message;
    EXPECT_TRUE(fitted->split);
    ASSERT_GT(fitted->documents.size(), 1u);
    std::string all;
    for (const std::string& d : fitted->documents) {
        EXPECT_LE(PolicyCharacters(d), 900u);
        ValidationOptions o;
        o.max_characters = 900;
        EXPECT_EQ(FormatIssues(ValidatePolicy(d, o)), "") << d;
        all += d;
    }
    for (const Statement& s : p.statements) {
        for (const std::string& a : s.actions) {
            EXPECT_NE(all.find("\"" + a + "\""), std::string::npos) << a;
        }
    }
}

TEST(FitTest, RefusesToSplitNotActionOrExemptions) {
    auto fitted = FitScp(DenyAllScp(kBreakGlass, true), 1000);
    ASSERT_FALSE(fitted.has_value());
    EXPECT_NE(fitted.error().message.find("cannot be split"), std::string::npos);
    std::vector<std::string> many;
    for (int i = 0; i < 120; ++i) {
        many.push_back("arn:aws:iam::111122223333:role/BreakGlassRoleNumber" + std::to_string(i));
    }
    fitted = FitScp(DenyAllScp(many, false), kScpMaxCharacters);
    ASSERT_FALSE(fitted.has_value());
    EXPECT_NE(fitted.error().message.find("break-glass"), std::string::npos);
}

}  // namespace
}  // namespace tw::response
