// Loader: every problem names file, title, what and where; a bad rule never stops the others;
// logsource filtering; metadata and tags.
#include "sigma/loader.h"

#include <gtest/gtest.h>

#include "sigma/condition.h"
#include "sigma/test_harness.h"

namespace tw::sigma {
namespace {

std::string Problems(const Loader& l) {
    std::string out;
    for (const auto& p : l.problems()) out += p.Text() + "\n";
    return out;
}

TEST(SigmaLoaderTest, ReportsEveryProblemAndKeepsGoodRules) {
    Loader l;
    l.AddText(R"(title: Good
id: 11111111-1111-1111-1111-111111111111
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel
---
title: Bad Condition
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel and missing_one
---
title: Bad Level
level: urgent
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel
---
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel
)",
              "multi.yml", "sigma:multi.yml");
    rules::RuleSet set = l.Finish();
    const std::string p = Problems(l);
    ASSERT_EQ(set.detections.size(), 1u) << p;
    EXPECT_EQ(set.detections[0].meta.title, "Good");
    EXPECT_EQ(l.error_count(), 3u) << p;
    EXPECT_NE(p.find("multi.yml:14:24: rule 'Bad Condition': condition: unknown search "
                     "identifier 'missing_one'"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("multi.yml:17:8: rule 'Bad Level': level 'urgent' is not one of"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("multi.yml:24:1: the rule has no title"), std::string::npos) << p;
}

TEST(SigmaLoaderTest, YamlSyntaxErrorNamesLineAndColumn) {
    Loader l;
    l.AddText("title: x\ndetection:\n  sel: [a, b\n  condition: sel\n", "broken.yml", "sigma:b");
    (void)l.Finish();
    ASSERT_EQ(l.error_count(), 1u);
    EXPECT_NE(Problems(l).find("broken.yml:"), std::string::npos);
    EXPECT_NE(Problems(l).find("invalid YAML"), std::string::npos) << Problems(l);
}

TEST(SigmaLoaderTest, OtherLogsourcesAreSkippedNotErrors) {
    Loader l;
    l.AddText(R"(title: Windows Thing
logsource: {product: windows, category: process_creation}
detection:
    sel:
        Image|endswith: '\cmd.exe'
    condition: sel
)",
              "win.yml", "sigma:win.yml");
    rules::RuleSet set = l.Finish();
    EXPECT_EQ(l.error_count(), 0u);
    EXPECT_TRUE(set.detections.empty());
    ASSERT_EQ(set.skipped.size(), 1u);
    EXPECT_NE(set.skipped[0].reason.find("product windows"), std::string::npos);
}

TEST(SigmaLoaderTest, ReadsMetadataAndAttackTags) {
    Loader l;
    l.AddText(R"(title: Meta
id: abc
name: meta_rule
status: test
author: Someone
level: high
tags:
    - attack.defense_evasion
    - attack.t1562.008
    - attack.persistence
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel
)",
              "meta.yml", "sigma:dir/meta.yml");
    rules::RuleSet set = l.Finish();
    ASSERT_EQ(set.detections.size(), 1u) << Problems(l);
    const rules::RuleMeta& m = set.detections[0].meta;
    EXPECT_EQ(m.rule_id(), "abc");
    EXPECT_EQ(m.name, "meta_rule");
    EXPECT_EQ(m.level, findings::Severity::kHigh);
    EXPECT_EQ(m.mitre, std::vector<std::string>{"T1562.008"});
    EXPECT_EQ(m.tactic, "defense-evasion");
    EXPECT_EQ(m.source, "sigma:dir/meta.yml");
    EXPECT_EQ(m.author, "Someone");
}

TEST(SigmaLoaderTest, CorrelationWithUnknownRuleIsAnErrorAtTheReference) {
    Loader l;
    l.AddText(R"(title: Corr
correlation:
    type: event_count
    rules:
        - nothing_here
    timespan: 1h
    condition:
        gte: 2
)",
              "corr.yml", "sigma:corr.yml");
    rules::RuleSet set = l.Finish();
    EXPECT_TRUE(set.correlations.empty());
    EXPECT_NE(Problems(l).find("corr.yml:5:11: rule 'Corr': correlation refers to unknown rule "
                               "'nothing_here'"),
              std::string::npos)
        << Problems(l);
}

TEST(SigmaLoaderTest, CorrelationFieldsAreValidated) {
    Loader l;
    l.AddText(R"(title: Corr
correlation:
    type: value_count
    rules: r
    timespan: 1 hour
    condition:
        above: 2
)",
              "corr.yml", "sigma:corr.yml");
    (void)l.Finish();
    const std::string p = Problems(l);
    EXPECT_NE(p.find("timespan '1 hour' must be"), std::string::npos) << p;
    EXPECT_NE(p.find("condition operator 'above'"), std::string::npos) << p;
    EXPECT_NE(p.find("value_count needs 'field'"), std::string::npos) << p;
}

