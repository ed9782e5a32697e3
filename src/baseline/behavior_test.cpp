// Behaviour detectors: first-seen and after-offboarding, fed through the real ingest.
#include "baseline/behavior.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include "baseline/behavior_internal.h"
#include "event/context.h"
#include "ingest/pipeline.h"
#include "testing/test_util.h"

namespace tw::baseline {
namespace {

using testing::TempDir;

struct Ev {
    std::string time, name, source, user, ip, ua;
    std::string extra;  // more JSON members, starting with a comma
    std::string type = "IAMUser";
    std::string key = "AKIAALICE";
    std::string invoked_by;  // userIdentity.invokedBy of a user or role session, when set
    bool recipient = true;   // false: no recipientAccountId (the account is userIdentity's)
};

std::string Json(const Ev& e, int n) {
    if (e.type == "IdentityCenter") {  // a portal sign-in: no ARN, the identity-store user
        const std::string uid =
            R"({"type":"Unknown","principalId":"111122223333","arn":"","accountId":"111122223333",)"
            R"("userName":")" +
            e.user + R"(","onBehalfOf":{"userId":"906701e2-)" + e.key +
            R"(","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-1"}})";
        return R"({"eventVersion":"1.08","eventTime":")" + e.time + R"(","eventSource":")" +
               e.source + R"(","eventName":")" + e.name + R"(","eventID":"id-)" +
               std::to_string(n) +
               R"(","awsRegion":"us-east-1","recipientAccountId":"111122223333","sourceIPAddress":")" +
               e.ip + R"(","userAgent":")" + e.ua + R"(","userIdentity":)" + uid + e.extra + "}";
    }
    std::string uid;
    if (e.type == "AWSService") {
        uid = R"({"type":"AWSService","invokedBy":")" + e.user + "\"";
    } else if (e.type == "IAMUser") {
        uid = R"({"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/)" + e.user +
              R"(","accountId":"111122223333","userName":")" + e.user + R"(","accessKeyId":")" +
              e.key + "\"";
    } else {
        uid = R"({"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/)" + e.user +
              R"(/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"arn":)" +
              R"("arn:aws:iam::111122223333:role/)" + e.user + "\"}}";
    }
    if (!e.invoked_by.empty()) uid += R"(,"invokedBy":")" + e.invoked_by + "\"";
    uid += "}";
    return R"({"eventVersion":"1.09","eventTime":")" + e.time + R"(","eventSource":")" + e.source +
           R"(","eventName":")" + e.name + R"(","eventID":"id-)" + std::to_string(n) +
           R"(","awsRegion":"us-east-1",)" +
           (e.recipient ? R"("recipientAccountId":"111122223333",)" : "") +
           R"("sourceIPAddress":")" + e.ip + R"(","userAgent":")" + e.ua + R"(","userIdentity":)" +
           uid + e.extra + "}";
}

std::string Day(int d, int h = 10) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2024-06-%02dT%02d:00:00Z", d, h);
    return buf;
}

class Collect final : public ingest::Sink {
  public:
    // Events are observed with their context ids, as hunt does, unless `with_contexts` is false
    // (as hunt's --baseline reading does).
    Collect(const event::FieldCatalog& c, const event::ContextFields& contexts, std::mutex& mu,
            BehaviorCollector& total, bool base, BehaviorOptions options = {},
            bool with_contexts = true)
        : mine_(c, options, base),
          contexts_(contexts),
          with_contexts_(with_contexts),
          mu_(mu),
          total_(total) {}
    ~Collect() override {
        std::lock_guard<std::mutex> lock(mu_);
        total_.Merge(std::move(mine_));
    }
    void OnEvent(const event::EventView& ev) override {
        if (with_contexts_) {
            mine_.Observe(ev, contexts_.Id(ev));
        } else {
            mine_.Observe(ev);
        }
    }

  private:
    BehaviorCollector mine_;
    event::ContextInterner contexts_;
    bool with_contexts_;
    std::mutex& mu_;
    BehaviorCollector& total_;
};

// Runs the detectors over `events` (one file per event, so thread order varies).
struct Result {
    std::vector<findings::Finding> first_seen, offboarding;
    std::string text;  // all findings as JSON lines
};

