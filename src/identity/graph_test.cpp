// Identity Center, console and source-identity derivations, actor resolution, and the
// independence of the graph from file order and thread count.
#include <gtest/gtest.h>

#include <algorithm>

#include "identity/closure.h"
#include "identity/test_support.h"

namespace tw::identity {
namespace {

using fixture::BuildGraph;
using fixture::ChainText;
using fixture::Rec;

constexpr std::string_view kMgmt = "111122223333";
constexpr std::string_view kMember = "444455556666";
constexpr std::string_view kStore = "d-9067a1b2c3";
constexpr std::string_view kNewUserId = "906712ab34-5678-90ab-cdef-0123456789ab";

CredentialRef Ref(std::string_view type, std::string_view arn, std::string_view key,
                  std::string_view acct, std::string_view time, std::string_view ip = {}) {
    CredentialRef r;
    r.type = type;
    r.arn = arn;
    r.key = key;
    r.account_id = acct;
    r.time = ParseIsoTime(time).value_or(0);
    r.ip = ip;
    return r;
}

bool InClosureOf(const Graph& g, std::string_view actor, NodeId n) {
    const Closure c(g, g.Match(actor), 0);
    return n != kNoNode && c.Contains(n);
}

// The Identity Center takeover of the seed document: an SSO admin session creates a user,
// puts it in a group assigned to a member account; the user signs in and federates.
std::vector<std::string> IdentityCenterTakeover() {
    const std::string admin =
        fixture::SsoSessionId(kMgmt, "AdministratorAccess", "idp-admin", "ASIAADMINSSO00000001");
    std::vector<std::string> r;
    r.push_back(Rec{.time = "2024-06-20T21:00:00Z",
                    .source = "sso-directory.amazonaws.com",
                    .name = "CreateUser",
                    .identity = admin,
                    .request = R"({"identityStoreId": "d-9067a1b2c3", "passwordMode": "EMAIL", )"
                               R"("active": true, "userAttributes": {"displayName": {}}})",
                    .response =
                        R"({"user": {"userId": "906712ab34-5678-90ab-cdef-0123456789ab", )"
                        R"("active": true, "meta": {"createdBy": "AROAEXAMPLE:idp-admin"}}})"}
                    .Json());
    r.push_back(Rec{.time = "2024-06-20T21:01:00Z",
                    .source = "sso-directory.amazonaws.com",
                    .name = "AddMemberToGroup",
                    .identity = admin,
                    .request =
                        R"({"identityStoreId": "d-9067a1b2c3", "groupId": "g-7788", )"
                        R"("member": {"memberId": "906712ab34-5678-90ab-cdef-0123456789ab"}})"}
                    .Json());
    Rec assign{.time = "2024-06-20T21:02:00Z",
               .source = "sso.amazonaws.com",
               .name = "CreateAccountAssignment",
               .identity = admin,
               .request = R"({"instanceArn": "arn:aws:sso:::instance/ssoins-1111", )"
                          R"("targetId": "444455556666", "targetType": "AWS_ACCOUNT", )"
                          R"("permissionSetArn": "arn:aws:sso:::permissionSet/ssoins-1111/ps-22", )"
                          R"("principalType": "GROUP", "principalId": "g-7788"})",
               .id = "a0000000-0000-4000-8000-000000000001"};
    r.push_back(assign.Json());
    const std::string user = fixture::IcUserId(kMgmt, kStore, kNewUserId);
    r.push_back(Rec{.time = "2024-06-20T21:05:00Z",
                    .source = "signin.amazonaws.com",
                    .name = "CredentialChallenge",
                    .identity = user,
                    .extra = R"("additionalEventData": {"AuthWorkflowID": "wf-1", )"
                             R"("CredentialType": "PASSWORD", "UserName": "shadow-admin"}, )"
                             R"("serviceEventDetails": {"CredentialChallenge": "Success"})",
                    .event_type = "AwsServiceEvent"}
                    .Json());
    r.push_back(Rec{.time = "2024-06-20T21:06:00Z",
                    .source = "sso.amazonaws.com",
                    .name = "Federate",
                    .identity = user,
                    .extra = R"("serviceEventDetails": {"role_name": "AdministratorAccess", )"
                             R"("account_id": "444455556666"})",
                    .id = "f0000000-0000-4000-8000-000000000001",
                    .event_type = "AwsServiceEvent"}
                    .Json());
    r.push_back(Rec{.time = "2024-06-20T21:07:00Z",
                    .source = "ec2.amazonaws.com",
                    .name = "DescribeInstances",
                    .identity = fixture::SsoSessionId(kMember, "AdministratorAccess",
                                                      "shadow-admin", "ASIASHADOW0000000001"),
                    .account = std::string(kMember),
                    .read_only = true}
                    .Json());
    return r;
}

const std::string kShadowSession =
    "arn:arn:aws:sts::444455556666:assumed-role/"
    "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70/shadow-admin";

TEST(IdentityCenterTest, CreatedUserSignsInAndFederatesIntoAMemberAccount) {
    const Graph g = BuildGraph({IdentityCenterTakeover()});
    const NodeId session = g.FindIdentity(kShadowSession);
    ASSERT_NE(session, kNoNode);
    const Chain chain = g.RootChain(session);
    EXPECT_EQ(ChainText(g, chain),
              "role-session/AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70/"
              "idp-admin@111122223333 > role-session/AWSReservedSSO_AdministratorAccess_"
              "5e1a2b3c4d5e6f70/idp-admin@111122223333 [ASIAADMINSSO00000001] > "
              "sso-user/shadow-admin > role-session/AWSReservedSSO_AdministratorAccess_"
              "5e1a2b3c4d5e6f70/shadow-admin@444455556666");
    const Edge& sso = g.edge(chain.hops.back().via);
    EXPECT_EQ(sso.kind, EdgeKind::kSsoSignIn);
    EXPECT_EQ(g.str(sso.event_name), "Federate");
    EXPECT_EQ(g.str(sso.event_id), "f0000000-0000-4000-8000-000000000001");
    EXPECT_EQ(g.str(sso.enabled_by), "a0000000-0000-4000-8000-000000000001");
    const Edge& created = g.edge(chain.hops[chain.hops.size() - 2].via);
    EXPECT_EQ(created.kind, EdgeKind::kCreateUser);
    // The user is found by the name learned from the sign-in, and by its id.
    EXPECT_TRUE(InClosureOf(g, "shadow-admin", session));
    EXPECT_TRUE(InClosureOf(g, "SHADOW-ADMIN", session));
    EXPECT_TRUE(InClosureOf(g, std::string(kNewUserId), session));
    EXPECT_TRUE(InClosureOf(g, "idp-admin", session));
}

TEST(IdentityCenterTest, WithoutFederateTheAssignmentIsTheEvidence) {
    std::vector<std::string> records = IdentityCenterTakeover();
    records.erase(records.begin() + 4);  // no Federate (programmatic access)
    const Graph g = BuildGraph({records});
    const NodeId session = g.FindIdentity(kShadowSession);
    ASSERT_NE(session, kNoNode);
    const Edge& sso = g.edge(g.RootChain(session).hops.back().via);
    EXPECT_EQ(g.str(sso.event_name), "CreateAccountAssignment");
    EXPECT_EQ(g.str(sso.event_id), "a0000000-0000-4000-8000-000000000001");
}

TEST(IdentityCenterTest, LegacySignInShapeNamesTheUser) {
    Rec signin{.time = "2024-06-20T08:00:00Z",
               .source = "signin.amazonaws.com",
               .name = "UserAuthentication",
               .identity = fixture::IcLegacyId(kMgmt, "legacy.user"),
               .extra = R"("additionalEventData": {"AuthWorkflowID": "wf-9", )"
                        R"("CredentialType": "EXTERNAL_IDP"}, )"
                        R"("serviceEventDetails": {"UserAuthentication": "Success"})",
               .event_type = "AwsServiceEvent"};
    Rec work{.time = "2024-06-20T08:05:00Z",
             .source = "s3.amazonaws.com",
             .name = "ListBuckets",
             .identity =
                 fixture::SsoSessionId(kMember, "ReadOnly", "legacy.user", "ASIALEGACY0000000001"),
             .account = std::string(kMember),
             .read_only = true};
    const Graph g = BuildGraph({{signin.Json(), work.Json()}});
    const NodeId user = g.FindIdentity("icname:legacy.user");
    ASSERT_NE(user, kNoNode);
    std::string scratch;
    const Candidates c = g.CandidatesOf(
        Ref("AssumedRole",
            "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_ReadOnly_5e1a2b3c4d5e6f70/"
            "legacy.user",
            "ASIALEGACY0000000001", kMember, "2024-06-20T08:05:00Z"),
        scratch);
    ASSERT_NE(c.primary, kNoNode);
    EXPECT_EQ(g.RootChain(c.primary).root(), user);
}

TEST(IdentityCenterTest, ProvisioningInTheTargetAccountFollowsTheAssignment) {
    std::vector<std::string> records = IdentityCenterTakeover();
    const std::string admin =
        fixture::SsoSessionId(kMgmt, "AdministratorAccess", "idp-admin", "ASIAADMINSSO00000001");
    records.push_back(
        Rec{.time = "2024-06-20T20:59:00Z",
            .source = "sso.amazonaws.com",
            .name = "CreatePermissionSet",
            .identity = admin,
            .request = R"({"instanceArn": "arn:aws:sso:::instance/ssoins-1111", )"
                       R"("name": "AdministratorAccess", "sessionDuration": "PT12H"})",
            .response = R"({"permissionSet": {"name": "AdministratorAccess", )"
                        R"("permissionSetArn": "arn:aws:sso:::permissionSet/ssoins-1111/ps-22", )"
                        R"("sessionDuration": "PT12H"}})"}
            .Json());
    auto provisioning = [&](std::string time, std::string role) {
        return Rec{.time = time,
                   .source = "iam.amazonaws.com",
                   .name = "CreateRole",
                   .identity = fixture::SessionId(kMember, "AWSServiceRoleForSSO", "AWS-SSO",
                                                  "ASIASSOSLR0000000001"),
                   .request = R"({"roleName": ")" + role +
                              R"(", "path": "/aws-reserved/sso.amazonaws.com/"})",
                   .account = std::string(kMember),
                   .ip = "sso.amazonaws.com",
                   .agent = "sso.amazonaws.com"};
    };
    records.push_back(
        provisioning("2024-06-20T21:02:20Z", "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70")
            .Json());
    const Graph g = fixture::BuildGraph({records});
    auto ref = [&](std::string_view time, std::string_view role, std::string_view account) {
        CredentialRef r = Ref("AssumedRole",
                              "arn:aws:sts::444455556666:assumed-role/AWSServiceRoleForSSO/AWS-SSO",
                              "ASIASSOSLR0000000001", kMember, time);
        r.event_account = account;
        r.role_name = role;
        return r;
    };
    std::string scratch;
    const Candidates mine = g.CandidatesOf(
        ref("2024-06-20T21:02:20Z", "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70", kMember),
        scratch);
    ASSERT_NE(mine.provisioning, kNoNode);
    EXPECT_EQ(g.Label(mine.provisioning), "sso-provisioning/AdministratorAccess@444455556666");
    EXPECT_TRUE(InClosureOf(g, "idp-admin", mine.provisioning));
    EXPECT_FALSE(InClosureOf(g, "idp-admin", mine.primary)) << "the service role is not";
    EXPECT_EQ(g.CandidatesOf(
                   ref("2024-06-20T21:02:20Z", "AWSReservedSSO_ReadOnly_0123456789abcdef", kMember),
                   scratch)
                  .provisioning,
              kNoNode)
        << "another permission set";
    EXPECT_EQ(g.CandidatesOf(ref("2024-06-20T23:00:00Z",
                                 "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70", kMember),
                             scratch)
                  .provisioning,
              kNoNode)
        << "long after the assignment";
    EXPECT_EQ(g.CandidatesOf(ref("2024-06-20T21:02:20Z",
                                 "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70", kMgmt),
                             scratch)
                  .provisioning,
              kNoNode)
        << "another account";
}

