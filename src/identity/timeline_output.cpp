// Renderings of the timeline: table (credentials, events, summary), JSON Lines, CSV and
// Timesketch JSON Lines (message, datetime, timestamp, timestamp_desc + fields).
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"
#include "identity/timeline_rows.h"
#include "output/event_format.h"

namespace tw::identity {

namespace {

// "sso-user/alice > [Federate 8d1d432b] role-session/... > ..."
std::string PathText(const Graph& g, const Chain& c) {
    std::string s;
    for (const Chain::Hop& h : c.hops) {
        if (h.via != kNoEdge) {
            const Edge& e = g.edge(h.via);
            s += " > [";
            s += g.str(e.event_name).empty() ? EdgeKindName(e.kind) : g.str(e.event_name);
            if (e.event_id != kEmptyStr) s.append(" ").append(g.str(e.event_id));
            s += "] ";
        }
        s += g.Label(h.node);
    }
    return s;
}

void AppendPathJson(std::string& out, const Graph& g, const Chain& c) {
    out += '[';
    for (size_t i = 0; i < c.hops.size(); ++i) {
        const Chain::Hop& h = c.hops[i];
        if (i != 0) out += ',';
        out += "{\"credential\":";
        AppendJsonString(out, g.Label(h.node));
        out += ",\"kind\":";
        AppendJsonString(out, NodeKindName(g.node(h.node).kind));
        if (h.via != kNoEdge) {
            const Edge& e = g.edge(h.via);
            out += ",\"via\":{\"derivation\":";
            AppendJsonString(out, EdgeKindName(e.kind));
            out += ",\"eventName\":";
            AppendJsonString(out, g.str(e.event_name));
            out += ",\"eventID\":";
            AppendJsonString(out, g.str(e.event_id));
            out += ",\"eventTime\":";
            AppendJsonString(out, FormatIsoTime(e.time));
            if (e.enabled_by != kEmptyStr) {
                out += ",\"enabledBy\":";
                AppendJsonString(out, g.str(e.enabled_by));
            }
            out += '}';
        }
        out += '}';
    }
    out += ']';
}

// Per-credential text, computed once: many events share a credential.
class NodeText {
  public:
    explicit NodeText(const TimelineView& v) : v_(v) {}
    const std::string& Label(NodeId n) { return Get(n).label; }
    const std::string& PathJson(NodeId n) {
        Entry& e = Get(n);
        if (e.path_json.empty()) AppendPathJson(e.path_json, v_.graph, v_.closure.PathTo(n));
        return e.path_json;
    }
    const std::string& PathText(NodeId n) {
        Entry& e = Get(n);
        if (e.path_text.empty()) e.path_text = identity::PathText(v_.graph, v_.closure.PathTo(n));
        return e.path_text;
    }

