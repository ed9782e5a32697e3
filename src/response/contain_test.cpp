// The containment kit end to end: planning from the IdP-takeover fixture (golden files for
// every artifact), refusals, the guarded apply.sh, and the `contain` command.
#include "response/contain.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "response/test_support.h"

namespace tw::response {
namespace {

using test_support::ExpectGolden;
using test_support::ReadFile;
using test_support::ShellQuote;
using test_support::SourcePath;
using test_support::TempDir;

const std::string kFixture = "src/response/testdata/idp_takeover_findings.jsonl";

ContainOptions FixedOptions() {
    ContainOptions o;
    o.break_glass_roles = {"arn:aws:iam::*:role/IR-BreakGlass"};
    o.token_issue_time = "now";
    o.now = *ParseIsoTime("2024-06-20T21:55:34Z");
    o.findings_files = {"idp_takeover_findings.jsonl"};
    return o;
}

IncidentFacts FixtureFacts() {
    IncidentFacts facts;
    Diagnostics diag(nullptr);
    EXPECT_TRUE(ReadFindingsInto(SourcePath(kFixture), facts, diag));
    return facts;
}

const Artifact* Get(const ContainPlan& plan, std::string_view file) {
    for (const Artifact& a : plan.artifacts) {
        if (a.file == file) return &a;
    }
    return nullptr;
}

TEST(ContainTest, PlansEveryArtifactAndMatchesTheGoldenFiles) {
    auto plan = PlanContainment(FixedOptions(), FixtureFacts());
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->cutoff_iso, "2024-06-20T21:55:34Z");
    std::vector<std::string> files;
    for (const Artifact& a : plan->artifacts) {
        files.push_back(a.file);
        ExpectGolden("src/response/testdata/golden/idp_takeover/" + a.file, a.content);
    }
    EXPECT_EQ(files, (std::vector<std::string>{
                         "scp-deny-all.json", "scp-revoke-sessions.json", "scp-deny-new-idp.json",
                         "scp-protect-logging.json", "iam-role-revoke-older-sessions.json",
                         "iam-user-token-issue-time.json", "apply.sh", "PLAYBOOK.md"}));
}

TEST(ContainTest, EveryPolicyPassesTheValidatorAndAnIndependentParse) {
    auto plan = PlanContainment(FixedOptions(), FixtureFacts());
    ASSERT_TRUE(plan.has_value());
    for (const Artifact& a : plan->artifacts) {
        if (a.kind == ArtifactKind::kScript || a.kind == ArtifactKind::kPlaybook) continue;
        EXPECT_TRUE(test_support::ParsesAsJson(a.content)) << a.file;
        ValidationOptions o;
        if (a.kind != ArtifactKind::kScp) {
            o.kind = PolicyKind::kIdentityPolicy;
            o.max_characters = a.kind == ArtifactKind::kUserInlinePolicy ? kUserInlineMaxCharacters
                                                                         : kRoleInlineMaxCharacters;
        }
        EXPECT_EQ(FormatIssues(ValidatePolicy(a.content, o)), "") << a.file;
    }
}

TEST(ContainTest, PlaybookAndScriptNameWhatTheFindingsShow) {
    auto plan = PlanContainment(FixedOptions(), FixtureFacts());
    ASSERT_TRUE(plan.has_value());
    const std::string& book = Get(*plan, "PLAYBOOK.md")->content;
    for (std::string_view needle :
         {"mallory@example.com", "arn:aws:iam::111111111111:saml-provider/ExternalIdP",
          "`svc-backup` in `222222222222`", "AKIAEXAMPLEKEY000001", "`OpsAutomation`",
          "d-9067a1b2c3", "`maint`", "SCPs do not apply to the management account",
          "Step 1: control the management account root user", "Step 4: eradication"}) {
        EXPECT_NE(book.find(needle), std::string::npos) << needle;
    }
    EXPECT_LT(book.find("Step 1"), book.find("Step 2"));
    EXPECT_LT(book.find("Step 2"), book.find("Step 3"));
    EXPECT_LT(book.find("Step 3"), book.find("Step 4"));
    const std::string& sh = Get(*plan, "apply.sh")->content;
    EXPECT_NE(sh.find("update-access-key --user-name 'svc-backup' --access-key-id "
                      "AKIAEXAMPLEKEY000001 --status Inactive"),
              std::string::npos);
    EXPECT_NE(sh.find("put-role-policy --role-name 'OpsAutomation'"), std::string::npos);
    EXPECT_NE(sh.find("put-user-policy --user-name 'svc-backup'"), std::string::npos);
    EXPECT_NE(sh.find("# aws iam delete-saml-provider --saml-provider-arn "
                      "'arn:aws:iam::111111111111:saml-provider/ExternalIdP'"),
              std::string::npos);
}

TEST(ContainTest, WithoutFindingsWritesTheGenericKitOnly) {
    auto plan = PlanContainment(FixedOptions(), IncidentFacts{});
    ASSERT_TRUE(plan.has_value());
    EXPECT_EQ(Get(*plan, "iam-role-revoke-older-sessions.json"), nullptr);
    EXPECT_EQ(Get(*plan, "iam-user-token-issue-time.json"), nullptr);
    EXPECT_NE(Get(*plan, "PLAYBOOK.md")->content.find("No findings were given"), std::string::npos);
}

TEST(ContainTest, RefusesWithoutBreakGlassAndOnBadOptions) {
    ContainOptions o = FixedOptions();
    o.break_glass_roles.clear();
    auto plan = PlanContainment(o, {});
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(plan.error().message.find("break-glass"), std::string::npos);

    o = FixedOptions();
    o.targets = {"ou-bad"};
    EXPECT_FALSE(PlanContainment(o, {}).has_value());
    o = FixedOptions();
    o.token_issue_time = "last tuesday";
    EXPECT_FALSE(PlanContainment(o, {}).has_value());
    o = FixedOptions();
    o.break_glass_roles = {"arn:aws:iam::*:role/*"};
    EXPECT_FALSE(PlanContainment(o, {}).has_value());
}

TEST(ContainTest, TargetsAreChecked) {
    for (std::string_view ok : {"root", "r-ab12", "ou-ab12-cdef3456", "111122223333"}) {
        EXPECT_TRUE(CheckTarget(ok).has_value()) << ok;
    }
    for (std::string_view bad : {"Root", "ou-ab12", "11112222333", "r-", "ou-AB12-CDEF3456"}) {
        EXPECT_FALSE(CheckTarget(bad).has_value()) << bad;
    }
}

TEST(ContainTest, WarnsWhenTheActorWasActiveAfterTheCutoff) {
    ContainOptions o = FixedOptions();
    o.token_issue_time = "2024-06-20T19:30:00Z";
    auto plan = PlanContainment(o, FixtureFacts());
    ASSERT_TRUE(plan.has_value());
    ASSERT_FALSE(plan->notes.empty());
    EXPECT_NE(plan->notes[0].find("NOT revoked"), std::string::npos);
    EXPECT_NE(Get(*plan, "PLAYBOOK.md")->content.find("NOT revoked"), std::string::npos);
}

TEST(ContainTest, SplitsWhenTheLimitIsSmallAndSaysSo) {
    ContainOptions o = FixedOptions();
    o.scp_max_characters = 900;
    auto plan = PlanContainment(o, {});
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_NE(Get(*plan, "scp-protect-logging-2.json"), nullptr);
    EXPECT_EQ(Get(*plan, "scp-protect-logging.json"), nullptr);
    const std::string& sh = Get(*plan, "apply.sh")->content;
    EXPECT_NE(sh.find("'trailwarden-protect-logging-2' 'scp-protect-logging-2.json'"),
              std::string::npos);
    bool noted = false;
    for (const std::string& n : plan->notes) noted = noted || n.find("split into") != n.npos;
    EXPECT_TRUE(noted);
}

TEST(ContainTest, UntrustedNamesNeverReachTheShell) {
    findings::Finding f;
    f.rule_id = "evil";
    f.accounts = {"222222222222"};
    f.event_names = {"CreateAccessKey"};
    f.evidence_json =
        R"J({"user_name":"x$(touch pwned)","role_name":"r';touch pwned;'","access_key_id":"AKIACCCCCCCCCCCCCCCC"})J";
    IncidentFacts facts;
    AddFinding(f, facts);
    auto plan = PlanContainment(FixedOptions(), facts);
    ASSERT_TRUE(plan.has_value());
    const std::string& sh = Get(*plan, "apply.sh")->content;
    EXPECT_EQ(sh.find("touch pwned"), std::string::npos);
    EXPECT_EQ(sh.find("put-user-policy"), std::string::npos);
    EXPECT_NE(sh.find("AKIACCCCCCCCCCCCCCCC: owner unknown"), std::string::npos);
    EXPECT_EQ(plan->notes.size(), 2u);
}

TEST(ContainTest, PlaybookListsOneIdentityCenterUsersIdentitiesTogether) {
    // One Identity Center user behind two permission-set sessions (its name in two cases), its
    // sign-in principal and role sessions the graph names (with and without their key). Kept
    // apart: a SAML user asserting the same name (a rogue provider can), IAM users of one name
    // in two accounts, a session of an ordinary role named like the user, and a lone session.
    IncidentFacts facts;
    facts.findings = 1;
    auto add = [&](const std::string& label, const std::string& type, const std::string& name,
                   const std::string& ip) {
        ActorFact& a = facts.actors[label];
        a.arn = label;
        a.type = type;
        a.user_name = name;
        a.source_ips.insert(ip);
        a.first_seen = *ParseIsoTime("2024-06-20T19:00:00Z");
        a.last_seen = *ParseIsoTime("2024-06-20T20:00:00Z");
    };
    add("arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/Alice@Example.com",
        "AssumedRole", "", "198.51.100.1");
    add("arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_Admin_2c3d/alice@example.com",
        "AssumedRole", "", "198.51.100.2");
    add("idc:906701e2-aaaa", "Unknown", "alice@example.com", "198.51.100.5");
    add("role-session/AWSReservedSSO_Admin_0a1b/alice@example.com@111111111111 [ASIAEXAMPLE1]", "",
        "", "198.51.100.1");
    add("role-session/AWSReservedSSO_Admin_2c3d/alice@example.com@222222222222", "", "",
        "198.51.100.2");
    add("user:alice@example.com", "SAMLUser", "alice@example.com", "203.0.113.9");
    add("arn:aws:sts::111111111111:assumed-role/Deploy/alice@example.com", "AssumedRole", "",
        "198.51.100.3");
    add("arn:aws:iam::111111111111:user/svc", "IAMUser", "svc", "192.0.2.1");
    add("arn:aws:iam::222222222222:user/svc", "IAMUser", "svc", "192.0.2.2");
    add("arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/bob@example.com",
        "AssumedRole", "", "198.51.100.4");
    auto plan = PlanContainment(FixedOptions(), facts);
    ASSERT_TRUE(plan.has_value());
    const std::string& book = Get(*plan, "PLAYBOOK.md")->content;
    const size_t group = book.find(
        "  - Identity Center user `alice@example.com`, 5 identities under that user name, from "
        "`198.51.100.1`, `198.51.100.2`, `198.51.100.5`, ");
    ASSERT_NE(group, std::string::npos) << book;
    for (std::string_view member :
         {"    - `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/Alice@",
          "    - `arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_Admin_2c3d/alice@",
          "    - `idc:906701e2-aaaa` (Unknown), from",
          "    - `role-session/AWSReservedSSO_Admin_0a1b/alice@example.com@111111111111 [",
          "    - `role-session/AWSReservedSSO_Admin_2c3d/alice@example.com@222222222222`"}) {
        EXPECT_GT(book.find(member), group) << member;
    }
    for (std::string_view alone :
         {"  - `user:alice@example.com` (SAMLUser), user name `alice@example.com`",
          "  - `arn:aws:sts::111111111111:assumed-role/Deploy/alice@",
          "  - `arn:aws:iam::111111111111:user/svc` (IAMUser)",
          "  - `arn:aws:iam::222222222222:user/svc` (IAMUser)",
          "  - `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/bob@example.com` "
          "(AssumedRole)"}) {
        EXPECT_NE(book.find(alone), std::string::npos) << alone;
    }
}

TEST(ContainTest, IdentityCenterOwnSamlProviderIsNotForDeletion) {
    findings::Finding f;
    f.rule_id = "tw.fed.saml-provider-updated";
    f.evidence_json =
        R"({"responseElements.sAMLProviderArn":)"
        R"("arn:aws:iam::111111111111:saml-provider/AWSSSO_bafa1a00e8e55555_DO_NOT_DELETE"})";
    IncidentFacts facts;
    AddFinding(f, facts);
    auto plan = PlanContainment(FixedOptions(), facts);
    ASSERT_TRUE(plan.has_value());
    const std::string& sh = Get(*plan, "apply.sh")->content;
    EXPECT_EQ(sh.find("delete-saml-provider"), std::string::npos);
    EXPECT_NE(sh.find("created by IAM Identity Center, do not delete it here"), std::string::npos);
    EXPECT_NE(Get(*plan, "PLAYBOOK.md")->content.find("belongs to IAM Identity Center"),
              std::string::npos);
}

// apply.sh is a dry run by default: with a fake `aws` on PATH that records its calls, running
// the script calls nothing and prints every command.
TEST(ContainTest, ApplyScriptIsADryRunUnlessAsked) {
    TempDir dir;
    auto plan = PlanContainment(FixedOptions(), FixtureFacts());
    ASSERT_TRUE(plan.has_value());
    ASSERT_TRUE(WriteContainment(*plan, dir.path() + "/kit").has_value());
    const std::string calls = dir.path() + "/aws-calls";
    // A fake aws: records its arguments; no policy exists yet; ids for the rest.
    dir.Write("bin/aws", "#!/bin/sh\necho \"$*\" >> " + ShellQuote(calls) +
                             "\ncase \"$2\" in list-policies) echo None ;; "
                             "*) echo p-fake1234 ;; esac\n");
    std::filesystem::permissions(dir.path() + "/bin/aws", std::filesystem::perms::owner_all);
    EXPECT_EQ(
        test_support::Shell("sh -n " + ShellQuote(dir.path() + "/kit/apply.sh"), dir).exit_code, 0);
    auto r = test_support::Shell("PATH=" + ShellQuote(dir.path() + "/bin") + ":\"$PATH\" sh " +
                                     ShellQuote(dir.path() + "/kit/apply.sh"),
                                 dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(calls)) << ReadFile(calls);
    EXPECT_NE(r.err.find("dry run"), std::string::npos);
    EXPECT_NE(r.err.find("+ aws organizations attach-policy --policy-id p-dryrun --target-id "
                         "r-dryrun"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("+ aws iam put-role-policy --role-name OpsAutomation"), std::string::npos);

    // With TW_APPLY=yes the same script calls aws (the fake one here).
    r = test_support::Shell("TW_APPLY=yes PATH=" + ShellQuote(dir.path() + "/bin") +
                                ":\"$PATH\" sh " + ShellQuote(dir.path() + "/kit/apply.sh"),
                            dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(ReadFile(calls).find("organizations create-policy --type SERVICE_CONTROL_POLICY"),
              std::string::npos);
    EXPECT_EQ(ReadFile(calls).find("update-policy"), std::string::npos);

    // A second run finds the policies by name and updates them instead of failing.
    dir.Write("bin/aws", "#!/bin/sh\necho \"$*\" >> " + ShellQuote(calls) +
                             "\ncase \"$2\" in list-policies) echo p-existing1 ;; "
                             "attach-policy) echo DuplicatePolicyAttachmentException >&2; exit 254 "
                             ";; *) echo p-fake1234 ;; esac\n");
    r = test_support::Shell("TW_APPLY=yes PATH=" + ShellQuote(dir.path() + "/bin") +
                                ":\"$PATH\" sh " + ShellQuote(dir.path() + "/kit/apply.sh"),
                            dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(ReadFile(calls).find("organizations update-policy --policy-id p-existing1"),
              std::string::npos);
    EXPECT_NE(r.err.find("already attached"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/kit/scp-deny-all.json"));
    EXPECT_TRUE(std::filesystem::status(dir.path() + "/kit/apply.sh").permissions() !=
                std::filesystem::perms::none);
}

TEST(ContainCommandTest, RefusesWithoutBreakGlassRole) {
    TempDir dir;
    auto r = test_support::RunTrailwarden("contain --out " + ShellQuote(dir.path() + "/kit"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--break-glass-role"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/kit"));
}

TEST(ContainCommandTest, WritesTheKitFromFindings) {
    TempDir dir;
    auto r = test_support::RunTrailwarden(
        "contain --out " + ShellQuote(dir.path() + "/kit") + " --from-findings " +
        ShellQuote(SourcePath(kFixture)) +
        " --break-glass-role arn:aws:iam::111111111111:role/BreakGlass"
        " --token-issue-time 2024-06-20T21:55:34Z --target ou-ab12-cdef3456 --target "
        "222222222222");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("nothing was applied"), std::string::npos);
    const std::string deny = ReadFile(dir.path() + "/kit/scp-deny-all.json");
    EXPECT_NE(deny.find("arn:aws:iam::111111111111:role/BreakGlass"), std::string::npos);
    const std::string sh = ReadFile(dir.path() + "/kit/apply.sh");
    EXPECT_NE(sh.find("attach_scp \"$P1\" 'ou-ab12-cdef3456'"), std::string::npos);
    EXPECT_NE(sh.find("attach_scp \"$P1\" '222222222222'"), std::string::npos);
}

TEST(ContainCommandTest, BadFindingsLinesGiveExitThreeAndTheKitIsStillWritten) {
    TempDir dir;
    const std::string findings = dir.Write("f.jsonl", "{broken\n");
    auto r = test_support::RunTrailwarden(
        "contain -q --out " + ShellQuote(dir.path() + "/kit") + " --from-findings " +
        ShellQuote(findings) + " --break-glass-role arn:aws:iam::111111111111:role/BreakGlass");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find(findings), std::string::npos);
    EXPECT_NE(r.err.find("line 1"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/kit/PLAYBOOK.md"));
}

TEST(ContainCommandTest, BadTargetIsAUsageError) {
    TempDir dir;
    auto r = test_support::RunTrailwarden(
        "contain --out " + ShellQuote(dir.path() + "/kit") +
        " --break-glass-role arn:aws:iam::111111111111:role/BreakGlass --target prod");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--target 'prod'"), std::string::npos);
}

}  // namespace
}  // namespace tw::response
