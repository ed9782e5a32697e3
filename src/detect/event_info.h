// EventInfo: the compact copy of a matched event that findings and correlations need (ids,
// actor, account, region, time, and the values of correlation group-by fields). Extracted
// only on a hit, by re-reading the record's raw JSON, so the hot path never pays for it.
//
// Thread-safety: an EventInfoExtractor belongs to one worker thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

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

class EventInfoExtractor {
  public:
    // `extra`: dotted paths whose values to copy (correlation group-by and value fields).
    explicit EventInfoExtractor(std::vector<std::string> extra);

    // Fills `out` from the record's JSON text. Returns false when the text does not parse
    // (cannot happen for records the ingest accepted, but is handled).
    bool Extract(std::string_view raw, EventInfo& out);

  private:
    simdjson::dom::parser parser_;
    std::vector<std::vector<std::string>> extra_;  // split paths
};

// The text of the value at `path` (dotted) in a parsed record: strings unquoted, other values
// as JSON; a path crossing an array takes its first element. "" when missing or null.
[[nodiscard]] std::string ValueAt(simdjson::dom::element root,
                                  const std::vector<std::string>& path);

}  // namespace tw::detect