  private:
    struct Entry {
        std::string label, path_json, path_text;
    };
    Entry& Get(NodeId n) {
        auto [it, fresh] = cache_.try_emplace(n);
        if (fresh) it->second.label = v_.graph.Label(n);
        return it->second;
    }
    const TimelineView& v_;
    std::unordered_map<NodeId, Entry> cache_;
};

void AppendStringOrNull(std::string& out, std::string_view s) {
    if (s.empty())
        out += "null";
    else
        AppendJsonString(out, s);
}

void AppendReadOnly(std::string& out, const Row& r) {
    out += r.read_only < 0 ? "null" : (r.read_only != 0 ? "true" : "false");
}

std::string ShortSource(std::string_view source) {
    constexpr std::string_view kSuffix = ".amazonaws.com";
    if (source.ends_with(kSuffix)) source.remove_suffix(kSuffix.size());
    return std::string(source);
}

void Flush(std::string& buf, std::FILE* out, bool force) {
    if (force || buf.size() > (1u << 18)) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        buf.clear();
    }
}

// "C12" (built without operator+, which trips a false -Wrestrict in g++ 12).
std::string CredName(size_t n) {
    std::string s = "C";
    s += std::to_string(n);
    return s;
}

void Pad(std::string& out, std::string_view text, size_t width) {
    out.append(text);
    if (text.size() < width) out.append(width - text.size(), ' ');
    out += "  ";
}

// Credentials shown in the table: those that made an event and their ancestors, numbered in
// closure order.
std::unordered_map<NodeId, size_t> NumberCredentials(const TimelineView& v,
                                                     std::vector<NodeId>& order) {
    std::unordered_set<NodeId> made, used;
    for (const Row* r : v.rows) made.insert(r->node);
    for (NodeId n : made) {
        for (const Chain::Hop& h : v.closure.PathTo(n).hops) used.insert(h.node);
    }
    std::unordered_map<NodeId, size_t> number;
    for (NodeId n : v.closure.nodes()) {
        if (used.count(n) == 0) continue;
        order.push_back(n);
        number[n] = order.size();
    }
    return number;
}

void RenderTable(const TimelineView& v, std::FILE* out) {
    const Graph& g = v.graph;
    std::string buf;
    std::vector<NodeId> order;
    const auto number = NumberCredentials(v, order);
    buf += "CREDENTIALS (" + std::to_string(order.size()) + " of " +
           std::to_string(v.closure.nodes().size()) + " derived made events)\n";
    for (NodeId n : order) {
        buf += "  ";
        buf += CredName(number.at(n));
        buf += "  ";
        buf += g.Label(n);
        const EdgeId e = v.closure.via(n);
        if (e == kNoEdge) {
            buf += "  (actor)";
        } else {
            const Edge& edge = g.edge(e);
            auto p = number.find(edge.from);
            buf += "  <- ";
            buf += p == number.end() ? g.Label(edge.from) : CredName(p->second);
            buf += edge.kind == EdgeKind::kOwns ? " (its own; first seen in " : " by ";
            buf +=
                g.str(edge.event_name).empty() ? EdgeKindName(edge.kind) : g.str(edge.event_name);
            if (edge.event_id != kEmptyStr) buf.append(" ").append(g.str(edge.event_id));
            buf += " at " + FormatIsoTime(edge.time);
            if (edge.kind == EdgeKind::kOwns) buf += ")";
            if (edge.enabled_by != kEmptyStr) {
                buf.append(" (assignment ").append(g.str(edge.enabled_by)).append(")");
            }
        }
        buf += '\n';
        Flush(buf, out, false);
    }
    buf += "\nEVENTS (" + std::to_string(v.rows.size()) + ")\n";
    Pad(buf, "TIME", 20);
    Pad(buf, "ACCOUNT", 12);
    Pad(buf, "REGION", 14);
    Pad(buf, "EVENT", 44);
    Pad(buf, "SOURCE IP", 15);
    Pad(buf, "CRED", 4);
    buf += "ERROR\n";
    for (const Row* r : v.rows) {
        Pad(buf, FormatIsoTime(r->time), 20);
        Pad(buf, v.S(*r, Row::kAccount), 12);
        Pad(buf, v.S(*r, Row::kRegion), 14);
        Pad(buf,
            ShortSource(v.S(*r, Row::kEventSource)) + ":" + std::string(v.S(*r, Row::kEventName)),
            44);
        Pad(buf, v.S(*r, Row::kIp), 15);
        auto it = number.find(r->node);
        Pad(buf, it == number.end() ? std::string("-") : CredName(it->second), 4);
        buf.append(v.S(*r, Row::kError));
        while (!buf.empty() && buf.back() == ' ') buf.pop_back();
        buf += '\n';
        Flush(buf, out, false);
    }
    buf += '\n';
    Flush(buf, out, true);
    RenderSummary(v, out);
}

void RenderJsonl(const TimelineView& v, std::FILE* out, bool timesketch) {
    NodeText text(v);
    std::string buf;
    for (const Row* r : v.rows) {
        buf += '{';
        if (timesketch) {
            std::string msg =
                ShortSource(v.S(*r, Row::kEventSource)) + ":" +
                std::string(v.S(*r, Row::kEventName)) + " by " +
                std::string(v.S(*r, Row::kArn).empty() ? text.Label(r->node) : v.S(*r, Row::kArn));
            if (!v.S(*r, Row::kIp).empty()) msg.append(" from ").append(v.S(*r, Row::kIp));
            msg.append(" in ").append(v.S(*r, Row::kAccount));
            if (!v.S(*r, Row::kRegion).empty()) msg.append("/").append(v.S(*r, Row::kRegion));
            if (!v.S(*r, Row::kError).empty()) msg.append(" failed: ").append(v.S(*r, Row::kError));
            buf += "\"message\":";
            AppendJsonString(buf, msg);
            std::string dt = FormatIsoTime(r->time);
            if (!dt.empty() && dt.back() == 'Z') dt.replace(dt.size() - 1, 1, "+00:00");
            buf += ",\"datetime\":";
            AppendJsonString(buf, dt);
            buf += ",\"timestamp\":" + std::to_string(r->time * 1000);
            buf += ",\"timestamp_desc\":\"Event Time\",\"data_type\":\"aws:cloudtrail:event\"";
            buf += ",\"event_id\":";
            AppendJsonString(buf, v.S(*r, Row::kEventId));
            buf += ",\"event_source\":";
            AppendJsonString(buf, v.S(*r, Row::kEventSource));
            buf += ",\"event_name\":";
            AppendJsonString(buf, v.S(*r, Row::kEventName));
            buf += ",\"account_id\":";
            AppendJsonString(buf, v.S(*r, Row::kAccount));
            buf += ",\"aws_region\":";
            AppendJsonString(buf, v.S(*r, Row::kRegion));
            buf += ",\"source_ip\":";
            AppendJsonString(buf, v.S(*r, Row::kIp));
            buf += ",\"user_agent\":";
            AppendJsonString(buf, v.S(*r, Row::kUserAgent));
            buf += ",\"identity_type\":";
            AppendJsonString(buf, v.S(*r, Row::kType));
            buf += ",\"identity_arn\":";
            AppendJsonString(buf, v.S(*r, Row::kArn));
            buf += ",\"access_key_id\":";
            AppendJsonString(buf, v.S(*r, Row::kKey));
            buf += ",\"error_code\":";
            AppendJsonString(buf, v.S(*r, Row::kError));
            buf += ",\"read_only\":";
            AppendReadOnly(buf, *r);
            buf += ",\"credential\":";
            AppendJsonString(buf, text.Label(r->node));
            buf += ",\"derivation_path\":";
            AppendJsonString(buf, text.PathText(r->node));
        } else {
            buf += "\"eventTime\":";
            AppendJsonString(buf, FormatIsoTime(r->time));
            buf += ",\"eventID\":";
            AppendStringOrNull(buf, v.S(*r, Row::kEventId));
            buf += ",\"eventSource\":";
            AppendJsonString(buf, v.S(*r, Row::kEventSource));
            buf += ",\"eventName\":";
            AppendJsonString(buf, v.S(*r, Row::kEventName));
            buf += ",\"recipientAccountId\":";
            AppendStringOrNull(buf, v.S(*r, Row::kAccount));
            buf += ",\"awsRegion\":";
            AppendStringOrNull(buf, v.S(*r, Row::kRegion));
            buf += ",\"sourceIPAddress\":";
            AppendStringOrNull(buf, v.S(*r, Row::kIp));
            buf += ",\"userAgent\":";
            AppendStringOrNull(buf, v.S(*r, Row::kUserAgent));
            buf += ",\"userIdentity\":{\"type\":";
            AppendStringOrNull(buf, v.S(*r, Row::kType));
            buf += ",\"arn\":";
            AppendStringOrNull(buf, v.S(*r, Row::kArn));
            buf += ",\"accessKeyId\":";
            AppendStringOrNull(buf, v.S(*r, Row::kKey));
            buf += "},\"errorCode\":";
            AppendStringOrNull(buf, v.S(*r, Row::kError));
            buf += ",\"readOnly\":";
            AppendReadOnly(buf, *r);
            buf += ",\"credential\":";
            AppendJsonString(buf, text.Label(r->node));
            buf += ",\"path\":";
            buf += text.PathJson(r->node);
            if (v.options.full && r->raw != UINT64_MAX) {
                const std::string& raw = v.sets[r->worker]->raw;
                const size_t end = raw.find('\n', r->raw);
                buf += ",\"event\":";
                output::AppendJsonOneLine(buf, std::string_view(raw).substr(r->raw, end - r->raw));
            }
        }
        buf += "}\n";
        Flush(buf, out, false);
    }
    Flush(buf, out, true);
}

void RenderCsv(const TimelineView& v, std::FILE* out) {
    NodeText text(v);
    std::string buf =
        "eventTime,eventID,eventSource,eventName,recipientAccountId,awsRegion,sourceIPAddress,"
        "userAgent,userIdentity.type,userIdentity.arn,userIdentity.accessKeyId,errorCode,"
        "readOnly,credential,path\n";
    for (const Row* r : v.rows) {
        AppendCsvField(buf, FormatIsoTime(r->time));
        for (Row::Field f :
             {Row::kEventId, Row::kEventSource, Row::kEventName, Row::kAccount, Row::kRegion,
              Row::kIp, Row::kUserAgent, Row::kType, Row::kArn, Row::kKey, Row::kError}) {
            buf += ',';
            AppendCsvField(buf, v.S(*r, f));
        }
        buf += ',';
        buf += r->read_only < 0 ? "" : (r->read_only != 0 ? "true" : "false");
        buf += ',';
        AppendCsvField(buf, text.Label(r->node));
        buf += ',';
        AppendCsvField(buf, text.PathText(r->node));
        buf += '\n';
        Flush(buf, out, false);
    }
    Flush(buf, out, true);
}

using Counts = std::map<std::string, uint64_t>;

void AppendTop(std::string& out, const char* title, const Counts& counts, size_t limit) {
    std::vector<std::pair<std::string, uint64_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    char head[64];
    std::snprintf(head, sizeof head, "  %-14s%zu", title, v.size());
    out += head;
    for (size_t i = 0; i < v.size() && i < limit; ++i) {
        out += i == 0 ? ": " : ", ";
        out += (v[i].first.empty() ? std::string("(none)") : v[i].first) + " (" +
               WithThousands(v[i].second) + ")";
    }
    if (v.size() > limit) out += ", ... " + std::to_string(v.size() - limit) + " more";
    out += '\n';
}

}  // namespace