// The fields the run's catalog holds besides RequestBehaviorFields: the context fields (as
// in hunt), none, or those and every well-known field.
enum class Fields { kContexts, kBehaviorOnly, kEverything };

Result Detect(const std::vector<Ev>& events, unsigned threads = 2,
              const std::vector<Ev>& baseline = {}, BehaviorOptions options = {},
              bool with_contexts = true, Fields fields = Fields::kContexts) {
    TempDir dir, base_dir;
    for (size_t i = 0; i < events.size(); ++i) {
        dir.Write("e" + std::to_string(1000 - i) + ".json", Json(events[i], static_cast<int>(i)));
    }
    for (size_t i = 0; i < baseline.size(); ++i) {
        base_dir.Write("b" + std::to_string(i) + ".json",
                       Json(baseline[i], 9000 + static_cast<int>(i)));
    }
    event::FieldCatalog catalog, elsewhere;
    RequestBehaviorFields(catalog);
    if (fields == Fields::kEverything) catalog.RequestWellKnown();
    // Without context fields the contexts' ids come from another catalog: only Observe(ev)
    // without a context may then run.
    const event::ContextFields contexts(fields == Fields::kBehaviorOnly ? elsewhere : catalog);
    EXPECT_TRUE(fields != Fields::kBehaviorOnly || !with_contexts);
    catalog.Freeze();
    BehaviorCollector total(catalog, options);
    std::mutex mu;
    Diagnostics diag(nullptr);
    ingest::IngestOptions opt;
    opt.threads = threads;
    if (!baseline.empty()) {
        BehaviorCollector known(catalog, {}, true);
        ingest::RunIngest(
            ingest::DiscoverInputs({base_dir.path()}, diag), catalog, opt,
            [&](unsigned) { return std::make_unique<Collect>(catalog, contexts, mu, known, true); },
            diag);
        total.Merge(std::move(known));
    }
    ingest::RunIngest(
        ingest::DiscoverInputs({dir.path()}, diag), catalog, opt,
        [&](unsigned) {
            return std::make_unique<Collect>(catalog, contexts, mu, total, false, options,
                                             with_contexts);
        },
        diag);
    EXPECT_EQ(diag.errors(), 0u);
    Result r;
    const TimeMs learning_end =
        baseline.empty() ? total.DefaultLearningEnd() : total.first_time() - 1;
    r.first_seen = total.FirstSeenFindings(learning_end);
    r.offboarding = total.AfterOffboardingFindings();
    for (const auto& f : r.first_seen) r.text += findings::ToJsonLine(f);
    for (const auto& f : r.offboarding) r.text += findings::ToJsonLine(f);
    return r;
}

// Alice works from the office with the CLI for four days; Bob likewise.
std::vector<Ev> Routine() {
    std::vector<Ev> out;
    for (int d = 1; d <= 4; ++d) {
        out.push_back({Day(d), "DescribeInstances", "ec2.amazonaws.com", "alice", "198.51.100.7",
                       "aws-cli/2.15.0 Python/3.11"});
        out.push_back({Day(d, 11), "ListUsers", "iam.amazonaws.com", "alice", "198.51.100.8",
                       "aws-cli/2.15.1 Python/3.11"});
        out.push_back({Day(d), "ListBuckets", "s3.amazonaws.com", "bob", "198.51.100.9",
                       "aws-cli/2.15.0 Python/3.11", "", "IAMUser", "AKIABOB"});
    }
    out.push_back({Day(1, 12), "CreateUser", "iam.amazonaws.com", "alice", "198.51.100.7",
                   "aws-cli/2.15.0", R"(,"requestParameters":{"userName":"x"})"});
    return out;
}

TEST(FirstSeenTest, RoutineActivityRaisesNothing) {
    Result r = Detect(Routine());
    EXPECT_TRUE(r.first_seen.empty()) << r.text;
    EXPECT_TRUE(r.offboarding.empty()) << r.text;
}