// One Identity Center user, two access-portal sessions (the user's and an intruder's), each
// federating into the member account through Identity Center's own SAML provider.
TEST(IdentityCenterTest, PortalSessionsKeepTheirRoleSessionsApart) {
    std::vector<std::string> records;
    const std::string uid = "9067dd0000-1111-2222-3333-444455556666";
    struct Sign {
        const char* cred;
        const char* ip;
        const char* time;
        const char* key;
    };
    for (const Sign& s :
         {Sign{"CREDUSER", "198.51.100.10", "2024-06-20T09:00:00Z", "ASIAUSERSSO000000001"},
          Sign{"CREDINTRUDER", "192.0.2.99", "2024-06-20T02:00:00Z", "ASIAINTRUSSO00000001"}}) {
        const std::string user = fixture::IcUserId(kMgmt, kStore, uid, s.cred);
        const std::string t(s.time);
        records.push_back(Rec{.time = t,
                              .source = "signin.amazonaws.com",
                              .name = "CredentialChallenge",
                              .identity = user,
                              .ip = s.ip,
                              .extra = R"("additionalEventData": {"CredentialType": "PASSWORD", )"
                                       R"("UserName": "dana"})",
                              .event_type = "AwsServiceEvent"}
                              .Json());
        records.push_back(Rec{.time = t.substr(0, 17) + "10Z",
                              .source = "sso.amazonaws.com",
                              .name = "Federate",
                              .identity = user,
                              .ip = s.ip,
                              .extra = R"("serviceEventDetails": {"role_name": "ReadOnly", )"
                                       R"("account_id": "444455556666"})",
                              .event_type = "AwsServiceEvent"}
                              .Json());
        const std::string arn =
            "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/dana";
        records.push_back(Rec{
            .time = t.substr(0, 17) + "11Z",
            .name = "AssumeRoleWithSAML",
            .identity = fixture::SamlUserId("c3NvUXVhbGlmaWVy=", "dana"),
            .request =
                R"({"roleArn": "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef", )"
                R"("principalArn": "arn:aws:iam::444455556666:saml-provider/AWSSSO_0a1b2c3d4e5f6a7b_DO_NOT_DELETE", )"
                R"("roleSessionName": "dana"})",
            .response = fixture::StsResponse(
                s.key, arn, R"("subject": "dana", "nameQualifier": "c3NvUXVhbGlmaWVy=")"),
            .account = std::string(kMember),
            .ip = "52.94.1.1"}
                              .Json());
    }
    const Graph g = fixture::BuildGraph({records});
    const NodeId intruder = g.FindKey("ASIAINTRUSSO00000001");
    const NodeId own = g.FindKey("ASIAUSERSSO000000001");
    ASSERT_NE(intruder, kNoNode);
    ASSERT_NE(own, kNoNode);
    const std::vector<NodeId> seeds = g.WatchedSeeds("192.0.2.99");
    EXPECT_TRUE(seeds.empty()) << "nothing was watched when the graph was built";
    EXPECT_EQ(g.Label(g.RootChain(intruder).hops[1].node), "sso-session/dana [CREDINTRUDER]");
    const Closure from_intruder(g, {g.FindKey("CREDINTRUDER")}, 0);
    EXPECT_TRUE(from_intruder.Contains(intruder));
    EXPECT_FALSE(from_intruder.Contains(own)) << "the user's own sign-in is another session";
    EXPECT_TRUE(InClosureOf(g, "dana", intruder));
    EXPECT_TRUE(InClosureOf(g, "dana", own));
}

