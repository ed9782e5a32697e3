// EventInfo: the compact copy of a matched event that findings and correlations need (ids,
// actor, account, region, time, and the values of correlation group-by fields), copied from
// the EventView only on a hit. Its strings live in a StringStore: repeated values (names,
// accounts, actors, agents) are stored once, so a hit costs a few hash probes, not allocations.
//
// Thread-safety: a StringStore and an EventInfoExtractor belong to one worker thread; a
// filled store may then be read from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "event/event_view.h"
#include "event/field_catalog.h"
#include "identity/graph.h"

namespace tw::detect {

// Owns the text of EventInfo strings: blocks that never move, and a set of the values seen so
// far. Views it returns live as long as the store.
// One non-empty value of an extra field of an EventInfo.
struct ExtraValue {
    uint32_t field = 0;  // index into the extractor's extra fields
    std::string_view value;
};

class StringStore {
  public:
    // Stable storage for `n` extra values (lives as long as the store).
    [[nodiscard]] ExtraValue* AllocExtras(size_t n);
    // A stored credential equal to `c` (whose views must already point into this store); the
    // previous one is reused when equal, as consecutive events mostly share their credential.
    [[nodiscard]] const identity::CredentialRef* KeepCredential(const identity::CredentialRef& c);
    // A stored copy of `s`, shared with earlier equal values.
    [[nodiscard]] std::string_view Intern(std::string_view s);
    // Same, first comparing with the last value interned for `slot` (one per field): records
    // of one CloudTrail file mostly share account, region and service.
    [[nodiscard]] std::string_view Intern(std::string_view s, size_t slot);
    // A stored copy of `s` (for values that rarely repeat, such as event ids).
    [[nodiscard]] std::string_view Copy(std::string_view s);

  private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::vector<std::unique_ptr<ExtraValue[]>> extra_blocks_;
    std::deque<identity::CredentialRef> creds_;
    size_t extra_used_ = 0, extra_capacity_ = 0;
    size_t used_ = 0, capacity_ = 0;
    std::unordered_set<std::string_view> seen_;
    std::vector<std::string_view> last_;  // per slot
};

// Separates the values of a multi-valued extra field in EventInfo::extra.
inline constexpr char kValueSeparator = '\x1f';

// Calls `fn(value)` for each value of a (possibly multi-valued) extra field.
template <typename Fn>
void ForEachValue(std::string_view joined, Fn&& fn) {
    while (!joined.empty()) {
        const size_t cut = joined.find(kValueSeparator);
        fn(joined.substr(0, cut));
        if (cut == std::string_view::npos) break;
        joined.remove_prefix(cut + 1);
    }
}

struct EventInfo {
    TimeMs time = 0;
    uint32_t file = 0;    // input file number (sorted discovery order)
    uint64_t record = 0;  // record number in the file
    // Views into the StringStore of the run (or of a test).
    std::string_view event_id, event_name, event_source, account, region;
    std::string_view arn, identity_type, principal_id, access_key_id, source_ip, user_agent;
    // The non-empty values of the extractor's extra fields (in the StringStore). A field with
    // several values (a path through an array) holds them all, separated by kValueSeparator.
    const ExtraValue* extras = nullptr;
    uint32_t extra_count = 0;
    // The credential that made the event (in the same store; shared by the consecutive events
    // of one credential), for attribution. Never null once extracted.
    const identity::CredentialRef* cred = nullptr;

    // The value of extra field `field` ("" when missing).
    [[nodiscard]] std::string_view extra(size_t field) const {
        for (uint32_t i = 0; i < extra_count; ++i) {
            if (extras[i].field == field) return extras[i].value;
        }
        return {};
    }

    // The aggregation key of the actor: arn (else invokedBy), else principalId.
    [[nodiscard]] std::string_view actor_key() const { return !arn.empty() ? arn : principal_id; }
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

    // Fills `out` from the event (valid during the ingest callback only); strings go to `store`.
    void Extract(const event::EventView& ev, StringStore& store, EventInfo& out) const;

  private:
    std::vector<event::FieldId> extra_;
};

}  // namespace tw::detect
