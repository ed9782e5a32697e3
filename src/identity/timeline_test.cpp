// End-to-end tests of `trailwarden timeline` on a small organization trail written here: an
// identity-provider takeover chain (Identity Center user -> SSO session -> new Identity
// Center user -> member-account session -> SAML provider -> SAML session -> access key for
// another user -> federation token -> login profile -> console) among other principals.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "identity/test_support.h"
#include "testing/test_util.h"

namespace tw::identity {
namespace {

using fixture::Rec;
using tw::testing::RunTrailwarden;
using tw::testing::ShellQuote;
using tw::testing::TempDir;

constexpr std::string_view kMgmt = "111122223333";
constexpr std::string_view kMember = "444455556666";
constexpr std::string_view kStore = "d-9067a1b2c3";
constexpr const char* kAttackerIp = "203.0.113.66";
constexpr const char* kOfficeIp = "192.0.2.10";

struct Trail {
    std::vector<Rec> attack;
    std::vector<Rec> background;
};

Rec A(Rec r) {
    r.ip = kAttackerIp;
    r.agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/125.0 Safari/537.36";
    return r;
}

Trail MakeTrail() {
    Trail t;
    const std::string actor =
        fixture::IcUserId(kMgmt, kStore, "9067aa0000-1111-2222-3333-444455556666");
    const std::string shadow =
        fixture::IcUserId(kMgmt, kStore, "9067bb0000-1111-2222-3333-444455556666");
    const std::string carol =
        fixture::IcUserId(kMgmt, kStore, "9067cc0000-1111-2222-3333-444455556666");
    const std::string admin_sso =
        fixture::SsoSessionId(kMgmt, "AdministratorAccess", "idp-admin", "ASIAACTORSSO00000001");
    const std::string shadow_sso = fixture::SsoSessionId(kMember, "AdministratorAccess",
                                                         "shadow-admin", "ASIASHADOW0000000001");
    auto signin = [](std::string id, std::string name, std::string time) {
        return Rec{.time = time,
                   .source = "signin.amazonaws.com",
                   .name = "CredentialChallenge",
                   .identity = id,
                   .extra = R"("additionalEventData": {"AuthWorkflowID": "wf", )"
                            R"("CredentialType": "PASSWORD", "UserName": ")" +
                            name +
                            R"("}, )"
                            R"("serviceEventDetails": {"CredentialChallenge": "Success"})",
                   .event_type = "AwsServiceEvent"};
    };
    auto federate = [](std::string id, std::string acct, std::string time) {
        return Rec{.time = time,
                   .source = "sso.amazonaws.com",
                   .name = "Federate",
                   .identity = id,
                   .extra = R"("serviceEventDetails": {"role_name": "AdministratorAccess", )"
                            R"("account_id": ")" +
                            acct + R"("})",
                   .event_type = "AwsServiceEvent"};
    };
    auto& a = t.attack;
    a.push_back(A(signin(actor, "idp-admin", "2024-06-20T21:00:00Z")));
    a.push_back(A(federate(actor, std::string(kMgmt), "2024-06-20T21:01:00Z")));
    a.push_back(A(
        {.time = "2024-06-20T21:02:00Z",
         .source = "cloudtrail.amazonaws.com",
         .name = "PutEventSelectors",
         .identity = admin_sso,
         .request =
             R"({"trailName": "org-trail", "eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": false}]})"}));
    a.push_back(
        A({.time = "2024-06-20T21:03:00Z",
           .source = "sso-directory.amazonaws.com",
           .name = "CreateUser",
           .identity = admin_sso,
           .request = R"({"identityStoreId": "d-9067a1b2c3", "passwordMode": "EMAIL"})",
           .response = R"({"user": {"userId": "9067bb0000-1111-2222-3333-444455556666"}})"}));
    a.push_back(A(
        {.time = "2024-06-20T21:04:00Z",
         .source = "sso.amazonaws.com",
         .name = "CreateAccountAssignment",
         .identity = admin_sso,
         .request =
             R"({"targetId": "444455556666", "targetType": "AWS_ACCOUNT", )"
             R"("principalType": "USER", "principalId": "9067bb0000-1111-2222-3333-444455556666"})"}));
    a.push_back(A(signin(shadow, "shadow-admin", "2024-06-20T21:10:00Z")));
    a.push_back(A(federate(shadow, std::string(kMember), "2024-06-20T21:11:00Z")));
    a.push_back(
        A({.time = "2024-06-20T21:12:00Z",
           .source = "iam.amazonaws.com",
           .name = "CreateSAMLProvider",
           .identity = shadow_sso,
           .request = R"({"name": "corp-idp"})",
           .response = R"({"sAMLProviderArn": "arn:aws:iam::444455556666:saml-provider/corp-idp"})",
           .account = std::string(kMember)}));
    a.push_back(
        A({.time = "2024-06-20T21:20:00Z",
           .name = "AssumeRoleWithSAML",
           .identity = fixture::SamlUserId("bnE=", "evil@example.com"),
           .request = R"({"roleArn": "arn:aws:iam::444455556666:role/SamlAdmin", )"
                      R"("principalArn": "arn:aws:iam::444455556666:saml-provider/corp-idp", )"
                      R"("roleSessionName": "evil@example.com"})",
           .response = fixture::StsResponse(
               "ASIASAML000000000001",
               "arn:aws:sts::444455556666:assumed-role/SamlAdmin/evil@example.com",
               R"("subject": "evil@example.com", "nameQualifier": "bnE=")"),
           .account = std::string(kMember)}));
    const std::string saml_session =
        fixture::SessionId(kMember, "SamlAdmin", "evil@example.com", "ASIASAML000000000001");
    a.push_back(A(
        {.time = "2024-06-20T21:21:00Z",
         .source = "iam.amazonaws.com",
         .name = "CreateAccessKey",
         .identity = saml_session,
         .request = R"({"userName": "svc-backup"})",
         .response =
             R"({"accessKey": {"accessKeyId": "AKIABACKUPNEW0000001", "userName": "svc-backup", "status": "Active"}})",
         .account = std::string(kMember)}));
    a.push_back(A(
        {.time = "2024-06-20T21:22:00Z",
         .name = "GetFederationToken",
         .identity = fixture::IamUserId(kMember, "svc-backup", "AKIABACKUPNEW0000001"),
         .request = R"({"name": "support-ops", "durationSeconds": 43200})",
         .response =
             R"({"credentials": {"accessKeyId": "ASIAFEDATTACK0000001"}, )"
             R"("federatedUser": {"arn": "arn:aws:sts::444455556666:federated-user/support-ops"}})",
         .account = std::string(kMember)}));
    const std::string fed =
        fixture::FederatedId(kMember, "support-ops", "ASIAFEDATTACK0000001", "svc-backup");
    a.push_back(A({.time = "2024-06-20T21:23:00Z",
                   .source = "s3.amazonaws.com",
                   .name = "ListBuckets",
                   .identity = fed,
                   .account = std::string(kMember),
                   .read_only = true}));
    a.push_back(A({.time = "2024-06-20T21:24:00Z",
                   .source = "iam.amazonaws.com",
                   .name = "CreateLoginProfile",
                   .identity = fed,
                   .request = R"({"userName": "bob", "passwordResetRequired": false})",
                   .account = std::string(kMember),
                   .error = ""}));
    a.push_back(A({.time = "2024-06-20T21:30:00Z",
                   .source = "signin.amazonaws.com",
                   .name = "ConsoleLogin",
                   .identity = fixture::IamUserId(kMember, "bob", ""),
                   .response = R"({"ConsoleLogin": "Success"})",
                   .account = std::string(kMember),
                   .event_type = "AwsConsoleSignIn"}));
    a.push_back(A({.time = "2024-06-20T21:31:00Z",
                   .source = "ec2.amazonaws.com",
                   .name = "AuthorizeSecurityGroupIngress",
                   .identity = fixture::IamUserId(kMember, "bob", "ASIABOBCONSOLE000001"),
                   .account = std::string(kMember),
                   .error = "Client.UnauthorizedOperation"}));

    auto& b = t.background;
    b.push_back(signin(carol, "carol", "2024-06-20T20:00:00Z"));
    b.push_back(federate(carol, std::string(kMember), "2024-06-20T20:01:00Z"));
    for (const char* time : {"2024-06-20T20:02:00Z", "2024-06-20T21:15:00Z"}) {
        b.push_back({.time = time,
                     .source = "ec2.amazonaws.com",
                     .name = "DescribeInstances",
                     .identity = fixture::SsoSessionId(kMember, "AdministratorAccess", "carol",
                                                       "ASIACAROL00000000001"),
                     .account = std::string(kMember),
                     .read_only = true});
    }
    b.push_back({.time = "2024-06-20T21:25:00Z",
                 .source = "s3.amazonaws.com",
                 .name = "PutObject",
                 .identity = fixture::IamUserId(kMember, "svc-backup", "AKIABACKUPOLD0000001"),
                 .account = std::string(kMember)});
    b.push_back({.time = "2024-06-20T21:35:00Z",
                 .source = "s3.amazonaws.com",
                 .name = "GetObject",
                 .identity = fixture::IamUserId(kMember, "bob", "AKIABOBOWN0000000001"),
                 .account = std::string(kMember),
                 .ip = kOfficeIp,
                 .read_only = true});
    b.push_back({.time = "2024-06-20T21:36:00Z",
                 .source = "ec2.amazonaws.com",
                 .name = "DescribeVpcs",
                 .identity = fixture::IamUserId(kMember, "bob", "ASIABOBCONSOLE000009"),
                 .account = std::string(kMember),
                 .ip = kOfficeIp,
                 .read_only = true});
    // Another principal federates under the same name: not the actor's.
    b.push_back(
        {.time = "2024-06-20T21:40:00Z",
         .name = "GetFederationToken",
         .identity = fixture::IamUserId(kMember, "helpdesk", "AKIAHELPDESK00000001"),
         .request = R"({"name": "support-ops"})",
         .response =
             R"({"credentials": {"accessKeyId": "ASIAFEDHELP000000001"}, )"
             R"("federatedUser": {"arn": "arn:aws:sts::444455556666:federated-user/support-ops"}})",
         .account = std::string(kMember)});
    b.push_back({.time = "2024-06-20T21:41:00Z",
                 .source = "s3.amazonaws.com",
                 .name = "ListBuckets",
                 .identity = fixture::FederatedId(kMember, "support-ops", "ASIAFEDHELP000000001",
                                                  "helpdesk"),
                 .account = std::string(kMember),
                 .read_only = true});
    b.push_back(
        {.time = "2024-06-20T21:42:00Z",
         .name = "AssumeRole",
         .identity = fixture::ServiceId("ec2.amazonaws.com"),
         .request =
             R"({"roleArn": "arn:aws:iam::444455556666:role/web", "roleSessionName": "i-0abc"})",
         .response = fixture::StsResponse("ASIAEC2000000000001",
                                          "arn:aws:sts::444455556666:assumed-role/web/i-0abc"),
         .account = std::string(kMember),
         .ip = "ec2.amazonaws.com",
         .agent = "ec2.amazonaws.com"});
    // A user with no identity event at all.
    b.push_back({.time = "2024-06-20T21:50:00Z",
                 .source = "s3.amazonaws.com",
                 .name = "ListBuckets",
                 .identity = fixture::IamUserId(kMember, "reporter", "AKIAREPORTER00000001"),
                 .account = std::string(kMember),
                 .ip = kOfficeIp,
                 .read_only = true});
    return t;
}

