// Facts from findings: what a hunt-shaped IdP-takeover findings file names is recovered from
// actor, evidence (by key and by value shape) and summary; bad lines are skipped and reported.
#include "response/facts.h"

#include <gtest/gtest.h>

#include "response/test_support.h"

namespace tw::response {
namespace {

IncidentFacts FixtureFacts() {
    IncidentFacts facts;
    Diagnostics diag(nullptr);
    EXPECT_TRUE(ReadFindingsInto(
        test_support::SourcePath("src/response/testdata/idp_takeover_findings.jsonl"), facts,
        diag));
    EXPECT_EQ(diag.errors(), 0u);
    return facts;
}

TEST(FactsTest, NamesActorsAccountsAndIdentityProviders) {
    const IncidentFacts f = FixtureFacts();
    EXPECT_EQ(f.findings, 7u);
    EXPECT_TRUE(f.actors.contains(
        "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_"
        "0a1b2c3d4e5f6a7b/mallory@example.com"));
    EXPECT_TRUE(f.actors.contains("arn:aws:iam::222222222222:user/svc-backup"));
    EXPECT_EQ(f.accounts, (std::set<std::string>{"111111111111", "222222222222", "333333333333"}));
    EXPECT_EQ(f.saml_providers,
              (std::set<std::string>{"arn:aws:iam::111111111111:saml-provider/ExternalIdP"}));
    EXPECT_EQ(f.sso_instances,
              (std::set<std::string>{"arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"}));
    EXPECT_EQ(f.identity_store_ids, (std::set<std::string>{"d-9067a1b2c3"}));
    EXPECT_EQ(f.permission_sets.size(), 1u);
    EXPECT_EQ(f.first_seen, *ParseIsoTime("2024-06-20T19:02:11Z"));
    EXPECT_EQ(f.last_seen, *ParseIsoTime("2024-06-20T20:05:58Z"));
}

TEST(FactsTest, SeparatesIamUsersFromIdentityCenterUsers) {
    const IncidentFacts f = FixtureFacts();
    EXPECT_EQ(f.iam_users, (std::set<AccountName>{{"222222222222", "svc-backup"}}));
    EXPECT_TRUE(f.identity_center_users.contains("backup-admin"));         // sso-directory
    EXPECT_TRUE(f.identity_center_users.contains("mallory@example.com"));  // SSO session name
    EXPECT_EQ(f.federated_users, (std::set<std::string>{"maint"}));
}

TEST(FactsTest, KeysRolesAndUsersWithStaticKeys) {
    const IncidentFacts f = FixtureFacts();
    ASSERT_EQ(f.static_keys.size(), 1u);
    EXPECT_EQ(f.static_keys.at("AKIAEXAMPLEKEY000001"),
              (AccountName{"222222222222", "svc-backup"}));
    EXPECT_TRUE(f.temporary_keys.contains("ASIAEXAMPLESESSION01"));
    EXPECT_EQ(f.users_with_static_keys, (std::set<AccountName>{{"222222222222", "svc-backup"}}));
    EXPECT_EQ(f.roles, (std::set<AccountName>{{"333333333333", "OpsAutomation"}}));
    EXPECT_EQ(f.sso_roles.size(), 3u);  // permission set roles are kept apart
}

TEST(FactsTest, ReadsValuesByShapeWhateverTheKey) {
    findings::Finding fd;
    fd.rule_id = "custom";
    fd.accounts = {"444444444444"};
    fd.evidence_json =
        R"({"details":{"whatever":"arn:aws:iam::444444444444:oidc-provider/token.example.com",
        "nested":[{"k":"AKIAABCDEFGHIJKLMNOP"}],"x":"arn:aws:iam::444444444444:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM"},
        "RoleName":"Deployer","userName":"bob"})";
    fd.summary = "key AKIAQRSTUVWXYZ012345, user arn:aws:iam::444444444444:user/carol.";
    IncidentFacts f;
    AddFinding(fd, f);
    EXPECT_TRUE(
        f.oidc_providers.contains("arn:aws:iam::444444444444:oidc-provider/token.example.com"));
    EXPECT_TRUE(f.static_keys.contains("AKIAABCDEFGHIJKLMNOP"));
    EXPECT_TRUE(f.static_keys.contains("AKIAQRSTUVWXYZ012345"));
    EXPECT_TRUE(f.roles.contains({"444444444444", "Deployer"}));
    EXPECT_EQ(f.roles.size(), 1u);  // the service-linked role is left out
    EXPECT_TRUE(f.iam_users.contains({"444444444444", "bob"}));
    EXPECT_TRUE(f.iam_users.contains({"444444444444", "carol"}));
    // A user named in an object owns the keys found inside it; the summary's key has no owner.
    EXPECT_EQ(f.static_keys.at("AKIAABCDEFGHIJKLMNOP").name, "bob");
    EXPECT_EQ(f.static_keys.at("AKIAQRSTUVWXYZ012345").name, "");
    EXPECT_EQ(f.users_with_static_keys, (std::set<AccountName>{{"444444444444", "bob"}}));
}

TEST(FactsTest, LinksAKeyToTheUserNamedBesideIt) {
    findings::Finding fd;
    fd.rule_id = "keys";
    fd.accounts = {"444444444444"};
    fd.event_names = {"CreateAccessKey"};
    fd.evidence_json = R"({"keys":[{"user_name":"dave","access_key_id":"AKIAAAAAAAAAAAAAAAAA"},
                                   {"user_name":"erin","access_key_id":"AKIABBBBBBBBBBBBBBBB"}]})";
    IncidentFacts f;
    AddFinding(fd, f);
    EXPECT_EQ(f.static_keys.at("AKIAAAAAAAAAAAAAAAAA").name, "dave");
    EXPECT_EQ(f.static_keys.at("AKIABBBBBBBBBBBBBBBB").name, "erin");
    EXPECT_EQ(f.users_with_static_keys.size(), 2u);
}

