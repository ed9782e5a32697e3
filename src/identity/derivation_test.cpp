// One test per derivation kind of the credential-derivation graph, with records shaped like
// real CloudTrail records (AWS documentation; ../shared/corpus) and made-up values.
#include <gtest/gtest.h>

#include "identity/closure.h"
#include "identity/test_support.h"

namespace tw::identity {
namespace {

using fixture::BuildGraph;
using fixture::ChainText;
using fixture::Rec;

constexpr std::string_view kMgmt = "111122223333";
constexpr std::string_view kMember = "444455556666";

TimeMs T(std::string_view iso) { return ParseIsoTime(iso).value_or(0); }

CredentialRef Ref(std::string_view type, std::string_view arn, std::string_view key,
                  std::string_view acct, std::string_view time, std::string_view ip = {},
                  std::string_view user = {}) {
    CredentialRef r;
    r.type = type;
    r.arn = arn;
    r.key = key;
    r.account_id = acct;
    r.user_name = user;
    r.time = T(time);
    r.ip = ip;
    return r;
}

bool InClosureOf(const Graph& g, std::string_view actor, NodeId n) {
    const Closure c(g, g.Match(actor), 0);
    return n != kNoNode && c.Contains(n);
}

std::string RootOf(const Graph& g, NodeId n) { return g.Label(g.RootChain(n).root()); }

std::string AccessKeyResponse(std::string_view key, std::string_view user) {
    return R"({"accessKey": {"accessKeyId": ")" + std::string(key) +
           R"(", "status": "Active", "userName": ")" + std::string(user) +
           R"(", "createDate": "Jun 20, 2024, 9:00:00 PM"}})";
}

TEST(DerivationTest, CreateAccessKeyForAnotherUserDerivesTheKeyFromItsCreator) {
    Rec create{.time = "2024-06-20T21:00:00Z",
               .source = "iam.amazonaws.com",
               .name = "CreateAccessKey",
               .identity = fixture::IamUserId(kMgmt, "admin", "AKIAADMIN00000000001"),
               .request = R"({"userName": "bob"})",
               .response = AccessKeyResponse("AKIABOBNEW0000000001", "bob")};
    Rec use{.time = "2024-06-20T21:05:00Z",
            .source = "s3.amazonaws.com",
            .name = "ListBuckets",
            .identity = fixture::IamUserId(kMgmt, "bob", "AKIABOBNEW0000000001"),
            .read_only = true};
    Rec old{.time = "2024-06-20T21:06:00Z",
            .name = "GetCallerIdentity",
            .identity = fixture::IamUserId(kMgmt, "bob", "AKIABOBOLD0000000001"),
            .read_only = true};
    const Graph g = BuildGraph({{create.Json(), use.Json(), old.Json()}});

    const NodeId key = g.FindKey("AKIABOBNEW0000000001");
    ASSERT_NE(key, kNoNode);
    EXPECT_EQ(ChainText(g, g.RootChain(key)),
              "iam-user/admin@111122223333 > access-key/AKIAADMIN00000000001 "
              "(admin@111122223333) > access-key/AKIABOBNEW0000000001 (bob@111122223333)");
    EXPECT_TRUE(InClosureOf(g, "admin", key));
    EXPECT_TRUE(InClosureOf(g, "bob", key)) << "the key is also bob's own";
    std::string scratch;
    const Candidates c = g.CandidatesOf(Ref("IAMUser", "arn:aws:iam::111122223333:user/bob",
                                            "AKIABOBOLD0000000001", kMgmt, "2024-06-20T21:06:00Z"),
                                        scratch);
    EXPECT_FALSE(c.by_key);
    EXPECT_EQ(g.Label(c.primary), "iam-user/bob@111122223333");
    EXPECT_FALSE(InClosureOf(g, "admin", c.primary)) << "bob's other keys are not admin's";
}

