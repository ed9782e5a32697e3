// EventInfo: the compact copy of a matched event that findings and correlations need (ids,
// actor, account, region, time, and the values of correlation group-by fields), copied from
// the EventView only on a hit.
//
// Thread-safety: an EventInfoExtractor belongs to one worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "event/event_view.h"
#include "event/field_catalog.h"

namespace tw::detect {

struct EventInfo {
    TimeMs time = 0;
    uint32_t file = 0;    // input file number (sorted discovery order)
    uint64_t record = 0;  // record number in the file
    std::string event_id, event_name, event_source, account, region;
    std::string arn, identity_type, principal_id, access_key_id, source_ip, user_agent;
    std::vector<std::string> extra;  // values of ExtractorFields::extra ("" when missing)

    // The aggregation key of the actor: arn, else principalId, else invokedBy/type.
    [[nodiscard]] const std::string& actor_key() const { return !arn.empty() ? arn : principal_id; }
};

// Strict order used everywhere: time, then input position (deterministic, thread-independent).
[[nodiscard]] inline bool EventBefore(const EventInfo& a, const EventInfo& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.file != b.file) return a.file < b.file;
    return a.record < b.record;
}

// Copies what a finding needs from a matched event. The fields it reads are requested in the
// run's catalog by Prepare(); extraction then costs a few string copies, only on a hit.
class EventInfoExtractor {
  public:
    // Requests the fields findings need and interns `extra` (correlation group-by and value
    // fields) in `catalog`. Call before the catalog is frozen.
    EventInfoExtractor(event::FieldCatalog& catalog, const std::vector<std::string>& extra);

    // Fills `out` from the event (valid during the ingest callback only).
    void Extract(const event::EventView& ev, EventInfo& out) const;

  private:
    std::vector<event::FieldId> extra_;
};

}  // namespace tw::detect
