// `timeline` on the real Stratus Red Team detonation logs of ../shared/corpus (skipped when
// the corpus or a technique's file is absent), and the same federation-token check on records
// written here.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <set>

#include "identity/test_support.h"
#include "testing/test_util.h"

namespace tw::identity {
namespace {

using tw::testing::RunTrailwarden;
using tw::testing::ShellQuote;

struct Record {
    std::string event_id, event_name, type, user_name, arn, key, issued_key, error;
};

// The records of a Stratus file (a JSON array) or of a {"Records": [...]} file.
std::vector<Record> Load(const std::string& path) {
    std::vector<Record> out;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.load(path).get(doc) != simdjson::SUCCESS) return out;
    simdjson::dom::array records;
    if (doc.get_array().get(records) != simdjson::SUCCESS &&
        doc["Records"].get_array().get(records) != simdjson::SUCCESS) {
        return out;
    }
    for (simdjson::dom::element e : records) {
        Record r;
        std::string_view s;
        if (e["eventID"].get_string().get(s) == simdjson::SUCCESS) r.event_id = s;
        if (e["eventName"].get_string().get(s) == simdjson::SUCCESS) r.event_name = s;
        if (e["userIdentity"]["type"].get_string().get(s) == simdjson::SUCCESS) r.type = s;
        if (e["userIdentity"]["userName"].get_string().get(s) == simdjson::SUCCESS) r.user_name = s;
        if (e["userIdentity"]["arn"].get_string().get(s) == simdjson::SUCCESS) r.arn = s;
        if (e["userIdentity"]["accessKeyId"].get_string().get(s) == simdjson::SUCCESS) r.key = s;
        if (e["responseElements"]["credentials"]["accessKeyId"].get_string().get(s) ==
            simdjson::SUCCESS) {
            r.issued_key = s;
        }
        if (e["errorCode"].get_string().get(s) == simdjson::SUCCESS) r.error = s;
        out.push_back(r);
    }
    return out;
}

std::set<std::string> TimelineIds(const std::string& path, const std::string& actor) {
    const auto r = RunTrailwarden("timeline " + ShellQuote(path) + " --actor " + ShellQuote(actor) +
                                  " --format jsonl -q");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> ids;
    const std::string key = "\"eventID\":\"";
    for (size_t line = 0; line < r.out.size(); line = r.out.find('\n', line) + 1) {
        const size_t p = r.out.find(key, line);
        if (p == std::string::npos) break;
        const size_t start = p + key.size();
        ids.insert(r.out.substr(start, r.out.find('"', start) - start));
        if (r.out.find('\n', line) == std::string::npos) break;
    }
    return ids;
}

std::string StratusFile(const std::string& technique) {
    const std::string shared = tw::testing::SharedDir();
    if (shared.empty()) return {};
    const std::string path = shared + "/corpus/stratus/" + technique + ".json";
    return std::filesystem::exists(path) ? path : std::string();
}

// Following the IAM user that called GetFederationToken reaches every later call of the
// federated session.
void ExpectFederationFollowed(const std::string& path) {
    const std::vector<Record> records = Load(path);
    std::string user, token_event;
    std::set<std::string> federated;
    for (const Record& r : records) {
        if (r.event_name == "GetFederationToken" && r.type == "IAMUser") {
            user = r.arn;
            token_event = r.event_id;
        }
        if (r.type == "FederatedUser") federated.insert(r.event_id);
    }
    ASSERT_FALSE(user.empty()) << "no GetFederationToken by an IAM user in " << path;
    ASSERT_FALSE(federated.empty()) << "no call by the federated session in " << path;
    const std::set<std::string> got = TimelineIds(path, user);
    EXPECT_TRUE(got.count(token_event)) << "the GetFederationToken call itself";
    for (const std::string& id : federated) EXPECT_TRUE(got.count(id)) << id;
}

TEST(StratusCorpusTest, FederationTokenSessionIsFollowedFromTheIamUser) {
    const std::string path = StratusFile("aws.persistence.sts-federation-token");
    if (path.empty()) GTEST_SKIP() << "aws.persistence.sts-federation-token is not in this corpus";
    ExpectFederationFollowed(path);
}

TEST(StratusCorpusTest, AssumedRoleSessionsAreFollowedFromTheIamUser) {
    const std::string path = StratusFile("aws.credential-access.ec2-get-password-data");
    if (path.empty()) GTEST_SKIP() << "corpus absent";
    const std::vector<Record> records = Load(path);
    std::set<std::string> all;
    size_t sessions = 0;
    for (const Record& r : records) {
        all.insert(r.event_id);
        sessions += r.type == "AssumedRole";
    }
    ASSERT_GT(sessions, 0u);
    // Every event of this detonation is the user's or its sessions' (labels.jsonl: all attack).
    EXPECT_EQ(TimelineIds(path, "christophe"), all);
}

TEST(StratusCorpusTest, KeyCreatedForAnotherUserIsTheCreatorsCredential) {
    const std::string path = StratusFile("aws.persistence.iam-create-admin-user");
    if (path.empty()) GTEST_SKIP() << "corpus absent";
    const Graph g = fixture::BuildGraphFromFiles({path});
    std::string created;
    for (NodeId n = 0; n < g.node_count(); ++n) {
        if (g.node(n).kind == NodeKind::kAccessKey &&
            g.str(g.node(n).name) == "malicious-iam-user") {
            created = std::string(g.str(g.node(n).key));
        }
    }
    ASSERT_FALSE(created.empty());
    const NodeId key = g.FindKey(created);
    EXPECT_EQ(g.node(g.RootChain(key).root()).kind, NodeKind::kIamUser);
    EXPECT_EQ(g.str(g.node(g.RootChain(key).root()).name), "christophe");
}

TEST(StratusCorpusTest, WholeCorpusTimelineOfTheDetonatingUserIsItsEvents) {
    const std::string shared = tw::testing::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "corpus absent";
    const std::string dir = shared + "/corpus/stratus";
    // The user's own events and those made with the keys its AssumeRole calls returned; no
    // other (e.g. not the sessions whose issuance the detonation logs do not show).
    std::vector<Record> all;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        for (const Record& r : Load(entry.path().string())) all.push_back(r);
    }
    std::set<std::string> issued, want;
    for (const Record& r : all) {
        if (r.user_name == "christophe" && !r.issued_key.empty()) issued.insert(r.issued_key);
    }
    for (const Record& r : all) {
        if (r.user_name == "christophe" || issued.count(r.key)) want.insert(r.event_id);
    }
    ASSERT_GT(want.size(), 100u);
    EXPECT_EQ(TimelineIds(dir, "christophe"), want);
}

