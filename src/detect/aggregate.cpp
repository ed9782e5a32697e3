#include "detect/aggregate.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <set>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"
#include "event/context.h"

namespace tw::detect {

using findings::Finding;

namespace {

void Insert(std::vector<std::string>& v, std::string_view s) {
    if (s.empty()) return;
    auto it = std::lower_bound(v.begin(), v.end(), s);
    if (it != v.end() && *it == s) return;
    v.insert(it, std::string(s));
}

// A finding's source addresses or user agents, which a caller can make as many as it likes:
// all of them while there are at most kMaxListed, else the kMaxListed / 2 seen first and the
// kMaxListed / 2 whose first sight came last (decoys made before the real calls do not push
// them out), the others counted (evidence "unlisted"). Accounts, regions and calls are all
// listed: an organization's, AWS's and the API's are bounded.
class CappedList {
  public:
    static constexpr size_t kMaxListed = 50;

    // `s` views the run's strings.
    void Add(std::string_view s) {
        if (!s.empty() && seen_.insert(s).second) order_.push_back(s);
    }
    // The listed values, sorted, into `out`; returns how many were left out.
    size_t Finish(std::vector<std::string>& out) const {
        std::vector<std::string_view> keep;
        if (order_.size() <= kMaxListed) {
            keep = order_;
        } else {
            keep.assign(order_.begin(), order_.begin() + kMaxListed / 2);
            keep.insert(keep.end(), order_.end() - kMaxListed / 2, order_.end());
        }
        std::sort(keep.begin(), keep.end());
        out.assign(keep.begin(), keep.end());
        return order_.size() - keep.size();
    }

  private:
    std::unordered_set<std::string_view> seen_;
    std::vector<std::string_view> order_;  // in order of first sight
};

// How many values of a finding its lists left out.
struct Unlisted {
    size_t source_ips = 0, user_agents = 0;

    // ',"unlisted":{...}' for the evidence, or "" when every value is listed.
    [[nodiscard]] std::string Evidence() const {
        if (source_ips == 0 && user_agents == 0) return {};
        return ",\"unlisted\":{\"source_ips\":" + std::to_string(source_ips) +
               ",\"user_agents\":" + std::to_string(user_agents) + "}";
    }
};

void AppendStringArray(std::string& out, const std::vector<std::string>& v) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
        if (i != 0) out += ',';
        AppendJsonString(out, v[i]);
    }
    out += ']';
}

// A map keyed by pointer (open addressing; no allocation once warm): per actor or call, what
// a loop over many events has noted. Clear() is O(1) (a generation stamp), so a table grown by
// one large finding costs nothing to the many small ones after it.
template <typename V>
class PointerMap {
  public:
    // The value of `p`, value-initialised when new (`added` tells which).
    V& At(const void* p, bool* added = nullptr) {
        if ((size_ + 1) * 2 > slots_.size()) Grow();
        const size_t mask = slots_.size() - 1;
        for (size_t i = Hash(p) & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.gen != gen_) {
                s = {p, gen_, V{}};
                ++size_;
                if (added != nullptr) *added = true;
                return s.value;
            }
            if (s.key == p) {
                if (added != nullptr) *added = false;
                return s.value;
            }
        }
    }
    // True when `p` was not there before.
    bool Add(const void* p) {
        bool added = false;
        (void)At(p, &added);
        return added;
    }
    void Clear() {
        size_ = 0;
        if (++gen_ == 0) {  // wrapped: stamps of old slots could match again
            for (Slot& s : slots_) s.gen = 0;
            gen_ = 1;
        }
    }

  private:
    struct Slot {
        const void* key = nullptr;
        uint32_t gen = 0;  // the slot is in use when gen == gen_
        V value{};
    };
    static size_t Hash(const void* p) {
        const auto v = reinterpret_cast<uintptr_t>(p) * 0x9E3779B97F4A7C15ULL;
        return static_cast<size_t>(v >> 32);
    }
    void Grow() {
        std::vector<Slot> old(std::max<size_t>(64, slots_.size() * 2));
        old.swap(slots_);
        const uint32_t live = gen_;
        size_ = 0;
        for (Slot& s : old) {
            if (s.gen == live) At(s.key) = std::move(s.value);
        }
    }
    std::vector<Slot> slots_;
    size_t size_ = 0;
    uint32_t gen_ = 1;
};
using PointerSet = PointerMap<bool>;

