// The audit end to end: all fixtures together (golden output), the output formats, and bad
// inputs among good ones through the `audit` command.
#include "posture/audit.h"

#include <gtest/gtest.h>

#include "posture/report.h"
#include "response/test_support.h"

namespace tw::posture {
namespace {

using test_support::ExpectGolden;
using test_support::ShellQuote;
using test_support::SourcePath;
using test_support::TempDir;

std::string Fixture(const std::string& name) { return SourcePath("src/posture/testdata/" + name); }

AuditInputs AllInputs() {
    AuditInputs in;
    in.credential_reports = {Fixture("credential-report.csv"),
                             Fixture("get-credential-report.json")};
    in.trails = {Fixture("describe-trails.json")};
    in.event_selectors = {Fixture("event-selectors-org-trail.json")};
    in.trail_status = {Fixture("trail-status-org-trail.json"),
                       "dev-trail=" + Fixture("trail-status-dev-trail.json")};
    in.saml_providers = {Fixture("saml-providers.json")};
    in.oidc_providers = {Fixture("oidc-providers.json")};
    in.sso_instances = {Fixture("sso-instances.json")};
    in.policies = {Fixture("list-policies.json"), Fixture("describe-policy-p-denyidp001.json")};
    in.policy_targets = {Fixture("targets-p-FullAWSAccess.json"),
                         Fixture("targets-p-protect0001.json"),
                         Fixture("targets-p-denyleave01.json")};
    return in;
}

AuditOptions Options() {
    AuditOptions o;
    o.as_of = *ParseIsoTime("2024-06-21T00:00:00Z");
    o.have_allowlist = true;
    o.allowed_idps = {
        "arn:aws:iam::111111111111:saml-provider/CorpOkta",
        "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"};
    return o;
}

TEST(AuditTest, AllInputsTogetherMatchTheGoldenFindings) {
    Diagnostics diag(nullptr);
    AuditResult r = RunAudit(AllInputs(), Options(), diag);
    EXPECT_EQ(diag.errors(), 0u);
    EXPECT_EQ(r.inputs_read, 14u);
    EXPECT_EQ(r.inputs_failed, 0u);
    std::map<std::string, int> by_rule;
    for (const auto& f : r.findings) ++by_rule[f.rule_id];
    EXPECT_EQ(by_rule, (std::map<std::string, int>{{"posture.access-key-old", 2},
                                                   {"posture.access-key-unused", 1},
                                                   {"posture.console-user", 3},
                                                   {"posture.idp-not-allowed", 2},
                                                   {"posture.root-access-key", 1},
                                                   {"posture.root-mfa", 1},
                                                   {"posture.scp-protection-missing", 1},
                                                   {"posture.trail-not-logging", 1},
                                                   {"posture.trail-security", 1},
                                                   {"posture.user-password-no-mfa", 1}}));
    const std::string jsonl = RenderReport(r.findings, ReportFormat::kJsonl);
    ExpectGolden("src/posture/testdata/golden/audit-all.jsonl", jsonl);
    // The same findings again, whatever the order of the inputs.
    AuditInputs reversed = AllInputs();
    std::reverse(reversed.credential_reports.begin(), reversed.credential_reports.end());
    std::reverse(reversed.policy_targets.begin(), reversed.policy_targets.end());
    AuditResult again = RunAudit(reversed, Options(), diag);
    EXPECT_EQ(RenderReport(again.findings, ReportFormat::kJsonl).size(), jsonl.size());
}

TEST(AuditTest, RendersEveryFormat) {
    Diagnostics diag(nullptr);
    AuditResult r = RunAudit(AllInputs(), Options(), diag);
    const std::string json = RenderReport(r.findings, ReportFormat::kJson);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_FALSE(parser.parse(json).get(doc));
    EXPECT_EQ(doc.get_array().value_unsafe().size(), r.findings.size());
    const std::string csv = RenderReport(r.findings, ReportFormat::kCsv);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(r.findings.size() + 1));
    EXPECT_TRUE(csv.starts_with("severity,rule_id,title,accounts"));
    const std::string table = RenderReport(r.findings, ReportFormat::kTable);
    EXPECT_TRUE(table.starts_with("SEVERITY"));
    EXPECT_NE(table.find("posture.root-mfa"), std::string::npos);
    std::istringstream jsonl(RenderReport(r.findings, ReportFormat::kJsonl));
    size_t lines = 0;
    for (std::string line; std::getline(jsonl, line); ++lines) {
        EXPECT_TRUE(findings::ParseFinding(line).has_value()) << line;
    }
    EXPECT_EQ(lines, r.findings.size());
    EXPECT_EQ(RenderReport({}, ReportFormat::kTable), "no findings\n");
}

TEST(AuditTest, SplitsNamedInputs) {
    EXPECT_EQ(SplitNamedInput("org-trail=status.json"),
              (std::pair<std::string, std::string>{"org-trail", "status.json"}));
    EXPECT_EQ(SplitNamedInput("status.json"),
              (std::pair<std::string, std::string>{"", "status.json"}));
}

TEST(AuditCommandTest, WritesJsonlToAFileAndSummarises) {
    TempDir dir;
    auto r = test_support::RunTrailwarden(
        "audit --credential-report " + ShellQuote(Fixture("credential-report.csv")) +
        " --as-of 2024-06-21T00:00:00Z --format jsonl -o " + ShellQuote(dir.path() + "/out.jsonl"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    const std::string out = test_support::ReadFile(dir.path() + "/out.jsonl");
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 9);
    EXPECT_NE(r.err.find("9 finding(s) (2 critical, 1 high, 3 medium, 3 low)"), std::string::npos)
        << r.err;
}

TEST(AuditCommandTest, WrongFileForTheFlagIsNamedAndTheRestIsChecked) {
    auto r = test_support::RunTrailwarden(
        "audit --format csv --trails " + ShellQuote(Fixture("saml-providers.json")) +
        " --credential-report " + ShellQuote(Fixture("credential-report-clean.csv")) +
        " --saml-providers " + ShellQuote(Fixture("saml-providers.json")));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("saml-providers.json: expected the output of `aws cloudtrail "
                         "describe-trails`"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("posture.idp-review"), std::string::npos);  // the rest ran
}

TEST(AuditCommandTest, TruncatedAndUnknownColumnReportsAreNamed) {
    TempDir dir;
    const std::string full = test_support::ReadFile(Fixture("credential-report.csv"));
    const std::string cut = dir.Write("cut.csv", full.substr(0, full.size() - 150));
    std::string extra = test_support::ReadFile(Fixture("credential-report-clean.csv"));
    extra.replace(0, 4, "login");  // "user" renamed: the documented column is gone
    const std::string renamed = dir.Write("renamed.csv", extra);
    auto r = test_support::RunTrailwarden("audit -q --format jsonl --credential-report " +
                                          ShellQuote(cut) + " --credential-report " +
                                          ShellQuote(renamed));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find(cut), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 7"), std::string::npos);
    EXPECT_NE(r.err.find(renamed), std::string::npos);
    EXPECT_NE(r.err.find("not an IAM credential report"), std::string::npos);
    EXPECT_NE(r.out.find("posture.root-mfa"), std::string::npos);  // the good rows still count
}

TEST(AuditCommandTest, FailOnAndUsageErrors) {
    const std::string report = ShellQuote(Fixture("credential-report.csv"));
    EXPECT_EQ(test_support::RunTrailwarden("audit -q --format jsonl --fail-on critical "
                                           "--credential-report " +
                                           report)
                  .exit_code,
              1);
    EXPECT_EQ(test_support::RunTrailwarden("audit -q --format jsonl --fail-on critical "
                                           "--credential-report " +
                                           ShellQuote(Fixture("credential-report-clean.csv")))
                  .exit_code,
              0);
    auto none = test_support::RunTrailwarden("audit");
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("no input"), std::string::npos);
    EXPECT_EQ(
        test_support::RunTrailwarden("audit --format xml --credential-report " + report).exit_code,
        2);
    auto help = test_support::RunTrailwarden("audit --help");
    EXPECT_NE(help.out.find("cloudtrail-security-trail-enabled"), std::string::npos);
    EXPECT_NE(help.out.find("posture.scp-protection-missing"), std::string::npos);
}

}  // namespace
}  // namespace tw::posture
