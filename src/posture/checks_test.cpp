// Every check, positive and negative, on fixtures shaped like AWS CLI output.
#include "posture/checks.h"

#include <gtest/gtest.h>

#include "response/test_support.h"

namespace tw::posture {
namespace {

using test_support::SourcePath;

std::string Fixture(const std::string& name) { return SourcePath("src/posture/testdata/" + name); }

AuditOptions AsOf() {
    AuditOptions o;
    o.as_of = *ParseIsoTime("2024-06-21T00:00:00Z");
    return o;
}

std::vector<CredentialRow> Report(const std::string& name) {
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(Fixture(name), diag);
    EXPECT_TRUE(rows.has_value());
    return rows.value_or(std::vector<CredentialRow>{});
}

std::vector<std::string> Users(const std::vector<findings::Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs)
        out.push_back(f.actor.user_name.empty() ? f.actor.type : f.actor.user_name);
    return out;
}

std::vector<Trail> Trails() { return ReadTrails(Fixture("describe-trails.json")).value(); }

EventSelectors Selectors(const std::string& name) {
    return ReadEventSelectors(Fixture(name)).value();
}

TEST(CheckTest, EveryFindingFollowsTheSchemaAndTheCatalogue) {
    const auto fs = CheckRootMfa(Report("credential-report.csv"), AsOf());
    ASSERT_EQ(fs.size(), 1u);
    const findings::Finding& f = fs[0];
    EXPECT_EQ(f.rule_id, "posture.root-mfa");
    EXPECT_EQ(f.source, "posture");
    EXPECT_EQ(f.severity, findings::Severity::kCritical);
    EXPECT_TRUE(f.event_ids.empty());
    EXPECT_EQ(f.accounts, std::vector<std::string>{"222222222222"});
    auto back = findings::ParseFinding(findings::ToJsonLine(f));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->evidence_json, f.evidence_json);
    for (const CheckInfo& c : AuditChecks()) {
        EXPECT_TRUE(std::string_view(c.rule_id).starts_with("posture.")) << c.rule_id;
        EXPECT_GT(std::string_view(c.source).size(), 10u) << c.rule_id;
    }
}

TEST(CheckTest, RootMfa) {
    EXPECT_EQ(CheckRootMfa(Report("credential-report.csv"), AsOf()).size(), 1u);
    EXPECT_TRUE(CheckRootMfa(Report("credential-report-clean.csv"), AsOf()).empty());
}

TEST(CheckTest, RootAccessKeys) {
    const auto fs = CheckRootAccessKeys(Report("credential-report.csv"), AsOf());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_NE(fs[0].summary.find("1 active access key"), std::string::npos);
    EXPECT_TRUE(CheckRootAccessKeys(Report("credential-report-clean.csv"), AsOf()).empty());
}

TEST(CheckTest, PasswordWithoutMfa) {
    EXPECT_EQ(Users(CheckPasswordWithoutMfa(Report("credential-report.csv"), AsOf())),
              std::vector<std::string>{"alice"});  // bob and dave,ops have MFA
    EXPECT_TRUE(CheckPasswordWithoutMfa(Report("credential-report-clean.csv"), AsOf()).empty());
}

TEST(CheckTest, OldAndUnusedAccessKeys) {
    const auto fs = CheckAccessKeys(Report("credential-report.csv"), AsOf());
    std::vector<std::string> got;
    for (const auto& f : fs) got.push_back(f.rule_id + " " + f.actor.user_name);
    EXPECT_EQ(got, (std::vector<std::string>{"posture.access-key-old alice",
                                             "posture.access-key-unused svc-backup",
                                             "posture.access-key-old dave,ops"}));
    EXPECT_NE(fs[0].summary.find("527 days old"), std::string::npos) << fs[0].summary;
    // The clean report has an old key, but inactive; and recent, used active keys.
    EXPECT_TRUE(CheckAccessKeys(Report("credential-report-clean.csv"), AsOf()).empty());
    AuditOptions lenient = AsOf();
    lenient.max_key_age_days = 1000;
    const auto fewer = CheckAccessKeys(Report("credential-report.csv"), lenient);
    ASSERT_EQ(fewer.size(), 1u);
    EXPECT_EQ(fewer[0].rule_id, "posture.access-key-unused");
}

TEST(CheckTest, ConsoleUsers) {
    EXPECT_EQ(Users(CheckConsoleUsers(Report("credential-report.csv"), AsOf())),
              (std::vector<std::string>{"alice", "bob", "dave,ops"}));
    EXPECT_TRUE(CheckConsoleUsers(Report("credential-report-clean.csv"), AsOf()).empty());
}