// Fills the parts every finding shares from its events (ascending); returns what the lists
// leave out.
Unlisted FillFromEvents(Finding& f, const EventList& events, const std::vector<uint32_t>& idx) {
    Unlisted unlisted;
    const EventInfo& first = events[idx.front()];
    f.first_seen = first.time;
    f.last_seen = events[idx.back()].time;
    f.actor.arn = first.arn();
    f.actor.type = first.identity_type();
    f.actor.principal_id = first.principal_id();
    f.actor.access_key_id = first.access_key_id();
    // The lists are sorted (addresses and user agents chosen by CappedList): an actor or a call
    // met before adds nothing, so each is looked at once.
    thread_local PointerSet seen_actors, seen_calls;
    CappedList ips, agents;
    seen_actors.Clear();
    seen_calls.Clear();
    // The events of a group are spread over the whole list (other actors' events lie between
    // them): fetch ahead, or every event is a cache miss.
    constexpr size_t kAhead = 16;
    for (size_t j = 0; j < idx.size(); ++j) {
        FetchAhead(events, j, idx.size(), kAhead, [&](size_t k) { return idx[k]; });
        const EventInfo& e = events[idx[j]];
        if (seen_actors.Add(e.actor)) {
            Insert(f.accounts, e.account());
            Insert(f.regions, e.region());
            ips.Add(e.source_ip());
            agents.Add(e.user_agent());
        }
        if (seen_calls.Add(e.call())) Insert(f.event_names, e.event_name());
    }
    unlisted.source_ips = ips.Finish(f.actor.source_ips);
    unlisted.user_agents = agents.Finish(f.actor.user_agents);
    return unlisted;
}

void FillFromRule(Finding& f, const rules::RuleMeta& m) {
    f.rule_id = m.rule_id();
    f.title = m.title;
    f.severity = m.level;
    f.mitre = m.mitre;
    f.tactic = m.tactic;
    f.source = m.source;
}

std::string RuleEvidence(const rules::RuleMeta& m) {
    std::string e = "{\"author\":";
    AppendJsonString(e, m.author);
    e += ",\"status\":";
    AppendJsonString(e, m.status);
    e += ",\"references\":";
    AppendStringArray(e, m.references);
    return e;
}

void AddUnique(std::vector<std::string>& out, const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

}  // namespace

std::vector<std::string> FindingFields(const rules::RuleSet& set) {
    std::vector<std::string> out;
    auto add = [&](const rules::RuleMeta& m) {
        for (const std::string& f : m.fields) AddUnique(out, f);
        for (const std::string& f : TemplateFields(m.summary)) AddUnique(out, f);
    };
    for (const auto& d : set.detections) add(d.meta);
    for (const auto& c : set.correlations) add(c.meta);
    return out;
}

