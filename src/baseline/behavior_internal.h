// Internal state of the behaviour detectors, shared by behavior.cpp (collection) and
// behavior_findings.cpp (reporting). Not part of the public API.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <climits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "baseline/behavior.h"

namespace tw::baseline {

namespace detail {

constexpr TimeMs kKnown = INT64_MIN;  // sightings from --baseline data
constexpr TimeMs kDay = 86400000LL;

enum Attr { kIp = 0, kNet, kUa, kRegion, kApi, kAttrCount };
constexpr const char* kAttrNames[kAttrCount] = {"source_ips", "networks", "user_agents", "regions",
                                                "sensitive_calls"};

struct Sighting {
    TimeMs time = INT64_MAX;
    std::string event_id;
};

struct EventRef {
    TimeMs time = 0;
    std::string id;
    std::string name;
    std::string key;  // access key id used
};

// Orders by (time, id): deterministic whatever the input order (events sharing both, which
// CloudTrail does not write, keep whichever came first).
inline bool Before(const EventRef& a, const EventRef& b) {
    return a.time != b.time ? a.time < b.time : a.id < b.id;
}

// The `cap` earliest (keep_small) or latest events offered, by Before. The events stay in their
// slots (a slot is reused in place when its event is pushed out); a ring of slot numbers lists
// them ascending. Events mostly come in time order, so the latest are mostly appended at the
// end of the ring while its first leaves, and the earliest mostly refuse a newcomer at once: a
// few comparisons, no heap to sift. `cap` must be the same at every call. Iterating gives the
// kept events in no particular order.
class RefRing {
  public:
    // Offers the event (t, id, name, key), building its strings only when it is kept.
    void Offer(TimeMs t, std::string_view id, std::string_view name, std::string_view key,
               size_t cap, bool keep_small) {
        if (cap == 0) return;
        assert(ring_.empty() || ring_.size() == cap);
        uint32_t slot;
        if (refs_.size() < cap) {
            if (ring_.size() != cap) ring_.resize(cap);
            slot = static_cast<uint32_t>(refs_.size());
            refs_.push_back({t, std::string(id), std::string(name), std::string(key)});
        } else {
            // Full: the newcomer replaces the last (earliest kept) or the first (latest kept)
            // when it comes before or after it.
            if (keep_small) {
                slot = At(refs_.size() - 1);
                if (!Less(t, id, refs_[slot])) return;
            } else {
                slot = At(0);
                if (!Less(refs_[slot], t, id)) return;
                head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
            }
            EventRef& r = refs_[slot];
            r.time = t;
            r.id.assign(id);
            r.name.assign(name);
            r.key.assign(key);
        }
        // Its place: mostly the end; otherwise the ones after it move up by one.
        size_t at = refs_.size() - 1;  // positions 0..at-1 hold the others
        while (at > 0 && Before(refs_[slot], refs_[At(at - 1)])) {
            At(at) = At(at - 1);
            --at;
        }
        At(at) = slot;
    }
    // Same for an event already built (copied only when kept).
    void Offer(const EventRef& ref, size_t cap, bool keep_small) {
        Offer(ref.time, ref.id, ref.name, ref.key, cap, keep_small);
    }
    [[nodiscard]] const std::vector<EventRef>& events() const { return refs_; }
    [[nodiscard]] auto begin() const { return refs_.begin(); }
    [[nodiscard]] auto end() const { return refs_.end(); }

  private:
    // Before, with one side not built yet.
    static bool Less(TimeMs t, std::string_view id, const EventRef& r) {
        return t != r.time ? t < r.time : id < r.id;
    }
    static bool Less(const EventRef& r, TimeMs t, std::string_view id) {
        return r.time != t ? r.time < t : std::string_view(r.id) < id;
    }
    // The slot at position i of the order.
    uint32_t& At(size_t i) {
        const size_t j = head_ + i;  // both below the ring's size
        return ring_[j < ring_.size() ? j : j - ring_.size()];
    }