TEST(FirstSeenTest, SensitiveCallFromANewNetworkAndClient) {
    auto events = Routine();
    events.push_back({Day(4, 20), "CreateAccessKey", "iam.amazonaws.com", "alice", "203.0.113.50",
                      "curl/8.1", R"(,"requestParameters":{"userName":"svc"})"});
    Result r = Detect(events);
    ASSERT_EQ(r.first_seen.size(), 1u) << r.text;
    const auto& f = r.first_seen[0];
    EXPECT_EQ(f.rule_id, "tw.baseline.new-behavior");
    EXPECT_EQ(f.severity, findings::Severity::kMedium);
    EXPECT_EQ(f.actor.arn, "arn:aws:iam::111122223333:user/alice");
    EXPECT_NE(f.evidence_json.find("\"new_sensitive_calls\":[\"CreateAccessKey\"]"),
              std::string::npos);
    EXPECT_NE(f.evidence_json.find("\"new_networks\":[\"203.0.113.0/24\"]"), std::string::npos);
    EXPECT_NE(f.evidence_json.find("\"new_user_agents\":[\"curl\"]"), std::string::npos);
    EXPECT_NE(std::find(f.event_ids.begin(), f.event_ids.end(),
                        "id-" + std::to_string(events.size() - 1)),
              f.event_ids.end());
}

TEST(FirstSeenTest, NewPrincipalFromAnUnknownNetworkIsMedium) {
    auto events = Routine();
    events.push_back({Day(4, 21), "ListBuckets", "s3.amazonaws.com", "intruder", "203.0.113.50",
                      "Boto3/1.34", "", "AssumedRole"});
    events.push_back({Day(4, 22), "AttachRolePolicy", "iam.amazonaws.com", "intruder",
                      "203.0.113.50", "Boto3/1.34", "", "AssumedRole"});
    Result r = Detect(events);
    ASSERT_EQ(r.first_seen.size(), 1u) << r.text;
    EXPECT_EQ(r.first_seen[0].rule_id, "tw.baseline.new-principal");
    EXPECT_EQ(r.first_seen[0].severity, findings::Severity::kMedium);
    EXPECT_EQ(r.first_seen[0].event_ids.size(), 2u);
    // Scoped like every other finding: the principal's accounts and regions.
    EXPECT_EQ(r.first_seen[0].accounts, std::vector<std::string>{"111122223333"});
    EXPECT_EQ(r.first_seen[0].regions, std::vector<std::string>{"us-east-1"});
}

TEST(FirstSeenTest, IdentityCenterUserIsNamedByItsUserName) {
    auto events = Routine();
    events.push_back({Day(4, 21), "UserAuthentication", "signin.amazonaws.com",
                      "mallory@example.com", "203.0.113.50", "Mozilla/5.0", "", "IdentityCenter",
                      "1001"});
    Result r = Detect(events);
    ASSERT_EQ(r.first_seen.size(), 1u) << r.text;
    const auto& f = r.first_seen[0];
    EXPECT_EQ(f.rule_id, "tw.baseline.new-principal");
    EXPECT_EQ(f.actor.user_name, "mallory@example.com");
    EXPECT_NE(f.summary.find("mallory@example.com (idc:906701e2-1001)"), std::string::npos)
        << f.summary;
}

TEST(FirstSeenTest, NewPrincipalFromTheOfficeWithoutSensitiveCallsIsInformational) {
    auto events = Routine();
    events.push_back({Day(4, 21), "ListBuckets", "s3.amazonaws.com", "carol", "198.51.100.7",
                      "aws-cli/2.15.0", "", "IAMUser", "AKIACAROL"});
    Result r = Detect(events);
    ASSERT_EQ(r.first_seen.size(), 1u) << r.text;
    EXPECT_EQ(r.first_seen[0].severity, findings::Severity::kInfo);
}

TEST(FirstSeenTest, SensitiveCallWithANewClientFromAKnownNetworkIsLow) {
    auto events = Routine();
    events.push_back(
        {Day(4, 20), "CreateAccessKey", "iam.amazonaws.com", "alice", "198.51.100.7", "curl/8.1"});
    Result r = Detect(events);
    ASSERT_EQ(r.first_seen.size(), 1u) << r.text;
    EXPECT_EQ(r.first_seen[0].severity, findings::Severity::kLow);
}