// The same check as FederationTokenSessionIsFollowedFromTheIamUser, on records written here.
TEST(FederationFixtureTest, FederationTokenSessionIsFollowedFromTheIamUser) {
    using fixture::Rec;
    const std::string acct = "222233334444";
    std::vector<Rec> recs;
    recs.push_back({.time = "2024-08-01T13:00:00Z",
                    .name = "GetCallerIdentity",
                    .identity = fixture::IamUserId(acct, "stratus-user", "AKIASTRATUS000000001"),
                    .account = acct,
                    .read_only = true});
    recs.push_back(
        {.time = "2024-08-01T13:00:01Z",
         .name = "GetFederationToken",
         .identity = fixture::IamUserId(acct, "stratus-user", "AKIASTRATUS000000001"),
         .request = R"({"name": "stratus_red_team", "durationSeconds": 129600, )"
                    R"("policy": "{\"Version\":\"2012-10-17\"}"})",
         .response = R"({"credentials": {"accessKeyId": "ASIASTRATUSFED000001", )"
                     R"("sessionToken": "IQoJEXAMPLE", "expiration": "Aug 3, 2024, 1:00:01 AM"}, )"
                     R"("federatedUser": {"federatedUserId": "222233334444:stratus_red_team", )"
                     R"("arn": "arn:aws:sts::222233334444:federated-user/stratus_red_team"}, )"
                     R"("packedPolicySize": 3})",
         .account = acct});
    for (const char* api : {"GetCallerIdentity", "ListUsers", "DescribeInstances"}) {
        recs.push_back({.time = "2024-08-01T13:00:05Z",
                        .name = api,
                        .identity = fixture::FederatedId(acct, "stratus_red_team",
                                                         "ASIASTRATUSFED000001", "stratus-user"),
                        .account = acct,
                        .read_only = true});
    }
    recs.push_back({.time = "2024-08-01T13:00:06Z",
                    .name = "GetCallerIdentity",
                    .identity = fixture::IamUserId(acct, "someone-else", "AKIAOTHER00000000001"),
                    .account = acct,
                    .read_only = true});
    std::string doc = "[";
    for (size_t i = 0; i < recs.size(); ++i) doc += (i ? ",\n" : "") + recs[i].Json();
    tw::testing::TempDir dir;
    const std::string path = dir.Write("aws.persistence.sts-federation-token.json", doc + "]");
    ExpectFederationFollowed(path);
    const std::set<std::string> got =
        TimelineIds(path, "arn:aws:iam::222233334444:user/stratus-user");
    EXPECT_EQ(got.size(), recs.size() - 1) << "all but someone-else's call";
    EXPECT_FALSE(got.count(recs.back().EventId()));
}

}  // namespace
}  // namespace tw::identity
