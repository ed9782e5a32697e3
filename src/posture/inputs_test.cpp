// AWS CLI output readers: each reads its command's documented shape and names the file (and
// the command it looks like) when given another command's output.
#include "posture/inputs.h"

#include <gtest/gtest.h>

#include "response/test_support.h"

namespace tw::posture {
namespace {

using test_support::SourcePath;
using test_support::TempDir;

std::string Fixture(const std::string& name) { return SourcePath("src/posture/testdata/" + name); }

TEST(InputsTest, DescribeTrailsDropsShadowDuplicates) {
    auto trails = ReadTrails(Fixture("describe-trails.json"));
    ASSERT_TRUE(trails.has_value()) << trails.error().message;
    ASSERT_EQ(trails->size(), 2u);
    const Trail& org = (*trails)[0];
    EXPECT_EQ(org.name, "org-trail");
    EXPECT_EQ(org.account, "111111111111");
    EXPECT_TRUE(org.multi_region && org.log_file_validation && org.organization_trail);
    EXPECT_FALSE(org.kms_key_id.empty());
    EXPECT_FALSE((*trails)[1].multi_region);
}

TEST(InputsTest, TrailStatusInBothCliTimeFormats) {
    auto on = ReadTrailStatus(Fixture("trail-status-org-trail.json"));
    ASSERT_TRUE(on.has_value());
    EXPECT_TRUE(on->is_logging);
    auto off = ReadTrailStatus(Fixture("trail-status-dev-trail.json"));
    ASSERT_TRUE(off.has_value());
    EXPECT_FALSE(off->is_logging);
    EXPECT_EQ(off->stop_logging_time, "2024-06-20T19:52:44Z");  // epoch seconds converted
}

TEST(InputsTest, BasicAndAdvancedEventSelectors) {
    auto adv = ReadEventSelectors(Fixture("event-selectors-org-trail.json"));
    ASSERT_TRUE(adv.has_value());
    ASSERT_EQ(adv->advanced.size(), 2u);
    EXPECT_EQ(adv->advanced[0].fields[0].equals[0], "Management");
    auto basic = ReadEventSelectors(Fixture("event-selectors-org-trail-reduced.json"));
    ASSERT_TRUE(basic.has_value());
    ASSERT_EQ(basic->basic.size(), 1u);
    EXPECT_EQ(basic->basic[0].read_write_type, "ReadOnly");
    EXPECT_EQ(basic->basic[0].exclude_management_event_sources[0], "kms.amazonaws.com");
}

TEST(InputsTest, IdentityProviders) {
    auto saml = ReadSamlProviders(Fixture("saml-providers.json"));
    ASSERT_TRUE(saml.has_value());
    ASSERT_EQ(saml->size(), 2u);
    EXPECT_EQ((*saml)[1].account, "111111111111");
    auto oidc = ReadOidcProviders(Fixture("oidc-providers.json"));
    ASSERT_TRUE(oidc.has_value());
    EXPECT_EQ(oidc->size(), 1u);
    auto sso = ReadSsoInstances(Fixture("sso-instances.json"));
    ASSERT_TRUE(sso.has_value());
    EXPECT_EQ((*sso)[0].identity_store_id, "d-9067a1b2c3");
    EXPECT_EQ((*sso)[0].account, "111111111111");
}

TEST(InputsTest, PoliciesTargetsAndTheirPolicyIdFromTheFileName) {
    auto list = ReadPolicies(Fixture("list-policies.json"));
    ASSERT_TRUE(list.has_value());
    EXPECT_EQ(list->size(), 3u);
    EXPECT_FALSE((*list)[1].content.has_value());
    auto described = ReadPolicies(Fixture("describe-policy-p-denyidp001.json"));
    ASSERT_TRUE(described.has_value());
    ASSERT_TRUE((*described)[0].content.has_value());
    EXPECT_NE(described->at(0).content->find("iam:CreateSAMLProvider"), std::string::npos);
    auto targets = ReadPolicyTargets(Fixture("targets-p-protect0001.json"));
    ASSERT_TRUE(targets.has_value());
    EXPECT_EQ(targets->policy_id, "p-protect0001");
    EXPECT_EQ(targets->targets[0].type, "ROOT");
    EXPECT_EQ(ReadPolicyTargets(Fixture("targets-p-FullAWSAccess.json"))->policy_id,
              "p-FullAWSAccess");
}

TEST(InputsTest, WrongCommandOutputIsNamed) {
    auto r = ReadTrails(Fixture("saml-providers.json"));
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("saml-providers.json: expected the output of `aws "
                                     "cloudtrail describe-trails`"),
              std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("this is the output of `aws iam list-saml-providers`"),
              std::string::npos);
    EXPECT_FALSE(ReadSamlProviders(Fixture("oidc-providers.json")).has_value());
    EXPECT_FALSE(ReadTrailStatus(Fixture("describe-trails.json")).has_value());
    EXPECT_FALSE(ReadPolicyTargets(Fixture("list-policies.json")).has_value());
    EXPECT_FALSE(ReadEventSelectors(Fixture("trail-status-org-trail.json")).has_value());
}

TEST(InputsTest, InvalidAndUnrelatedJson) {
    TempDir dir;
    auto bad = ReadTrails(dir.Write("t.json", "{\"trailList\": [{\"Name\": "));
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);
    auto other = ReadSsoInstances(dir.Write("o.json", "{\"Users\": []}"));
    ASSERT_FALSE(other.has_value());
    EXPECT_NE(other.error().message.find("none of its keys is there"), std::string::npos);
    EXPECT_FALSE(ReadTrails(dir.path()).has_value());  // a directory
    EXPECT_EQ(DetectCliOutput(R"({"IsLogging": false})"), CliOutput::kTrailStatus);
    EXPECT_EQ(DetectCliOutput("[1]"), CliOutput::kUnknown);
}

}  // namespace
}  // namespace tw::posture
