// Acceptance of the default hunt on a simulated organization (trailwarden simulate, every
// scenario, background labelled benign): every labelled step of the attack scenarios is
// referenced by some finding, and nothing at medium or above rests only on benign events
// (benign-admin's look-alike work and the background).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <set>

#include "testing/test_util.h"

namespace tw::detect {
namespace {

using testing::RunTrailwarden;
using testing::ShellQuote;

struct Label {
    std::string scenario, step, label;
};

std::string Str(simdjson::dom::element e, std::string_view key) {
    std::string_view v;
    return e[key].get_string().get(v) ? std::string() : std::string(v);
}

TEST(HuntSimulationTest, EveryAttackStepIsFoundAndBenignWorkRaisesNothingAtMedium) {
    testing::TempDir dir;
    const std::string org = dir.path() + "/org";
    auto sim = RunTrailwarden("simulate --out " + ShellQuote(org) +
                              " --accounts 4 --days 2 --scenario all --label-background "
                              "--seed 11 -q");
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    const std::string findings_path = dir.path() + "/findings.jsonl";
    auto hunt = RunTrailwarden("hunt " + ShellQuote(org + "/AWSLogs") + " -q --format jsonl -o " +
                               ShellQuote(findings_path));
    ASSERT_EQ(hunt.exit_code, 0) << hunt.err;

    simdjson::dom::parser parser;
    std::map<std::string, Label> labels;
    std::ifstream in(org + "/labels.jsonl");
    size_t benign = 0;
    for (std::string line; std::getline(in, line);) {
        simdjson::dom::element e;
        ASSERT_FALSE(parser.parse(line).get(e));
        Label l{Str(e, "scenario"), Str(e, "step"), Str(e, "label")};
        benign += l.label == "benign";
        labels.emplace(Str(e, "eventID"), l);
    }
    ASSERT_GT(benign, 10000u);

    std::set<std::pair<std::string, std::string>> referenced;
    size_t false_positives = 0;
    std::ifstream fin(findings_path);
    size_t findings = 0;
    for (std::string line; std::getline(fin, line);) {
        simdjson::dom::element f;
        ASSERT_FALSE(parser.parse(line).get(f));
        ++findings;
        const std::string severity = Str(f, "severity");
        const bool medium_plus =
            severity == "medium" || severity == "high" || severity == "critical";
        bool only_benign = true;
        simdjson::dom::array ids;
        ASSERT_FALSE(f["event_ids"].get_array().get(ids));
        for (simdjson::dom::element id : ids) {
            std::string_view text;
            if (id.get_string().get(text)) continue;
            auto it = labels.find(std::string(text));
            if (it == labels.end()) continue;
            if (it->second.label == "attack") {
                referenced.insert({it->second.scenario, it->second.step});
            }
            if (it->second.label != "benign") only_benign = false;
        }
        if (medium_plus && only_benign) {
            ++false_positives;
            ADD_FAILURE() << "medium+ finding on benign events only: " << line.substr(0, 400);
        }
    }
    EXPECT_GT(findings, 0u);
    std::set<std::pair<std::string, std::string>> steps;
    for (const auto& [id, l] : labels) {
        if (l.label == "attack") steps.insert({l.scenario, l.step});
    }
    std::set<std::string> scenarios;
    for (const auto& s : steps) scenarios.insert(s.first);
    EXPECT_EQ(scenarios, (std::set<std::string>{"idp-takeover", "insider-return", "logging-tamper",
                                                "social-engineering-change"}));
    for (const auto& s : steps) {
        EXPECT_TRUE(referenced.count(s))
            << "no finding references step " << s.first << " / " << s.second;
    }
    EXPECT_LT(1000.0 * static_cast<double>(false_positives) / static_cast<double>(benign), 0.5);
}

}  // namespace
}  // namespace tw::detect
