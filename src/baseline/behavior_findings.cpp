// Reporting of the behaviour detectors: turns the merged state into findings.
#include <algorithm>
#include <set>

#include "baseline/behavior_internal.h"
#include "core/strings.h"

namespace tw::baseline {

using findings::Finding;
using findings::Severity;

namespace {

void AppendList(std::string& out, const std::vector<std::string>& values) {
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out += ',';
        AppendJsonString(out, values[i]);
    }
    out += ']';
}

std::string Join(const std::vector<std::string>& values, size_t max) {
    std::string out;
    for (size_t i = 0; i < values.size() && i < max; ++i) {
        if (i != 0) out += ", ";
        out += values[i];
    }
    if (values.size() > max) out += ", ...";
    return out;
}

// Sorted, unique event ids.
void AddIds(std::vector<std::string>& ids, const std::vector<std::string>& more) {
    ids.insert(ids.end(), more.begin(), more.end());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::vector<EventRef> Sorted(std::vector<EventRef> refs) {
    std::sort(refs.begin(), refs.end(), Before);
    return refs;
}

// How a finding names the principal: its ARN, else (an Identity Center user signing in) its user
// name with the key, else the key.
std::string Who(const std::string& key, const Principal& p) {
    if (!p.arn.empty()) return p.arn;
    if (!p.user_name.empty() && key.rfind("idc:", 0) == 0) return p.user_name + " (" + key + ")";
    return key;
}

void FillActor(Finding& f, const std::string& key, const Principal& p) {
    f.actor.arn = p.arn.empty() ? key : p.arn;
    f.actor.type = p.type;
    f.actor.user_name = p.user_name;
    for (const auto& [ip, s] : p.attrs[kIp]) f.actor.source_ips.push_back(ip);
    for (const auto& [ua, s] : p.attrs[kUa]) f.actor.user_agents.push_back(ua);
    std::sort(f.actor.source_ips.begin(), f.actor.source_ips.end());
    std::sort(f.actor.user_agents.begin(), f.actor.user_agents.end());
}

}  // namespace

std::vector<Finding> BehaviorCollector::FirstSeenFindings(TimeMs learning_end) const {
    const State& s = *s_;
    std::vector<Finding> out;
    std::vector<std::string> keys;
    for (const auto& [key, p] : s.principals) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    auto org_new_net = [&](const std::string& net) {
        auto it = s.org_nets.find(net);
        return it == s.org_nets.end() || it->second.time > learning_end;
    };
    for (const std::string& key : keys) {
        const Principal& p = s.principals.at(key);
        const bool new_principal = !p.known && p.first > learning_end;
        std::array<std::vector<std::string>, kAttrCount> fresh;
        std::vector<std::string> ids;
        TimeMs first = INT64_MAX, last = INT64_MIN;
        for (int a = 0; a < kAttrCount; ++a) {
            for (const auto& [value, sight] : p.attrs[a]) {
                if (sight.time <= learning_end) continue;
                fresh[a].push_back(value);
                ids.push_back(sight.event_id);
                first = std::min(first, sight.time);
                last = std::max(last, sight.time);
            }
            std::sort(fresh[a].begin(), fresh[a].end());
        }
        const bool sensitive = !fresh[kApi].empty();
        bool unknown_network = false;
        for (const auto& net : fresh[kNet]) unknown_network = unknown_network || org_new_net(net);
        if (new_principal) {
            for (const auto& net : [&] {
                     std::vector<std::string> nets;
                     for (const auto& [n, sight] : p.attrs[kNet]) nets.push_back(n);
                     return nets;
                 }()) {
                unknown_network = unknown_network || org_new_net(net);
            }
        }
        const bool new_client = !fresh[kUa].empty();
        if (!new_principal && !sensitive && fresh[kNet].empty() && !new_client) continue;

        Finding f;
        f.source = "builtin";
        f.tactic = "initial-access";
        f.mitre = {"T1078.004"};
        if (new_principal) {
            f.rule_id = "tw.baseline.new-principal";
            f.title = "Principal never seen during the learning period";
            std::vector<std::string> more;
            for (const auto& ref : Sorted(p.earliest.events())) {
                more.push_back(ref.id);
                first = std::min(first, ref.time);
                last = std::max(last, ref.time);
            }
            AddIds(ids, more);
            f.severity = sensitive && unknown_network ? Severity::kMedium
                         : sensitive                  ? Severity::kLow
                                                      : Severity::kInfo;
            f.summary = "new principal " + Who(key, p) + " made " + std::to_string(p.events) +
                        " calls" +
                        (sensitive ? " including sensitive ones (" + Join(fresh[kApi], 6) + ")"
                                   : std::string()) +
                        (unknown_network ? " from a network new to the organization" : "");
        } else {
            f.rule_id = "tw.baseline.new-behavior";
            f.title = "Behaviour never seen for this principal during the learning period";
            AddIds(ids, {});
            f.severity = sensitive && unknown_network                 ? Severity::kMedium
                         : sensitive || unknown_network || new_client ? Severity::kLow
                                                                      : Severity::kInfo;
            std::vector<std::string> parts;
            if (sensitive) parts.push_back("sensitive calls " + Join(fresh[kApi], 6));
            if (!fresh[kNet].empty()) parts.push_back("networks " + Join(fresh[kNet], 4));
            if (new_client) parts.push_back("clients " + Join(fresh[kUa], 4));
            if (!fresh[kRegion].empty()) parts.push_back("regions " + Join(fresh[kRegion], 4));
            f.summary = Who(key, p) + " showed new " + Join(parts, 8);
        }
        f.first_seen = first == INT64_MAX ? 0 : first;
        f.last_seen = last == INT64_MIN ? 0 : last;
        f.event_ids = std::move(ids);
        // Where the principal made calls (its accounts and regions, not only those of the new
        // behaviour): what a responder scopes first.
        f.accounts.assign(p.accounts.begin(), p.accounts.end());
        for (const auto& [region, sight] : p.attrs[kRegion]) f.regions.push_back(region);
        std::sort(f.regions.begin(), f.regions.end());
        FillActor(f, key, p);
        std::string ev = "{\"principal\":";
        AppendJsonString(ev, key);
        ev += ",\"learning_end\":";
        AppendJsonString(ev, FormatIsoTime(learning_end));
        for (int a = 0; a < kAttrCount; ++a) {
            ev += ",\"new_";
            ev += kAttrNames[a];
            ev += "\":";
            AppendList(ev, fresh[a]);
        }
        ev += ",\"network_new_to_organization\":";
        ev += unknown_network ? "true" : "false";
        ev += '}';
        f.evidence_json = std::move(ev);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<Finding> BehaviorCollector::AfterOffboardingFindings() const {
    const State& s = *s_;
    std::vector<Finding> out;
    for (const auto& [target, events_in] : s.offboarded) {
        std::vector<Offboard> events = events_in;
        std::sort(events.begin(), events.end(), [](const Offboard& a, const Offboard& b) {
            return a.time != b.time ? a.time < b.time : a.event_id < b.event_id;
        });
        const TimeMs cut = events.front().time;
        std::set<std::string> actions;
        for (const auto& e : events) actions.insert(e.action);
        const bool key_target = target.starts_with("key:");
        const bool strong = key_target || actions.count("DeleteUser") != 0 ||
                            actions.count("DeleteAccountAssignment") != 0 ||
                            actions.count("DisableUser") != 0;
        const bool medium = actions.count("DeleteLoginProfile") != 0;
        if (!strong && !medium && actions.size() < 2) continue;

        // Activity of the target after the first offboarding event.
        std::vector<EventRef> after;
        const Principal* who = nullptr;
        std::string who_key;
        if (key_target) {
            const std::string key = target.substr(4);
            for (const auto& [k, p] : s.principals) {
                for (const auto& ref : p.latest) {
                    if (ref.key == key && ref.time > cut) {
                        after.push_back(ref);
                        if (who == nullptr || k < who_key) {
                            who = &p;
                            who_key = k;
                        }
                    }
                }
            }
        } else if (auto it = s.principals.find(target); it != s.principals.end()) {
            who = &it->second;
            who_key = target;
            for (const auto& ref : it->second.latest) {
                if (ref.time > cut) after.push_back(ref);
            }
        }
        if (after.empty()) continue;
        after = Sorted(std::move(after));
        Finding f;
        f.rule_id = "tw.baseline.after-offboarding";
        f.title = "Credentials used again after access was removed";
        f.severity = strong || actions.size() >= 2 ? Severity::kHigh : Severity::kMedium;
        f.source = "builtin";
        f.tactic = "persistence";
        f.mitre = {"T1078.004"};
        f.first_seen = events.front().time;
        f.last_seen = after.back().time;
        std::vector<std::string> ids;
        std::set<std::string> names;
        for (const auto& e : events) ids.push_back(e.event_id);
        for (const auto& ref : after) {
            ids.push_back(ref.id);
            names.insert(ref.name);
        }
        f.event_ids = ids;
        f.event_names.assign(names.begin(), names.end());
        if (who != nullptr) FillActor(f, who_key, *who);
        if (f.actor.arn.empty()) f.actor.arn = target;
        std::vector<std::string> action_list(actions.begin(), actions.end());
        f.summary = target + " was offboarded (" + Join(action_list, 6) + ") at " +
                    FormatIsoTime(cut) + ", then made " + std::to_string(after.size()) +
                    " calls (" + Join(f.event_names, 6) + ")";
        std::string ev = "{\"target\":";
        AppendJsonString(ev, target);
        ev += ",\"offboarding_actions\":";
        AppendList(ev, action_list);
        ev += ",\"offboarded_by\":";
        AppendJsonString(ev, events.front().actor);
        ev += ",\"offboarded_at\":";
        AppendJsonString(ev, FormatIsoTime(cut));
        ev += '}';
        f.evidence_json = std::move(ev);
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace tw::baseline
