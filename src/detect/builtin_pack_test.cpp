// The built-in pack: every rule loads cleanly, carries the metadata a finding needs, and behaves
// as its test cases in rules/tests/*.yml say (events that must match, events that must not,
// and sequences that must raise a given number of findings).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "core/strings.h"
#include "detect/builtin.h"
#include "detect/hunt.h"
#include "sigma/loader.h"
#include "sigma/test_harness.h"
#include "testing/test_util.h"

namespace tw::detect {
namespace {

namespace fs = std::filesystem;

// YAML -> JSON: plain scalars that look like numbers, booleans or null keep that type.
void ToJson(const YAML::Node& n, std::string& out) {
    switch (n.Type()) {
        case YAML::NodeType::Map: {
            out += '{';
            bool first = true;
            for (const auto& kv : n) {
                if (!first) out += ',';
                first = false;
                AppendJsonString(out, kv.first.as<std::string>());
                out += ':';
                ToJson(kv.second, out);
            }
            out += '}';
            break;
        }
        case YAML::NodeType::Sequence: {
            out += '[';
            for (size_t i = 0; i < n.size(); ++i) {
                if (i != 0) out += ',';
                ToJson(n[i], out);
            }
            out += ']';
            break;
        }
        case YAML::NodeType::Scalar: {
            const std::string v = n.Scalar();
            static const std::regex number(R"(-?\d+(\.\d+)?)");
            if (n.Tag() != "!" &&
                (v == "true" || v == "false" || v == "null" || std::regex_match(v, number))) {
                out += v;
            } else {
                AppendJsonString(out, v);
            }
            break;
        }
        default:
            out += "null";
    }
}

// A CloudTrail record from a test event: the fields every record has are filled when absent.
std::string Record(const YAML::Node& event, int n) {
    YAML::Node e = YAML::Clone(event);
    char time[32];
    std::snprintf(time, sizeof time, "2024-06-20T21:%02d:%02dZ", n / 60 % 60, n % 60);
    // Filled values are strings, whatever they look like ("1.09", account ids).
    auto text = [](const std::string& value) {
        YAML::Node n(value);
        n.SetTag("!");
        return n;
    };
    auto fill = [&](const char* key, const std::string& value) {
        if (!e[key]) e[key] = text(value);
    };
    fill("eventVersion", "1.09");
    fill("eventID", "case-event-" + std::to_string(n));
    fill("eventTime", time);
    fill("awsRegion", "us-east-1");
    fill("recipientAccountId", "111122223333");
    fill("sourceIPAddress", "198.51.100.7");
    fill("userAgent", "aws-cli/2.15.0");
    fill("eventType", "AwsApiCall");
    if (!e["userIdentity"]) {
        YAML::Node uid;
        uid["type"] = text("IAMUser");
        uid["principalId"] = text("AIDAEXAMPLE");
        uid["arn"] = text("arn:aws:iam::111122223333:user/alice");
        uid["accountId"] = text("111122223333");
        uid["userName"] = text("alice");
        uid["accessKeyId"] = text("AKIAEXAMPLEALICE");
        e["userIdentity"] = uid;
    }
    std::string out;
    ToJson(e, out);
    return out;
}

struct Case {
    std::string file;
    YAML::Node node;
};

std::vector<Case> LoadCases() {
    std::vector<Case> cases;
    const fs::path dir = fs::path(TW_SOURCE_DIR) / "rules" / "tests";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".yml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        for (const auto& c : YAML::LoadFile(f.string())) {
            cases.push_back({f.filename().string(), c});
        }
    }
    return cases;
}

rules::RuleSet LoadPack(std::vector<sigma::LoadProblem>* problems = nullptr) {
    sigma::Loader loader;
    for (const BuiltinRuleFile& f : BuiltinRuleFiles()) {
        loader.AddText(f.yaml, std::string(f.name), "builtin");
    }
    rules::RuleSet set = loader.Finish();
    if (problems != nullptr) *problems = loader.problems();
    return set;
}

TEST(BuiltinPackTest, LoadsWithoutAnyProblem) {
    std::vector<sigma::LoadProblem> problems;
    const rules::RuleSet set = LoadPack(&problems);
    EXPECT_GE(BuiltinRuleFiles().size(), 90u);
    EXPECT_EQ(set.detections.size() + set.correlations.size(), BuiltinRuleFiles().size());
    EXPECT_TRUE(set.skipped.empty());
    for (const auto& p : problems) ADD_FAILURE() << p.file << ": " << p.message;
}