// The built-in rules put CloudTrail field paths in evidence (rules/README.md, "fields").
TEST(FactsTest, ReadsEvidenceKeyedByCloudTrailFieldPaths) {
    IncidentFacts f;
    findings::Finding key;
    key.rule_id = "tw.cred.access-key-other-user";
    key.accounts = {"555555555555"};
    key.event_names = {"CreateAccessKey"};
    key.evidence_json = R"({"requestParameters.userName":"frank",
        "responseElements.accessKey.accessKeyId":"AKIAFFFFFFFFFFFFFFFF"})";
    AddFinding(key, f);
    findings::Finding directory;
    directory.rule_id = "tw.idc.directory-user-created";
    directory.accounts = {"555555555555"};
    directory.evidence_json = R"({"requestParameters":{"identityStoreId":"d-1234567890",
        "userName":"grace"},"responseElements":{"user":{"userId":"906712-abcd"}}})";
    AddFinding(directory, f);
    findings::Finding assignment;
    assignment.rule_id = "tw.idc.account-assignment";
    assignment.evidence_json = R"({"requestParameters.targetId":["666666666666","777777777777"],
        "requestParameters.principalType":"USER","requestParameters.principalId":"906799-ffff",
        "requestParameters.permissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1/ps-2"})";
    AddFinding(assignment, f);
    findings::Finding federation;
    federation.rule_id = "tw.cred.federation-token";
    federation.evidence_json = R"({"requestParameters.name":"maint2",
        "responseElements.federatedUser.arn":"arn:aws:sts::555555555555:federated-user/maint2"})";
    AddFinding(federation, f);

    EXPECT_EQ(f.static_keys.at("AKIAFFFFFFFFFFFFFFFF"), (AccountName{"555555555555", "frank"}));
    EXPECT_TRUE(f.users_with_static_keys.contains({"555555555555", "frank"}));
    EXPECT_FALSE(f.iam_users.contains({"555555555555", "grace"}));  // an Identity Center user
    EXPECT_TRUE(f.identity_center_users.contains("grace"));
    EXPECT_TRUE(f.identity_center_users.contains("906712-abcd"));
    EXPECT_TRUE(f.identity_center_users.contains("906799-ffff"));
    EXPECT_TRUE(f.accounts.contains("777777777777"));
    EXPECT_TRUE(f.permission_sets.contains("arn:aws:sso:::permissionSet/ssoins-1/ps-2"));
    EXPECT_TRUE(f.federated_users.contains("maint2"));
}

findings::Finding Made(std::string rule, findings::Severity sev, std::string actor) {
    findings::Finding f;
    f.rule_id = std::move(rule);
    f.severity = sev;
    f.actor.arn = std::move(actor);
    return f;
}

TEST(FactsTest, SelectsTheIncidentAndTheLowerFindingsOfItsActors) {
    using findings::Severity;
    const std::string x = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_01/x";
    const std::string svc = "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForSSO/AWS-SSO";
    const std::vector<findings::Finding> all = {
        Made("a", Severity::kHigh, x),
        Made("b", Severity::kLow, x),
        Made("c", Severity::kLow, "arn:aws:sts::111111111111:assumed-role/app-ec2/i-1"),
        Made("d", Severity::kHigh, svc),  // with a session key, set below
        Made("e", Severity::kInfo, svc),
    };
    std::vector<findings::Finding> with_key = all;
    with_key[3].actor.access_key_id = "ASIASERVICELINKED001";
    size_t left_out = 0;
    auto chosen = SelectIncidentFindings(with_key, Severity::kMedium, &left_out);
    std::vector<std::string> ids;
    for (const auto* f : chosen) ids.push_back(f->rule_id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d"}));
    EXPECT_EQ(left_out, 2u);
    IncidentFacts facts;
    for (const auto* f : chosen) AddFinding(*f, facts);
    EXPECT_EQ(facts.actors.size(), 1u);  // the service-linked role is nobody's actor
    EXPECT_TRUE(facts.roles.empty());    // and is never a role to revoke
    EXPECT_TRUE(facts.temporary_keys.empty());
    EXPECT_EQ(SelectIncidentFindings(all, Severity::kInfo, &left_out).size(), 5u);
    EXPECT_EQ(left_out, 0u);
}

TEST(FactsTest, BadLinesAreReportedAndSkipped) {
    test_support::TempDir dir;
    const std::string good = test_support::ReadFile(
        test_support::SourcePath("src/response/testdata/idp_takeover_findings.jsonl"));
    const std::string path =
        dir.Write("f.jsonl", good.substr(0, good.find('\n') + 1) + "{not json\n" +
                                 R"({"rule_id":"x","severity":"high"})" + "\n");
    IncidentFacts f;
    Diagnostics diag(nullptr);
    EXPECT_TRUE(ReadFindingsInto(path, f, diag));
    EXPECT_EQ(f.findings, 1u);
    ASSERT_EQ(diag.all().size(), 2u);
    EXPECT_EQ(diag.all()[0].path, path);
    EXPECT_EQ(diag.all()[0].position, "line 2");
    EXPECT_NE(diag.all()[1].message.find("event_ids"), std::string::npos);
    EXPECT_FALSE(ReadFindingsInto(dir.path() + "/missing.jsonl", f, diag));
    EXPECT_EQ(diag.files_lost(), 1u);
}

}  // namespace
}  // namespace tw::response
