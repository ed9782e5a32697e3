#include "detect/correlate.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace tw::detect {

using rules::CorrelationRule;
using rules::CorrelationType;
using rules::RuleSet;

namespace {

const rules::RuleMeta& RefMeta(const RuleSet& set, const CorrelationRule::Ref& r) {
    return r.is_correlation ? set.correlations[r.index].meta : set.detections[r.index].meta;
}

void AddUnique(std::vector<std::string>& v, const std::string& s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

std::vector<std::string> CorrelationFields(const RuleSet& set) {
    std::vector<std::string> out;
    for (const CorrelationRule& c : set.correlations) {
        for (const auto& ref : c.refs) {
            const rules::RuleMeta& m = RefMeta(set, ref);
            for (const std::string& key : c.group_by) AddUnique(out, rules::GroupField(c, key, m));
            if (!c.value_field.empty()) AddUnique(out, rules::GroupField(c, c.value_field, m));
        }
    }
    return out;
}

namespace {

struct Item {
    TimeMs time = 0;
    uint32_t order = 0;  // representative event (global order)
    uint32_t ref = 0;    // position in the correlation's rule list
    const std::vector<uint32_t>* events = nullptr;
    uint32_t single = 0;                       // the event when events == nullptr
    const CorrelationOutput* inner = nullptr;  // the episode of a referenced correlation
    std::string_view value;                    // value_count (a view into the run's strings)
};

struct GroupState {
    std::deque<const Item*> window;
    // value_count: value -> occurrences in the window (views into the run's strings)
    std::unordered_map<std::string_view, int> values;
    std::vector<int> per_ref;  // temporal: occurrences per rule in window
    size_t unadded = 0;        // items at the back of the window not yet in the episode
    bool open = false;
    TimeMs open_last = 0;
    CorrelationOutput episode;
    std::vector<uint32_t> episode_events;  // sorted and de-duplicated when the episode closes
};

class Engine {
  public:
    Engine(const RuleSet& set, const EventList& events, const std::vector<MatchRef>& matches,
           const std::vector<std::string>& fields)
        : set_(set), events_(events), fields_(fields) {
        // The matches of the rules the correlations refer to (often a few of many).
        by_detection_.resize(set.detections.size());
        std::vector<bool> wanted(set.detections.size(), false);
        for (const CorrelationRule& c : set.correlations) {
            for (const auto& ref : c.refs) {
                if (!ref.is_correlation) wanted[ref.index] = true;
            }
        }
        for (const MatchRef& m : matches) {
            if (wanted[m.detection]) by_detection_[m.detection].push_back(m.event);
        }
        outputs_.resize(set.correlations.size());
        done_.assign(set.correlations.size(), false);
    }

    std::vector<CorrelationOutput> Run() {
        for (uint32_t c = 0; c < set_.correlations.size(); ++c) Compute(c);
        std::vector<CorrelationOutput> all;
        for (auto& v : outputs_) {
            for (auto& o : v) all.push_back(std::move(o));
        }
        return all;
    }

  private:
    // Position of `field` in fields_, or -1.
    int64_t FieldPosition(const std::string& field) const {
        auto it = std::find(fields_.begin(), fields_.end(), field);
        return it == fields_.end() ? -1 : it - fields_.begin();
    }

    std::string_view FieldValue(uint32_t event, int64_t position) const {
        if (position < 0) return {};
        return events_[event].extra(static_cast<size_t>(position));
    }

    // The group-by value of `key` (k-th) for an item: from the referenced episode's group,
    // else from its representative event.
    std::string_view GroupValue(const Item& it, size_t k) const {
        const std::string& field = group_fields_[it.ref][k];
        if (it.inner != nullptr) {
            const std::string* found = nullptr;
            for (const auto& [key, val] : it.inner->group) {
                if (key == field) found = &val;
            }
            if (found != nullptr) return *found;
        }
        return FieldValue(it.order, group_positions_[it.ref][k]);
    }

    void Compute(uint32_t c) {
        if (done_[c]) return;
        done_[c] = true;
        const CorrelationRule& rule = set_.correlations[c];
        for (const auto& ref : rule.refs) {
            if (ref.is_correlation) Compute(ref.index);
        }
        // Field names and positions of the group-by keys and the value, per referenced rule.
        group_fields_.assign(rule.refs.size(), {});
        group_positions_.assign(rule.refs.size(), {});
        for (uint32_t p = 0; p < rule.refs.size(); ++p) {
            const rules::RuleMeta& meta = RefMeta(set_, rule.refs[p]);
            for (const std::string& key : rule.group_by) {
                group_fields_[p].push_back(rules::GroupField(rule, key, meta));
                group_positions_[p].push_back(FieldPosition(group_fields_[p].back()));
            }
        }
        // Build the item stream (reserved whole: one allocation).
        std::vector<Item> items;
        size_t count = 0;
        for (const auto& ref : rule.refs) {
            count +=
                ref.is_correlation ? outputs_[ref.index].size() : by_detection_[ref.index].size();
        }
        items.reserve(count);
        for (uint32_t p = 0; p < rule.refs.size(); ++p) {
            const auto& ref = rule.refs[p];
            const rules::RuleMeta& meta = RefMeta(set_, ref);
            const int64_t value_position =
                rule.value_field.empty()
                    ? -1
                    : FieldPosition(rules::GroupField(rule, rule.value_field, meta));
            if (!ref.is_correlation) {
                const std::vector<uint32_t>& matched = by_detection_[ref.index];
                for (size_t i = 0; i < matched.size(); ++i) {
                    // The events lie far apart in the run's list: fetch ahead.
                    FetchAhead(events_, i, matched.size(), kAhead,
                               [&](size_t k) { return matched[k]; });
                    const uint32_t e = matched[i];
                    Item it;
                    it.time = events_[e].time;
                    it.order = e;
                    it.ref = p;
                    it.single = e;
                    it.value = FieldValue(e, value_position);
                    items.push_back(it);
                }
            } else {
                for (const CorrelationOutput& o : outputs_[ref.index]) {
                    Item it;
                    it.time = o.trigger;
                    it.order = o.trigger_event;
                    it.ref = p;
                    it.events = &o.events;
                    it.inner = &o;
                    it.value = FieldValue(it.order, value_position);
                    items.push_back(it);
                }
            }
        }
        std::vector<const Item*> order;
        order.reserve(items.size());
        for (const Item& it : items) order.push_back(&it);
        // One rule's matches come in time order already.
        const auto before = [](const Item* a, const Item* b) {
            if (a->time != b->time) return a->time < b->time;
            if (a->order != b->order) return a->order < b->order;
            return a->ref < b->ref;
        };
        if (!std::is_sorted(order.begin(), order.end(), before)) {
            std::stable_sort(order.begin(), order.end(), before);
        }
        std::unordered_map<std::string, GroupState> groups;
        std::vector<CorrelationOutput> out;
        size_t since_sweep = 0;
        std::string key;
        for (size_t i = 0; i < order.size(); ++i) {
            const Item* it = order[i];
            FetchAhead(events_, i, order.size(), kAhead, [&](size_t k) { return order[k]->order; });
            if (rule.type == CorrelationType::kValueCount && it->value.empty()) continue;
            // Each value with its length: no value can run into the next.
            key.clear();
            for (size_t k = 0; k < rule.group_by.size(); ++k) {
                const std::string_view value = GroupValue(*it, k);
                const auto size = static_cast<uint32_t>(value.size());
                key.append(reinterpret_cast<const char*>(&size), sizeof size).append(value);
            }
            auto found = groups.find(key);
            if (found == groups.end()) found = groups.emplace(key, GroupState{}).first;
            GroupState& g = found->second;
            if (g.per_ref.empty()) g.per_ref.assign(rule.refs.size(), 0);
            Push(rule, g, it);
            const double count = Count(rule, g);
            if (rules::ConditionHolds(rule, count)) {
                const TimeMs window_start = g.window.front()->time;
                if (g.open && window_start > g.open_last) Close(c, g, out);
                if (!g.open) {
                    g.unadded = g.window.size();  // a new episode takes the whole window
                    g.open = true;
                    g.episode = {};
                    g.episode.correlation = c;
                    g.episode.trigger = it->time;
                    g.episode.trigger_event = it->order;
                    for (size_t k = 0; k < rule.group_by.size(); ++k) {
                        g.episode.group.emplace_back(rule.group_by[k], GroupValue(*it, k));
                    }
                    g.episode_events.clear();
                }
                // Each window item joins the episode once, when it is first in a window where
                // the condition holds.
                for (size_t k = g.window.size() - g.unadded; k < g.window.size(); ++k) {
                    const Item* w = g.window[k];
                    if (w->events != nullptr) {
                        g.episode_events.insert(g.episode_events.end(), w->events->begin(),
                                                w->events->end());
                    } else {
                        g.episode_events.push_back(w->single);
                    }
                }
                g.unadded = 0;
                g.open_last = it->time;
                g.episode.peak = std::max(g.episode.peak, count);
            }
            if (++since_sweep >= 4096) {
                since_sweep = 0;
                Sweep(c, rule, groups, it->time, out);
            }
        }
        for (auto& [key, g] : groups) {
            if (g.open) Close(c, g, out);
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            if (a.trigger != b.trigger) return a.trigger < b.trigger;
            return a.trigger_event < b.trigger_event;
        });
        outputs_[c] = std::move(out);
    }

    void Push(const CorrelationRule& rule, GroupState& g, const Item* it) {
        const TimeMs start = it->time - rule.timespan_ms;
        while (!g.window.empty() && g.window.front()->time < start) {
            const Item* old = g.window.front();
            g.window.pop_front();
            --g.per_ref[old->ref];
            ForEachValue(old->value, [&](std::string_view value) {
                auto v = g.values.find(value);
                if (v != g.values.end() && --v->second == 0) g.values.erase(v);
            });
        }
        g.unadded = std::min(g.unadded, g.window.size()) + 1;
        g.window.push_back(it);
        ++g.per_ref[it->ref];
        // A multi-valued field (instanceIds of one SendCommand) counts each of its values.
        ForEachValue(it->value, [&](std::string_view value) {
            auto v = g.values.find(value);
            if (v == g.values.end()) v = g.values.emplace(value, 0).first;
            ++v->second;
        });
    }

    double Count(const CorrelationRule& rule, const GroupState& g) const {
        switch (rule.type) {
            case CorrelationType::kEventCount:
                return static_cast<double>(g.window.size());
            case CorrelationType::kValueCount:
                return static_cast<double>(g.values.size());
            case CorrelationType::kTemporal:
                return static_cast<double>(
                    std::count_if(g.per_ref.begin(), g.per_ref.end(), [](int n) { return n > 0; }));
            case CorrelationType::kTemporalOrdered: {
                // Longest chain rules[0], rules[1], ... matched in that order in time.
                std::vector<int> from_first(rule.refs.size(), 0);
                for (const Item* w : g.window) {
                    if (w->ref == 0) {
                        from_first[0] = std::max(from_first[0], 1);
                        continue;
                    }
                    int prev = 0;
                    for (uint32_t k = 0; k < w->ref; ++k) prev = std::max(prev, from_first[k]);
                    if (prev > 0) from_first[w->ref] = std::max(from_first[w->ref], prev + 1);
                }
                return static_cast<double>(*std::max_element(from_first.begin(), from_first.end()));
            }
        }
        return 0;
    }

    void Close(uint32_t c, GroupState& g, std::vector<CorrelationOutput>& out) {
        std::sort(g.episode_events.begin(), g.episode_events.end());
        g.episode_events.erase(std::unique(g.episode_events.begin(), g.episode_events.end()),
                               g.episode_events.end());
        g.episode.events = std::move(g.episode_events);
        out.push_back(std::move(g.episode));
        g.open = false;
        g.episode = {};
        g.episode_events.clear();
    }

    void Sweep(uint32_t c, const CorrelationRule& rule,
               std::unordered_map<std::string, GroupState>& groups, TimeMs now,
               std::vector<CorrelationOutput>& out) {
        for (auto it = groups.begin(); it != groups.end();) {
            GroupState& g = it->second;
            const TimeMs last = g.window.empty() ? 0 : g.window.back()->time;
            if (now - last > rule.timespan_ms) {
                if (g.open) Close(c, g, out);
                it = groups.erase(it);
            } else {
                ++it;
            }
        }
    }

    static constexpr size_t kAhead = 8;  // items whose events are fetched ahead
    const RuleSet& set_;
    const EventList& events_;
    const std::vector<std::string>& fields_;
    std::vector<std::vector<uint32_t>> by_detection_;
    std::vector<std::vector<CorrelationOutput>> outputs_;
    std::vector<bool> done_;
    // Of the correlation being computed, per referenced rule: group-by fields and positions.
    std::vector<std::vector<std::string>> group_fields_;
    std::vector<std::vector<int64_t>> group_positions_;
};

}  // namespace

std::vector<CorrelationOutput> RunCorrelations(const RuleSet& set, const EventList& events,
                                               const std::vector<MatchRef>& matches,
                                               const std::vector<std::string>& fields) {
    return Engine(set, events, matches, fields).Run();
}

}  // namespace tw::detect
