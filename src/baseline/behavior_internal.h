// Internal state of the behaviour detectors, shared by behavior.cpp (collection) and
// behavior_findings.cpp (reporting). Not part of the public API.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <map>
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

// Orders by (time, id): deterministic whatever the input order.
inline bool Before(const EventRef& a, const EventRef& b) {
    return a.time != b.time ? a.time < b.time : a.id < b.id;
}

inline bool Earlier(TimeMs t, std::string_view id, const Sighting& s) {
    return t < s.time || (t == s.time && id < s.event_id);
}

struct Principal {
    std::string arn;
    std::string type;
    TimeMs first = INT64_MAX;
    std::string first_event;
    bool known = false;  // seen in --baseline data
    uint64_t events = 0;
    std::array<std::unordered_map<std::string, Sighting>, kAttrCount> attrs;
    std::vector<EventRef> earliest;  // max-heap by Before: the K earliest
    std::vector<EventRef> latest;    // min-heap by Before: the K latest
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

    void See(Principal& p, Attr a, std::string_view value, TimeMs t, std::string_view id) {
        if (value.empty()) return;
        auto& m = p.attrs[a];
        auto it = m.find(std::string(value));
        if (it == m.end()) {
            if (m.size() >= opt.max_values) return;
            it = m.emplace(std::string(value), Sighting{}).first;
        }
        if (Earlier(t, id, it->second)) it->second = {t, std::string(id)};
    }

    static void PushBounded(std::vector<EventRef>& heap, EventRef ref, size_t cap,
                            bool keep_small) {
        // keep_small: keep the `cap` earliest (max-heap); else the `cap` latest (min-heap).
        auto cmp = keep_small ? +[](const EventRef& a, const EventRef& b) { return Before(a, b); }
                              : +[](const EventRef& a, const EventRef& b) { return Before(b, a); };
        if (heap.size() < cap) {
            heap.push_back(std::move(ref));
            std::push_heap(heap.begin(), heap.end(), cmp);
            return;
        }
        if (!cmp(ref, heap.front())) return;
        std::pop_heap(heap.begin(), heap.end(), cmp);
        heap.back() = std::move(ref);
        std::push_heap(heap.begin(), heap.end(), cmp);
    }
};

}  // namespace tw::baseline