TEST(DerivationTest, AssumeRoleChainsAcrossAccounts) {
    const std::string s1 = "arn:aws:sts::111122223333:assumed-role/Deployer/alice-deploy";
    const std::string s2 =
        "arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/chain";
    Rec first{.time = "2024-06-20T21:00:00Z",
              .name = "AssumeRole",
              .identity = fixture::IamUserId(kMgmt, "alice", "AKIAALICE00000000001"),
              .request = R"({"roleArn": "arn:aws:iam::111122223333:role/Deployer", )"
                         R"("roleSessionName": "alice-deploy", "durationSeconds": 3600})",
              .response = fixture::StsResponse("ASIAS100000000000001", s1),
              .read_only = true};
    const std::string req2 =
        R"({"roleArn": "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole", )"
        R"("roleSessionName": "chain"})";
    Rec caller_side{
        .time = "2024-06-20T21:01:00Z",
        .name = "AssumeRole",
        .identity = fixture::SessionId(kMgmt, "Deployer", "alice-deploy", "ASIAS100000000000001"),
        .request = req2,
        .response = fixture::StsResponse("ASIAS200000000000001", s2),
        .read_only = true};
    // The role owner's copy names the caller only by account and principal id.
    Rec owner_side = caller_side;
    owner_side.id = "";
    owner_side.identity = fixture::AccountId(kMgmt, "AROAEXAMPLEROLEID1234:alice-deploy");
    owner_side.account = std::string(kMember);
    Rec use{.time = "2024-06-20T21:02:00Z",
            .source = "ec2.amazonaws.com",
            .name = "RunInstances",
            .identity = fixture::SessionId(kMember, "OrganizationAccountAccessRole", "chain",
                                           "ASIAS200000000000001"),
            .account = std::string(kMember)};
    const Graph g =
        BuildGraph({{first.Json(), caller_side.Json()}, {owner_side.Json(), use.Json()}});

    const NodeId s2node = g.FindKey("ASIAS200000000000001");
    ASSERT_NE(s2node, kNoNode);
    EXPECT_EQ(ChainText(g, g.RootChain(s2node)),
              "iam-user/alice@111122223333 > access-key/AKIAALICE00000000001 "
              "(alice@111122223333) > role-session/Deployer/alice-deploy@111122223333 "
              "[ASIAS100000000000001] > role-session/OrganizationAccountAccessRole/"
              "chain@444455556666 [ASIAS200000000000001]");
    EXPECT_TRUE(InClosureOf(g, "alice", s2node));
    EXPECT_EQ(g.edge(g.RootChain(s2node).hops.back().via).kind, EdgeKind::kAssumeRole);
    EXPECT_TRUE(InClosureOf(g, s2, s2node)) << "an assumed-role ARN names its sessions";
    EXPECT_TRUE(
        InClosureOf(g, "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole", s2node))
        << "a role ARN names every session of the role";
}

