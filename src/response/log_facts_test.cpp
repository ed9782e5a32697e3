// Facts from the logs: the events a finding names are looked up in CloudTrail and what they
// created or used joins the facts, even when the finding's evidence is empty.
#include "response/log_facts.h"

#include <gtest/gtest.h>

#include "response/test_support.h"

namespace tw::response {
namespace {

using test_support::TempDir;

std::string Record(std::string_view id, std::string_view account, std::string_view source,
                   std::string_view name, std::string_view request, std::string_view response,
                   std::string_view error = {}) {
    std::string r = R"({"eventVersion":"1.08","userIdentity":{"type":"AssumedRole",)"
                    R"("arn":"arn:aws:sts::)" +
                    std::string(account) +
                    R"(:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/eve",)"
                    R"("sessionContext":{"sessionIssuer":{"userName":"AWSReservedSSO_Admin"}}},)"
                    R"("eventTime":"2024-06-20T19:00:00Z","eventSource":")" +
                    std::string(source) + R"(","eventName":")" + std::string(name) +
                    R"(","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.9",)"
                    R"("requestParameters":)" +
                    std::string(request) + R"(,"responseElements":)" + std::string(response) +
                    R"(,"eventID":")" + std::string(id) + R"(","recipientAccountId":")" +
                    std::string(account) + "\"";
    if (!error.empty()) r += R"(,"errorCode":")" + std::string(error) + "\"";
    return r + "}";
}

std::string Logs() {
    return "{\"Records\":[" +
           Record("e1", "111111111111", "iam.amazonaws.com", "CreateSAMLProvider",
                  R"({"name":"EvilIdP","sAMLMetadataDocument":"<md/>"})",
                  R"({"sAMLProviderArn":"arn:aws:iam::111111111111:saml-provider/EvilIdP"})") +
           "," +
           Record("e2", "222222222222", "iam.amazonaws.com", "CreateUser",
                  R"({"userName":"svc-x"})",
                  R"({"user":{"path":"/","userName":"svc-x","userId":"AIDAEXAMPLEUSER00001",)"
                  R"("arn":"arn:aws:iam::222222222222:user/svc-x"}})") +
           "," +
           Record("e3", "222222222222", "iam.amazonaws.com", "CreateAccessKey",
                  R"({"userName":"svc-x"})",
                  R"({"accessKey":{"userName":"svc-x","accessKeyId":"AKIAZZZZZZZZZZZZZZZZ",)"
                  R"("status":"Active"}})") +
           "," +
           Record("e4", "222222222222", "sts.amazonaws.com", "GetFederationToken",
                  R"({"name":"maint","durationSeconds":129600})",
                  R"({"credentials":{"accessKeyId":"ASIAYYYYYYYYYYYYYYYY"},"federatedUser":)"
                  R"({"federatedUserId":"222222222222:maint","arn":)"
                  R"("arn:aws:sts::222222222222:federated-user/maint"}})") +
           "," +
           Record("e5", "111111111111", "sso-directory.amazonaws.com", "CreateUser",
                  R"({"identityStoreId":"d-9a670c783a","passwordMode":"EMAIL"})",
                  R"({"user":{"userId":"01cb45c0-c071-70a1-0a3a-e417bf7fd8ff","active":true}})") +
           "," +
           Record("e6", "111111111111", "sso.amazonaws.com", "CreateAccountAssignment",
                  R"({"instanceArn":"arn:aws:sso:::instance/ssoins-66846d02039d7f57",)"
                  R"("targetId":"333333333333","targetType":"AWS_ACCOUNT","permissionSetArn":)"
                  R"("arn:aws:sso:::permissionSet/ssoins-66846d02039d7f57/ps-cc3ba8d6d6642c51",)"
                  R"("principalType":"USER","principalId":"01cb45c0-c071-70a1-0a3a-e417bf7fd8ff"})",
                  "null") +
           "," +
           Record("e7", "222222222222", "iam.amazonaws.com", "CreateUser",
                  R"({"userName":"denied-user"})", "null", "AccessDenied") +
           "," +
           Record("e8", "222222222222", "iam.amazonaws.com", "CreateUser",
                  R"({"userName":"not-in-findings"})", "null") +
           "]}";
}