std::set<std::string> Ids(const std::vector<Rec>& recs) {
    std::set<std::string> s;
    for (const Rec& r : recs) s.insert(r.EventId());
    return s;
}

// Writes the trail as several files, records spread round-robin (not in time order).
std::string WriteTrail(const TempDir& dir, const Trail& t, size_t files = 4) {
    std::vector<const Rec*> all;
    for (const Rec& r : t.background) all.push_back(&r);
    for (const Rec& r : t.attack) all.push_back(&r);
    std::vector<std::string> docs(files);
    for (size_t i = 0; i < all.size(); ++i) {
        std::string& d = docs[i % files];
        d += d.empty() ? "{\"Records\": [" : ",\n";
        d += all[i]->Json();
    }
    for (size_t i = 0; i < files; ++i) {
        dir.Write("trail/f" + std::to_string(i) + ".json", docs[i] + "]}");
    }
    return dir.path() + "/trail";
}

// The first value of `key` ("eventID", "eventTime") on each line of JSON Lines output (the
// event's own; later ones belong to its derivation path).
std::vector<std::string> Firsts(const std::string& jsonl, const std::string& name) {
    std::vector<std::string> out;
    const std::string key = "\"" + name + "\":\"";
    for (size_t line = 0; line < jsonl.size(); line = jsonl.find('\n', line) + 1) {
        const size_t end = jsonl.find('\n', line);
        const size_t p = jsonl.find(key, line);
        if (p != std::string::npos && p < end) {
            const size_t start = p + key.size();
            out.push_back(jsonl.substr(start, jsonl.find('"', start) - start));
        }
        if (end == std::string::npos) break;
    }
    return out;
}