void RenderEvents(const TimelineView& v, std::FILE* out) {
    switch (v.options.format) {
        case TimelineFormat::kTable:
            RenderTable(v, out);
            break;
        case TimelineFormat::kJsonl:
            RenderJsonl(v, out, false);
            break;
        case TimelineFormat::kTimesketch:
            RenderJsonl(v, out, true);
            break;
        case TimelineFormat::kCsv:
            RenderCsv(v, out);
            break;
    }
}

void RenderSummary(const TimelineView& v, std::FILE* out) {
    Counts accounts, regions, ips, agents, calls, mutating, errors;
    uint64_t n_mutating = 0, n_errors = 0;
    for (const Row* r : v.rows) {
        const std::string call =
            ShortSource(v.S(*r, Row::kEventSource)) + ":" + std::string(v.S(*r, Row::kEventName));
        ++accounts[std::string(v.S(*r, Row::kAccount))];
        ++regions[std::string(v.S(*r, Row::kRegion))];
        ++ips[std::string(v.S(*r, Row::kIp))];
        ++agents[std::string(v.S(*r, Row::kUserAgent))];
        ++calls[call];
        if (r->read_only == 0) {
            ++mutating[call];
            ++n_mutating;
        }
        if (!v.S(*r, Row::kError).empty()) {
            ++errors[std::string(v.S(*r, Row::kError))];
            ++n_errors;
        }
    }
    std::string s = "SUMMARY\n";
    s += "  events        " + WithThousands(v.rows.size());
    if (!v.rows.empty()) {
        s += ", first seen " + FormatIsoTime(v.rows.front()->time) + ", last seen " +
             FormatIsoTime(v.rows.back()->time);
    }
    s += "\n  credentials   " + WithThousands(v.closure.nodes().size()) + " in the closure\n";
    AppendTop(s, "accounts", accounts, 20);
    AppendTop(s, "regions", regions, 20);
    AppendTop(s, "source IPs", ips, 20);
    AppendTop(s, "user agents", agents, 5);
    AppendTop(s, "API calls", calls, 25);
    s += "  mutating      " + WithThousands(n_mutating) + " calls\n";
    AppendTop(s, "  by name", mutating, 25);
    s += "  errors        " + WithThousands(n_errors) + " calls\n";
    AppendTop(s, "  by code", errors, 10);
    std::fwrite(s.data(), 1, s.size(), out);
}

}  // namespace tw::identity
