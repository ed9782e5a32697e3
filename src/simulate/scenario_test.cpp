// Scenarios: each scenario's labelled events are present, in order, with consistent
// identities — the access key created is the one used later, the federated user ARN carries
// the GetFederationToken name, the identity-store user created is the one that signs in, the
// assignments target the accounts where the role sessions appear — and labels.jsonl is
// scored by ../shared/eval/score.py in its per-event mode.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "simulate/test_support.h"

namespace tw::simulate {
namespace {

using testing::Corpus;
using testing::Event;
using testing::JsonAt;
using testing::LabelLine;
using testing::SharedCorpus;

struct Labelled {
    const LabelLine* label;
    const Event* event;
};

// The labelled events of `scenario`, in label order, each found in the corpus.
std::vector<Labelled> Of(const Corpus& c, const std::string& scenario) {
    std::vector<Labelled> out;
    for (const auto& l : c.labels) {
        if (l["scenario"] != scenario) continue;
        const Event* e = c.Find(l["eventID"]);
        EXPECT_NE(e, nullptr) << "labelled event missing from the logs: " << l["eventID"];
        if (e != nullptr) out.push_back({&l, e});
    }
    return out;
}

std::string Field(const Event& e, std::string_view path) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(e.raw).get(doc) != simdjson::SUCCESS) return "";
    return JsonAt(doc, path);
}

