// The simulator's output as a whole: it is read back by the project's ingest with the counts
// the generator reports, files are laid out as CloudTrail delivers them, the same seed gives
// the same bytes, and the background behaves like an organization (rhythm, errors, services)
// without looking like the attacks.
#include "simulate/simulate.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/test_support.h"

namespace tw::simulate {
namespace {

using testing::Corpus;
using testing::SharedCorpus;
using testing::TempDir;

TEST(SimulateIngestTest, EveryRecordIsReadBackWithTheCountsTheGeneratorReports) {
    const Corpus& c = SharedCorpus();
    ASSERT_GT(c.stats.events, 10000u);
    EXPECT_EQ(c.ingest.events, c.stats.events);
    EXPECT_EQ(c.events.size(), c.stats.events);
    EXPECT_EQ(c.ingest.files_read, c.stats.files);
    EXPECT_EQ(c.ingest.records_skipped, 0u);
    EXPECT_EQ(c.problems, 0u);
    // Two days at 15,000 events a day, within the noise of the generator.
    EXPECT_NEAR(static_cast<double>(c.stats.events), 30000.0, 3000.0);
    std::set<std::string> ids;
    for (const auto& e : c.events) ids.insert(e.event_id);
    EXPECT_EQ(ids.size(), c.events.size()) << "eventIDs must be unique";
}

TEST(SimulateLayoutTest, FilesAreNamedAndFilledAsCloudTrailDeliversThem) {
    const Corpus& c = SharedCorpus();
    const std::regex name(
        R"(.*/AWSLogs/o-[a-z0-9]{10}/(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/)"
        R"((\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz)");
    std::set<std::string> files;
    for (const auto& e : c.events) {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(e.path, m, name)) << e.path;
        EXPECT_EQ(m[1], m[6]);
        EXPECT_EQ(m[2], m[7]);
        EXPECT_EQ(m[3], m[8]);
        EXPECT_EQ(m[4], m[9]);
        EXPECT_EQ(m[5], m[10]);
        EXPECT_EQ(m[1].str(), e.account) << e.raw;
        EXPECT_EQ(m[2].str(), e.region) << e.raw;
        files.insert(e.path);
    }
    EXPECT_EQ(files.size(), c.stats.files);
    // Real-world size variation: from single-record files to busy ones.
    std::map<std::string, int> per_file;
    for (const auto& e : c.events) ++per_file[e.path];
    int smallest = 1 << 30, largest = 0;
    for (const auto& [path, n] : per_file) {
        smallest = std::min(smallest, n);
        largest = std::max(largest, n);
    }
    EXPECT_LE(smallest, 2);
    EXPECT_GE(largest, 40);
}

TEST(SimulateDeterminismTest, SameSeedGivesByteIdenticalOutputWhateverTheThreads) {
    SimulateOptions o;
    o.accounts = 3;
    o.days = 1;
    o.events_per_day = 4000;
    o.scenarios = {"idp-takeover", "benign-admin"};
    o.regions = {"us-east-1", "us-west-2"};
    o.seed = 42;
    TempDir a, b, other;
    o.out_dir = a.path();
    o.threads = 1;
    ASSERT_TRUE(RunSimulate(o).has_value());
    o.out_dir = b.path();
    o.threads = 3;
    ASSERT_TRUE(RunSimulate(o).has_value());
    const auto ta = testing::ReadTree(a.path());
    const auto tb = testing::ReadTree(b.path());
    ASSERT_GT(ta.size(), 50u);
    EXPECT_TRUE(ta == tb) << "outputs differ between runs with the same seed";
    o.out_dir = other.path();
    o.seed = 43;
    ASSERT_TRUE(RunSimulate(o).has_value());
    EXPECT_FALSE(testing::ReadTree(other.path()) == ta) << "another seed must change the output";
}

TEST(SimulateLabelsTest, LabellingTheBackgroundLabelsEveryRecordAndChangesNoLog) {
    SimulateOptions o;
    o.accounts = 2;
    o.days = 1;
    o.events_per_day = 3000;
    o.regions = {"us-east-1"};
    o.scenarios = {"idp-takeover", "benign-admin"};
    TempDir plain, labelled;
    o.out_dir = plain.path();
    ASSERT_TRUE(RunSimulate(o).has_value());
    o.label_background = true;
    const Corpus c = testing::SimulateAndRead(o, labelled.path());
    ASSERT_GT(c.events.size(), 1000u);
    EXPECT_EQ(c.labels.size(), c.events.size());
    EXPECT_EQ(c.stats.labelled, c.events.size());
    std::set<std::string> ids;
    int background = 0;
    for (const auto& l : c.labels) {
        const testing::Event* e = c.Find(l["eventID"]);
        ASSERT_NE(e, nullptr) << l["eventID"];
        EXPECT_TRUE(ids.insert(l["eventID"]).second);
        if (l["scenario"] == "background") {
            ++background;
            EXPECT_EQ(l["label"], "benign");
            EXPECT_EQ(l["time"], e->time);
            EXPECT_EQ(l["account"], e->account);
            EXPECT_EQ(l["event"].substr(l["event"].find(':') + 1), e->name);
        }
    }
    EXPECT_GT(background, 1000);
    auto logs = [](const std::string& dir) {
        auto tree = testing::ReadTree(dir);
        tree.erase("labels.jsonl");
        return tree;
    };
    EXPECT_TRUE(logs(plain.path()) == logs(labelled.path()));
}

TEST(SimulateOptionsTest, BadOptionsAreRejectedWithAMessage) {
    SimulateOptions o;
    o.out_dir = "";
    EXPECT_FALSE(RunSimulate(o).has_value());
    TempDir d;
    o.out_dir = d.path();
    o.scenarios = {"no-such-scenario"};
    auto r = RunSimulate(o);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("no-such-scenario"), std::string::npos);
    o.scenarios = {"idp-takeover", "idp-takeover-admin"};
    r = RunSimulate(o);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("same story"), std::string::npos);
    o.scenarios = {};
    o.regions = {"Mars-1"};
    EXPECT_FALSE(RunSimulate(o).has_value());
}