TEST(CheckTest, TrailSecurityPassesForACompliantTrailAndNamesTheFailures) {
    const auto fs =
        CheckTrailSecurity(Trails(), {Selectors("event-selectors-org-trail.json")}, AsOf());
    ASSERT_EQ(fs.size(), 1u);  // org-trail is compliant, so no posture.no-security-trail
    EXPECT_EQ(fs[0].rule_id, "posture.trail-security");
    EXPECT_NE(fs[0].summary.find("dev-trail"), std::string::npos);
    EXPECT_NE(fs[0].summary.find("not multi-region, log file validation off, not encrypted"),
              std::string::npos)
        << fs[0].summary;
    EXPECT_EQ(fs[0].regions, std::vector<std::string>{"eu-west-1"});
}

TEST(CheckTest, TrailSecurityFailsOnReducedManagementEvents) {
    const auto fs =
        CheckTrailSecurity(Trails(), {Selectors("event-selectors-org-trail-reduced.json")}, AsOf());
    ASSERT_EQ(fs.size(), 3u);
    EXPECT_NE(fs[0].summary.find("org-trail fails"), std::string::npos);
    EXPECT_NE(fs[0].summary.find("management write events not recorded, some management events "
                                 "excluded"),
              std::string::npos)
        << fs[0].summary;
    EXPECT_EQ(fs[2].rule_id, "posture.no-security-trail");
}

TEST(CheckTest, TrailSecurityWithoutTheCustomSelectorsCannotVerify) {
    const auto fs = CheckTrailSecurity(Trails(), {}, AsOf());
    ASSERT_EQ(fs.size(), 2u);
    EXPECT_EQ(fs[1].rule_id, "posture.no-security-trail");
    EXPECT_NE(fs[1].summary.find("org-trail could not be verified"), std::string::npos);
    const auto none = CheckTrailSecurity({}, {}, AsOf());
    ASSERT_EQ(none.size(), 1u);
    EXPECT_NE(none[0].summary.find("No CloudTrail trail at all"), std::string::npos);
}

TEST(CheckTest, ManagementCoverageOfSelectors) {
    EventSelectors writes_only;
    writes_only.advanced.push_back(
        {"w", {{"eventCategory", {"Management"}}, {"readOnly", {"false"}}}});
    ManagementCoverage c = CoverageOf(writes_only);
    EXPECT_FALSE(c.reads);
    EXPECT_TRUE(c.writes);
    EXPECT_FALSE(c.excludes_sources);
    EventSelectors split;
    split.basic.push_back({"ReadOnly", true, {}});
    split.basic.push_back({"WriteOnly", true, {}});
    c = CoverageOf(split);
    EXPECT_TRUE(c.reads && c.writes && !c.excludes_sources);
    EventSelectors kms_excluded;
    FieldSelector source;
    source.field = "eventSource";
    source.not_equals = {"kms.amazonaws.com"};
    kms_excluded.advanced.push_back({"m", {{"eventCategory", {"Management"}}, source}});
    c = CoverageOf(kms_excluded);
    EXPECT_TRUE(c.reads && c.writes && c.excludes_sources);
    EXPECT_FALSE(CoverageOf(EventSelectors{}).reads);
}

TEST(CheckTest, TrailLogging) {
    TrailStatus stopped = ReadTrailStatus(Fixture("trail-status-dev-trail.json")).value();
    stopped.trail = "dev-trail";
    TrailStatus logging = ReadTrailStatus(Fixture("trail-status-org-trail.json")).value();
    logging.trail = "org-trail";
    const auto fs = CheckTrailLogging(Trails(), {stopped, logging}, AsOf());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule_id, "posture.trail-not-logging");
    EXPECT_EQ(fs[0].accounts, std::vector<std::string>{"222222222222"});
    EXPECT_NE(fs[0].summary.find("stopped 2024-06-20T19:52:44Z"), std::string::npos);
    EXPECT_TRUE(CheckTrailLogging(Trails(), {logging}, AsOf()).empty());
    logging.latest_delivery_error = "AccessDenied";
    const auto failing = CheckTrailLogging(Trails(), {logging}, AsOf());
    ASSERT_EQ(failing.size(), 1u);
    EXPECT_EQ(failing[0].severity, findings::Severity::kMedium);
}

std::vector<IdentityProvider> Providers() {
    std::vector<IdentityProvider> all = ReadSamlProviders(Fixture("saml-providers.json")).value();
    const auto oidc = ReadOidcProviders(Fixture("oidc-providers.json")).value();
    const auto sso = ReadSsoInstances(Fixture("sso-instances.json")).value();
    all.insert(all.end(), oidc.begin(), oidc.end());
    all.insert(all.end(), sso.begin(), sso.end());
    return all;
}