TEST(ConsoleTest, LoginProfileSetForAnotherUserLeadsToItsConsoleSession) {
    for (const char* api : {"CreateLoginProfile", "UpdateLoginProfile"}) {
        SCOPED_TRACE(api);
        const std::string console_ip = "203.0.113.50";
        Rec profile{.time = "2024-06-20T21:00:00Z",
                    .source = "iam.amazonaws.com",
                    .name = api,
                    .identity = fixture::IamUserId(kMgmt, "mallory", "AKIAMALLORY000000001"),
                    .request = R"({"userName": "bob", "passwordResetRequired": false})"};
        Rec login{.time = "2024-06-20T21:05:00Z",
                  .source = "signin.amazonaws.com",
                  .name = "ConsoleLogin",
                  .identity = fixture::IamUserId(kMgmt, "bob", ""),
                  .response = R"({"ConsoleLogin": "Success"})",
                  .ip = console_ip,
                  .extra =
                      R"("additionalEventData": {"LoginTo": "https://console.aws.amazon.com/", )"
                      R"("MobileVersion": "No", "MFAUsed": "No"})",
                  .event_type = "AwsConsoleSignIn"};
        Rec key{.time = "2024-06-20T21:10:00Z",
                .source = "iam.amazonaws.com",
                .name = "CreateAccessKey",
                .identity = fixture::IamUserId(kMgmt, "bob", "ASIABOBCONSOLE000001"),
                .request = R"({"userName": "bob"})",
                .response = R"({"accessKey": {"accessKeyId": "AKIABOBPERSIST000001", )"
                            R"("status": "Active", "userName": "bob"}})",
                .ip = console_ip,
                .extra = R"("sessionCredentialFromConsole": "true")"};
        const Graph g = BuildGraph({{profile.Json(), login.Json(), key.Json()}});

        std::string scratch;
        const Candidates in_console =
            g.CandidatesOf(Ref("IAMUser", "arn:aws:iam::111122223333:user/bob",
                               "ASIABOBCONSOLE000002", kMgmt, "2024-06-20T22:00:00Z", console_ip),
                           scratch);
        ASSERT_NE(in_console.console, kNoNode);
        EXPECT_TRUE(InClosureOf(g, "mallory", in_console.console));
        EXPECT_FALSE(InClosureOf(g, "mallory", in_console.primary)) << "bob himself is not";
        const Candidates elsewhere =
            g.CandidatesOf(Ref("IAMUser", "arn:aws:iam::111122223333:user/bob", "", kMgmt,
                               "2024-06-20T22:00:00Z", "192.0.2.1"),
                           scratch);
        EXPECT_EQ(elsewhere.console, kNoNode) << "another source IP is another session";
        const Candidates later = g.CandidatesOf(Ref("IAMUser", "arn:aws:iam::111122223333:user/bob",
                                                    "", kMgmt, "2024-06-21T12:00:00Z", console_ip),
                                                scratch);
        EXPECT_EQ(later.console, kNoNode) << "console sessions last at most 12 hours";
        // The key made from the console session belongs to mallory's chain.
        const NodeId persist = g.FindKey("AKIABOBPERSIST000001");
        EXPECT_TRUE(InClosureOf(g, "mallory", persist));
        const Chain chain = g.RootChain(persist);
        EXPECT_EQ(g.Label(chain.root()), "iam-user/mallory@111122223333");
        bool via_login = false;
        for (const Chain::Hop& h : chain.hops) {
            via_login =
                via_login || (h.via != kNoEdge && g.edge(h.via).kind == EdgeKind::kConsoleLogin);
        }
        EXPECT_TRUE(via_login) << ChainText(g, chain);
    }
}

