// Loaded rules as the engine sees them: metadata, the detection condition as IR, and the
// correlation rules that link detections over time. Produced by the Sigma loader (src/sigma),
// consumed by the plan compiler, the correlation engine and the hunt.
//
// Thread-safety: plain values; immutable once loaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "findings/finding.h"
#include "rules/ir.h"

namespace tw::rules {

struct RuleMeta {
    std::string id;     // Sigma id (may be empty)
    std::string name;   // Sigma name (may be empty)
    std::string title;  // always set
    std::string status, description, author, date, modified;
    findings::Severity level = findings::Severity::kMedium;
    bool has_level = false;
    std::vector<std::string> tags, references, falsepositives, fields;
    // trailwarden extension: a one-sentence template for findings, with {field.path} and
    // {actor}-style placeholders (rules/README.md).
    std::string summary;
    std::vector<std::string> mitre;          // technique ids from attack.tXXXX tags, upper case
    std::string tactic;                      // first attack.<tactic> tag, with '-' for '_'
    std::string product, service, category;  // logsource
    std::string file;                        // path the rule was read from ("" for built-in)
    std::string source;                      // "sigma:<file>" or "builtin"
    int line = 0;                            // 1-based line of the rule's document

    // The finding key: the Sigma id, else the title.
    [[nodiscard]] const std::string& rule_id() const { return id.empty() ? title : id; }
};

// A single-event detection rule.
struct DetectionRule {
    RuleMeta meta;
    Node condition;  // optimised IR of the whole condition
    // Each search identifier's own IR, for `rules test` (which selection matched).
    std::vector<std::pair<std::string, Node>> selections;
    // False when a correlation refers to it and does not ask to `generate` it.
    bool generate = true;
};

enum class CorrelationType : uint8_t { kEventCount, kValueCount, kTemporal, kTemporalOrdered };

[[nodiscard]] const char* CorrelationTypeName(CorrelationType t);

struct CountCondition {
    Cmp cmp = Cmp::kGte;
    double value = 0;
};

// A Sigma correlation rule (or a legacy `| count()` / `near` condition converted to one).
struct CorrelationRule {
    RuleMeta meta;
    CorrelationType type = CorrelationType::kEventCount;
    std::vector<std::string> rule_refs;  // as written: ids or names
    // Resolved references: index into RuleSet::detections (is_correlation false) or
    // RuleSet::correlations (true), parallel to rule_refs.
    struct Ref {
        bool is_correlation = false;
        uint32_t index = 0;
    };
    std::vector<Ref> refs;
    std::vector<std::string> group_by;
    // alias -> (referenced rule name or id -> field path)
    std::map<std::string, std::map<std::string, std::string>> aliases;
    TimeMs timespan_ms = 0;
    std::vector<CountCondition> condition;  // all must hold; empty: type default
    std::string value_field;                // value_count: the field whose values are counted
    bool generate = false;
    // False when another correlation refers to it and does not ask to `generate` it.
    bool emit = true;
};

// The field path of group-by `key` for events of referenced rule `ref` (alias resolved).
[[nodiscard]] std::string GroupField(const CorrelationRule& c, const std::string& key,
                                     const RuleMeta& referenced);

// Whether `count` satisfies every criterion (the type's default when empty).
[[nodiscard]] bool ConditionHolds(const CorrelationRule& c, double count);

// Why a rule does not run.
struct SkippedRule {
    std::string file;
    std::string title;
    std::string reason;  // e.g. "logsource product windows (only aws/cloudtrail runs)"
};

// Every rule of a load, ready to compile.
struct RuleSet {
    std::vector<DetectionRule> detections;
    std::vector<CorrelationRule> correlations;
    std::vector<SkippedRule> skipped;
};

}  // namespace tw::rules