TEST(FirstSeenTest, BaselineDataTeachesKnownBehaviour) {
    auto events = Routine();
    events.push_back(
        {Day(4, 20), "CreateAccessKey", "iam.amazonaws.com", "alice", "203.0.113.50", "curl/8.1"});
    std::vector<Ev> history = {{"2024-05-01T10:00:00Z", "CreateAccessKey", "iam.amazonaws.com",
                                "alice", "203.0.113.50", "curl/8.1"}};
    Result r = Detect(events, 2, history);
    for (const auto& f : r.first_seen) {
        EXPECT_EQ(f.evidence_json.find("CreateAccessKey"), std::string::npos) << r.text;
    }
}

TEST(FirstSeenTest, SameFindingsWhateverTheThreadCount) {
    auto events = Routine();
    events.push_back(
        {Day(4, 20), "CreateAccessKey", "iam.amazonaws.com", "alice", "203.0.113.50", "curl/8.1"});
    events.push_back({Day(4, 21), "PutRolePolicy", "iam.amazonaws.com", "intruder", "203.0.113.50",
                      "Boto3/1.34", "", "AssumedRole"});
    EXPECT_EQ(Detect(events, 1).text, Detect(events, 4).text);
    // Observed without context ids (as --baseline data is), the same findings.
    EXPECT_EQ(Detect(events, 1).text, Detect(events, 1, {}, {}, false).text);
}

TEST(FirstSeenTest, BeyondTheCapTheEarliestValuesAreKeptWhateverTheOrder) {
    // Carol, new after the learning period, calls from six addresses; three are kept per
    // attribute: those seen first in time, although the files are read newest first (one
    // thread) or in any order (four), and the workers' sets are merged.
    auto events = Routine();
    for (int i = 0; i < 6; ++i) {
        events.push_back({Day(8, 10 + i), "ListBuckets", "s3.amazonaws.com", "carol",
                          "203.0.113." + std::to_string(10 + i), "aws-cli/2.15.0", "", "IAMUser",
                          "AKIACAROL"});
    }
    events.push_back({Day(9), "ListBuckets", "s3.amazonaws.com", "bob", "198.51.100.9",
                      "aws-cli/2.15.0 Python/3.11", "", "IAMUser", "AKIABOB"});
    // The same calls read oldest first (one thread reads the list from its end), each address
    // used twice: later calls from an address that was not kept are refused again.
    auto oldest_first = Routine();
    for (int i = 5; i >= 0; --i) {
        for (int h : {40, 10}) {
            oldest_first.push_back({Day(8, 10 + i).replace(14, 2, std::to_string(h)), "ListBuckets",
                                    "s3.amazonaws.com", "carol",
                                    "203.0.113." + std::to_string(10 + i), "aws-cli/2.15.0", "",
                                    "IAMUser", "AKIACAROL"});
        }
    }
    oldest_first.push_back(events.back());
    BehaviorOptions options;
    options.max_values = 3;
    std::map<const std::vector<Ev>*, std::string> first_text;  // per list
    for (const auto& [list, threads] :
         {std::pair{&events, 1u}, std::pair{&events, 4u}, std::pair{&oldest_first, 1u},
          std::pair{&oldest_first, 4u}}) {
        const Result r = Detect(*list, threads, {}, options);
        const findings::Finding* carol = nullptr;
        for (const auto& f : r.first_seen) {
            if (f.actor.arn.ends_with("user/carol")) carol = &f;
        }
        ASSERT_NE(carol, nullptr) << r.text;
        EXPECT_EQ(carol->actor.source_ips,
                  (std::vector<std::string>{"203.0.113.10", "203.0.113.11", "203.0.113.12"}))
            << threads << " threads";
        std::string& text = first_text[list];
        if (text.empty()) text = r.text;
        EXPECT_EQ(r.text, text) << threads << " threads";
    }
}