TEST(SourceIdentityTest, SessionsCarryingTheSourceIdentitySetByTheActorAreTheActors) {
    Rec first{.time = "2024-06-20T21:00:00Z",
              .name = "AssumeRole",
              .identity = fixture::IamUserId(kMgmt, "alice", "AKIAALICE00000000001"),
              .request = R"({"roleArn": "arn:aws:iam::111122223333:role/Ops", )"
                         R"("roleSessionName": "ops", "sourceIdentity": "alice"})",
              .response = fixture::StsResponse("ASIAOPS0000000000001",
                                               "arn:aws:sts::111122223333:assumed-role/Ops/ops",
                                               R"("sourceIdentity": "alice")"),
              .read_only = true};
    // A session in an account whose logs do not show its issuance, still carrying "alice".
    Rec far{.time = "2024-06-20T21:30:00Z",
            .source = "s3.amazonaws.com",
            .name = "GetObject",
            .identity = fixture::SessionId(kMember, "Audit", "x", "ASIAFAR0000000000001", "alice"),
            .account = std::string(kMember),
            .read_only = true};
    const Graph g = BuildGraph({{first.Json(), far.Json()}});
    const NodeId si = g.FindIdentity("si:alice");
    ASSERT_NE(si, kNoNode);
    EXPECT_EQ(g.Label(g.RootChain(si).root()), "iam-user/alice@111122223333");
    CredentialRef r = Ref("AssumedRole", "arn:aws:sts::444455556666:assumed-role/Audit/x",
                          "ASIAFAR0000000000001", kMember, "2024-06-20T21:30:00Z");
    r.source_identity = "alice";
    std::string scratch;
    const Candidates c = g.CandidatesOf(r, scratch);
    EXPECT_EQ(c.source_identity, si);
    const Closure closure(g, g.Match("arn:aws:iam::111122223333:user/alice"), 0);
    EXPECT_TRUE(closure.Contains(si));
    EXPECT_FALSE(closure.Contains(c.primary));
}

