// Matches -> findings. A rule that fires on many events of one actor is one finding, not many:
// matches of one rule are grouped by (actor, account), where the actor is userIdentity.arn
// (else invokedBy, else principalId), and a group is split when two consecutive events are more
// than `gap` apart (default 1 hour). Each finding lists every contributing eventID in time order.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <vector>

#include "detect/correlate.h"
#include "detect/event_info.h"
#include "detect/summary.h"
#include "findings/finding.h"
#include "rules/rule.h"

namespace tw::detect {

inline constexpr TimeMs kDefaultGap = 3600 * 1000;

// The event fields findings show: every rule's `fields` and the paths its `summary` template
// names. Extract them on a hit (as EventInfo extra fields) for the functions below.
[[nodiscard]] std::vector<std::string> FindingFields(const rules::RuleSet& set);

// A finding whose event_ids are still indices into the sorted events: the ids are written last
// (FillEventIds), when the events themselves are no longer needed.
struct PendingFinding {
    findings::Finding finding;
    std::vector<uint32_t> events;  // ascending
};

// The id a finding lists for an event: its eventID, else "record:<file>:<record>".
[[nodiscard]] std::string EventIdText(const EventInfo& e);

// Appends the id of `e` to `ids`: packed when it is a UUID (see IdList), else its text.
void AppendEventId(findings::IdList& ids, const EventInfo& e);

// Appends the ids of the events `idx` to f.event_ids.
void FillEventIds(findings::Finding& f, const EventList& events, const std::vector<uint32_t>& idx);

// Runs fn over [0, n) in two parts of about equal total `weight` (of each item): fn(0, split)
// on a second thread, fn(split, n) on this one. Everything runs here when `two` is false, when a
// part would be empty or when no thread can be started. Exceptions reach the caller.
void RunInTwoParts(bool two, size_t n, const std::function<size_t(size_t)>& weight,
                   const std::function<void(size_t, size_t)>& fn);
// Runs fn(0) on a second thread and fn(1) on this one, or both here (in that order) when `two`
// is false or no thread can be started. Exceptions reach the caller.
void RunBoth(bool two, const std::function<void(size_t part)>& fn);

// AggregateMatches and CorrelationFinding without the event ids.
// `threads` > 1: two threads group the matches (each half of them) and build the findings (the
// same result). `beside` (optional) runs on the second thread before it joins in building the
// findings, or first when there is one thread.
[[nodiscard]] std::vector<PendingFinding> AggregatePending(
    const rules::RuleSet& set, const EventList& events, const std::vector<MatchRef>& matches,
    TimeMs gap, const FieldIndex& index, unsigned threads = 1,
    const std::function<void()>& beside = {});
[[nodiscard]] PendingFinding CorrelationPending(const rules::RuleSet& set,
                                                const CorrelationOutput& out,
                                                const EventList& events, const FieldIndex& index);

// For each detection of `set`, the positions in `fields` (the extra fields of the run) that
// findings and correlations may read from its matched events: its own `fields` and summary,
// and the group-by, value, `fields` and summary fields of every correlation that refers to it,
// directly or through another correlation. An event keeps the extra fields of the rules it
// matched; any other extra field reads as missing, which none of them looks at.
[[nodiscard]] std::vector<std::vector<uint32_t>> ExtraFieldsByDetection(
    const rules::RuleSet& set, const std::vector<std::string>& fields);

// Findings of the detection rules that generate findings. `events` sorted, `matches` ascending.
// `index` locates the extra fields (FindingFields) in the events.
[[nodiscard]] std::vector<findings::Finding> AggregateMatches(
    const rules::RuleSet& set, const EventList& events, const std::vector<MatchRef>& matches,
    TimeMs gap = kDefaultGap, const FieldIndex& index = FieldIndex({}));

// The finding of one correlation episode.
[[nodiscard]] findings::Finding CorrelationFinding(const rules::RuleSet& set,
                                                   const CorrelationOutput& out,
                                                   const EventList& events,
                                                   const FieldIndex& index = FieldIndex({}));

}  // namespace tw::detect