TEST(FirstSeenTest, AnAddressRefusedAtTheCapIsKeptWhenAnEarlierCallComes) {
    // Read in this order by one thread (the list from its end): three addresses fill the cap,
    // a fourth is refused, then a call from the fourth earlier than all the others comes; it
    // must take the place of the latest one.
    auto events = Routine();
    auto carol = [](int hour, int last_octet) {
        return Ev{Day(8, hour),
                  "ListBuckets",
                  "s3.amazonaws.com",
                  "carol",
                  "203.0.113." + std::to_string(last_octet),
                  "aws-cli/2.15.0",
                  "",
                  "IAMUser",
                  "AKIACAROL"};
    };
    events.push_back({Day(9), "ListBuckets", "s3.amazonaws.com", "bob", "198.51.100.9",
                      "aws-cli/2.15.0 Python/3.11", "", "IAMUser", "AKIABOB"});
    events.push_back(carol(9, 13));
    events.push_back(carol(13, 13));
    events.push_back(carol(12, 12));
    events.push_back(carol(11, 11));
    events.push_back(carol(10, 10));
    BehaviorOptions options;
    options.max_values = 3;
    const Result r = Detect(events, 1, {}, options);
    const findings::Finding* found = nullptr;
    for (const auto& f : r.first_seen) {
        if (f.actor.arn.ends_with("user/carol")) found = &f;
    }
    ASSERT_NE(found, nullptr) << r.text;
    EXPECT_EQ(found->actor.source_ips,
              (std::vector<std::string>{"203.0.113.10", "203.0.113.11", "203.0.113.13"}));
}

TEST(FirstSeenTest, PrincipalIsNamedByItsEarliestEvent) {
    // One Identity Center person in two permission sets: one principal, named by the session
    // of its earliest event even though the later one is read first.
    auto events = Routine();
    events.push_back({Day(4, 20), "ListBuckets", "s3.amazonaws.com", "AWSReservedSSO_Admin_aaaa",
                      "198.51.100.7", "aws-cli/2.15.0", "", "AssumedRole"});
    events.push_back({Day(4, 21), "ListBuckets", "s3.amazonaws.com", "AWSReservedSSO_Admin_bbbb",
                      "198.51.100.7", "aws-cli/2.15.0", "", "AssumedRole"});
    for (unsigned threads : {1u, 4u}) {
        const Result r = Detect(events, threads);
        bool found = false;
        for (const auto& f : r.first_seen) {
            if (f.actor.arn.find("AWSReservedSSO_Admin_") == std::string::npos) continue;
            found = true;
            EXPECT_NE(f.actor.arn.find("AWSReservedSSO_Admin_aaaa/s"), std::string::npos)
                << f.actor.arn;
        }
        EXPECT_TRUE(found) << r.text;
    }
}

TEST(AfterOffboardingTest, ForgottenAccessKeyUsedAfterLoginProfileAndGroupRemoval) {
    auto events = Routine();
    events.push_back({Day(3, 9), "DeleteLoginProfile", "iam.amazonaws.com", "alice", "198.51.100.7",
                      "aws-cli/2", R"(,"requestParameters":{"userName":"bob"})"});
    events.push_back({Day(3, 9), "RemoveUserFromGroup", "iam.amazonaws.com", "alice",
                      "198.51.100.7", "aws-cli/2",
                      R"(,"requestParameters":{"userName":"bob","groupName":"ops"})"});
    Result r = Detect(events);
    ASSERT_EQ(r.offboarding.size(), 1u) << r.text;
    const auto& f = r.offboarding[0];
    EXPECT_EQ(f.severity, findings::Severity::kHigh);
    EXPECT_EQ(f.actor.arn, "arn:aws:iam::111122223333:user/bob");
    // bob's calls on days 3 (10:00) and 4 are after the 09:00 offboarding, plus the two removals.
    EXPECT_EQ(f.event_ids.size(), 4u);
}

TEST(AfterOffboardingTest, DeletedKeyUsedAgain) {
    auto events = Routine();
    events.push_back({Day(2, 9), "DeleteAccessKey", "iam.amazonaws.com", "alice", "198.51.100.7",
                      "aws-cli/2",
                      R"(,"requestParameters":{"userName":"bob","accessKeyId":"AKIABOB"})"});
    Result r = Detect(events);
    ASSERT_EQ(r.offboarding.size(), 1u) << r.text;
    EXPECT_EQ(r.offboarding[0].event_names, (std::vector<std::string>{"ListBuckets"}));
}

TEST(AfterOffboardingTest, NoActivityAfterwardsRaisesNothing) {
    auto events = Routine();
    events.push_back({Day(4, 23), "DeleteLoginProfile", "iam.amazonaws.com", "alice",
                      "198.51.100.7", "aws-cli/2", R"(,"requestParameters":{"userName":"bob"})"});
    EXPECT_TRUE(Detect(events).offboarding.empty());
}