TEST(GraphTest, RootAndServicesIssueCredentialsToo) {
    Rec root{.time = "2024-06-20T21:00:00Z",
             .name = "GetSessionToken",
             .identity = fixture::RootId(kMgmt, "AKIAROOT000000000001"),
             .response = fixture::StsResponse("ASIAROOT000000000001", "")};
    Rec svc{.time = "2024-06-20T21:00:00Z",
            .name = "AssumeRole",
            .identity = fixture::ServiceId("ec2.amazonaws.com"),
            .request =
                R"({"roleArn": "arn:aws:iam::111122223333:role/web", "roleSessionName": "i-0abc"})",
            .response = fixture::StsResponse("ASIAEC2000000000001",
                                             "arn:aws:sts::111122223333:assumed-role/web/i-0abc")};
    Rec denied = svc;
    denied.id = "";
    denied.error = "AccessDenied";
    denied.response = fixture::StsResponse("ASIADENIED0000000001",
                                           "arn:aws:sts::111122223333:assumed-role/web/i-0def");
    const Graph g = BuildGraph({{root.Json(), svc.Json(), denied.Json()}});
    EXPECT_EQ(g.Label(g.RootChain(g.FindKey("ASIAROOT000000000001")).root()), "root@111122223333");
    EXPECT_TRUE(
        InClosureOf(g, "arn:aws:iam::111122223333:root", g.FindKey("ASIAROOT000000000001")));
    EXPECT_EQ(g.Label(g.RootChain(g.FindKey("ASIAEC2000000000001")).root()),
              "service/ec2.amazonaws.com");
    EXPECT_EQ(g.FindKey("ASIADENIED0000000001"), kNoNode) << "a failed call issues nothing";
}