std::vector<std::string> EventIds(const std::string& jsonl) { return Firsts(jsonl, "eventID"); }

class TimelineTest : public ::testing::Test {
  protected:
    void SetUp() override {
        trail_ = MakeTrail();
        path_ = WriteTrail(dir_, trail_);
    }
    tw::testing::CommandResult Run(const std::string& args) {
        return RunTrailwarden("timeline " + ShellQuote(path_) + " " + args);
    }
    TempDir dir_;
    Trail trail_;
    std::string path_;
};

TEST_F(TimelineTest, FollowsTheActorThroughEveryDerivedCredentialAndNoOneElse) {
    const auto r = Run("--actor idp-admin --format jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> got = EventIds(r.out);
    const std::set<std::string> got_set(got.begin(), got.end());
    EXPECT_EQ(got.size(), got_set.size()) << "each event once";
    EXPECT_EQ(got_set, Ids(trail_.attack)) << r.out;
    // In time order.
    const std::vector<std::string> times = Firsts(r.out, "eventTime");
    EXPECT_EQ(times.size(), got.size());
    EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
    // Each line carries the derivation path from the actor.
    const size_t last = r.out.rfind("\"path\":[");
    ASSERT_NE(last, std::string::npos);
    const std::string path = r.out.substr(last);
    EXPECT_NE(path.find("sso-user/idp-admin"), std::string::npos) << path;
    EXPECT_NE(path.find("\"eventName\":\"CreateLoginProfile\""), std::string::npos) << path;
    EXPECT_NE(path.find("console-session/bob@444455556666"), std::string::npos) << path;
}

TEST_F(TimelineTest, AnEventReadTwiceIsPrintedOnce) {
    // The organization trail and the account trail both deliver the same event.
    dir_.Write("trail/copy.json", "{\"Records\": [" + trail_.attack[2].Json() + "]}");
    const auto r = Run("--actor idp-admin --format jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(EventIds(r.out).size(), trail_.attack.size());
}

TEST_F(TimelineTest, OutputDoesNotDependOnThreadsOrFileSkipping) {
    const auto one = Run("--actor idp-admin --format jsonl -j1 -q");
    const auto four = Run("--actor idp-admin --format jsonl -j4 -q");
    const auto all = Run("--actor idp-admin --format jsonl -j3 -q --no-skip");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_FALSE(one.out.empty());
    EXPECT_EQ(one.out, four.out);
    EXPECT_EQ(one.out, all.out);
    EXPECT_TRUE(one.err.empty()) << one.err;
}

TEST_F(TimelineTest, SecondPassSkipsFilesWithoutTheActor) {
    TempDir dir;
    Trail t = MakeTrail();
    const std::string path = WriteTrail(dir, t, 1);
    // A file of another principal only.
    dir.Write("trail/other.json", "{\"Records\": [" + t.background[4].Json() + "]}");
    const auto r = RunTrailwarden("timeline " + ShellQuote(path) + " --actor idp-admin -j1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("second pass read 1 of 2 files"), std::string::npos) << r.err;
}

TEST_F(TimelineTest, DepthLimitsTheDerivationsFollowed) {
    const auto r = Run("--actor idp-admin --format jsonl --depth 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> got = EventIds(r.out);
    // The Identity Center user and its sessions (one step; a session's key is not a step),
    // not the user it created (two steps).
    std::set<std::string> want;
    for (size_t i = 0; i < 5; ++i) want.insert(trail_.attack[i].EventId());
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), want);
}

TEST_F(TimelineTest, FromAndToLimitThePrintedEventsNotTheGraph) {
    const auto r =
        Run("--actor idp-admin --format jsonl --from 2024-06-20T21:20:00Z --to "
            "2024-06-20T21:30:00Z");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> got = EventIds(r.out);
    std::set<std::string> want;
    for (const Rec& rec : trail_.attack) {
        if (rec.time >= "2024-06-20T21:20:00Z" && rec.time < "2024-06-20T21:30:00Z") {
            want.insert(rec.EventId());
        }
    }
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), want);
}