// The detectors read only what RequestBehaviorFields asks for: with no other field in the
// catalog they find what they find with every well-known field and the context fields.
TEST(BehaviorFieldsTest, RequestedFieldsAreEverythingTheDetectorsRead) {
    auto events = Routine();
    // First seen: a sensitive call from a new network and client, a new role session, an
    // Identity Center user, an AWS service, a failed call.
    events.push_back({Day(4, 20), "CreateAccessKey", "iam.amazonaws.com", "alice", "203.0.113.50",
                      "curl/8.1", R"(,"requestParameters":{"userName":"svc"})"});
    events.push_back({Day(4, 21), "AttachRolePolicy", "iam.amazonaws.com", "intruder",
                      "203.0.113.51", "Boto3/1.34", "", "AssumedRole"});
    events.push_back({Day(4, 21), "UserAuthentication", "signin.amazonaws.com",
                      "mallory@example.com", "203.0.113.52", "Mozilla/5.0", "", "IdentityCenter",
                      "1001"});
    Ev service{Day(4, 22),          "Decrypt",           "kms.amazonaws.com",
               "ec2.amazonaws.com", "ec2.amazonaws.com", "ec2.amazonaws.com"};
    service.type = "AWSService";
    events.push_back(service);
    events.push_back({Day(4, 22), "PutUserPolicy", "iam.amazonaws.com", "alice", "203.0.113.53",
                      "aws-cli/2", R"(,"errorCode":"AccessDenied","requestParameters":{})"});
    // After offboarding: bob's key is deleted, then used; carol is offboarded in the identity
    // store and in Identity Center.
    events.push_back({Day(2, 9), "DeleteAccessKey", "iam.amazonaws.com", "alice", "198.51.100.7",
                      "aws-cli/2",
                      R"(,"requestParameters":{"userName":"bob","accessKeyId":"AKIABOB"})"});
    events.push_back({Day(2, 9), "UpdateAccessKey", "iam.amazonaws.com", "alice", "198.51.100.7",
                      "aws-cli/2",
                      R"(,"requestParameters":{"accessKeyId":"AKIAALICE","status":"Inactive"})"});
    events.push_back({Day(2, 9), "DeleteUser", "identitystore.amazonaws.com", "alice",
                      "198.51.100.7", "aws-cli/2",
                      R"(,"requestParameters":{"userId":"906701e2-1001"})"});
    events.push_back(
        {Day(2, 9), "DeleteAccountAssignment", "sso.amazonaws.com", "alice", "198.51.100.7",
         "aws-cli/2",
         R"(,"requestParameters":{"principalType":"USER","principalId":"906701e2-1001"})"});
    // A failed removal is no offboarding; a principal met only in calls without
    // recipientAccountId; a role session that a service used on its behalf (no principal).
    events.push_back({Day(2, 9), "DeleteLoginProfile", "iam.amazonaws.com", "bob", "198.51.100.9",
                      "aws-cli/2",
                      R"(,"errorCode":"AccessDenied","requestParameters":{"userName":"alice"})",
                      "IAMUser", "AKIABOB"});
    Ev elsewhere{Day(4, 21), "ListRoles",    "iam.amazonaws.com",
                 "erin",     "203.0.113.54", "Boto3/1.34"};
    elsewhere.key = "AKIAERIN";
    elsewhere.recipient = false;
    events.push_back(elsewhere);
    Ev on_behalf{Day(4, 22),
                 "CreateStack",
                 "cloudformation.amazonaws.com",
                 "deployer",
                 "cloudformation.amazonaws.com",
                 "cloudformation.amazonaws.com",
                 "",
                 "AssumedRole"};
    on_behalf.invoked_by = "cloudformation.amazonaws.com";
    events.push_back(on_behalf);
    for (bool contexts : {true, false}) {
        const Result everything = Detect(events, 1, {}, {}, contexts, Fields::kEverything);
        ASSERT_GE(everything.first_seen.size(), 3u) << everything.text;
        ASSERT_GE(everything.offboarding.size(), 2u) << everything.text;
        if (!contexts) {
            EXPECT_EQ(Detect(events, 1, {}, {}, false, Fields::kBehaviorOnly).text,
                      everything.text);
        }
        EXPECT_EQ(Detect(events, 1, {}, {}, contexts, Fields::kContexts).text, everything.text);
    }
}