    std::vector<EventRef> refs_;
    std::vector<uint32_t> ring_;  // slots of refs_ from head_, ascending by Before
    size_t head_ = 0;
};

// Whether (t, id) comes before (than_t, than_id).
inline bool Earlier(TimeMs t, std::string_view id, TimeMs than_t, std::string_view than_id) {
    return t < than_t || (t == than_t && id < than_id);
}
inline bool Earlier(TimeMs t, std::string_view id, const Sighting& s) {
    return Earlier(t, id, s.time, s.event_id);
}

// Hashes std::string and std::string_view alike (as std::hash does), so that maps keyed by
// strings can be searched with views without allocating.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using SightingMap = std::unordered_map<std::string, Sighting, StringHash, std::equal_to<>>;

struct Principal {
    std::string arn;
    std::string type;
    std::string user_name;  // userIdentity.userName (an Identity Center user's only name)
    TimeMs first = INT64_MAX;
    std::string first_event;
    bool known = false;  // seen in --baseline data
    uint64_t events = 0;
    // Per attribute, the values with the earliest sightings (at most max_values: the same set
    // whatever the order of the events and the workers).
    std::array<SightingMap, kAttrCount> attrs;
    // Values dropped from attrs[kIp..kRegion] to make room for earlier ones: contexts that
    // hold pointers into them look their values up again when this changes.
    uint32_t evictions = 0;
    // Per attribute, once full: a sighting no earlier than the latest one kept (time INT64_MAX:
    // not known yet). Later events are refused at once.
    std::array<Sighting, kAttrCount> latest_bound;
    std::set<std::string, std::less<>> accounts;  // where it made calls (bounded by max_values)
    RefRing earliest;                             // the K earliest events
    RefRing latest;                               // the K latest events
};

// An event that removed access of `target`.
struct Offboard {
    TimeMs time = 0;
    std::string event_id;
    std::string action;
    std::string actor;
};

enum class Strength { kWeak, kMedium, kStrong };

}  // namespace detail

using namespace detail;

// What Observe() reads from an event context (event/context.h) once, not per event.
struct ContextState {
    bool ready = false;
    bool untracked = false;          // its principal is beyond max_principals
    Principal* principal = nullptr;  // null: no principal (AWS service) or untracked
    Sighting* attrs[kApi] = {};      // ip, network, user agent, region (null: not kept)
    uint8_t refused = 0;             // bit a: the value of attribute a was not kept
    uint32_t evictions = 0;          // principal->evictions when attrs were looked up
    Sighting* org_net = nullptr;
};

struct BehaviorCollector::State {
    BehaviorOptions opt;
    bool baseline = false;
    event::FieldId f_user_name, f_key_id, f_status, f_principal_id, f_principal_type, f_user_id;
    std::unordered_map<std::string, Principal> principals;
    std::unordered_map<std::string, Sighting> org_nets;       // networks of the whole organization
    std::map<std::string, std::vector<Offboard>> offboarded;  // target key -> events
    TimeMs first = 0, last = 0;
    uint64_t untracked = 0;
    std::string key_buf;
    std::vector<ContextState> contexts;  // by context id
    // IsSensitiveCall of recent calls, by a hash of (source, name): most events find theirs here.
    struct CallMemo {
        std::string source, name;
        bool sensitive = false;
    };
    std::array<CallMemo, 512> sensitive;

    // The sighting of `value` for attribute `a` of `p`, seen at (t, id): added if new, when
    // there is room or when it is earlier than the latest sighting kept (which then leaves).
    // Null when the value is empty, or not kept (bit `a` of `refused` is then set).
    Sighting* Find(Principal& p, Attr a, std::string_view value, TimeMs t, std::string_view id,
                   uint8_t* refused = nullptr) {
        if (value.empty()) return nullptr;
        auto& m = p.attrs[a];
        auto it = m.find(value);
        if (it != m.end()) return &it->second;
        if (m.size() >= opt.max_values) {
            if (opt.max_values == 0) return nullptr;
            // Sightings only move earlier and the latest kept only leaves for an earlier value:
            // the bound stays no earlier than the latest kept.
            Sighting& bound = p.latest_bound[a];
            if (bound.time != INT64_MAX && !Earlier(t, id, bound)) {
                if (refused != nullptr) *refused |= static_cast<uint8_t>(1u << a);
                return nullptr;
            }
            auto latest = m.begin();
            for (auto j = m.begin(); j != m.end(); ++j) {
                if (Earlier(latest->second.time, latest->second.event_id, j->second)) latest = j;
            }
            bound = latest->second;
            if (!Earlier(t, id, latest->second)) {
                if (refused != nullptr) *refused |= static_cast<uint8_t>(1u << a);
                return nullptr;
            }
            m.erase(latest);
            if (a != kApi) ++p.evictions;
        }
        return &m.emplace(std::string(value), Sighting{}).first->second;
    }

    // Keeps the `max_values` values of `m` with the earliest sightings.
    void KeepEarliest(SightingMap& m) const {
        if (m.size() <= opt.max_values) return;
        std::vector<SightingMap::iterator> all;
        for (auto it = m.begin(); it != m.end(); ++it) all.push_back(it);
        std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(opt.max_values),
                         all.end(), [](SightingMap::iterator x, SightingMap::iterator y) {
                             return Earlier(x->second.time, x->second.event_id, y->second);
                         });
        for (size_t i = opt.max_values; i < all.size(); ++i) m.erase(all[i]);
    }

    static void Update(Sighting* s, TimeMs t, std::string_view id) {
        if (s != nullptr && Earlier(t, id, *s)) {
            s->time = t;
            s->event_id.assign(id);
        }
    }

    void See(Principal& p, Attr a, std::string_view value, TimeMs t, std::string_view id) {
        Update(Find(p, a, value, t, id), t, id);
    }
};

}  // namespace tw::baseline