TEST_F(TimelineTest, ActorsByKeyIpArnAndSeveralAtOnce) {
    auto ids = [&](const std::string& args) {
        const auto r = Run(args + " --format jsonl");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto v = EventIds(r.out);
        return std::set<std::string>(v.begin(), v.end());
    };
    std::set<std::string> from_key;
    for (size_t i = 10; i < trail_.attack.size(); ++i) from_key.insert(trail_.attack[i].EventId());
    EXPECT_EQ(ids("--actor AKIABACKUPNEW0000001"), from_key);
    EXPECT_EQ(ids(std::string("--actor ") + kAttackerIp), Ids(trail_.attack));
    EXPECT_EQ(ids("--actor arn:aws:iam::444455556666:user/svc-backup"),
              (std::set<std::string>{trail_.attack[10].EventId(), trail_.attack[11].EventId(),
                                     trail_.attack[12].EventId(), trail_.attack[13].EventId(),
                                     trail_.attack[14].EventId(), trail_.background[4].EventId()}));
    EXPECT_EQ(ids("--actor Reporter"), std::set<std::string>{trail_.background.back().EventId()})
        << "a principal without identity events is found too";
    const auto both = ids("--actor carol --actor shadow-admin");
    EXPECT_TRUE(both.count(trail_.background[0].EventId()));
    EXPECT_TRUE(both.count(trail_.attack[6].EventId()));
    EXPECT_FALSE(both.count(trail_.attack[0].EventId()));
}

