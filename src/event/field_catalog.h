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
#include <cstring>
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
    // One slot of a node's child table: the child's key (its first 16 bytes, zero-padded, and
    // its length) so that a lookup compares in place, without reaching the child node.
    struct Slot {
        uint64_t w0 = 0, w1 = 0;
        uint32_t size = 0;
        uint32_t child = 0;  // child index + 1, 0 = empty
    };
    struct Node {
        std::string key;
        FieldId field = kNoField;        // a requested path ends here
        std::vector<uint32_t> children;  // indices into nodes()
        // Open-addressing table over children keyed by KeyHash(key); size is a power of two.
        std::vector<Slot> table;
    };
    [[nodiscard]] const std::vector<Node>& nodes() const { return nodes_; }

    // Child of `node` named `key`, or 0 (the root is never a child) when there is none.
    [[nodiscard]] uint32_t Child(uint32_t node, std::string_view key) const;
    // Same, faster, for a key followed by at least 16 readable bytes (a key inside a padded
    // JSON buffer).
    [[nodiscard]] uint32_t ChildPadded(uint32_t node, std::string_view key) const {
        uint64_t w0, w1;
        std::memcpy(&w0, key.data(), 8);
        std::memcpy(&w1, key.data() + 8, 8);
        return Find(node, key, w0, w1);
    }

    static uint64_t KeyHash(std::string_view key);
    // The same hash from the key's first 16 bytes (zero beyond its end) and its size.
    static uint64_t WordsHash(uint64_t w0, uint64_t w1, size_t size) {
        uint64_t h = (w0 * 0x9E3779B97F4A7C15ULL) ^ (w1 * 0xC2B2AE3D27D4EB4FULL) ^
                     (size * 0x165667B19E3779F9ULL);
        return h ^ (h >> 29) ^ (h >> 47);
    }

  private:
    // Looks `key` up; w0, w1: its first 16 bytes (bytes beyond its end are ignored).
    [[nodiscard]] uint32_t Find(uint32_t node, std::string_view key, uint64_t w0,
                                uint64_t w1) const {
        const Node& n = nodes_[node];
        if (n.table.empty()) return 0;
        const size_t size = key.size();
        if (size < 16) {
            if (size < 8) {
                w0 &= size == 0 ? 0 : ~uint64_t{0} >> (64 - 8 * size);
                w1 = 0;
            } else {
                w1 &= size == 8 ? 0 : ~uint64_t{0} >> (64 - 8 * (size - 8));
            }
        }
        const size_t mask = n.table.size() - 1;
        for (size_t i = WordsHash(w0, w1, size) & mask;; i = (i + 1) & mask) {
            const Slot& s = n.table[i];
            if (s.child == 0) return 0;
            if (s.size == size && s.w0 == w0 && s.w1 == w1 &&
                (size <= 16 || std::memcmp(nodes_[s.child - 1].key.data() + 16, key.data() + 16,
                                           size - 16) == 0)) {
                return s.child - 1;
            }
        }
    }

    std::vector<std::string> paths_;
    std::vector<bool> requested_;
    std::unordered_map<std::string, FieldId> ids_;
    std::vector<Node> nodes_;
    bool frozen_ = false;
    bool need_raw_ = true;
};

}  // namespace tw::event