TEST(SimulateFormatTest, DeliveryPathAndTimestampsHaveCloudTrailShapes) {
    EXPECT_EQ(
        DeliveryPath("o-abc", "111122223333", "us-east-1", 1718920534000, "AbCdEfGh12345678", true),
        "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2024/06/20/"
        "111122223333_CloudTrail_us-east-1_20240620T2155Z_AbCdEfGh12345678.json.gz");
    EXPECT_EQ(AwsLongDate(1718920534000), "Jun 20, 2024, 9:55:34 PM");
    EXPECT_EQ(AwsIamDate(1718841600000), "Jun 20, 2024 12:00:00 AM");
    EXPECT_EQ(ToCivil(1718582400000).weekday, 1u);  // 2024-06-17 is a Monday
}

TEST(SimulateBackgroundTest, BackgroundNeverMakesTheCallsTheAttacksAreKnownBy) {
    const Corpus& c = SharedCorpus();
    std::set<std::string> labelled;
    for (const auto& l : c.labels) labelled.insert(l["eventID"]);
    const std::set<std::string> attack_only = {"CreateSAMLProvider",
                                               "StopLogging",
                                               "DeleteTrail",
                                               "PutEventSelectors",
                                               "UpdateTrail",
                                               "CreatePermissionSet",
                                               "GetFederationToken",
                                               "StartSSO",
                                               "CreateInstance",
                                               "CreateAccessKey",
                                               "CreateAccountAssignment",
                                               "AttachManagedPolicyToPermissionSet",
                                               "PutBucketLifecycle",
                                               "AuthorizeSecurityGroupIngress",
                                               "GetSigninToken",
                                               "DeleteLoginProfile",
                                               "CreateRole",
                                               "AttachRolePolicy"};
    size_t background = 0;
    for (const auto& e : c.events) {
        if (labelled.count(e.event_id) != 0) continue;
        ++background;
        EXPECT_EQ(attack_only.count(e.name), 0u) << "background event " << e.raw;
        if (e.source == "sso-directory.amazonaws.com") ADD_FAILURE() << e.raw;
        if (e.source == "identitystore-scim.amazonaws.com" && e.name != "PatchUser") {
            ADD_FAILURE() << "the background's SCIM calls only update users: " << e.raw;
        }
        EXPECT_FALSE(e.raw.find("192.0.2.") != std::string::npos)
            << "attacker address in " << e.raw;
    }
    EXPECT_GT(background, c.events.size() * 9 / 10);
}

TEST(SimulateBackgroundTest, PeopleWorkDaytimeAndServicesAlwaysAndSomeCallsAreDenied) {
    const Corpus& c = SharedCorpus();
    int per_hour[24] = {};
    int services = 0, denied = 0, console_logins = 0;
    int sso_sessions = 0, terraform = 0, shared_event = 0, aws_internal = 0;
    for (const auto& e : c.events) {
        const int hour = std::stoi(e.time.substr(11, 2));
        const bool human = e.uid_arn.find("AWSReservedSSO_") != std::string::npos;
        if (human) ++per_hour[hour];
        if (e.raw.find("\"invokedBy\":") != std::string::npos) ++services;
        if (e.error_code == "AccessDenied" || e.error_code == "Client.UnauthorizedOperation" ||
            e.error_code == "AccessDeniedException") {
            ++denied;
        }
        if (e.name == "ConsoleLogin") ++console_logins;
        if (human) ++sso_sessions;
        if (e.raw.find("Terraform/") != std::string::npos) ++terraform;
        if (e.raw.find("\"sharedEventID\"") != std::string::npos) ++shared_event;
        if (e.raw.find("\"AWS Internal\"") != std::string::npos) ++aws_internal;
    }
    const int busiest = *std::max_element(per_hour, per_hour + 24);
    const int quietest = *std::min_element(per_hour, per_hour + 24);
    EXPECT_LT(quietest * 5, busiest) << "people sleep: a daily rhythm";
    EXPECT_GT(services, 1000);
    EXPECT_GT(denied, 20);
    EXPECT_GT(console_logins, 5);
    EXPECT_GT(sso_sessions, 500);
    EXPECT_GT(terraform, 100);
    EXPECT_GT(shared_event, 4);
    EXPECT_GT(aws_internal, 5);
}

TEST(SimulatePlanTest, FewerPeopleWorkAtTheWeekend) {
    PlanOptions o;
    o.seed = 3;
    o.start = 1718928000000;  // Friday 2024-06-21
    o.days = 3;
    OrgOptions org;
    org.member_accounts = 20;
    Plan plan = NewPlan(org, o);
    PlanPeople(plan);
    int per_day[3] = {};
    for (const auto& s : plan.sessions) ++per_day[(s.start - o.start) / kDayMs];
    EXPECT_GT(per_day[0], 4 * per_day[1]) << "Friday vs Saturday";
    EXPECT_GT(per_day[0], 4 * per_day[2]) << "Friday vs Sunday";
    EXPECT_GT(per_day[1] + per_day[2], 0) << "someone is on call";
}

}  // namespace
}  // namespace tw::simulate