// Index of the first labelled event named `name` (and from `source` when given) at or after
// `from`, or -1.
int First(const std::vector<Labelled>& v, std::string_view name, std::string_view source = {},
          size_t from = 0) {
    for (size_t i = from; i < v.size(); ++i) {
        if (v[i].event->name == name && (source.empty() || v[i].event->source == source)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void ExpectWellFormed(const std::vector<Labelled>& v, size_t at_least) {
    ASSERT_GE(v.size(), at_least);
    const std::regex technique(R"(T\d{4}(\.\d{3})?)");
    std::string previous;
    for (const auto& [l, e] : v) {
        EXPECT_TRUE(std::regex_match((*l)["technique"], technique)) << (*l)["technique"];
        EXPECT_FALSE((*l)["step"].empty());
        EXPECT_FALSE((*l)["actor"].empty());
        const std::string& label = (*l)["label"];
        EXPECT_TRUE(label == "attack" || label == "benign" || label == "setup") << label;
        EXPECT_EQ((*l)["time"], e->time);
        EXPECT_EQ((*l)["account"], e->account);
        EXPECT_EQ((*l)["region"], e->region);
        EXPECT_TRUE((*l)["event"].ends_with(":" + e->name)) << (*l)["event"];
        EXPECT_LE(previous, e->time) << "labels out of order";
        previous = e->time;
    }
}

void ExpectOrder(const std::vector<Labelled>& v,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> steps) {
    int last = -1;
    for (const auto& [name, source] : steps) {
        ASSERT_GE(First(v, name, source), 0) << name << " is missing";
        const int i = First(v, name, source, static_cast<size_t>(last + 1));
        ASSERT_GT(i, last) << name << " does not follow the step before it";
        last = i;
    }
}

TEST(SimulateScenarioTest, IdpTakeoverFollowsTheSeedDocumentInOrder) {
    const auto v = Of(SharedCorpus(), "idp-takeover");
    ExpectWellFormed(v, 60);
    // From the IdP's SCIM provisioning of the actor's user on, every event is the attack.
    for (const auto& [l, e] : v) EXPECT_EQ((*l)["label"], "attack") << e->raw;
    ExpectOrder(v, {{"CreateUser", "identitystore-scim.amazonaws.com"},
                    {"PatchGroup", "identitystore-scim.amazonaws.com"},
                    {"UserAuthentication", ""},
                    {"Authenticate", ""},
                    {"Federate", ""},
                    {"ConsoleLogin", ""},
                    {"UpdateTrail", ""},
                    {"PutEventSelectors", ""},
                    {"StartSSO", ""},
                    {"CreateInstance", ""},
                    {"CreateUser", "sso-directory.amazonaws.com"},
                    {"CreateGroup", "sso-directory.amazonaws.com"},
                    {"AddMemberToGroup", ""},
                    {"CreatePermissionSet", ""},
                    {"AttachManagedPolicyToPermissionSet", ""},
                    {"CreateAccountAssignment", ""},
                    {"CreateSAMLProvider", ""},
                    {"AttachRolePolicy", ""},
                    {"CreateAccessKey", ""},
                    {"GetFederationToken", ""},
                    {"GetSigninToken", ""}});
    // Management events off on one trail, read-only on another.
    int off = 0, read_only = 0;
    for (const auto& [l, e] : v) {
        if (e->name != "PutEventSelectors") continue;
        const std::string sel = Field(*e, "requestParameters.eventSelectors");
        if (sel.find("\"includeManagementEvents\":false") != std::string::npos) ++off;
        if (sel.find("\"readWriteType\":\"ReadOnly\"") != std::string::npos) ++read_only;
    }
    EXPECT_EQ(off, 1);
    EXPECT_EQ(read_only, 1);
    const Event& ps = *v[static_cast<size_t>(First(v, "CreatePermissionSet"))].event;
    EXPECT_EQ(Field(ps, "requestParameters.sessionDuration"), "PT12H");
    const Event& attach =
        *v[static_cast<size_t>(First(v, "AttachManagedPolicyToPermissionSet"))].event;
    EXPECT_EQ(Field(attach, "requestParameters.managedPolicyArn"),
              "arn:aws:iam::aws:policy/AdministratorAccess");
}

TEST(SimulateScenarioTest, IdpTakeoverActorIsAUserTheIdpProvisionedForIt) {
    const Corpus& c = SharedCorpus();
    const auto v = Of(c, "idp-takeover");
    ASSERT_GE(v.size(), 3u);
    const std::string& actor = (*v.front().label)["actor"];
    // SCIM provisioning: the new user's id is in the response, its name nowhere; then a group
    // patch whose member is hidden.
    const Event& create = *v[0].event;
    EXPECT_EQ(create.source, "identitystore-scim.amazonaws.com");
    EXPECT_EQ(create.name, "CreateUser");
    EXPECT_EQ(create.uid_type, "WebIdentityUser");
    const std::string user_id = Field(create, "responseElements.id");
    ASSERT_FALSE(user_id.empty());
    EXPECT_EQ(Field(create, "responseElements.userName"), "HIDDEN_DUE_TO_SECURITY_REASONS");
    EXPECT_EQ(create.raw.find(actor), std::string::npos) << "SCIM must not name the user";
    const Event& patch = *v[1].event;
    EXPECT_EQ(patch.name, "PatchGroup");
    EXPECT_EQ(patch.access_key, create.access_key) << "the same IdP token";
    EXPECT_EQ(Field(patch, "requestParameters.httpBody.operations"),
              R"([{"op":"ADD","path":"members","value":"HIDDEN_DUE_TO_SECURITY_REASONS"}])");
    const std::string group = Field(patch, "requestParameters.id");
    ASSERT_FALSE(group.empty());
    size_t naming_group = 0;
    for (const auto& e : c.events) naming_group += e.raw.find(group) != std::string::npos;
    EXPECT_EQ(naming_group, 1u) << "the group already existed: nothing else names it";
    // The user signs in through the IdP (no Identity Center password challenge) from another
    // address than the IdP's, and federates with the group's administrator permission set.
    std::string signin_ip;
    int challenges = 0;
    bool federated_admin = false;
    for (const auto& [l, e] : v) {
        if (e->name == "CredentialChallenge" || e->name == "CredentialVerification") ++challenges;
        if (e->name == "UserAuthentication" && signin_ip.empty()) {
            EXPECT_EQ(Field(*e, "userIdentity.onBehalfOf.userId"), user_id);
            EXPECT_EQ(Field(*e, "additionalEventData.CredentialType"), "EXTERNAL_IDP");
            signin_ip = Field(*e, "sourceIPAddress");
        }
        if (e->name == "Federate" && Field(*e, "userIdentity.onBehalfOf.userId") == user_id) {
            federated_admin = federated_admin ||
                              Field(*e, "serviceEventDetails.role_name") == "AdministratorAccess";
        }
    }
    EXPECT_EQ(challenges, 0);
    EXPECT_TRUE(federated_admin);
    EXPECT_NE(signin_ip, Field(create, "sourceIPAddress"));
    // Nobody else is that user: every event that names it, or is made as it, is labelled.
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    for (const auto& e : c.events) {
        if (labelled.count(e.event_id)) continue;
        EXPECT_EQ(e.raw.find(actor), std::string::npos) << e.raw;
        EXPECT_EQ(e.raw.find(user_id), std::string::npos) << e.raw;
    }
}

TEST(SimulateScenarioTest, WithAnExternalIdpEveryoneSignsInThroughItAndItProvisionsOverScim) {
    const Corpus& c = SharedCorpus();
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    std::set<std::string> tokens;
    int signins = 0, updates = 0;
    for (const auto& e : c.events) {
        EXPECT_NE(e.name, "CredentialChallenge") << "one identity source: the external IdP";
        if (e.name == "UserAuthentication") {
            EXPECT_EQ(Field(e, "additionalEventData.CredentialType"), "EXTERNAL_IDP");
            ++signins;
        }
        if (e.source == "identitystore-scim.amazonaws.com") {
            tokens.insert(e.access_key);
            if (!labelled.count(e.event_id)) {
                EXPECT_EQ(e.name, "PatchUser") << "the background only updates users";
                ++updates;
            }
        }
    }
    EXPECT_GT(signins, 20);
    EXPECT_GT(updates, 0) << "the IdP's routine updates";
    EXPECT_EQ(tokens.size(), 1u) << "one IdP, one SCIM token";
}

TEST(SimulateScenarioTest, IdpTakeoverAdminVariantSignsInAsAnExistingAdmin) {
    testing::TempDir tmp;
    SimulateOptions o;
    o.accounts = 3;
    o.days = 1;
    o.events_per_day = 3000;
    o.seed = 5;
    o.threads = 1;
    o.scenarios = {"idp-takeover-admin"};
    const Corpus c = testing::SimulateAndRead(o, tmp.path());
    const auto v = Of(c, "idp-takeover-admin");
    ExpectWellFormed(v, 55);
    ExpectOrder(v, {{"UserAuthentication", ""},
                    {"Federate", ""},
                    {"UpdateTrail", ""},
                    {"CreateUser", "sso-directory.amazonaws.com"},
                    {"CreateAccountAssignment", ""},
                    {"GetFederationToken", ""},
                    {"ConsoleLogin", ""}});
    for (const auto& [l, e] : v) {
        EXPECT_NE(e->source, "identitystore-scim.amazonaws.com") << "no user is provisioned";
    }
    // The actor is an admin who also works in the background.
    const std::string& admin = (*v.front().label)["actor"];
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    int own = 0;
    for (const auto& e : c.events) {
        own += !labelled.count(e.event_id) && e.uid_arn.ends_with("/" + admin);
    }
    EXPECT_GT(own, 0);
}

TEST(SimulateScenarioTest, IdpTakeoverIdentitiesAreConsistentEndToEnd) {
    const Corpus& c = SharedCorpus();
    const auto v = Of(c, "idp-takeover");
    ASSERT_FALSE(v.empty());

    // The identity-store user: its id is in the CreateUser response (its name is not), and it
    // is the one that signs in later, by name.
    const Event& create =
        *v[static_cast<size_t>(First(v, "CreateUser", "sso-directory.amazonaws.com"))].event;
    const std::string user_id = Field(create, "responseElements.user.userId");
    ASSERT_FALSE(user_id.empty());
    std::string user_name;
    for (const auto& [l, e] : v) {
        if (e->time > create.time && e->name == "UserAuthentication" &&
            Field(*e, "userIdentity.onBehalfOf.userId") == user_id) {
            user_name = Field(*e, "userIdentity.userName");
        }
    }
    ASSERT_FALSE(user_name.empty()) << "the created user never signs in";
    EXPECT_EQ(create.raw.find(user_name), std::string::npos) << "CreateUser must not name the user";

    // Its role sessions appear only in accounts the assignments target.
    std::set<std::string> targets, sessions;
    for (const auto& [l, e] : v) {
        if (e->name == "CreateAccountAssignment") {
            targets.insert(Field(*e, "requestParameters.targetId"));
        }
    }
    EXPECT_GE(targets.size(), 3u);
    for (const auto& e : c.events) {
        if (e.uid_arn.find("AWSReservedSSO_PlatformRecovery_") != std::string::npos) {
            EXPECT_TRUE(e.uid_arn.ends_with("/" + user_name)) << e.uid_arn;
            sessions.insert(e.account);
        }
    }
    ASSERT_GE(sessions.size(), 2u);
    for (const auto& a : sessions) EXPECT_TRUE(targets.count(a)) << a << " was never assigned";

    // The SAML provider created is the one AssumeRoleWithSAML goes through; its credentials
    // are used after.
    const Event& provider = *v[static_cast<size_t>(First(v, "CreateSAMLProvider"))].event;
    const std::string provider_arn = Field(provider, "responseElements.sAMLProviderArn");
    std::string saml_key;
    for (const auto& [l, e] : v) {
        if (e->name == "AssumeRoleWithSAML" &&
            Field(*e, "requestParameters.principalArn") == provider_arn) {
            saml_key = Field(*e, "responseElements.credentials.accessKeyId");
        }
    }
    ASSERT_FALSE(saml_key.empty()) << "no AssumeRoleWithSAML through " << provider_arn;

    // The access key created is the one used next; GetFederationToken's name is the ARN of
    // the federated user's calls, made with the key it returned.
    const Event& key_event = *v[static_cast<size_t>(First(v, "CreateAccessKey"))].event;
    EXPECT_EQ(key_event.access_key, saml_key) << "CreateAccessKey is made with the SAML session";
    const std::string key = Field(key_event, "responseElements.accessKey.accessKeyId");
    const Event& fed = *v[static_cast<size_t>(First(v, "GetFederationToken"))].event;
    EXPECT_EQ(fed.access_key, key);
    EXPECT_GT(fed.time, key_event.time);
    const std::string name = Field(fed, "requestParameters.name");
    const std::string fed_key = Field(fed, "responseElements.credentials.accessKeyId");
    const std::string fed_arn = Field(fed, "responseElements.federatedUser.arn");
    EXPECT_EQ(fed_arn, "arn:aws:sts::" + fed.account + ":federated-user/" + name);
    int federated_calls = 0;
    for (const auto& [l, e] : v) {
        if (e->uid_type != "FederatedUser") continue;
        ++federated_calls;
        EXPECT_EQ(e->uid_arn, fed_arn);
        EXPECT_EQ(e->access_key, fed_key);
        EXPECT_GT(e->time, fed.time);
    }
    EXPECT_GE(federated_calls, 4);
    const Event& login = *v.back().event;
    EXPECT_EQ(login.name, "ConsoleLogin");
    EXPECT_EQ(login.uid_arn, fed_arn);

    // The actor's addresses never appear in the background.
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    std::set<std::string> actor_ips;
    for (const auto& [l, e] : v) {
        const std::string ip = Field(*e, "sourceIPAddress");
        if (ip.starts_with("192.0.2.")) actor_ips.insert(ip);
    }
    EXPECT_GE(actor_ips.size(), 2u);
    for (const auto& e : c.events) {
        if (labelled.count(e.event_id)) continue;
        for (const auto& ip : actor_ips) EXPECT_EQ(e.raw.find("\"" + ip + "\""), std::string::npos);
    }
}

TEST(SimulateScenarioTest, LoggingTamperReducesStopsDeletesAndExpiresWithOneLeakedKey) {
    const auto v = Of(SharedCorpus(), "logging-tamper");
    ExpectWellFormed(v, 6);
    ExpectOrder(v, {{"DescribeTrails", ""},
                    {"PutEventSelectors", ""},
                    {"StopLogging", ""},
                    {"DeleteTrail", ""},
                    {"PutBucketLifecycle", ""}});
    std::set<std::string> keys;
    for (const auto& [l, e] : v) keys.insert(e->access_key);
    EXPECT_EQ(keys.size(), 1u);
    EXPECT_TRUE(keys.begin()->starts_with("AKIA"));
    const Event& lc = *v[static_cast<size_t>(First(v, "PutBucketLifecycle"))].event;
    EXPECT_EQ(Field(lc, "requestParameters.LifecycleConfiguration.Rule.Expiration.Days"), "1");
}

TEST(SimulateScenarioTest, InsiderReturnsWithTheKeyForgottenAtOffboarding) {
    const Corpus& c = SharedCorpus();
    const auto v = Of(c, "insider-return");
    ExpectWellFormed(v, 10);
    ExpectOrder(v, {{"DeleteUser", "sso-directory.amazonaws.com"},
                    {"DeleteLoginProfile", ""},
                    {"GetCallerIdentity", ""},
                    {"GetSecretValue", ""}});
    const Event& profile = *v[static_cast<size_t>(First(v, "DeleteLoginProfile"))].event;
    const std::string user = Field(profile, "requestParameters.userName");
    std::string key, offboarded = profile.time, returned;
    for (const auto& [l, e] : v) {
        EXPECT_NE(e->name, "DeleteAccessKey") << "the key must be forgotten";
        if ((*l)["label"] == "attack") {
            EXPECT_TRUE(e->uid_arn.ends_with(":user/" + user)) << e->uid_arn;
            if (key.empty()) {
                key = e->access_key;
                returned = e->time;
            }
            EXPECT_EQ(e->access_key, key);
        } else {
            EXPECT_EQ((*l)["label"], "setup");
        }
    }
    ASSERT_FALSE(key.empty());
    // The key was in use before the offboarding, and silent from then until the return.
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    int before = 0;
    for (const auto& e : c.events) {
        if (e.access_key != key || labelled.count(e.event_id)) continue;
        EXPECT_LT(e.time, offboarded) << e.raw;
        ++before;
    }
    EXPECT_GT(before, 0) << "the key should have a history before the offboarding";
    EXPECT_GT(returned, offboarded);
}

TEST(SimulateScenarioTest, SocialEngineeringOpensPortsAndMintsAKeyThatIsUsedElsewhere) {
    const auto v = Of(SharedCorpus(), "social-engineering-change");
    ExpectWellFormed(v, 10);
    std::set<std::string> ports;
    std::string engineer_ip, key, engineer;
    for (const auto& [l, e] : v) {
        if (e->name == "AuthorizeSecurityGroupIngress") {
            EXPECT_NE(e->raw.find("\"cidrIp\":\"0.0.0.0/0\""), std::string::npos);
            ports.insert(Field(*e, "responseElements.securityGroupRuleSet"));
            engineer_ip = Field(*e, "sourceIPAddress");
            engineer = e->uid_arn;
            const int hour = std::stoi(e->time.substr(11, 2));
            EXPECT_TRUE(hour < 12 || hour >= 23) << "outside the change window: " << e->time;
        }
        if (e->name == "CreateAccessKey") key = Field(*e, "responseElements.accessKey.accessKeyId");
    }
    EXPECT_EQ(ports.size(), 2u);
    bool port22 = false, port3389 = false;
    for (const auto& p : ports) {
        port22 = port22 || p.find("\"fromPort\":22,") != std::string::npos;
        port3389 = port3389 || p.find("\"fromPort\":3389,") != std::string::npos;
    }
    EXPECT_TRUE(port22 && port3389);
    ASSERT_FALSE(key.empty());
    int used = 0;
    for (const auto& [l, e] : v) {
        if (e->access_key != key) continue;
        ++used;
        EXPECT_NE(Field(*e, "sourceIPAddress"), engineer_ip);
        EXPECT_EQ((*l)["label"], "attack");
    }
    EXPECT_GE(used, 2);
    EXPECT_NE(engineer.find("AWSReservedSSO_"), std::string::npos);
}

TEST(SimulateScenarioTest, BenignAdminIsTheUsualAdminFromTheUsualNetwork) {
    const Corpus& c = SharedCorpus();
    const auto v = Of(c, "benign-admin");
    ExpectWellFormed(v, 25);
    std::set<std::string> ips;
    std::string admin;
    for (const auto& [l, e] : v) {
        EXPECT_EQ((*l)["label"], "benign");
        if (e->name == "CreatePermissionSet") {
            EXPECT_NE(Field(*e, "requestParameters.sessionDuration"), "PT12H");
            ips.insert(Field(*e, "sourceIPAddress"));
            admin = (*l)["actor"];
        }
    }
    ASSERT_EQ(ips.size(), 1u);
    ExpectOrder(v, {{"CreatePermissionSet", ""},
                    {"CreateAccountAssignment", ""},
                    {"CreateUser", "sso-directory.amazonaws.com"},
                    {"PutEventSelectors", ""},
                    {"UserAuthentication", ""}});
    // The admin works from the same address in the background.
    int seen = 0;
    for (const auto& e : c.events) {
        if (e.uid_arn.ends_with("/" + admin) &&
            e.raw.find("\"" + *ips.begin() + "\"") != std::string::npos) {
            ++seen;
        }
    }
    EXPECT_GT(seen, static_cast<int>(v.size()));
}

TEST(SimulateScoreTest, ScorePyScoresTheLabelsInItsPerEventMode) {
    const std::string shared = testing::SharedDir();
    if (shared.empty() || std::system("python3 --version > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "../shared/eval/score.py or python3 is absent";
    }
    const Corpus& c = SharedCorpus();
    std::string saml, benign, federation;
    int attacks = 0, benigns = 0;
    for (const auto& l : c.labels) {
        if (l["label"] == "attack") ++attacks;
        if (l["label"] == "benign") ++benigns;
        if (l["event"] == "iam:CreateSAMLProvider") saml = l["eventID"];
        if (l["event"] == "sts:GetFederationToken") federation = l["eventID"];
        if (l["event"] == "sso:CreatePermissionSet" && l["label"] == "benign")
            benign = l["eventID"];
    }
    ASSERT_FALSE(saml.empty() || benign.empty() || federation.empty());
    testing::TempDir tmp;
    const std::string findings = tmp.path() + "/findings.jsonl";
    {
        std::ofstream f(findings);
        f << R"({"rule_id":"saml-provider","severity":"high","mitre":["T1484.002"],"event_ids":[")"
          << saml << "\"]}\n";
        f << R"({"rule_id":"federation","severity":"medium","event_ids":[")" << federation
          << "\"]}\n";
        f << R"({"rule_id":"permission-set","severity":"medium","event_ids":[")" << benign
          << "\"]}\n";
    }
    const std::string out = tmp.path() + "/score.json";
    const std::string cmd = "python3 " + shared + "/eval/score.py --labels " + c.dir +
                            " --findings " + findings + " --json > " + out;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text = text.substr(0, text.rfind('}') + 1);  // drop the summary line
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << text;
    simdjson::dom::element r = doc["results"].at(0);
    EXPECT_EQ(JsonAt(r, "corpus"), "invictus");
    EXPECT_EQ(JsonAt(r, "events.attack"), std::to_string(attacks));
    EXPECT_EQ(JsonAt(r, "events.benign"), std::to_string(benigns));
    EXPECT_EQ(JsonAt(r, "false_positive_findings"), "1");
    EXPECT_EQ(JsonAt(r, "attack_events_flagged"), "2");
    EXPECT_EQ(JsonAt(r, "techniques_detected"), "2");  // T1484.002 and T1550.001
}

}  // namespace
}  // namespace tw::simulate
