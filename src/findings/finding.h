// Finding: the one result schema of trailwarden (DESIGN.md, "Findings: one schema
// everywhere"). Detection (hunt), posture (audit) and response (contain --from-findings) all
// speak it; JSON Lines is its native form and every other format is a rendering of it.
//
//   {"rule_id", "title", "severity", "mitre": [...], "tactic", "source", "first_seen",
//    "last_seen", "accounts": [...], "regions": [...], "actor": {...}, "event_ids": [...],
//    "event_names": [...], "summary", "evidence": {...}}
//
// rule_id, severity and event_ids are mandatory (evaluation tooling keys on them).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "findings/id_list.h"

namespace tw::findings {

enum class Severity { kInfo = 0, kLow, kMedium, kHigh, kCritical };

[[nodiscard]] const char* SeverityName(Severity s);
// Accepts info/informational, low, medium, high, critical (any case).
[[nodiscard]] std::optional<Severity> ParseSeverity(std::string_view s);

struct Actor {
    std::string arn;
    std::string type;  // userIdentity.type: IAMUser, AssumedRole, Root, ...
    std::string principal_id;
    std::string access_key_id;
    std::string user_name;  // the name a responder would search for, when known
    std::string root;       // the root actor of a credential chain, when the graph knows it
    std::vector<std::string> source_ips;
    std::vector<std::string> user_agents;
};

struct Finding {
    std::string rule_id;
    std::string title;
    Severity severity = Severity::kInfo;
    std::vector<std::string> mitre;  // ATT&CK technique ids, e.g. T1562.008
    std::string tactic;              // e.g. defense-evasion
    std::string source = "builtin";  // builtin | sigma:<file> | posture
    TimeMs first_seen = 0;
    TimeMs last_seen = 0;
    std::vector<std::string> accounts;
    std::vector<std::string> regions;
    Actor actor;
    IdList event_ids;
    std::vector<std::string> event_names;
    std::string summary;
    std::string evidence_json = "{}";  // a JSON object, rendered by the producer
};

// One JSON line (with the trailing newline). Keys in schema order; times as ISO 8601.
[[nodiscard]] std::string ToJsonLine(const Finding& f);
// Appends the same line to `o`. While writing the event ids it calls `drain(o)` every so often
// (when given), so that a finding with a million ids can be written out in pieces; the line's
// end is always left in `o`.
void AppendJsonLine(std::string& o, const Finding& f,
                    const std::function<void(std::string&)>& drain);

// Parses one finding from a JSON object. Fails when rule_id, severity or event_ids is missing
// or has the wrong type.
[[nodiscard]] Result<Finding> ParseFinding(std::string_view json);

// Reads a JSON Lines file of findings; bad lines are errors naming the file and line.
[[nodiscard]] Result<std::vector<Finding>> ReadFindingsFile(const std::string& path);

// Deterministic order: first_seen, severity (highest first), rule_id, first event id.
void SortFindings(std::vector<Finding>& findings);

}  // namespace tw::findings
