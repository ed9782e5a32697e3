// Reading the non-detection parts of a Sigma document: the standard metadata fields (title,
// id, name, status, description, references, author, date, modified, tags, logsource, fields,
// falsepositives, level, related) and the `correlation` section of a correlation rule.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "rules/rule.h"
#include "sigma/problems.h"

namespace tw::sigma {

// Fills `meta` from the document; problems (missing title, bad level, wrong types) go to
// `sink`, whose title is set as soon as it is known.
void ReadMeta(const YAML::Node& doc, rules::RuleMeta& meta, ProblemSink& sink);

// Fills the correlation part of `rule` from `section` (the `correlation:` map of `doc`).
void ReadCorrelation(const YAML::Node& doc, const YAML::Node& section, rules::CorrelationRule& rule,
                     Position& rules_pos, std::vector<Position>& ref_pos, ProblemSink& sink);

// "product aws / service cloudtrail" style text of a rule's logsource ("none" when empty).
[[nodiscard]] std::string LogsourceText(const rules::RuleMeta& meta);

// Parses a Sigma timespan ("30s", "10m", "1h", "2d", "1w") into milliseconds.
[[nodiscard]] bool ParseTimespan(std::string_view s, TimeMs& out);

// MITRE technique ids (T1078.004) and the first tactic (defense-evasion) from Sigma tags.
void TagsToMitre(const std::vector<std::string>& tags, std::vector<std::string>& mitre,
                 std::string& tactic);

}  // namespace tw::sigma
