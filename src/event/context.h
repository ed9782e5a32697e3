// Event contexts: who made a call, from where, in which account and region. Most events of a
// trail repeat the context of an earlier one (a session makes many calls from one client), so
// per-event work that reads only these fields (naming the principal, fingerprinting the
// credential, copying the actor of a matched event) can be done once per context instead.
//
// A ContextInterner maps the values of the context fields of an event to a dense id: two events
// with the same id have the same values (type and text) in every context field. The fields are
// the whole `userIdentity` object (so every userIdentity.* path), sourceIPAddress, userAgent,
// recipientAccountId, awsRegion, additionalEventData.UserName and requestParameters.roleName
// (kContextPaths). The userIdentity text is keyed by its serial when the ingest gave one
// (EventView::identity_serial), so that it is not hashed and compared again for every event;
// one context can then have a few ids (a text cached again after the ingest's cache was
// cleared), which costs only a second look-up of what each id stands for.
//
//   const event::ContextFields fields(catalog);   // before the catalog is frozen
//   event::ContextInterner contexts(fields);      // one per worker
//   const uint32_t id = contexts.Id(view);        // 0, 1, 2, ... in order of first sight
//
// Thread-safety: ContextFields is immutable after construction; a ContextInterner belongs to
// one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "event/event_view.h"
#include "event/field_catalog.h"

namespace tw::event {

// The paths whose values make an event's context (userIdentity first: ContextInterner keys it
// by its serial).
inline constexpr const char* kContextPaths[] = {"userIdentity",
                                                "sourceIPAddress",
                                                "userAgent",
                                                "recipientAccountId",
                                                "awsRegion",
                                                "additionalEventData.UserName",
                                                "requestParameters.roleName"};

// Whether every value of `path` is fixed by an event's context: it is one of kContextPaths or
// lies under one (every userIdentity.* path).
[[nodiscard]] bool IsContextPath(std::string_view path);

// The ids of kContextPaths in a run's catalog.
class ContextFields {
  public:
    // Interns kContextPaths in `catalog` (before it is frozen).
    explicit ContextFields(FieldCatalog& catalog);
    [[nodiscard]] const std::vector<FieldId>& ids() const { return ids_; }

  private:
    std::vector<FieldId> ids_;
};

class ContextInterner {
  public:
    explicit ContextInterner(const ContextFields& fields);

    // The id of the context of `ev`: ids are dense, in order of first sight.
    [[nodiscard]] uint32_t Id(const EventView& ev);
    // Number of distinct contexts seen.
    [[nodiscard]] size_t size() const { return count_; }
    // Heap bytes held.
    [[nodiscard]] size_t bytes() const;

  private:
    struct Slot {
        uint64_t hash = 0;
        const char* key = nullptr;  // in blocks_
        uint32_t size = 0;
        uint32_t id = UINT32_MAX;  // UINT32_MAX: empty
    };
    const char* Keep(std::string_view key);
    void Grow();

    std::vector<FieldId> fields_;
    std::string scratch_;  // room for the key of the current event (its size is not the key's)
    std::vector<Slot> table_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = 0, capacity_ = 0, block_bytes_ = 0;
    uint32_t count_ = 0;
};

// A fast 64-bit hash of `s` (not stable across versions; for in-memory tables only).
[[nodiscard]] uint64_t FastHash(std::string_view s);

// The multiply-fold step of FastHash, for hashes built a word at a time elsewhere.
[[nodiscard]] inline uint64_t MixHash(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

}  // namespace tw::event