TEST(BehaviorHelpersTest, UserAgentFamiliesAndNetworks) {
    EXPECT_EQ(UserAgentFamily("aws-cli/2.13.5 Python/3.11.4 Linux/4.14"), "aws-cli");
    EXPECT_EQ(UserAgentFamily("[Boto3/1.34.0 md/Botocore#1.34.0]"), "Boto3");
    EXPECT_EQ(UserAgentFamily("console.amazonaws.com"), "console.amazonaws.com");
    EXPECT_EQ(NetworkOf("203.0.113.7"), "203.0.113.0/24");
    EXPECT_EQ(NetworkOf("2001:db8:1234:5678::1"), "2001:db8:1234::/48");
    EXPECT_EQ(NetworkOf("sso.amazonaws.com"), "sso.amazonaws.com");
    EXPECT_TRUE(IsSensitiveCall("iam.amazonaws.com", "CreateAccessKey"));
    EXPECT_FALSE(IsSensitiveCall("iam.amazonaws.com", "ListUsers"));
    EXPECT_FALSE(IsSensitiveCall("ec2.amazonaws.com", "RunInstances"));
    EXPECT_FALSE(IsSensitiveCall("signin.amazonaws.com", "ConsoleLogin"));
    EXPECT_FALSE(IsSensitiveCall("sso.amazonaws.com", "Federate"));
    EXPECT_FALSE(IsSensitiveCall("secretsmanager.amazonaws.com", "GetSecretValue"));
    EXPECT_TRUE(IsSensitiveCall("secretsmanager.amazonaws.com", "BatchGetSecretValue"));
}

// The bounded rings of a principal's earliest and latest events keep exactly the `cap` first
// (or last) by (time, id), whatever the order they are offered in (shuffled, ascending as most
// trails come, descending), ties of time included.
TEST(RefRingTest, KeepsTheEarliestOrLatestWhateverTheOrder) {
    std::vector<detail::EventRef> all;
    for (int i = 0; i < 1000; ++i) {
        all.push_back({static_cast<TimeMs>(i / 3), "id-" + std::to_string(1000 + (i * 7) % 1000),
                       "Name" + std::to_string(i % 5), "AKIA" + std::to_string(i % 2)});
    }
    std::vector<detail::EventRef> sorted = all;
    std::sort(sorted.begin(), sorted.end(), detail::Before);
    auto ids = [](std::vector<detail::EventRef> v) {
        std::sort(v.begin(), v.end(), detail::Before);
        std::vector<std::string> out;
        for (const auto& r : v) out.push_back(r.id + r.name + r.key);
        return out;
    };
    const std::vector<detail::EventRef> first(sorted.begin(), sorted.begin() + 64);
    const std::vector<detail::EventRef> last(sorted.end() - 64, sorted.end());
    std::mt19937 rng(3);
    for (int round = 0; round < 6; ++round) {
        if (round == 4) {
            all = sorted;
        } else if (round == 5) {
            std::reverse(all.begin(), all.end());
        } else {
            std::shuffle(all.begin(), all.end(), rng);
        }
        detail::RefRing earliest, latest, merged_e, merged_l;
        for (size_t i = 0; i < all.size(); ++i) {
            const auto& r = all[i];
            earliest.Offer(r.time, r.id, r.name, r.key, 64, true);
            latest.Offer(r.time, r.id, r.name, r.key, 64, false);
            // Half offered as built events (as a merge does).
            if (i % 2 == 0) {
                merged_e.Offer(r, 64, true);
                merged_l.Offer(r, 64, false);
            } else {
                merged_e.Offer(r.time, r.id, r.name, r.key, 64, true);
                merged_l.Offer(r.time, r.id, r.name, r.key, 64, false);
            }
        }
        EXPECT_EQ(ids(earliest.events()), ids(first));
        EXPECT_EQ(ids(latest.events()), ids(last));
        EXPECT_EQ(ids(merged_e.events()), ids(first));
        EXPECT_EQ(ids(merged_l.events()), ids(last));
    }
    detail::RefRing none;
    none.Offer(1, "a", "b", "c", 0, true);
    EXPECT_TRUE(none.events().empty());
}

}  // namespace
}  // namespace tw::baseline