TEST(LogFactsTest, ReadsWhatTheNamedEventsCreated) {
    TempDir dir;
    const std::string logs = dir.Write("logs/111111111111_CloudTrail_us-east-1.json", Logs());
    IncidentFacts facts;
    facts.event_ids = {"e1", "e2", "e3", "e4", "e5", "e6", "e7", "missing"};
    Diagnostics diag(nullptr);
    auto stats = AddFactsFromLogs({dir.path() + "/logs"}, 2, facts, diag);
    ASSERT_TRUE(stats.has_value()) << stats.error().message;
    EXPECT_EQ(stats->events_read, 8u);
    EXPECT_EQ(stats->events_matched, 6u);  // e7 failed, e8 not named, "missing" absent
    EXPECT_TRUE(facts.saml_providers.contains("arn:aws:iam::111111111111:saml-provider/EvilIdP"));
    EXPECT_EQ(facts.iam_users, (std::set<AccountName>{{"222222222222", "svc-x"}}));
    EXPECT_EQ(facts.static_keys.at("AKIAZZZZZZZZZZZZZZZZ"), (AccountName{"222222222222", "svc-x"}));
    EXPECT_TRUE(facts.users_with_static_keys.contains({"222222222222", "svc-x"}));
    EXPECT_TRUE(facts.federated_users.contains("maint"));
    EXPECT_TRUE(facts.temporary_keys.contains("ASIAYYYYYYYYYYYYYYYY"));
    EXPECT_TRUE(facts.identity_store_ids.contains("d-9a670c783a"));
    EXPECT_TRUE(facts.identity_center_users.contains("01cb45c0-c071-70a1-0a3a-e417bf7fd8ff"));
    EXPECT_TRUE(facts.accounts.contains("333333333333"));
    EXPECT_EQ(facts.permission_sets.size(), 1u);
    EXPECT_EQ(facts.log_events, 6u);
}

// A created user is a fact even when the request also held half a surrogate pair (a tag the
// caller chose): valid JSON, read with U+FFFD in its place.
TEST(LogFactsTest, HalfASurrogatePairDoesNotHideWhatWasCreated) {
    TempDir dir;
    dir.Write(
        "logs/222222222222_CloudTrail_us-east-1.json",
        "{\"Records\":[" +
            Record(
                "s1", "222222222222", "iam.amazonaws.com", "CreateUser",
                R"({"userName":"svc-y","tags":[{"key":"k","value":"v\ud800"}]})",
                R"({"user":{"userName":"svc-y","arn":"arn:aws:iam::222222222222:user/svc-y"}})") +
            "]}");
    IncidentFacts facts;
    facts.event_ids = {"s1"};
    Diagnostics diag(nullptr);
    auto stats = AddFactsFromLogs({dir.path() + "/logs"}, 1, facts, diag);
    ASSERT_TRUE(stats.has_value()) << stats.error().message;
    EXPECT_EQ(stats->events_matched, 1u);
    EXPECT_EQ(facts.iam_users, (std::set<AccountName>{{"222222222222", "svc-y"}}));
}

TEST(LogFactsTest, NoInputIsAnError) {
    TempDir dir;
    IncidentFacts facts;
    facts.event_ids = {"e1"};
    Diagnostics diag(nullptr);
    EXPECT_FALSE(AddFactsFromLogs({dir.path() + "/none"}, 1, facts, diag).has_value());
}

TEST(LogFactsTest, ContainCommandReadsTheLogs) {
    TempDir dir;
    dir.Write("logs/trail.json", Logs());
    const std::string findings = dir.Write(
        "f.jsonl",
        R"({"rule_id":"sigma-rule-without-evidence","severity":"high","event_ids":["e1","e3"],)"
        R"("accounts":["111111111111"],"event_names":["CreateSAMLProvider","CreateAccessKey"]})"
        "\n");
    auto r = test_support::RunTrailwarden(
        "contain --out " + test_support::ShellQuote(dir.path() + "/kit") + " --from-findings " +
        test_support::ShellQuote(findings) + " --logs " +
        test_support::ShellQuote(dir.path() + "/logs") +
        " --break-glass-role arn:aws:iam::111111111111:role/BreakGlass");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("2 of their 2 events found in 8 logged events"), std::string::npos)
        << r.err;
    const std::string book = test_support::ReadFile(dir.path() + "/kit/PLAYBOOK.md");
    EXPECT_NE(book.find("arn:aws:iam::111111111111:saml-provider/EvilIdP"), std::string::npos);
    EXPECT_NE(book.find("AKIAZZZZZZZZZZZZZZZZ"), std::string::npos);
    const std::string sh = test_support::ReadFile(dir.path() + "/kit/apply.sh");
    EXPECT_NE(sh.find("put-user-policy --user-name 'svc-x'"), std::string::npos);
}

}  // namespace
}  // namespace tw::response
