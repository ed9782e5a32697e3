// FieldCatalog: the set of dotted field paths a run needs, interned to small integer ids.
//
// Every consumer (query expressions, the rule plan, the identity graph) interns the paths it
// reads before ingest starts; the ingest then extracts exactly those paths from each record in
// one forward pass, and consumers read them back by id from the EventView. Paths are exact and
// case-sensitive, like CloudTrail's keys. A path may cross arrays: "resources.ARN" yields one
// value per element of "resources" (see docs/design/event-access.md).
//
// Well-known fields (eventTime, eventName, ...) have fixed ids in every catalog, but like any
// other path they are only extracted when requested.
//
// Thread-safety: build on one thread; after Freeze() the catalog is immutable and may be shared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tw::event {

using FieldId = uint32_t;
inline constexpr FieldId kNoField = 0xFFFFFFFFu;

// Fixed ids of the fields every part of trailwarden uses. Keep in sync with kWellKnownPaths.
enum WellKnown : FieldId {
    kEventTime = 0,
    kEventName,
    kEventSource,
    kEventId,
    kAwsRegion,
    kSourceIp,
    kUserAgent,
    kRecipientAccountId,
    kErrorCode,
    kErrorMessage,
    kReadOnly,
    kEventType,
    kUidType,
    kUidArn,
    kUidAccountId,
    kUidAccessKeyId,
    kUidPrincipalId,
    kUidUserName,
    kUidInvokedBy,
    kIssuerArn,
    kIssuerUserName,
    kIssuerType,
    kMfaAuthenticated,
    kSourceIdentity,
    kOnBehalfOfUserId,
    kIdentityStoreArn,
    kWellKnownCount
};

// Dotted paths of the WellKnown ids, in id order.
extern const char* const kWellKnownPaths[kWellKnownCount];

class FieldCatalog {
  public:
    FieldCatalog();

    // Returns the id of `path`, registering it (and marking it requested) if new.
    FieldId Intern(std::string_view path);
    // Marks every well-known field as requested.
    void RequestWellKnown();
    // Marks one already-interned field as requested (well-known ids start unrequested).
    void Request(FieldId id);

    // Id of `path`, or kNoField if it was never interned. Works before and after Freeze().
    [[nodiscard]] FieldId Find(std::string_view path) const;
    [[nodiscard]] const std::string& path(FieldId id) const { return paths_[id]; }
    [[nodiscard]] bool requested(FieldId id) const { return requested_[id]; }
    [[nodiscard]] size_t size() const { return paths_.size(); }

    // Whether consumers read EventView::raw() (default true). When false, the ingest may stop
    // reading a record as soon as every requested top-level key was seen, and raw() is empty.
    void set_need_raw(bool need) { need_raw_ = need; }
    [[nodiscard]] bool need_raw() const { return need_raw_; }

    // Builds the extraction trie from the requested paths. Intern() must not be called after.
    void Freeze();
    [[nodiscard]] bool frozen() const { return frozen_; }

    // The extraction trie (valid after Freeze()). Node 0 is the record root.
    struct Node {
        std::string key;
        FieldId field = kNoField;        // a requested path ends here
        std::vector<uint32_t> children;  // indices into nodes()
        // Open-addressing table over children keyed by KeyHash(key); size is a power of two.
        std::vector<uint32_t> table;  // child index + 1, 0 = empty
    };
    [[nodiscard]] const std::vector<Node>& nodes() const { return nodes_; }

    // Child of `node` named `key`, or 0 (the root is never a child) when there is none.
    [[nodiscard]] uint32_t Child(uint32_t node, std::string_view key) const;

    static uint64_t KeyHash(std::string_view key);

  private:
    std::vector<std::string> paths_;
    std::vector<bool> requested_;
    std::unordered_map<std::string, FieldId> ids_;
    std::vector<Node> nodes_;
    bool frozen_ = false;
    bool need_raw_ = true;
};

}  // namespace tw::event
