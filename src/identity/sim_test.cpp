// Acceptance of issue 6 on `trailwarden simulate --scenario idp-takeover`: the timeline of the
// actor named in labels.jsonl lists every labelled attacker event, and nothing of another
// principal; started from the attacker's source IP it lists exactly the labelled events.
// Skipped when the binary has no `simulate` command.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>

#include "testing/test_util.h"

namespace tw::identity {
namespace {

using tw::testing::RunTrailwarden;
using tw::testing::ShellQuote;

struct Line {
    std::string event_id, ip, credential;
};

// eventID -> line of a JSON Lines timeline.
std::map<std::string, Line> ParseTimeline(const std::string& jsonl) {
    std::map<std::string, Line> out;
    simdjson::dom::parser parser;
    size_t start = 0;
    while (start < jsonl.size()) {
        size_t end = jsonl.find('\n', start);
        if (end == std::string::npos) end = jsonl.size();
        simdjson::dom::element e;
        if (parser.parse(jsonl.substr(start, end - start)).get(e) == simdjson::SUCCESS) {
            Line l;
            std::string_view s;
            if (e["eventID"].get_string().get(s) == simdjson::SUCCESS) l.event_id = s;
            if (e["sourceIPAddress"].get_string().get(s) == simdjson::SUCCESS) l.ip = s;
            if (e["credential"].get_string().get(s) == simdjson::SUCCESS) l.credential = s;
            out[l.event_id] = l;
        }
        start = end + 1;
    }
    return out;
}

struct Labels {
    std::string actor;
    std::vector<std::string> attack;  // eventIDs of the scenario, in file order
};

Labels ReadLabels(const std::string& path, std::string_view scenario) {
    Labels l;
    simdjson::dom::parser parser;
    simdjson::dom::document_stream stream;
    const std::string text = tw::testing::ReadFile(path);
    if (parser.parse_many(text).get(stream) != simdjson::SUCCESS) return l;
    for (auto doc : stream) {
        simdjson::dom::element e;
        if (doc.get(e) != simdjson::SUCCESS) continue;
        std::string_view s, id, actor;
        if (e["scenario"].get_string().get(s) != simdjson::SUCCESS || s != scenario) continue;
        if (e["eventID"].get_string().get(id) != simdjson::SUCCESS) continue;
        l.attack.emplace_back(id);
        if (l.actor.empty() && e["actor"].get_string().get(actor) == simdjson::SUCCESS) {
            l.actor = actor;
        }
    }
    return l;
}

class SimulatedIdpTakeoverTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (RunTrailwarden("--help").out.find("\n  simulate ") == std::string::npos) {
            GTEST_SKIP() << "this build has no simulate command yet";
        }
        const auto sim = RunTrailwarden("simulate --out " + ShellQuote(dir_.path()) +
                                        " --accounts 3 --days 1 --events-per-day 3000 --seed 5 -q"
                                        " --scenario idp-takeover --scenario benign-admin");
        ASSERT_EQ(sim.exit_code, 0) << sim.err;
        labels_ = ReadLabels(dir_.path() + "/labels.jsonl", "idp-takeover");
        ASSERT_FALSE(labels_.actor.empty());
        ASSERT_GT(labels_.attack.size(), 20u);
    }
    std::map<std::string, Line> Timeline(const std::string& actor) {
        const auto r = RunTrailwarden("timeline " + ShellQuote(dir_.path() + "/AWSLogs") +
                                      " --actor " + ShellQuote(actor) + " --format jsonl -q");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return ParseTimeline(r.out);
    }
    tw::testing::TempDir dir_;
    Labels labels_;
};

TEST_F(SimulatedIdpTakeoverTest, ActorFromLabelsReachesEveryAttackerEventAndNoOtherPrincipal) {
    const auto got = Timeline(labels_.actor);
    size_t found = 0;
    for (const std::string& id : labels_.attack) {
        found += got.count(id);
        EXPECT_TRUE(got.count(id)) << "missed labelled event " << id;
    }
    const std::set<std::string> attack(labels_.attack.begin(), labels_.attack.end());
    size_t extra = 0;
    for (const auto& [id, line] : got) {
        if (attack.count(id)) continue;
        ++extra;
        // The labelled actor is an existing Identity Center admin whose account the attacker
        // used: its own sign-ins and sessions are the same principal, never someone else's.
        EXPECT_NE(line.credential.find(labels_.actor), std::string::npos)
            << id << " was made by " << line.credential;
    }
    const double recall = static_cast<double>(found) / static_cast<double>(labels_.attack.size());
    const double precision = static_cast<double>(found) / static_cast<double>(got.size());
    RecordProperty("recall", std::to_string(recall));
    RecordProperty("precision_vs_labels", std::to_string(precision));
    std::printf(
        "idp-takeover --actor %s: %zu labelled, %zu printed, recall %.3f, precision vs "
        "labels %.3f (%zu events of the same principal outside the scenario)\n",
        labels_.actor.c_str(), labels_.attack.size(), got.size(), recall, precision, extra);
}

TEST_F(SimulatedIdpTakeoverTest, AttackerSourceIpGivesExactlyTheLabelledEvents) {
    // The responder's other starting point: the address of the first malicious sign-in.
    const auto by_name = Timeline(labels_.actor);
    auto first = by_name.find(labels_.attack.front());
    ASSERT_NE(first, by_name.end());
    const std::string ip = first->second.ip;
    ASSERT_FALSE(ip.empty());
    const auto got = Timeline(ip);
    std::set<std::string> want(labels_.attack.begin(), labels_.attack.end());
    std::set<std::string> have;
    for (const auto& [id, line] : got) have.insert(id);
    EXPECT_EQ(have, want) << "--actor " << ip;
    std::printf("idp-takeover --actor %s: %zu labelled, %zu printed\n", ip.c_str(), want.size(),
                have.size());
}

}  // namespace
}  // namespace tw::identity
