#include "sigma/meta.h"

#include <algorithm>

#include "core/strings.h"
#include "rules/pattern.h"
#include "sigma/detection.h"

namespace tw::sigma {

namespace {

bool ReadString(const YAML::Node& doc, const char* key, std::string& out, ProblemSink& sink) {
    const YAML::Node n = doc[key];
    if (!n || n.IsNull()) return false;
    if (!n.IsScalar()) {
        sink.Error(PositionOf(n), std::string("'") + key + "' must be a string");
        return false;
    }
    out = n.Scalar();
    return true;
}

// Reads a string or list of strings. `strict`: a wrong type is an error (it changes what the rule
// does or reports); otherwise a warning (descriptive metadata) and the rule still loads.
void ReadList(const YAML::Node& doc, const char* key, std::vector<std::string>& out,
              ProblemSink& sink, bool strict = true) {
    auto bad = [&](const YAML::Node& at) {
        const std::string msg = std::string("'") + key + "' must be a list of strings";
        if (strict) {
            sink.Error(PositionOf(at), msg);
        } else {
            sink.Warning(PositionOf(at), msg + " (entry ignored)");
        }
    };
    const YAML::Node n = doc[key];
    if (!n || n.IsNull()) return;
    if (n.IsScalar()) {
        out.push_back(n.Scalar());
        return;
    }
    if (!n.IsSequence()) {
        bad(n);
        return;
    }
    for (const YAML::Node& item : n) {
        if (item.IsScalar()) {
            out.push_back(item.Scalar());
        } else {
            bad(item);
        }
    }
}

const char* const kTactics[] = {
    "reconnaissance",     "resource-development", "initial-access",  "execution",
    "persistence",        "privilege-escalation", "defense-evasion", "stealth",
    "defense-impairment", "credential-access",    "discovery",       "lateral-movement",
    "collection",         "command-and-control",  "exfiltration",    "impact"};

}  // namespace

void TagsToMitre(const std::vector<std::string>& tags, std::vector<std::string>& mitre,
                 std::string& tactic) {
    for (const std::string& tag : tags) {
        const std::string t = AsciiLowerCopy(Trim(tag));
        if (!t.starts_with("attack.")) continue;
        std::string rest = t.substr(7);
        if (rest.size() >= 5 && rest[0] == 't' && rest[1] >= '0' && rest[1] <= '9') {
            std::string id = rest;
            id[0] = 'T';
            if (std::find(mitre.begin(), mitre.end(), id) == mitre.end()) mitre.push_back(id);
            continue;
        }
        std::replace(rest.begin(), rest.end(), '_', '-');
        if (!tactic.empty()) continue;
        for (const char* known : kTactics) {
            if (rest == known) tactic = rest;
        }
    }
}

std::string LogsourceText(const rules::RuleMeta& m) {
    std::string out;
    auto add = [&](const char* k, const std::string& v) {
        if (v.empty()) return;
        if (!out.empty()) out += " / ";
        out += std::string(k) + " " + v;
    };
    add("category", m.category);
    add("product", m.product);
    add("service", m.service);
    return out.empty() ? "none" : out;
}

void ReadMeta(const YAML::Node& doc, rules::RuleMeta& m, ProblemSink& sink) {
    if (!ReadString(doc, "title", m.title, sink) || Trim(m.title).empty()) {
        sink.Error(PositionOf(doc), "the rule has no title");
        m.title = "(untitled)";
    }
    sink.set_title(m.title);
    ReadString(doc, "id", m.id, sink);
    ReadString(doc, "name", m.name, sink);
    ReadString(doc, "status", m.status, sink);
    ReadString(doc, "description", m.description, sink);
    ReadString(doc, "author", m.author, sink);
    ReadString(doc, "date", m.date, sink);
    ReadString(doc, "modified", m.modified, sink);
    ReadList(doc, "tags", m.tags, sink);
    ReadList(doc, "references", m.references, sink, /*strict=*/false);
    ReadList(doc, "falsepositives", m.falsepositives, sink, /*strict=*/false);
    ReadList(doc, "fields", m.fields, sink, /*strict=*/false);
    ReadString(doc, "summary", m.summary, sink);
    std::string level;
    if (ReadString(doc, "level", level, sink)) {
        auto sev = findings::ParseSeverity(level);
        if (!sev) {
            sink.Error(
                PositionOf(doc["level"]),
                "level '" + level + "' is not one of informational, low, medium, high, critical");
        } else {
            m.level = *sev;
            m.has_level = true;
        }
    }
    if (const YAML::Node ls = doc["logsource"]; ls) {
        if (!ls.IsMap()) {
            sink.Error(PositionOf(ls), "'logsource' must be a map");
        } else {
            ReadString(ls, "product", m.product, sink);
            ReadString(ls, "service", m.service, sink);
            ReadString(ls, "category", m.category, sink);
        }
    }
    if (const YAML::Node rel = doc["related"]; rel && !rel.IsSequence()) {
        sink.Error(PositionOf(rel), "'related' must be a list of {id, type}");
    }
    TagsToMitre(m.tags, m.mitre, m.tactic);
}

bool ParseTimespan(std::string_view s, TimeMs& out) {
    s = Trim(s);
    if (s.size() < 2) return false;
    auto n = rules::ParseNumber(s.substr(0, s.size() - 1));
    if (!n || *n <= 0) return false;
    double mult;
    switch (s.back()) {
        case 's':
            mult = 1e3;
            break;
        case 'm':
            mult = 60e3;
            break;
        case 'h':
            mult = 3600e3;
            break;
        case 'd':
            mult = 86400e3;
            break;
        case 'w':
            mult = 7 * 86400e3;
            break;
        default:
            return false;
    }
    out = static_cast<TimeMs>(*n * mult);
    return true;
}

void ReadCorrelation(const YAML::Node& doc, const YAML::Node& c, rules::CorrelationRule& rule,
                     Position& rules_pos, std::vector<Position>& ref_pos, ProblemSink& sink) {
    const Position cpos = PositionOf(c);
    if (!c.IsMap()) {
        sink.Error(cpos, "'correlation' must be a map");
        return;
    }
    std::string type;
    if (!ReadString(c, "type", type, sink)) {
        sink.Error(cpos, "correlation has no 'type'");
    } else if (type == "event_count") {
        rule.type = rules::CorrelationType::kEventCount;
    } else if (type == "value_count") {
        rule.type = rules::CorrelationType::kValueCount;
    } else if (type == "temporal") {
        rule.type = rules::CorrelationType::kTemporal;
    } else if (type == "temporal_ordered") {
        rule.type = rules::CorrelationType::kTemporalOrdered;
    } else {
        sink.Error(PositionOf(c["type"]),
                   "correlation type '" + type +
                       "' is not one of event_count, value_count, temporal, temporal_ordered");
    }
    const YAML::Node refs = c["rules"];
    rules_pos = refs ? PositionOf(refs) : cpos;
    if (refs && refs.IsScalar()) {
        rule.rule_refs.push_back(refs.Scalar());
        ref_pos.push_back(PositionOf(refs));
    } else if (refs && refs.IsSequence()) {
        for (const YAML::Node& r : refs) {
            if (!r.IsScalar()) {
                sink.Error(PositionOf(r), "'rules' entries must be rule ids or names");
                continue;
            }
            rule.rule_refs.push_back(r.Scalar());
            ref_pos.push_back(PositionOf(r));
        }
    }
    if (rule.rule_refs.empty()) sink.Error(rules_pos, "correlation has no 'rules'");
    ReadList(c, "group-by", rule.group_by, sink);
    std::string span;
    const char* span_key = c["timespan"] ? "timespan" : "timeframe";
    if (!ReadString(c, span_key, span, sink)) {
        sink.Error(cpos, "correlation has no 'timespan'");
    } else if (!ParseTimespan(span, rule.timespan_ms)) {
        sink.Error(PositionOf(c[span_key]),
                   "timespan '" + span + "' must be a number and a unit: 30s, 10m, 1h, 2d");
    }
    if (const YAML::Node cond = c["condition"]; cond) {
        if (!cond.IsMap()) {
            sink.Error(PositionOf(cond), "correlation condition must be a map like {gte: 10}");
        } else {
            for (const auto& kv : cond) {
                const std::string k = kv.first.Scalar();
                if (k == "field") {
                    rule.value_field = kv.second.Scalar();
                    continue;
                }
                rules::Cmp cmp;
                if (k == "gt")
                    cmp = rules::Cmp::kGt;
                else if (k == "gte")
                    cmp = rules::Cmp::kGte;
                else if (k == "lt")
                    cmp = rules::Cmp::kLt;
                else if (k == "lte")
                    cmp = rules::Cmp::kLte;
                else if (k == "eq")
                    cmp = rules::Cmp::kEq;
                else {
                    sink.Error(PositionOf(kv.first),
                               "condition operator '" + k + "' is not one of gt, gte, lt, lte, eq");
                    continue;
                }
                auto v = kv.second.IsScalar() ? rules::ParseNumber(Trim(kv.second.Scalar()))
                                              : std::nullopt;
                if (!v) {
                    sink.Error(PositionOf(kv.second), "condition '" + k + "' needs a number");
                    continue;
                }
                rule.condition.push_back({cmp, *v});
            }
        }
    } else if (rule.type == rules::CorrelationType::kEventCount ||
               rule.type == rules::CorrelationType::kValueCount) {
        sink.Error(cpos, "correlation of type " + type + " needs a 'condition'");
    }
    if (rule.type == rules::CorrelationType::kValueCount && rule.value_field.empty()) {
        sink.Error(cpos, "value_count needs 'field' in its condition");
    }
    if (const YAML::Node al = c["aliases"]; al) {
        if (!al.IsMap()) {
            sink.Error(PositionOf(al), "'aliases' must be a map of alias -> {rule: field}");
        } else {
            for (const auto& kv : al) {
                if (!kv.second.IsMap()) {
                    sink.Error(PositionOf(kv.second), "alias must map rule names to fields");
                    continue;
                }
                for (const auto& rf : kv.second) {
                    rule.aliases[kv.first.Scalar()][rf.first.Scalar()] = rf.second.Scalar();
                }
            }
        }
    }
    for (const YAML::Node& g : {c["generate"], doc["generate"]}) {
        if (!g) continue;
        const std::string v = g.IsScalar() ? AsciiLowerCopy(g.Scalar()) : "";
        if (v != "true" && v != "false") {
            sink.Error(PositionOf(g), "'generate' must be true or false");
        } else {
            rule.generate = v == "true";
        }
    }
}

}  // namespace tw::sigma