// A text dump of the whole graph, for comparisons.
std::string Dump(const Graph& g) {
    std::vector<std::string> lines;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        const Edge& edge = g.edge(e);
        lines.push_back(g.Label(edge.from) + " -" + EdgeKindName(edge.kind) + " " +
                        std::string(g.str(edge.event_id)) + "-> " + g.Label(edge.to));
    }
    std::sort(lines.begin(), lines.end());
    std::string s;
    for (const std::string& l : lines) s += l + "\n";
    return s;
}

TEST(GraphTest, SameGraphWhateverTheFileOrderAndThreadCount) {
    std::vector<std::string> all = IdentityCenterTakeover();
    all.push_back(Rec{
        .time = "2024-06-20T21:08:00Z",
        .name = "AssumeRole",
        .identity = fixture::SsoSessionId(kMember, "AdministratorAccess", "shadow-admin",
                                          "ASIASHADOW0000000001"),
        .request = R"({"roleArn": "arn:aws:iam::444455556666:role/Ops", "roleSessionName": "s"})",
        .response = fixture::StsResponse("ASIACHAIN00000000001",
                                         "arn:aws:sts::444455556666:assumed-role/Ops/s")}
                      .Json());
    const Graph one = BuildGraph({all}, 1);
    std::vector<std::vector<std::string>> split;
    for (size_t i = all.size(); i-- > 0;) split.push_back({all[i]});  // reversed, one per file
    const Graph many = BuildGraph(split, 3);
    split.push_back(all);  // and every record twice
    const Graph twice = BuildGraph(split, 2);
    EXPECT_FALSE(Dump(one).empty());
    EXPECT_EQ(Dump(one), Dump(many));
    EXPECT_EQ(Dump(one), Dump(twice));
    EXPECT_EQ(one.node_count(), many.node_count());
}

TEST(GraphTest, ActorsResolveFromEveryForm) {
    const Graph g = BuildGraph({IdentityCenterTakeover()});
    EXPECT_FALSE(g.Match("arn:aws:sts::444455556666:assumed-role/"
                         "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70/shadow-admin")
                     .empty());
    EXPECT_FALSE(g.Match("arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/"
                         "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70")
                     .empty());
    EXPECT_FALSE(g.Match("ASIAADMINSSO00000001").empty());
    EXPECT_TRUE(g.Match("nobody").empty());
    EXPECT_TRUE(g.Match("AKIANOTSEEN000000001").empty());
}

}  // namespace
}  // namespace tw::identity
