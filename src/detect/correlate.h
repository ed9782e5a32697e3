// The correlation engine: Sigma correlation rules (event_count, value_count, temporal,
// temporal_ordered, chains) evaluated exactly over the time-sorted stream of matched events.
//
// Windows slide: at each matched event, the window is every referenced match of the same group
// in [t - timespan, t]. When the condition holds, the window's events join the open episode of
// the group if the window overlaps it, else the episode is closed (one output) and a new one
// opens. So a burst gives one output per group, listing every contributing event. State per
// group is the window alone; groups idle for longer than the timespan are closed and dropped.
//
// Thread-safety: pure functions over immutable inputs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "detect/event_info.h"
#include "rules/rule.h"

namespace tw::detect {

// One match of a detection rule: indices into RuleSet::detections and the sorted event list.
struct MatchRef {
    uint32_t detection = 0;
    uint32_t event = 0;
};

// One episode of a correlation.
struct CorrelationOutput {
    uint32_t correlation = 0;
    TimeMs trigger = 0;  // time at which the condition first held
    uint32_t trigger_event = 0;
    std::vector<uint32_t> events;                            // contributing events, ascending
    std::vector<std::pair<std::string, std::string>> group;  // group-by key -> value
    double peak = 0;                                         // highest count reached
};

// Dotted paths whose values correlations read from matched events (group-by fields after
// aliases, value_count fields), de-duplicated, in a stable order.
[[nodiscard]] std::vector<std::string> CorrelationFields(const rules::RuleSet& set);

// Runs every correlation of `set`. `events` is sorted (EventBefore) and `matches` ascending by
// event; `fields` is the list given to the EventInfoExtractor (EventInfo::extra parallel to it).
// Returns the outputs of every correlation (also those that do not emit findings), ordered by
// correlation then trigger.
[[nodiscard]] std::vector<CorrelationOutput> RunCorrelations(
    const rules::RuleSet& set, const EventList& events, const std::vector<MatchRef>& matches,
    const std::vector<std::string>& fields);

}  // namespace tw::detect
