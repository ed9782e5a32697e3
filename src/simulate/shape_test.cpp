// Record shapes: every generated record carries the fields real CloudTrail records carry for
// its event name. Where ../shared/corpus has real records of the same eventName
// (TrailDiscover, Stratus), the top-level and userIdentity key sets must equal one of theirs
// (after removing keys whose presence depends on the circumstances: error fields for failed
// calls, tlsDetails for calls made inside AWS, and the like); Panther's test events, often
// partial, must be covered. Skips cleanly when the corpus is absent.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "simulate/test_support.h"

namespace tw::simulate {
namespace {

namespace fs = std::filesystem;
using KeySet = std::set<std::string>;

struct Shape {
    KeySet top, uid;
    std::string uid_type;
    bool failed = false;
    bool service = false;  // made inside AWS: no tlsDetails
};

Shape ShapeOf(simdjson::dom::object rec) {
    Shape s;
    for (auto f : rec) s.top.insert(std::string(f.key));
    simdjson::dom::object uid;
    if (rec["userIdentity"].get_object().get(uid) == simdjson::SUCCESS) {
        for (auto f : uid) s.uid.insert(std::string(f.key));
        std::string_view t;
        if (uid["type"].get_string().get(t) == simdjson::SUCCESS) s.uid_type = std::string(t);
    }
    std::string_view code;
    s.failed = rec["errorCode"].get_string().get(code) == simdjson::SUCCESS && !code.empty();
    std::string_view ip;
    if (rec["sourceIPAddress"].get_string().get(ip) == simdjson::SUCCESS) {
        s.service = ip == "AWS Internal" || ip.ends_with(".amazonaws.com");
    }
    return s;
}

// Keys whose presence depends on the circumstances of one call rather than on its kind.
KeySet Normalize(const Shape& s, const Shape& other) {
    KeySet k;
    for (const auto& key : s.top) {
        if (key == "errorCode" || key == "errorMessage" || key == "sessionCredentialFromConsole" ||
            key == "sharedEventID" || key == "vpcEndpointId" || key == "vpcEndpointAccountId" ||
            key.starts_with("p_")) {
            continue;
        }
        if (key == "resources" && (s.failed || other.failed)) continue;
        if (key == "tlsDetails" && (s.service || other.service)) continue;
        k.insert(key);
    }
    return k;
}

std::string Join(const KeySet& k) {
    std::string s;
    for (const auto& x : k) s += (s.empty() ? "" : ",") + x;
    return s;
}

struct References {
    std::map<std::string, std::vector<Shape>> real, partial;  // by "eventSource|eventName"
    std::map<std::string, std::vector<KeySet>> uid_by_type;   // real records only
};

void AddRecord(References& refs, simdjson::dom::element el, bool real) {
    simdjson::dom::object rec;
    if (el.get_object().get(rec) != simdjson::SUCCESS) return;
    std::string_view name, source;
    if (rec["eventName"].get_string().get(name) != simdjson::SUCCESS) return;
    if (rec["eventSource"].get_string().get(source) != simdjson::SUCCESS) source = "";
    Shape s = ShapeOf(rec);
    const std::string key = std::string(source) + "|" + std::string(name);
    if (real) {
        if (!s.uid_type.empty()) refs.uid_by_type[s.uid_type].push_back(s.uid);
        refs.real[key].push_back(std::move(s));
    } else {
        refs.partial[key].push_back(std::move(s));
    }
}

std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

References LoadReferences(const std::string& shared) {
    References refs;
    simdjson::dom::parser parser;
    for (const char* dir : {"/corpus/traildiscover", "/corpus/stratus"}) {
        for (const auto& entry : fs::directory_iterator(shared + dir)) {
            if (entry.path().extension() != ".json") continue;
            const std::string text = Slurp(entry.path());
            simdjson::dom::element doc;
            if (parser.parse(text).get(doc) != simdjson::SUCCESS) continue;
            simdjson::dom::array arr;
            if (doc.get_array().get(arr) == simdjson::SUCCESS) {
                for (auto el : arr) AddRecord(refs, el, true);
            } else {
                AddRecord(refs, doc, true);
            }
        }
    }
    std::ifstream tests(shared + "/corpus/panther/tests.jsonl");
    std::string line;
    while (std::getline(tests, line)) {
        simdjson::dom::element doc;
        if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;
        std::string_view shape;
        if (doc["log_shape"].get_string().get(shape) != simdjson::SUCCESS ||
            shape != "cloudtrail") {
            continue;
        }
        simdjson::dom::element ev;
        if (doc["event"].get(ev) == simdjson::SUCCESS) AddRecord(refs, ev, false);
    }
    return refs;
}

// userIdentity key sets of the types the corpus has no real record of, from the AWS
// CloudTrail documentation (userIdentity element; Identity Center sign-in events).
const std::map<std::string, std::vector<KeySet>> kDocumentedUid = {
    {"Unknown",
     {{"type", "principalId", "arn", "accountId", "accessKeyId", "userName", "onBehalfOf",
       "credentialId"}}},
    {"IdentityCenterUser", {{"type", "accountId", "onBehalfOf", "credentialId"}}},
    {"SAMLUser", {{"type", "principalId", "userName", "identityProvider"}}},
    {"FederatedUser",
     {{"type", "principalId", "arn", "accountId", "accessKeyId", "sessionContext"}}},
    {"AWSService", {{"type", "invokedBy"}}},
    // The SCIM access token of an external IdP (Logging IAM Identity Center SCIM API calls).
    {"WebIdentityUser", {{"type", "accountId", "accessKeyId"}}},
};

const KeySet kAlways = {
    "eventVersion", "userIdentity",    "eventTime", "eventSource",       "eventName",
    "awsRegion",    "sourceIPAddress", "userAgent", "requestParameters", "responseElements",
    "eventID",      "readOnly",        "eventType", "managementEvent",   "recipientAccountId",
    "eventCategory"};

TEST(SimulateShapeTest, EveryRecordHasTheFieldsOfRealRecordsOfItsEventName) {
    const std::string shared = testing::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/corpus is absent";
    const References refs = LoadReferences(shared);
    ASSERT_GT(refs.real.size(), 100u) << "the corpus looks incomplete";
    const auto& corpus = testing::SharedCorpus();
    ASSERT_FALSE(corpus.events.empty());

    simdjson::dom::parser parser;
    std::set<std::string> checked;  // one record per (eventName, identity type, failed, ...)
    int compared_real = 0, compared_partial = 0;
    for (const auto& e : corpus.events) {
        simdjson::dom::element doc;
        ASSERT_EQ(parser.parse(e.raw).get(doc), simdjson::SUCCESS) << e.raw;
        simdjson::dom::object rec;
        ASSERT_EQ(doc.get_object().get(rec), simdjson::SUCCESS);
        const Shape mine = ShapeOf(rec);
        const std::string key = e.name + "|" + mine.uid_type + "|" + std::to_string(mine.failed) +
                                std::to_string(mine.service) + "|" + Join(mine.top);
        if (!checked.insert(key).second) continue;

        for (const auto& k : kAlways) EXPECT_TRUE(mine.top.count(k)) << k << " missing: " << e.raw;

        // Top-level keys against real records of the same name.
        const std::string ref_key = e.source + "|" + e.name;
        auto real = refs.real.find(ref_key);
        if (real != refs.real.end()) {
            ++compared_real;
            bool match = false;
            std::string closest;
            for (const Shape& ref : real->second) {
                const KeySet a = Normalize(mine, ref), b = Normalize(ref, mine);
                if (a == b) match = true;
                closest = Join(b);
            }
            EXPECT_TRUE(match) << e.name << ": generated " << Join(Normalize(mine, mine))
                               << "\n  real " << closest << "\n  " << e.raw;
        }
        auto partial = refs.partial.find(ref_key);
        if (partial != refs.partial.end()) {
            ++compared_partial;
            for (const Shape& ref : partial->second) {
                if (ref.top.size() < 12) continue;  // hand-written fragments
                for (const auto& k : Normalize(ref, mine)) {
                    if (k == "apiVersion" || k == "additionalEventData" || k == "tlsDetails") {
                        continue;  // optional in the era or service the test was written for
                    }
                    EXPECT_TRUE(mine.top.count(k))
                        << e.name << ": Panther's test event has " << k << "; " << e.raw;
                }
            }
        }

        // userIdentity keys: those of a real record of the same type (the same event name is
        // often called by another kind of caller in the corpus, e.g. a service on a user's
        // behalf, which adds invokedBy).
        std::vector<KeySet> candidates;
        if (auto t = refs.uid_by_type.find(mine.uid_type); t != refs.uid_by_type.end()) {
            candidates = t->second;
        }
        if (auto d = kDocumentedUid.find(mine.uid_type); d != kDocumentedUid.end()) {
            candidates.insert(candidates.end(), d->second.begin(), d->second.end());
        }
        ASSERT_FALSE(candidates.empty()) << "unexpected identity type " << e.raw;
        bool uid_match = false;
        for (const auto& c : candidates) uid_match = uid_match || c == mine.uid;
        EXPECT_TRUE(uid_match) << e.name << " " << mine.uid_type << ": userIdentity keys "
                               << Join(mine.uid) << " match no real record; " << e.raw;
    }
    EXPECT_GT(compared_real, 40) << "too few event names compared with real records";
    EXPECT_GT(compared_partial, 10);
}

// SCIM records have no real counterpart in the corpus: compare them with AWS's documented
// examples (Logging IAM Identity Center SCIM API calls with AWS CloudTrail), key for key.
TEST(SimulateShapeTest, ScimRecordsHaveTheKeysOfAwsDocumentedExamples) {
    const auto& corpus = testing::SharedCorpus();
    const KeySet top = {"eventVersion",       "userIdentity",  "eventTime",
                        "eventSource",        "eventName",     "awsRegion",
                        "sourceIPAddress",    "userAgent",     "requestParameters",
                        "responseElements",   "requestID",     "eventID",
                        "readOnly",           "eventType",     "managementEvent",
                        "recipientAccountId", "eventCategory", "tlsDetails"};
    const std::map<std::string, KeySet> request = {{"CreateUser", {"httpBody", "tenantId"}},
                                                   {"PatchGroup", {"httpBody", "tenantId", "id"}},
                                                   {"PatchUser", {"httpBody", "tenantId", "id"}}};
    const KeySet created = {"meta", "displayName", "schemas", "name", "active", "id", "userName"};
    simdjson::dom::parser parser;
    std::set<std::string> seen;
    for (const auto& e : corpus.events) {
        if (e.source != "identitystore-scim.amazonaws.com") continue;
        seen.insert(e.name);
        simdjson::dom::object rec;
        ASSERT_EQ(parser.parse(e.raw).get_object().get(rec), simdjson::SUCCESS);
        const Shape s = ShapeOf(rec);
        EXPECT_EQ(Join(s.top), Join(top)) << e.raw;
        EXPECT_EQ(Join(s.uid), "accessKeyId,accountId,type") << e.raw;
        EXPECT_EQ(s.uid_type, "WebIdentityUser");
        std::string_view version;
        EXPECT_EQ(rec["eventVersion"].get_string().get(version), simdjson::SUCCESS);
        EXPECT_EQ(version, "1.10");
        KeySet req;
        simdjson::dom::object rp;
        ASSERT_EQ(rec["requestParameters"].get_object().get(rp), simdjson::SUCCESS) << e.raw;
        for (auto f : rp) req.insert(std::string(f.key));
        ASSERT_TRUE(request.count(e.name)) << e.name;
        EXPECT_EQ(Join(req), Join(request.at(e.name))) << e.raw;
        if (e.name == "CreateUser") {
            KeySet resp;
            simdjson::dom::object re;
            ASSERT_EQ(rec["responseElements"].get_object().get(re), simdjson::SUCCESS);
            for (auto f : re) resp.insert(std::string(f.key));
            EXPECT_EQ(Join(resp), Join(created)) << e.raw;
        }
        // Personal values are never logged.
        EXPECT_EQ(e.raw.find("@"), std::string::npos) << e.raw;
    }
    EXPECT_EQ(seen, (std::set<std::string>{"CreateUser", "PatchGroup", "PatchUser"}));
}

}  // namespace
}  // namespace tw::simulate