TEST(SigmaLoaderTest, LegacyCountBecomesAnEventCountCorrelation) {
    Loader l;
    l.AddText(R"(title: Many Lists
id: legacy-1
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: 'List*'
    timeframe: 10m
    condition: sel | count() by sourceIPAddress > 5
)",
              "legacy.yml", "sigma:legacy.yml");
    rules::RuleSet set = l.Finish();
    ASSERT_EQ(set.correlations.size(), 1u) << Problems(l);
    const rules::CorrelationRule& c = set.correlations[0];
    EXPECT_EQ(c.type, rules::CorrelationType::kEventCount);
    EXPECT_EQ(c.meta.rule_id(), "legacy-1");
    EXPECT_EQ(c.group_by, std::vector<std::string>{"sourceIPAddress"});
    EXPECT_EQ(c.timespan_ms, 600000);
    ASSERT_EQ(set.detections.size(), 1u);
    EXPECT_FALSE(set.detections[0].generate);
    EXPECT_TRUE(rules::ConditionHolds(c, 6));
    EXPECT_FALSE(rules::ConditionHolds(c, 5));
}

TEST(SigmaLoaderTest, DisabledRulesAreSkipped) {
    LoadOptions opt;
    opt.disabled.insert("r-1");
    Loader l(opt);
    l.AddText(Rule("    sel:\n        eventName: A\n    condition: sel") + "id: r-1\n", "d.yml",
              "sigma:d.yml");
    rules::RuleSet set = l.Finish();
    EXPECT_TRUE(set.detections.empty());
    ASSERT_EQ(set.skipped.size(), 1u);
}

TEST(SigmaLoaderTest, EveryTruncationOfARuleFileIsHandled) {
    // Bad input never crashes: each prefix of a multi-document file with a correlation either
    // loads or gives positioned problems.
    const std::string text = R"(title: Base
id: base-1
name: base
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName|contains|all: ['Create', 'User']
        userAgent|re|i: '^aws-cli/[0-9]+'
    filter:
        - sourceIPAddress|cidr: 10.0.0.0/8
        - errorCode: null
    condition: sel and not 1 of filter*
level: high
---
title: Burst
correlation:
    type: value_count
    rules: [base]
    group-by: [recipientAccountId]
    timespan: 1h
    condition: {field: userIdentity.arn, gte: 3}
)";
    for (size_t n = 0; n <= text.size(); ++n) {
        Loader l;
        l.AddText(text.substr(0, n), "cut.yml", "sigma:cut.yml");
        rules::RuleSet set = l.Finish();
        for (const auto& p : l.problems()) {
            EXPECT_EQ(p.file, "cut.yml");
            EXPECT_FALSE(p.message.empty());
        }
        event::FieldCatalog catalog;
        (void)rules::Plan::Compile(set, catalog);
    }
    Loader whole;
    whole.AddText(text, "cut.yml", "sigma:cut.yml");
    rules::RuleSet set = whole.Finish();
    EXPECT_EQ(whole.error_count(), 0u) << Problems(whole);
    EXPECT_EQ(set.detections.size(), 1u);
    EXPECT_EQ(set.correlations.size(), 1u);
}

TEST(SigmaConditionFuzzTest, RandomTokenSequencesParseOrReportWithoutCrashing) {
    // Deterministic pseudo-random conditions over the grammar's tokens and some junk.
    const char* tokens[] = {"sel", "filter", "and",  "or",   "not", "(",     ")",   "1",
                            "all", "of",     "them", "sel*", "|",   "count", "()",  ">",
                            "5",   "by",     "near", "x_*",  "\"",  "==",    "any", "_z"};
    Selections sel;
    sel.emplace_back("sel", rules::Node::Const(true));
    sel.emplace_back("filter", rules::Node::Const(false));
    sel.emplace_back("_z", rules::Node::Const(true));
    uint64_t state = 42;
    size_t parsed = 0, rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const int n = 1 + static_cast<int>(state % 9);
        for (int k = 0; k < n; ++k) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            text += tokens[(state >> 33) % (sizeof tokens / sizeof tokens[0])];
            text += ' ';
        }
        std::vector<LoadProblem> problems;
        ProblemSink sink(problems, "fuzz.yml");
        auto c = ParseCondition(text, sel, {1, 1}, sink);
        if (c) {
            ++parsed;
            EXPECT_TRUE(problems.empty()) << text;
        } else {
            ++rejected;
            EXPECT_FALSE(problems.empty()) << text;
        }
    }
    EXPECT_GT(parsed, 0u);
    EXPECT_GT(rejected, 0u);
}

}  // namespace
}  // namespace tw::sigma