TEST(BuiltinPackTest, EveryRuleCarriesWhatAFindingNeeds) {
    const rules::RuleSet set = LoadPack();
    std::set<std::string> ids;
    auto check = [&](const rules::RuleMeta& m, bool correlation) {
        SCOPED_TRACE(m.rule_id());
        EXPECT_TRUE(m.id.starts_with("tw."));
        EXPECT_EQ(m.id, m.name);
        EXPECT_TRUE(ids.insert(m.id).second) << "duplicate id";
        EXPECT_TRUE(m.has_level);
        EXPECT_FALSE(m.mitre.empty()) << "no attack.tNNNN tag";
        EXPECT_FALSE(m.tactic.empty()) << "no attack.<tactic> tag";
        EXPECT_EQ(m.source, "builtin");
        if (m.level != findings::Severity::kInfo) {
            EXPECT_FALSE(m.falsepositives.empty());
            EXPECT_FALSE(m.summary.empty());
        }
        if (!correlation) {
            EXPECT_EQ(m.product, "aws");
        }
    };
    for (const auto& d : set.detections) check(d.meta, false);
    for (const auto& c : set.correlations) check(c.meta, true);
}

TEST(BuiltinPackTest, EveryRuleHasPositiveAndNegativeCases) {
    const rules::RuleSet set = LoadPack();
    std::map<std::string, std::set<std::string>> kinds;  // rule -> match/no_match/sequence
    for (const Case& c : LoadCases()) {
        const std::string rule = c.node["rule"].as<std::string>();
        if (c.node["match"]) kinds[rule].insert("match");
        if (c.node["no_match"]) kinds[rule].insert("no_match");
        if (c.node["sequence"]) {
            kinds[rule].insert(c.node["findings"].as<int>() > 0 ? "match" : "no_match");
        }
    }
    for (const auto& d : set.detections) {
        EXPECT_EQ(kinds[d.meta.id], (std::set<std::string>{"match", "no_match"})) << d.meta.id;
    }
    for (const auto& c : set.correlations) {
        EXPECT_EQ(kinds[c.meta.id], (std::set<std::string>{"match", "no_match"})) << c.meta.id;
    }
}

TEST(BuiltinPackTest, EveryCaseBehavesAsWritten) {
    // Rules matched by one event, through the real parser and the compiled plan of the pack.
    sigma::SigmaHarness matcher(LoadPack());
    const rules::RuleSet set = LoadPack();
    HuntOptions hunt_opt;
    hunt_opt.builtin = true;
    int n = 0;
    size_t cases = 0;
    for (const Case& c : LoadCases()) {
        const std::string rule = c.node["rule"].as<std::string>();
        SCOPED_TRACE(c.file + ": " + rule);
        for (const char* kind : {"match", "no_match"}) {
            for (const auto& event : c.node[kind]) {
                const std::string json = Record(event, n++);
                const std::vector<std::string> matched = matcher.Match(json);
                EXPECT_EQ(matcher.last_records(), 1u) << json;
                const bool hit = std::find(matched.begin(), matched.end(), rule) != matched.end();
                EXPECT_EQ(hit, std::string(kind) == "match") << json;
                ++cases;
            }
        }
        if (c.node["sequence"]) {
            testing::TempDir dir;
            std::string records = "{\"Records\":[";
            int k = 0;
            for (const auto& event : c.node["sequence"]) {
                records += (k == 0 ? "" : ",") + Record(event, k);
                ++k;
            }
            const std::string path = dir.Write("seq.json", records + "]}");
            Diagnostics diag(nullptr);
            const auto files = ingest::DiscoverInputs({path}, diag);
            const HuntResult r = RunHunt(files, set, hunt_opt, {}, diag);
            const int found = static_cast<int>(
                std::count_if(r.findings.begin(), r.findings.end(),
                              [&](const findings::Finding& f) { return f.rule_id == rule; }));
            EXPECT_EQ(found, c.node["findings"].as<int>()) << records;
            ++cases;
        }
    }
    EXPECT_GE(cases, 200u);
}

}  // namespace
}  // namespace tw::detect
