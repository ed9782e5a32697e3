// Matches -> findings. A rule that fires on many events of one actor is one finding, not many:
// matches of one rule are grouped by (actor, account), where the actor is userIdentity.arn
// (else invokedBy, else principalId), and a group is split when two consecutive events are more
// than `gap` apart (default 1 hour). Each finding lists every contributing eventID in time order.
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "detect/correlate.h"
#include "detect/event_info.h"
#include "findings/finding.h"
#include "rules/rule.h"

namespace tw::detect {

inline constexpr TimeMs kDefaultGap = 3600 * 1000;

// Findings of the detection rules that generate findings. `events` sorted, `matches` ascending.
[[nodiscard]] std::vector<findings::Finding> AggregateMatches(const rules::RuleSet& set,
                                                              const std::vector<EventInfo>& events,
                                                              const std::vector<MatchRef>& matches,
                                                              TimeMs gap = kDefaultGap);

// The finding of one correlation episode.
[[nodiscard]] findings::Finding CorrelationFinding(const rules::RuleSet& set,
                                                   const CorrelationOutput& out,
                                                   const std::vector<EventInfo>& events);

}  // namespace tw::detect