TEST(CheckTest, IdentityProvidersNotOnTheAllowlist) {
    AuditOptions o = AsOf();
    o.have_allowlist = true;
    o.allowed_idps = {
        "arn:aws:iam::111111111111:saml-provider/CorpOkta",
        "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"};
    auto fs = CheckIdentityProviders(Providers(), o);
    ASSERT_EQ(fs.size(), 2u);
    EXPECT_EQ(fs[0].rule_id, "posture.idp-not-allowed");
    EXPECT_NE(fs[0].summary.find("saml-provider/ExternalIdP"), std::string::npos);
    EXPECT_NE(fs[1].summary.find("Identity Center instance"), std::string::npos);
    o.allowed_idps.push_back("d-9067a1b2c3");  // an instance may be allowed by identity store
    o.allowed_idps.push_back("arn:aws:iam::111111111111:saml-provider/ExternalIdP");
    EXPECT_TRUE(CheckIdentityProviders(Providers(), o).empty());
}

TEST(CheckTest, IdentityProvidersWithoutAllowlistAreListedForReview) {
    const auto fs = CheckIdentityProviders(Providers(), AsOf());
    ASSERT_EQ(fs.size(), 4u);
    for (const auto& f : fs) {
        EXPECT_EQ(f.rule_id, "posture.idp-review");
        EXPECT_EQ(f.severity, findings::Severity::kInfo);
    }
}

std::vector<OrgPolicy> Policies() {
    std::vector<OrgPolicy> all = ReadPolicies(Fixture("list-policies.json")).value();
    const auto described = ReadPolicies(Fixture("describe-policy-p-denyidp001.json")).value();
    all.insert(all.end(), described.begin(), described.end());
    return all;
}

PolicyTargets Targets(const std::string& id) {
    return ReadPolicyTargets(Fixture("targets-" + id + ".json")).value();
}

TEST(CheckTest, RootScpsAllPresent) {
    EXPECT_TRUE(CheckRootScps(Policies(),
                              {Targets("p-FullAWSAccess"), Targets("p-protect0001"),
                               Targets("p-denyidp001"), Targets("p-denyleave01")},
                              AsOf())
                    .empty());
}

TEST(CheckTest, RootScpsMissingIdpProtection) {
    const auto fs =
        CheckRootScps(Policies(), {Targets("p-FullAWSAccess"), Targets("p-protect0001")}, AsOf());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule_id, "posture.scp-protection-missing");
    EXPECT_EQ(fs[0].accounts, std::vector<std::string>{"111111111111"});
    EXPECT_NE(fs[0].summary.find("iam:CreateSAMLProvider"), std::string::npos);
    EXPECT_NE(fs[0].summary.find("new identity providers"), std::string::npos);
}

TEST(CheckTest, RootScpsAttachedElsewhereDoNotCount) {
    // DenyLeaveOrganization is on an OU, not the root; FullAWSAccess denies nothing.
    const auto fs =
        CheckRootScps(Policies(), {Targets("p-FullAWSAccess"), Targets("p-denyleave01")}, AsOf());
    EXPECT_EQ(fs.size(), 5u);
}

TEST(CheckTest, RootScpContentWithNotAction) {
    OrgPolicy p;
    p.id = "p-notaction01";
    p.name = "DenyAllButReads";
    p.content = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":
        ["*:Get*","*:List*","*:Describe*"],"Resource":"*"}]})";
    PolicyTargets t = Targets("p-protect0001");
    t.policy_id = "p-notaction01";
    EXPECT_TRUE(CheckRootScps({p}, {t}, AsOf()).empty());
}

TEST(CheckTest, ActionPatterns) {
    EXPECT_TRUE(ActionMatches("cloudtrail:*", "cloudtrail:StopLogging"));
    EXPECT_TRUE(ActionMatches("*", "iam:CreateSAMLProvider"));
    EXPECT_TRUE(ActionMatches("IAM:create*provider", "iam:CreateSAMLProvider"));
    EXPECT_TRUE(ActionMatches("guardduty:Delete?etector", "guardduty:DeleteDetector"));
    EXPECT_FALSE(ActionMatches("cloudtrail:Stop", "cloudtrail:StopLogging"));
    EXPECT_FALSE(ActionMatches("*:Get*", "cloudtrail:StopLogging"));
}

}  // namespace
}  // namespace tw::posture