std::vector<std::vector<uint32_t>> ExtraFieldsByDetection(const rules::RuleSet& set,
                                                          const std::vector<std::string>& fields) {
    auto position = [&](const std::string& f) -> int64_t {
        auto it = std::find(fields.begin(), fields.end(), f);
        return it == fields.end() ? -1 : it - fields.begin();
    };
    std::vector<std::set<uint32_t>> need(set.detections.size());
    auto add_meta = [&](std::set<uint32_t>& out, const rules::RuleMeta& m) {
        std::vector<std::string> names = m.fields;
        for (const std::string& f : TemplateFields(m.summary)) names.push_back(f);
        for (const std::string& f : names) {
            if (const int64_t p = position(f); p >= 0) out.insert(static_cast<uint32_t>(p));
        }
    };
    for (size_t d = 0; d < set.detections.size(); ++d) add_meta(need[d], set.detections[d].meta);
    for (const rules::CorrelationRule& c : set.correlations) {
        // What this correlation reads: its group-by and value fields (for every rule it refers
        // to, with aliases), its own fields and summary.
        std::set<uint32_t> reads;
        for (const auto& ref : c.refs) {
            const rules::RuleMeta& m = ref.is_correlation ? set.correlations[ref.index].meta
                                                          : set.detections[ref.index].meta;
            for (const std::string& key : c.group_by) {
                if (const int64_t p = position(rules::GroupField(c, key, m)); p >= 0) {
                    reads.insert(static_cast<uint32_t>(p));
                }
            }
            if (!c.value_field.empty()) {
                if (const int64_t p = position(rules::GroupField(c, c.value_field, m)); p >= 0) {
                    reads.insert(static_cast<uint32_t>(p));
                }
            }
        }
        add_meta(reads, c.meta);
        // Every detection it reaches, through chained correlations too.
        std::vector<bool> seen(set.correlations.size(), false);
        std::vector<const rules::CorrelationRule*> todo = {&c};
        while (!todo.empty()) {
            const rules::CorrelationRule* cur = todo.back();
            todo.pop_back();
            for (const auto& ref : cur->refs) {
                if (!ref.is_correlation) {
                    need[ref.index].insert(reads.begin(), reads.end());
                } else if (!seen[ref.index]) {
                    seen[ref.index] = true;
                    todo.push_back(&set.correlations[ref.index]);
                }
            }
        }
    }
    std::vector<std::vector<uint32_t>> out;
    for (const auto& n : need) out.emplace_back(n.begin(), n.end());
    return out;
}

std::string EventIdText(const EventInfo& e) {
    if (!e.event_id.empty()) return e.event_id.str();
    return "record:" + std::to_string(e.file) + ":" + std::to_string(e.record_number());
}

void AppendEventId(findings::IdList& ids, const EventInfo& e) {
    if (e.event_id.packed()) {
        uint8_t bytes[16];
        e.event_id.CopyBytes(bytes);
        ids.push_back_uuid(bytes);
    } else if (e.event_id.empty()) {
        ids.push_back(EventIdText(e));
    } else {
        EventId::Buffer buf;
        ids.push_back(e.event_id.View(buf));
    }
}

void FillEventIds(Finding& f, const EventList& events, const std::vector<uint32_t>& idx) {
    // Room for UUIDs, the ids CloudTrail writes, kept packed (others make the list one of
    // text). The events lie far apart in the list: fetch ahead.
    f.event_ids.reserve_uuids(idx.size());
    for (size_t j = 0; j < idx.size(); ++j) {
        if (j + 16 < idx.size()) FetchEvent(&events[idx[j + 16]]);
        AppendEventId(f.event_ids, events[idx[j]]);
    }
}

std::vector<Finding> AggregateMatches(const rules::RuleSet& set, const EventList& events,
                                      const std::vector<MatchRef>& matches, TimeMs gap,
                                      const FieldIndex& index) {
    std::vector<Finding> out;
    for (PendingFinding& p : AggregatePending(set, events, matches, gap, index)) {
        FillEventIds(p.finding, events, p.events);
        out.push_back(std::move(p.finding));
    }
    return out;
}

