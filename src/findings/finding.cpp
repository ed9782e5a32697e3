#include "findings/finding.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "core/uuid.h"

namespace tw::findings {

const char* SeverityName(Severity s) {
    switch (s) {
        case Severity::kInfo:
            return "info";
        case Severity::kLow:
            return "low";
        case Severity::kMedium:
            return "medium";
        case Severity::kHigh:
            return "high";
        case Severity::kCritical:
            return "critical";
    }
    return "info";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
    const std::string l = AsciiLowerCopy(Trim(s));
    if (l == "info" || l == "informational") return Severity::kInfo;
    if (l == "low") return Severity::kLow;
    if (l == "medium") return Severity::kMedium;
    if (l == "high") return Severity::kHigh;
    if (l == "critical") return Severity::kCritical;
    return std::nullopt;
}

namespace {

void Key(std::string& out, std::string_view k) {
    AppendJsonString(out, k);
    out += ':';
}

template <typename List>
void StringList(std::string& out, const List& v) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
        if (i != 0) out += ',';
        AppendJsonString(out, v[i]);
    }
    out += ']';
}

void Time(std::string& out, TimeMs t) {
    if (t == 0) {
        out += "null";
    } else {
        AppendJsonString(out, FormatIsoTime(t));
    }
}

}  // namespace

std::string ToJsonLine(const Finding& f) {
    std::string o;
    // The ids are most of a large finding: room for them (quoted, comma) and the rest.
    o.reserve(f.event_ids.text_size() + 3 * f.event_ids.size() + 1024);
    AppendJsonLine(o, f, {});
    return o;
}

void AppendJsonLine(std::string& o, const Finding& f,
                    const std::function<void(std::string&)>& drain) {
    o += '{';
    Key(o, "rule_id");
    AppendJsonString(o, f.rule_id);
    o += ',';
    Key(o, "title");
    AppendJsonString(o, f.title);
    o += ',';
    Key(o, "severity");
    AppendJsonString(o, SeverityName(f.severity));
    o += ',';
    Key(o, "mitre");
    StringList(o, f.mitre);
    o += ',';
    Key(o, "tactic");
    AppendJsonString(o, f.tactic);
    o += ',';
    Key(o, "source");
    AppendJsonString(o, f.source);
    o += ',';
    Key(o, "first_seen");
    Time(o, f.first_seen);
    o += ',';
    Key(o, "last_seen");
    Time(o, f.last_seen);
    o += ',';
    Key(o, "accounts");
    StringList(o, f.accounts);
    o += ',';
    Key(o, "regions");
    StringList(o, f.regions);
    o += ',';
    Key(o, "actor");
    o += '{';
    Key(o, "arn");
    AppendJsonString(o, f.actor.arn);
    o += ',';
    Key(o, "type");
    AppendJsonString(o, f.actor.type);
    o += ',';
    Key(o, "principal_id");
    AppendJsonString(o, f.actor.principal_id);
    o += ',';
    Key(o, "access_key_id");
    AppendJsonString(o, f.actor.access_key_id);
    o += ',';
    Key(o, "user_name");
    AppendJsonString(o, f.actor.user_name);
    o += ',';
    Key(o, "root");
    AppendJsonString(o, f.actor.root);
    o += ',';
    Key(o, "source_ips");
    StringList(o, f.actor.source_ips);
    o += ',';
    Key(o, "user_agents");
    StringList(o, f.actor.user_agents);
    o += "},";
    Key(o, "event_ids");
    o += '[';
    const IdList& ids = f.event_ids;
    // Ids with nothing to escape (event ids are UUIDs) go in blocks of 1024 into room made once
    // per block: `size(from, to)` gives the block's characters, `put(i, p)` writes id i at p and
    // returns the end.
    auto blocks = [&](auto size, auto put) {
        for (size_t from = 0; from < ids.size(); from += 1024) {
            const size_t to = std::min(ids.size(), from + 1024);
            const size_t at = o.size();
            o.resize(at + size(from, to) + 3 * (to - from));
            char* p = o.data() + at;
            for (size_t i = from; i < to; ++i) {
                if (i != 0) *p++ = ',';
                *p++ = '"';
                p = put(i, p);
                *p++ = '"';
            }
            o.resize(static_cast<size_t>(p - o.data()));
            if (drain && to - from == 1024) drain(o);
        }
    };
    if (ids.packed()) {
        blocks([](size_t from, size_t to) { return kUuidTextSize * (to - from); },
               [&](size_t i, char* p) {
                   uuid::BytesToUuid(ids.uuid(i), p);
                   return p + kUuidTextSize;
               });
    } else if (JsonPlain(ids.text())) {
        const char* text = ids.text().data();
        auto end_of = [&](size_t i) {
            return static_cast<size_t>(ids[i].data() + ids[i].size() - text);
        };
        auto size = [&](size_t from, size_t to) {
            return end_of(to - 1) - (from == 0 ? 0 : end_of(from - 1));
        };
        blocks(size, [&](size_t i, char* p) {
            const std::string_view id = ids[i];
            std::memcpy(p, id.data(), id.size());
            return p + id.size();
        });
    } else {
        for (size_t i = 0; i < ids.size(); ++i) {
            if (i != 0) o += ',';
            AppendJsonString(o, ids[i]);
            if (drain && (i & 1023) == 1023) drain(o);
        }
    }
    o += ']';
    o += ',';
    Key(o, "event_names");
    StringList(o, f.event_names);
    o += ',';
    Key(o, "summary");
    AppendJsonString(o, f.summary);
    o += ',';
    Key(o, "evidence");
    o += f.evidence_json.empty() ? "{}" : f.evidence_json;
    o += "}\n";
}