TEST_F(TimelineTest, TableCsvAndTimesketchFormats) {
    const auto table = Run("--actor idp-admin --format table");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("CREDENTIALS"), std::string::npos);
    EXPECT_NE(table.out.find("(actor)"), std::string::npos);
    EXPECT_NE(table.out.find("cloudtrail:PutEventSelectors"), std::string::npos);
    EXPECT_NE(table.out.find("SUMMARY"), std::string::npos);
    EXPECT_NE(table.out.find("accounts      2"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("errors        1 calls"), std::string::npos) << table.out;

    const auto csv = Run("--actor idp-admin --format csv");
    ASSERT_EQ(csv.exit_code, 0);
    EXPECT_EQ(csv.out.rfind("eventTime,eventID,eventSource,eventName", 0), 0u);
    EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'),
              static_cast<long>(trail_.attack.size() + 1));

    const auto ts = Run("--actor idp-admin --format timesketch");
    ASSERT_EQ(ts.exit_code, 0);
    size_t lines = 0;
    for (size_t p = 0; p < ts.out.size(); p = ts.out.find('\n', p) + 1) {
        const std::string line = ts.out.substr(p, ts.out.find('\n', p) - p);
        ++lines;
        EXPECT_EQ(line.rfind("{\"message\":\"", 0), 0u) << line;
        EXPECT_NE(line.find("\"datetime\":\"2024-06-20T"), std::string::npos) << line;
        EXPECT_NE(line.find("+00:00\""), std::string::npos) << line;
        EXPECT_NE(line.find("\"timestamp_desc\":\"Event Time\""), std::string::npos) << line;
        EXPECT_NE(line.find("\"event_id\":\""), std::string::npos) << line;
    }
    EXPECT_EQ(lines, trail_.attack.size());
}

TEST_F(TimelineTest, ReadsStdinAndWritesToAFile) {
    TempDir dir;
    const std::string file = WriteTrail(dir, trail_, 1) + "/f0.json";
    const std::string out = dir.path() + "/out.jsonl";
    const auto r = RunTrailwarden("timeline - --actor idp-admin -o " + ShellQuote(out) + " < " +
                                  ShellQuote(file));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    const auto got = EventIds(tw::testing::ReadFile(out));
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), Ids(trail_.attack));
}

TEST_F(TimelineTest, BadInputIsReportedAndTheRestIsProcessed) {
    dir_.Write("trail/broken.json", "{\"Records\": [{\"eventTime\": \"2024-06-20T21:00:00Z\", ");
    const auto r = Run("--actor idp-admin --format jsonl");
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;
    EXPECT_EQ(EventIds(r.out).size(), trail_.attack.size());
}

TEST_F(TimelineTest, UnknownActorAndUsageErrors) {
    const auto none = Run("--actor nobody-at-all --format jsonl");
    EXPECT_EQ(none.exit_code, 0);
    EXPECT_TRUE(none.out.empty());
    EXPECT_NE(none.err.find("'nobody-at-all': not found"), std::string::npos) << none.err;
    EXPECT_EQ(Run("--format jsonl").exit_code, 2);
    EXPECT_EQ(Run("--actor x --format xml").exit_code, 2);
}

}  // namespace
}  // namespace tw::identity