TEST(DerivationTest, SamlProviderLeadsToAssumeRoleWithSamlSessions) {
    Rec create{
        .time = "2024-06-20T21:00:00Z",
        .source = "iam.amazonaws.com",
        .name = "CreateSAMLProvider",
        .identity = fixture::SessionId(kMember, "Admin", "x", "ASIAX000000000000001"),
        .request = R"({"name": "corp-idp", "sAMLMetadataDocument": "<md/>"})",
        .response = R"({"sAMLProviderArn": "arn:aws:iam::444455556666:saml-provider/corp-idp"})",
        .account = std::string(kMember)};
    const std::string arn = "arn:aws:sts::444455556666:assumed-role/SamlAdmin/evil@example.com";
    Rec saml{
        .time = "2024-06-20T21:10:00Z",
        .name = "AssumeRoleWithSAML",
        .identity = fixture::SamlUserId("Qm9ndXNOYW1lUXVhbGlmaWVy=", "evil@example.com"),
        .request = R"({"sAMLAssertionID": "_5d2c1b0a", "roleSessionName": "evil@example.com", )"
                   R"("roleArn": "arn:aws:iam::444455556666:role/SamlAdmin", )"
                   R"("principalArn": "arn:aws:iam::444455556666:saml-provider/corp-idp", )"
                   R"("durationSeconds": 3600})",
        .response = fixture::StsResponse(
            "ASIASAML000000000001", arn,
            R"("subject": "evil@example.com", "subjectType": "persistent", )"
            R"("issuer": "https://idp.example.com/", "nameQualifier": "Qm9ndXNOYW1lUXVhbGlmaWVy=", )"
            R"("audience": "https://signin.aws.amazon.com/saml")"),
        .account = std::string(kMember),
        .read_only = true};
    Rec use{.time = "2024-06-20T21:11:00Z",
            .source = "iam.amazonaws.com",
            .name = "CreateUser",
            .identity = fixture::SessionId(kMember, "SamlAdmin", "evil@example.com",
                                           "ASIASAML000000000001"),
            .request = R"({"userName": "backdoor"})",
            .account = std::string(kMember)};
    const Graph g = BuildGraph({{create.Json(), saml.Json(), use.Json()}});

    const NodeId session = g.FindKey("ASIASAML000000000001");
    ASSERT_NE(session, kNoNode);
    EXPECT_EQ(ChainText(g, g.RootChain(session)),
              "role-session/Admin/x@444455556666 > role-session/Admin/x@444455556666 "
              "[ASIAX000000000000001] > identity-provider/corp-idp@444455556666 > "
              "saml-user/evil@example.com (Qm9ndXNOYW1lUXVhbGlmaWVy=) > "
              "role-session/SamlAdmin/evil@example.com@444455556666 [ASIASAML000000000001]");
    EXPECT_TRUE(InClosureOf(g, "arn:aws:sts::444455556666:assumed-role/Admin/x", session));
    EXPECT_TRUE(InClosureOf(g, "arn:aws:iam::444455556666:saml-provider/corp-idp", session));
}

TEST(DerivationTest, OidcProviderLeadsToAssumeRoleWithWebIdentitySessions) {
    Rec create{
        .time = "2024-06-20T21:00:00Z",
        .source = "iam.amazonaws.com",
        .name = "CreateOpenIDConnectProvider",
        .identity = fixture::IamUserId(kMgmt, "mallory", "AKIAMALLORY000000001"),
        .request = R"({"url": "https://token.example.net", "clientIDList": ["sts.amazonaws.com"]})",
        .response =
            R"({"openIDConnectProviderArn": "arn:aws:iam::111122223333:oidc-provider/token.example.net"})"};
    const std::string arn = "arn:aws:sts::111122223333:assumed-role/CiDeploy/gh-run-42";
    Rec web{
        .time = "2024-06-20T21:10:00Z",
        .name = "AssumeRoleWithWebIdentity",
        .identity = fixture::WebUserId("token.example.net", "repo:evil/infra:ref:refs/heads/main"),
        .request =
            R"({"roleArn": "arn:aws:iam::111122223333:role/CiDeploy", "roleSessionName": "gh-run-42"})",
        .response = fixture::StsResponse(
            "ASIAWEB0000000000001", arn,
            R"("provider": "arn:aws:iam::111122223333:oidc-provider/token.example.net", )"
            R"("subjectFromWebIdentityToken": "repo:evil/infra:ref:refs/heads/main", )"
            R"("audience": "sts.amazonaws.com")"),
        .read_only = true};
    const Graph g = BuildGraph({{create.Json(), web.Json()}});
    const NodeId session = g.FindKey("ASIAWEB0000000000001");
    ASSERT_NE(session, kNoNode);
    EXPECT_EQ(RootOf(g, session), "iam-user/mallory@111122223333");
    const Chain chain = g.RootChain(session);
    ASSERT_GE(chain.hops.size(), 3u);
    EXPECT_EQ(g.node(chain.hops[chain.hops.size() - 2].node).kind, NodeKind::kWebIdentityUser);
    EXPECT_EQ(g.edge(chain.hops.back().via).kind, EdgeKind::kAssumeRoleWithWebIdentity);
}

TEST(DerivationTest, GetSessionTokenDerivesATemporaryKeyOfTheSameUser) {
    Rec token{
        .time = "2024-06-20T21:00:00Z",
        .name = "GetSessionToken",
        .identity = fixture::IamUserId(kMgmt, "bob", "AKIABOB0000000000001"),
        .request =
            R"({"durationSeconds": 3600, "serialNumber": "arn:aws:iam::111122223333:mfa/bob"})",
        .response = fixture::StsResponse("ASIABOBST00000000001", "")};
    Rec use{.time = "2024-06-20T21:05:00Z",
            .source = "ec2.amazonaws.com",
            .name = "DescribeInstances",
            .identity = fixture::IamUserId(kMgmt, "bob", "ASIABOBST00000000001"),
            .read_only = true};
    const Graph g = BuildGraph({{token.Json(), use.Json()}});
    const NodeId st = g.FindKey("ASIABOBST00000000001");
    ASSERT_NE(st, kNoNode);
    EXPECT_EQ(g.node(st).kind, NodeKind::kAccessKey);
    EXPECT_EQ(RootOf(g, st), "iam-user/bob@111122223333");
    EXPECT_EQ(g.edge(g.RootChain(st).hops.back().via).kind, EdgeKind::kGetSessionToken);
    std::string scratch;
    const Candidates c = g.CandidatesOf(Ref("IAMUser", "arn:aws:iam::111122223333:user/bob",
                                            "ASIABOBST00000000001", kMgmt, "2024-06-20T21:05:00Z"),
                                        scratch);
    EXPECT_TRUE(c.by_key);
    EXPECT_EQ(c.primary, st);
}

TEST(DerivationTest, GetFederationTokenSessionUnderANewName) {
    // The actor's session makes a key for svc-backup, then federates as support-ops with it.
    Rec key{.time = "2024-06-20T21:00:00Z",
            .source = "iam.amazonaws.com",
            .name = "CreateAccessKey",
            .identity = fixture::SessionId(kMgmt, "Admin", "x", "ASIAX000000000000001"),
            .request = R"({"userName": "svc-backup"})",
            .response = AccessKeyResponse("AKIABACKUP0000000001", "svc-backup")};
    Rec fed{.time = "2024-06-20T21:10:00Z",
            .name = "GetFederationToken",
            .identity = fixture::IamUserId(kMgmt, "svc-backup", "AKIABACKUP0000000001"),
            .request = R"({"name": "support-ops", "durationSeconds": 43200, "policy": "{}"})",
            .response =
                R"({"credentials": {"accessKeyId": "ASIAFED0000000000001", )"
                R"("sessionToken": "IQoJEXAMPLE", "expiration": "Jun 21, 2024, 9:10:00 AM"}, )"
                R"("federatedUser": {"federatedUserId": "111122223333:support-ops", )"
                R"("arn": "arn:aws:sts::111122223333:federated-user/support-ops"}, )"
                R"("packedPolicySize": 6})"};
    Rec api{.time = "2024-06-20T21:12:00Z",
            .source = "s3.amazonaws.com",
            .name = "ListBuckets",
            .identity =
                fixture::FederatedId(kMgmt, "support-ops", "ASIAFED0000000000001", "svc-backup"),
            .read_only = true};
    Rec console{.time = "2024-06-20T21:20:00Z",
                .source = "iam.amazonaws.com",
                .name = "ListUsers",
                .identity = fixture::FederatedId(kMgmt, "support-ops", "ASIAFEDCONSOLE000001",
                                                 "svc-backup"),
                .read_only = true};
    const Graph g = BuildGraph({{key.Json(), fed.Json(), api.Json(), console.Json()}});

    const NodeId f = g.FindKey("ASIAFED0000000000001");
    ASSERT_NE(f, kNoNode);
    EXPECT_EQ(g.node(f).kind, NodeKind::kFederatedUser);
    EXPECT_EQ(g.Label(f), "federated-user/support-ops@111122223333 [ASIAFED0000000000001]");
    EXPECT_EQ(RootOf(g, f), "role-session/Admin/x@111122223333");
    const std::string actor = "arn:aws:sts::111122223333:assumed-role/Admin/x";
    EXPECT_TRUE(InClosureOf(g, actor, f));
    // Later keys of the same federated user (console refreshes) follow its only issuer.
    std::string scratch;
    const Candidates c =
        g.CandidatesOf(Ref("FederatedUser", "arn:aws:sts::111122223333:federated-user/support-ops",
                           "ASIAFEDCONSOLE000001", kMgmt, "2024-06-20T21:20:00Z"),
                       scratch);
    EXPECT_FALSE(c.by_key);
    EXPECT_TRUE(InClosureOf(g, actor, c.primary));
    EXPECT_TRUE(InClosureOf(g, "support-ops", f)) << "a federated name names the session";
    EXPECT_TRUE(InClosureOf(g, "svc-backup", f));

    // What hunt asks: who is behind a call of the federated session.
    const CredentialCopy kept(Ref("FederatedUser",
                                  "arn:aws:sts::111122223333:federated-user/support-ops",
                                  "ASIAFED0000000000001", kMgmt, "2024-06-20T21:12:00Z"));
    const std::optional<Attribution> who = g.Attribute(kept.ref());
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->node, f);
    EXPECT_EQ(who->root, "role-session/Admin/x@111122223333");
    EXPECT_NE(who->path.find("[GetFederationToken "), std::string::npos) << who->path;
    EXPECT_FALSE(g.Attribute(Ref("IAMUser", "arn:aws:iam::999999999999:user/stranger",
                                 "AKIASTRANGER00000001", "999999999999", "2024-06-20T21:12:00Z"))
                     .has_value());
}

TEST(DerivationTest, FederatedNameIssuedByTwoPrincipalsIsNotMerged) {
    auto fed = [](std::string_view user, std::string_view ak, std::string_view asia) {
        Rec r{
            .name = "GetFederationToken",
            .identity = fixture::IamUserId(kMgmt, user, ak),
            .request = R"({"name": "shared"})",
            .response =
                R"({"credentials": {"accessKeyId": ")" + std::string(asia) +
                R"("}, "federatedUser": {"arn": "arn:aws:sts::111122223333:federated-user/shared"}})"};
        return r.Json();
    };
    const Graph g = BuildGraph({{fed("u1", "AKIAU100000000000001", "ASIAU100000000000001"),
                                 fed("u2", "AKIAU200000000000001", "ASIAU200000000000001")}});
    EXPECT_TRUE(InClosureOf(g, "u1", g.FindKey("ASIAU100000000000001")));
    EXPECT_FALSE(InClosureOf(g, "u1", g.FindKey("ASIAU200000000000001")));
    EXPECT_EQ(g.FindIdentity("arn:arn:aws:sts::111122223333:federated-user/shared"), kNoNode)
        << "no keyless session is attributed when two principals use the name";
}

}  // namespace
}  // namespace tw::identity