namespace {

using simdjson::dom::element;

std::string Str(element e, std::string_view key) {
    std::string_view s;
    if (e[key].get_string().get(s)) return {};
    return std::string(s);
}

std::vector<std::string> StrList(element e, std::string_view key) {
    std::vector<std::string> out;
    simdjson::dom::array arr;
    if (e[key].get_array().get(arr)) return out;
    for (element x : arr) {
        std::string_view s;
        if (!x.get_string().get(s)) out.emplace_back(s);
    }
    return out;
}

}  // namespace

Result<Finding> ParseFinding(std::string_view json) {
    simdjson::dom::parser parser;
    element root;
    if (auto e = parser.parse(json.data(), json.size()).get(root)) {
        return MakeError(ErrorCode::kCorrupt,
                         std::string("invalid JSON (") + simdjson::error_message(e) + ")");
    }
    if (!root.is_object()) return MakeError(ErrorCode::kCorrupt, "a finding must be an object");
    Finding f;
    f.rule_id = Str(root, "rule_id");
    if (f.rule_id.empty()) return MakeError(ErrorCode::kCorrupt, "missing rule_id");
    auto sev = ParseSeverity(Str(root, "severity"));
    if (!sev) return MakeError(ErrorCode::kCorrupt, "missing or invalid severity");
    f.severity = *sev;
    simdjson::dom::array ids;
    if (root["event_ids"].get_array().get(ids)) {
        return MakeError(ErrorCode::kCorrupt, "missing event_ids");
    }
    for (simdjson::dom::element id : ids) {
        std::string_view s;
        if (!id.get_string().get(s)) f.event_ids.push_back(s);
    }
    f.title = Str(root, "title");
    f.mitre = StrList(root, "mitre");
    f.tactic = Str(root, "tactic");
    f.source = Str(root, "source");
    f.first_seen = ParseIsoTime(Str(root, "first_seen")).value_or(0);
    f.last_seen = ParseIsoTime(Str(root, "last_seen")).value_or(0);
    f.accounts = StrList(root, "accounts");
    f.regions = StrList(root, "regions");
    element actor;
    if (!root["actor"].get(actor) && actor.is_object()) {
        f.actor.arn = Str(actor, "arn");
        f.actor.type = Str(actor, "type");
        f.actor.principal_id = Str(actor, "principal_id");
        f.actor.access_key_id = Str(actor, "access_key_id");
        f.actor.user_name = Str(actor, "user_name");
        f.actor.root = Str(actor, "root");
        f.actor.source_ips = StrList(actor, "source_ips");
        f.actor.user_agents = StrList(actor, "user_agents");
    }
    f.event_names = StrList(root, "event_names");
    f.summary = Str(root, "summary");
    element evidence;
    if (!root["evidence"].get(evidence) && evidence.is_object()) {
        f.evidence_json = simdjson::minify(evidence);
    }
    return f;
}

Result<std::vector<Finding>> ReadFindingsFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + path);
    std::vector<Finding> out;
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (Trim(line).empty()) continue;
        auto f = ParseFinding(line);
        if (!f) {
            return MakeError(ErrorCode::kCorrupt,
                             path + ": line " + std::to_string(n) + ": " + f.error().message);
        }
        out.push_back(std::move(*f));
    }
    return out;
}

void SortFindings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
        if (a.severity != b.severity) return a.severity > b.severity;
        if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
        const std::string_view ea = a.event_ids.empty() ? a.rule_id : a.event_ids[0];
        const std::string_view eb = b.event_ids.empty() ? b.rule_id : b.event_ids[0];
        return ea < eb;
    });
}

}  // namespace tw::findings