namespace {

// The groups of one rule in one part of the matches: per key (actor, account), the group still
// open, and every group a gap closed, with the position (in the matches) of the event that
// closed it. What joining the parts needs is kept too: where each key's first event is, and
// whether its first group is already closed.
struct PartGroups {
    using Key = std::pair<std::string_view, std::string_view>;
    struct KeyHash {
        size_t operator()(const Key& k) const {
            return static_cast<size_t>(
                event::MixHash(event::FastHash(k.first), event::FastHash(k.second)));
        }
    };
    struct Closed {
        std::vector<uint32_t> events;
        size_t trigger;  // position of the match that closed it
    };
    PointerMap<uint32_t> by_actor;  // actor -> key + 1 (events of one context share their key)
    std::unordered_map<Key, uint32_t, KeyHash> key_index;
    std::vector<Key> keys;
    std::vector<std::vector<uint32_t>> open;  // by key
    std::vector<TimeMs> last;                 // by key: time of the open group's last event
    std::vector<size_t> first_at;             // by key: position of its first match in this part
    std::vector<int64_t> first_closed;        // by key: its first group in `closed`, or -1
    std::vector<Closed> closed;

    // The number of key `k`, or kNoKey.
    static constexpr uint32_t kNoKey = UINT32_MAX;
    [[nodiscard]] uint32_t Find(const Key& k) const {
        const auto it = key_index.find(k);
        return it == key_index.end() ? kNoKey : it->second;
    }
};

// Groups the matches [from, to) of the rules that generate findings, into parts[rule].
void GroupPart(const rules::RuleSet& set, const EventList& events,
               const std::vector<MatchRef>& matches, TimeMs gap, size_t from, size_t to,
               std::vector<std::unique_ptr<PartGroups>>& parts) {
    for (size_t at = from; at < to; ++at) {
        const MatchRef& m = matches[at];
        if (!set.detections[m.detection].generate) continue;
        std::unique_ptr<PartGroups>& part = parts[m.detection];
        if (part == nullptr) part = std::make_unique<PartGroups>();
        PartGroups& p = *part;
        const EventInfo& e = events[m.event];
        uint32_t& slot = p.by_actor.At(e.actor);
        if (slot == 0) {
            const auto [it, added] = p.key_index.try_emplace({e.actor_key(), e.account()},
                                                             static_cast<uint32_t>(p.keys.size()));
            if (added) {
                p.keys.push_back(it->first);
                p.open.emplace_back();
                p.last.push_back(e.time);
                p.first_at.push_back(at);
                p.first_closed.push_back(-1);
            }
            slot = it->second + 1;
        }
        const uint32_t k = slot - 1;
        std::vector<uint32_t>& g = p.open[k];
        if (!g.empty() && e.time - p.last[k] > gap) {
            if (p.first_closed[k] < 0) p.first_closed[k] = static_cast<int64_t>(p.closed.size());
            p.closed.push_back({std::move(g), at});
            g = {};
        }
        g.push_back(m.event);
        p.last[k] = e.time;
    }
}

// One finding's worth of events of one rule.
struct Group {
    uint32_t rule;
    std::vector<uint32_t> events;
};

// The groups of one rule, from its first part `a` and the part `b` after it (null when the
// matches were not split), in the order of one pass over all: groups closed by a gap in the
// order of the event that closed them, then the open ones by key. A group open at the end of
// `a` is closed by the first event of its key in `b` when a gap lies between, else it is the
// start of that key's first group in `b`.
void JoinParts(uint32_t rule, TimeMs gap, const EventList& events,
               const std::vector<MatchRef>& matches, PartGroups& a, PartGroups* b,
               std::vector<Group>& out) {
    std::vector<PartGroups::Closed> closed = std::move(a.closed);
    std::vector<std::pair<PartGroups::Key, std::vector<uint32_t>*>> open;
    for (uint32_t k = 0; k < a.keys.size(); ++k) {
        const uint32_t kb = b != nullptr ? b->Find(a.keys[k]) : PartGroups::kNoKey;
        if (kb == PartGroups::kNoKey) {
            open.emplace_back(a.keys[k], &a.open[k]);
        } else if (events[matches[b->first_at[kb]].event].time - a.last[k] > gap) {
            closed.push_back({std::move(a.open[k]), b->first_at[kb]});
        } else {
            const int64_t c = b->first_closed[kb];
            std::vector<uint32_t>& joined =
                c >= 0 ? b->closed[static_cast<size_t>(c)].events : b->open[kb];
            joined.insert(joined.begin(), a.open[k].begin(), a.open[k].end());
        }
    }
    if (b != nullptr) {
        for (PartGroups::Closed& c : b->closed) closed.push_back(std::move(c));
        for (uint32_t k = 0; k < b->keys.size(); ++k) open.emplace_back(b->keys[k], &b->open[k]);
    }
    std::sort(closed.begin(), closed.end(),
              [](const auto& x, const auto& y) { return x.trigger < y.trigger; });
    std::sort(open.begin(), open.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (PartGroups::Closed& c : closed) out.push_back({rule, std::move(c.events)});
    for (auto& [key, events] : open) {
        if (!events->empty()) out.push_back({rule, std::move(*events)});
    }
}

}  // namespace

std::vector<PendingFinding> AggregatePending(const rules::RuleSet& set, const EventList& events,
                                             const std::vector<MatchRef>& matches, TimeMs gap,
                                             const FieldIndex& index, unsigned threads,
                                             const std::function<void()>& beside) {
    // The matches are grouped in one pass, or in two halves on two threads whose groups are
    // then joined: the same groups, in the same order.
    const size_t rules = set.detections.size();
    const bool split = threads > 1 && matches.size() >= 2;
    const size_t bounds[] = {0, split ? matches.size() / 2 : matches.size(), matches.size()};
    std::vector<std::unique_ptr<PartGroups>> parts[2] = {
        std::vector<std::unique_ptr<PartGroups>>(rules),
        std::vector<std::unique_ptr<PartGroups>>(rules)};
    // Unsplit, the second part is empty.
    RunBoth(split, [&](size_t p) {
        GroupPart(set, events, matches, gap, bounds[p], bounds[p + 1], parts[p]);
    });
    std::vector<Group> groups;
    std::vector<std::string> evidence(rules);
    for (uint32_t r = 0; r < rules; ++r) {
        std::unique_ptr<PartGroups>& a = parts[0][r];
        PartGroups* b = parts[1][r].get();
        if (a == nullptr && b == nullptr) continue;
        if (a == nullptr) a = std::make_unique<PartGroups>();
        evidence[r] = RuleEvidence(set.detections[r].meta);
        JoinParts(r, gap, events, matches, *a, b, groups);
        a.reset();
        parts[1][r].reset();
    }
    std::vector<PendingFinding> out(groups.size());
    auto build = [&](size_t k) {
        const rules::RuleMeta& meta = set.detections[groups[k].rule].meta;
        std::vector<uint32_t>& g = groups[k].events;
        Finding f;
        FillFromRule(f, meta);
        const Unlisted unlisted = FillFromEvents(f, events, g);
        if (meta.summary.empty()) {
            f.summary = meta.title + ": " + std::to_string(g.size()) +
                        (g.size() == 1 ? " event" : " events") + " by " + ActorText(f, false) +
                        (f.accounts.empty() ? "" : " in account " + f.accounts[0]) + ".";
        } else {
            f.summary = RenderSummary(meta.summary, f, events, g, index);
        }
        f.evidence_json = evidence[groups[k].rule] + ",\"matches\":" + std::to_string(g.size()) +
                          FieldsEvidence(meta.fields, events, g, index) + unlisted.Evidence() + "}";
        out[k] = {std::move(f), std::move(g)};
    };
    // With threads, two take the findings one by one; the second runs `beside` first.
    std::atomic<size_t> next{0};
    auto take = [&] {
        for (size_t k; (k = next.fetch_add(1)) < groups.size();) build(k);
    };
    std::future<void> other;
    if (threads > 1) {
        try {
            other = std::async(std::launch::async, [&] {
                if (beside) beside();
                take();
            });
        } catch (const std::system_error&) {
            // No thread: all here.
        }
    }
    try {
        if (!other.valid() && beside) beside();
        take();
    } catch (...) {
        next.store(groups.size());  // the other thread stops after its current finding
        throw;                      // (the future's destructor waits for it)
    }
    if (other.valid()) other.get();
    return out;
}

void RunInTwoParts(bool two, size_t n, const std::function<size_t(size_t)>& weight,
                   const std::function<void(size_t, size_t)>& fn) {
    size_t split = 0;
    if (two) {
        size_t total = 0, half = 0;
        for (size_t k = 0; k < n; ++k) total += weight(k);
        while (split < n && 2 * half < total) half += weight(split++);
    }
    std::future<void> first;
    if (split > 0 && split < n) {
        try {
            first = std::async(std::launch::async, fn, size_t{0}, split);
        } catch (const std::system_error&) {
            split = 0;  // no thread: all here
        }
    } else {
        split = 0;
    }
    fn(split, n);
    if (first.valid()) first.get();
}

void RunBoth(bool two, const std::function<void(size_t part)>& fn) {
    RunInTwoParts(
        two, 2, [](size_t) { return size_t{1}; },
        [&](size_t from, size_t to) {
            for (size_t part = from; part < to; ++part) fn(part);
        });
}

Finding CorrelationFinding(const rules::RuleSet& set, const CorrelationOutput& o,
                           const EventList& events, const FieldIndex& index) {
    PendingFinding p = CorrelationPending(set, o, events, index);
    FillEventIds(p.finding, events, p.events);
    return std::move(p.finding);
}

PendingFinding CorrelationPending(const rules::RuleSet& set, const CorrelationOutput& o,
                                  const EventList& events, const FieldIndex& index) {
    const rules::CorrelationRule& c = set.correlations[o.correlation];
    Finding f;
    FillFromRule(f, c.meta);
    if (f.mitre.empty() || f.tactic.empty()) {
        // Inherit ATT&CK tags from the rules it correlates when it has none of its own.
        for (const auto& ref : c.refs) {
            const rules::RuleMeta& m = ref.is_correlation ? set.correlations[ref.index].meta
                                                          : set.detections[ref.index].meta;
            for (const std::string& t : m.mitre) {
                if (std::find(f.mitre.begin(), f.mitre.end(), t) == f.mitre.end()) {
                    f.mitre.push_back(t);
                }
            }
            if (f.tactic.empty()) f.tactic = m.tactic;
        }
    }
    Unlisted unlisted;
    if (!o.events.empty()) unlisted = FillFromEvents(f, events, o.events);
    std::string group_text;
    std::string group_json = "{";
    for (size_t i = 0; i < o.group.size(); ++i) {
        if (i != 0) {
            group_text += ", ";
            group_json += ',';
        }
        group_text += o.group[i].first + "=" + o.group[i].second;
        AppendJsonString(group_json, o.group[i].first);
        group_json += ':';
        AppendJsonString(group_json, o.group[i].second);
    }
    group_json += '}';
    char peak[32];
    std::snprintf(peak, sizeof peak, "%.0f", o.peak);
    if (c.meta.summary.empty()) {
        f.summary = c.meta.title + " (" + rules::CorrelationTypeName(c.type) + " " + peak +
                    (group_text.empty() ? "" : " for " + group_text) +
                    "): " + std::to_string(o.events.size()) + " contributing events.";
    } else {
        auto group = o.group;
        group.emplace_back("count", peak);  // the count the condition is about
        f.summary = RenderSummary(c.meta.summary, f, events, o.events, index, group);
    }
    f.evidence_json =
        RuleEvidence(c.meta) + ",\"correlation\":\"" + rules::CorrelationTypeName(c.type) +
        "\",\"group\":" + group_json + ",\"count\":" + peak +
        ",\"timespan_seconds\":" + std::to_string(c.timespan_ms / 1000) +
        FieldsEvidence(c.meta.fields, events, o.events, index) + unlisted.Evidence() + "}";
    return {std::move(f), o.events};
}

}  // namespace tw::detect
