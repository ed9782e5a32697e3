// Event contexts: who made a call, from where, in which account and region. Most events of a
// trail repeat the context of an earlier one (a session makes many calls from one client), so
// per-event work that reads only these fields (naming the principal, fingerprinting the
// credential, copying the actor of a matched event) can be done once per context instead.
//
// A ContextInterner maps the values of the context fields of an event to a dense id: two events
// get the same id exactly when every context field has the same values (type and text). The
// fields are the whole `userIdentity` object (so every userIdentity.* path), sourceIPAddress,
// userAgent, recipientAccountId, awsRegion, additionalEventData.UserName and
// requestParameters.roleName (kContextPaths). A single userIdentity value enters the key as
// the id of its text (hundreds of bytes) in a second table; when the ingest gave the text a
// serial (EventView::identity_serial), that id is found by the serial, so that the text is not
// hashed and compared again for every event.
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

// The paths whose values make an event's context (userIdentity first: ContextInterner keys a
// single userIdentity value by the id of its text).
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

// Dense ids for byte strings with a tag, in order of first sight (an open-addressing table;
// the strings are kept in blocks).
class KeyTable {
  public:
    KeyTable();
    [[nodiscard]] uint32_t Id(std::string_view key, uint32_t tag = 0);
    [[nodiscard]] size_t size() const { return count_; }
    [[nodiscard]] size_t bytes() const;

  private:
    struct Slot {
        uint64_t hash = 0;
        const char* key = nullptr;  // in blocks_
        uint32_t size = 0;
        uint32_t tag = 0;
        uint32_t id = UINT32_MAX;  // UINT32_MAX: empty
    };
    const char* Keep(std::string_view key);
    void Grow();

    std::vector<Slot> table_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = 0, capacity_ = 0, block_bytes_ = 0;
    uint32_t count_ = 0;
};

class ContextInterner {
  public:
    explicit ContextInterner(const ContextFields& fields);

    // The id of the context of `ev`: ids are dense, in order of first sight.
    [[nodiscard]] uint32_t Id(const EventView& ev);
    // Number of distinct contexts seen.
    [[nodiscard]] size_t size() const { return contexts_.size(); }
    // Heap bytes held.
    [[nodiscard]] size_t bytes() const;

  private:
    // The id of a userIdentity value in identities_, by its serial when it has one.
    uint32_t IdentityId(const Value& v, uint64_t serial);

    std::vector<FieldId> fields_;
    std::string scratch_;  // room for the key of the current event (its size is not the key's)
    KeyTable contexts_;
    KeyTable identities_;  // userIdentity texts, tagged with their type
    // Ids in identities_ by serial, for the serials of one parser (the high 32 bits, the first
    // seen): by_serial_[low bits] is the id + 1, or 0. Other serials, and those past the
    // bound, are looked up by their text.
    static constexpr uint32_t kMaxSerials = 1u << 20;
    static constexpr uint64_t kNoParser = UINT64_MAX;
    uint64_t serial_parser_ = kNoParser;
    std::vector<uint32_t> by_serial_;
};

// A fast 64-bit hash of `s` (not stable across versions; for in-memory tables only).
[[nodiscard]] uint64_t FastHash(std::string_view s);

// The multiply-fold step of FastHash, for hashes built a word at a time elsewhere.
[[nodiscard]] inline uint64_t MixHash(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

}  // namespace tw::event
