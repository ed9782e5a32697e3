// EventInfo: the compact copy of a matched event that findings and correlations need (ids,
// actor, account, region, time, and the values of correlation group-by fields), copied from
// the EventView only on a hit. Its strings live in a StringStore: repeated values (names,
// accounts, actors, agents) are stored once, so a hit costs a few hash probes, not allocations.
// (The store also numbers every event's call when the rules keep results per call: CallOf.)
//
// Thread-safety: a StringStore and an EventInfoExtractor belong to one worker thread; a
// filled store may then be read from any thread.
#pragma once

#include <cassert>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"
#include "event/event_view.h"
#include "event/field_catalog.h"
#include "identity/graph.h"

namespace tw::detect {

// One non-empty value of an extra field of an EventInfo.
struct ExtraValue {
    uint32_t field = 0;  // index into the extractor's extra fields
    std::string_view value;
};

// The actor and place of a matched event: who called, with which credential, from where, in
// which account and region. Shared by the events of one context (event/context.h).
struct EventActor {
    std::string_view account, region;
    std::string_view arn, identity_type, principal_id, access_key_id, source_ip, user_agent;
    // The credential that made the event, for attribution (null only in tests).
    const identity::CredentialRef* cred = nullptr;
    // The extra fields that belong to the context (userIdentity.*, sourceIPAddress, ...).
    const ExtraValue* extras = nullptr;
    uint32_t extra_count = 0;
};

struct EventDetail;

// What was called.
struct EventCall {
    std::string_view event_name, event_source;
    // The extra fields eventName and eventSource, when requested.
    const ExtraValue* extras = nullptr;
    uint32_t extra_count = 0;
    // The detail of the events of this call that keep nothing of their own (set by the store).
    const EventDetail* plain = nullptr;
    // Number of the call in its store, 0, 1, 2... in order of first sight (set by the store;
    // UINT32_MAX: none).
    uint32_t id = UINT32_MAX;
    // What tells this call apart from a plain one of the same texts (StringStore::Call).
    std::string_view variant;
};

inline constexpr EventCall kNoCall{};

// A matched event's call, and what the event keeps of its own beyond EventInfo: the values of
// its extra fields, and its record number when that does not fit 32 bits. Events of one call
// with nothing of their own share the call's (EventCall::plain).
struct EventDetail {
    const EventCall* call = &kNoCall;
    const ExtraValue* extras = nullptr;
    uint32_t extra_count = 0;
    uint64_t record = 0;  // when EventInfo::record is kRecordInDetail
};

inline constexpr EventActor kNoActor{};
inline constexpr EventDetail kNoDetail{};

// Owns the text of EventInfo strings: blocks that never move, and a set of the values seen so
// far. Views and pointers it returns live as long as the store.
class StringStore {
  public:
    StringStore() = default;
    ~StringStore();
    StringStore(const StringStore&) = delete;
    StringStore& operator=(const StringStore&) = delete;

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
    // A stored actor equal to `a` (whose views must already point into this store).
    [[nodiscard]] const EventActor* KeepActor(const EventActor& a);
    // The stored call of (event_name, event_source, variant), shared by equal calls; `created`
    // tells whether it is new (its extras are then to be filled). Its `plain` detail is set.
    // `variant` tells apart calls of the same texts whose values differ otherwise (empty for
    // plain calls, see EventInfoExtractor::CallOf).
    [[nodiscard]] EventCall* Call(std::string_view event_name, std::string_view event_source,
                                  bool& created, std::string_view variant = {});
    // Number of calls stored.
    [[nodiscard]] size_t call_count() const { return calls_store_.size(); }
    // A stored copy of `d`, for an event with a detail of its own.
    [[nodiscard]] const EventDetail* KeepDetail(const EventDetail& d);

  private:
    std::vector<std::pair<char*, size_t>> blocks_;  // mapped text blocks and their sizes
    std::vector<std::unique_ptr<ExtraValue[]>> extra_blocks_;
    std::deque<identity::CredentialRef> creds_;
    std::deque<EventActor> actors_;
    std::deque<EventCall> calls_store_;
    std::deque<EventDetail> details_;
    std::unordered_map<std::string_view, EventCall*> calls_;  // by key (see Call)
    EventCall* last_call_ = nullptr;
    // Calls recently found, by a hash of their name: most hits skip the map.
    static constexpr size_t kCallCache = 256;
    EventCall* call_cache_[kCallCache] = {};
    std::string call_key_;
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

// The eventID of a matched event, in 16 bytes. CloudTrail writes its ids as lowercase RFC 4122
// UUIDs: such an id is kept as its 16 bytes and rendered back to the same text; any other id is
// a view of text kept elsewhere (a StringStore, a finding). The two cannot be confused: a
// packed UUID's byte 8 has its top bits 10 (the RFC 4122 variant), a view's byte 8 is zero.
class EventId {
  public:
    using Buffer = char[kUuidTextSize];

    EventId() = default;
    // `text` packed when it is a lowercase RFC 4122 UUID, else a view of it (which must
    // outlive the EventId).
    [[nodiscard]] static EventId Parse(std::string_view text);
    // Same, with any text that is not packed copied into `store`.
    [[nodiscard]] static EventId Keep(std::string_view text, StringStore& store);

    [[nodiscard]] bool empty() const { return a_ == 0 && b_ == 0; }
    [[nodiscard]] bool packed() const { return (b_ & 0xC0) == 0x80; }
    // Length of the text.
    [[nodiscard]] size_t size() const { return packed() ? kUuidTextSize : b_ >> 8; }
    // The text: rendered into `buf` when packed, else the view.
    [[nodiscard]] std::string_view View(Buffer& buf) const;
    [[nodiscard]] std::string str() const {
        Buffer buf;
        return std::string(View(buf));
    }
    [[nodiscard]] uint64_t Hash() const;
    // The 16 bytes of a packed UUID (packed() must hold).
    void CopyBytes(uint8_t* out) const;
    friend bool operator==(const EventId& x, const EventId& y);

  private:
    // Packed: the UUID's bytes 0-7 and 8-15 (little-endian words). A view: its pointer, and its
    // length shifted left by 8.
    uint64_t a_ = 0, b_ = 0;
};

struct EventIdHash {
    size_t operator()(const EventId& id) const { return static_cast<size_t>(id.Hash()); }
};

// A matched event, compact: its own time, position and id, and pointers to the actor and the
// detail (call, extra fields) it mostly shares with other events. 48 bytes: millions of them
// are kept, sorted and merged.
struct EventInfo {
    static constexpr uint32_t kRecordInDetail = UINT32_MAX;

    TimeMs time = 0;
    EventId event_id;
    // Views into the StringStore of the run (or of a test).
    const EventActor* actor = &kNoActor;
    // The call, and the non-empty values of the extractor's extra fields (in the StringStore).
    // A field with several values (a path through an array) holds them all, separated by
    // kValueSeparator.
    const EventDetail* detail = &kNoDetail;
    uint32_t file = 0;    // input file number (sorted discovery order)
    uint32_t record = 0;  // record number in the file, or kRecordInDetail (detail->record)

    [[nodiscard]] uint64_t record_number() const {
        return record != kRecordInDetail ? record : detail->record;
    }
    [[nodiscard]] const EventCall* call() const { return detail->call; }
    [[nodiscard]] std::string_view event_name() const { return call()->event_name; }
    [[nodiscard]] std::string_view event_source() const { return call()->event_source; }
    [[nodiscard]] std::string_view account() const { return actor->account; }
    [[nodiscard]] std::string_view region() const { return actor->region; }
    [[nodiscard]] std::string_view arn() const { return actor->arn; }
    [[nodiscard]] std::string_view identity_type() const { return actor->identity_type; }
    [[nodiscard]] std::string_view principal_id() const { return actor->principal_id; }
    [[nodiscard]] std::string_view access_key_id() const { return actor->access_key_id; }
    [[nodiscard]] std::string_view source_ip() const { return actor->source_ip; }
    [[nodiscard]] std::string_view user_agent() const { return actor->user_agent; }
    [[nodiscard]] const identity::CredentialRef* cred() const { return actor->cred; }

    // The value of extra field `field` ("" when missing): the event's own, or its actor's, or
    // its call's.
    [[nodiscard]] std::string_view extra(size_t field) const {
        for (uint32_t i = 0; i < detail->extra_count; ++i) {
            if (detail->extras[i].field == field) return detail->extras[i].value;
        }
        for (uint32_t i = 0; i < actor->extra_count; ++i) {
            if (actor->extras[i].field == field) return actor->extras[i].value;
        }
        for (uint32_t i = 0; i < call()->extra_count; ++i) {
            if (call()->extras[i].field == field) return call()->extras[i].value;
        }
        return {};
    }

    // The aggregation key of the actor: arn (else invokedBy), else principalId, else the access
    // key (SCIM calls of an external identity provider carry only their token's id).
    [[nodiscard]] std::string_view actor_key() const {
        if (!actor->arn.empty()) return actor->arn;
        return !actor->principal_id.empty() ? actor->principal_id : actor->access_key_id;
    }
};

static_assert(sizeof(EventInfo) == 48);

// Fetches an event ahead of reading it: both cache lines it may lie across (48-byte events
// are not aligned to 64-byte lines).
[[gnu::always_inline]] inline void FetchEvent(const EventInfo* e) {
    __builtin_prefetch(e);
    __builtin_prefetch(reinterpret_cast<const char*>(e) + sizeof(EventInfo) - 1);
}

// An event no rule matched, kept (when the derived-activity detector runs) so that the events
// of flagged credentials can be found without reading the input again. 48 bytes.
struct UnmatchedEvent {
    TimeMs time = 0;
    EventId event_id;
    const EventCall* call = &kNoCall;
    const identity::CredentialRef* cred = nullptr;
    uint32_t file = 0;  // input file number
};

// Events in fixed blocks: appending never moves the events already stored, and the blocks of
// a list that is being consumed in order can be freed one by one (ReleaseBefore).
class EventList {
  public:
    static constexpr size_t kBlockBits = 17;  // 131072 events (6 MB, three huge pages) a block
    static constexpr size_t kBlockSize = size_t{1} << kBlockBits;

    [[nodiscard]] EventInfo& operator[](size_t i) {
        return blocks_[i >> kBlockBits][i & (kBlockSize - 1)];
    }
    [[nodiscard]] const EventInfo& operator[](size_t i) const {
        return blocks_[i >> kBlockBits][i & (kBlockSize - 1)];
    }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] EventInfo& back() { return (*this)[size_ - 1]; }
    void push_back(const EventInfo& e);
    // Frees the blocks that hold only events before `i` (which must not be read again); with
    // `reuse`, hands them to that list, which fills them before mapping new ones (memory that
    // was written once costs no page faults and no zeroing by the system).
    void ReleaseBefore(size_t i, EventList* reuse = nullptr);
    // Frees everything (the spare blocks too).
    void clear();
    // Frees the blocks handed over by other lists and not filled (after a merge).
    void DropSpare();
    // Moves the event at position k to position where[k], for every k (`where` must be a
    // permutation of [0, size())), in place; `where` is left as the identity. Two passes, so
    // that no step waits on memory: the events first go to their bucket of places (about
    // `max_buckets` buckets of at least 1024 places; an in-place bucket sort whose next slots
    // are fetched ahead), then to their place inside it, in cache. Throws std::invalid_argument
    // (the events then in some order) when `where` is not a permutation of [0, size()).
    void Permute(std::vector<uint32_t>& where, size_t max_buckets = 2048);

    EventList() = default;
    EventList(EventList&& o) noexcept
        : blocks_(std::move(o.blocks_)), spare_(std::move(o.spare_)), size_(o.size_) {
        o.size_ = 0;
    }
    EventList& operator=(EventList&& o) noexcept;
    ~EventList() { clear(); }

  private:
    // Blocks are mapped from the system directly, so that a freed block leaves the process.
    std::vector<EventInfo*> blocks_;
    std::vector<EventInfo*> spare_;  // handed over by another list (ReleaseBefore)
    size_t size_ = 0;
};

// The detections each matched event matched, in the order the events arrived, in 4 bytes an
// event: most events match one rule, whose detection is kept as it is; an event that matches
// several (or a detection past 2^31) keeps the position of its list in a side array. The
// entries are stored in blocks: adding never copies them.
class ArrivalMatches {
  public:
    // The next event's detections (at least one).
    void Add(const std::vector<uint32_t>& detections);
    // Calls fn(detection) for each detection of event `arrival` (< events()), in the order
    // they were added.
    template <typename Fn>
    void ForEach(size_t arrival, Fn&& fn) const {
        assert(arrival < size_);
        const uint32_t v = blocks_[arrival >> kBits][arrival & (kBlock - 1)];
        if ((v & kSeveral) == 0) {
            fn(v);
            return;
        }
        const uint32_t at = v & ~kSeveral;
        for (uint32_t k = 1; k <= several_[at]; ++k) fn(several_[at + k]);
    }
    // Where event `arrival`'s entry is (to fetch it ahead).
    [[nodiscard]] const uint32_t* Address(size_t arrival) const {
        return &blocks_[arrival >> kBits][arrival & (kBlock - 1)];
    }
    [[nodiscard]] size_t events() const { return size_; }
    [[nodiscard]] size_t matches() const { return matches_; }

    ArrivalMatches() = default;
    ArrivalMatches(ArrivalMatches&& o) noexcept
        : blocks_(std::move(o.blocks_)),
          several_(std::move(o.several_)),
          size_(std::exchange(o.size_, 0)),
          matches_(std::exchange(o.matches_, 0)) {}
    ArrivalMatches& operator=(ArrivalMatches&& o) noexcept {
        blocks_ = std::move(o.blocks_);
        several_ = std::move(o.several_);
        size_ = std::exchange(o.size_, 0);
        matches_ = std::exchange(o.matches_, 0);
        return *this;
    }

  private:
    static constexpr uint32_t kSeveral = 0x80000000u;
    static constexpr size_t kBits = 16;
    static constexpr size_t kBlock = size_t{1} << kBits;
    std::vector<std::unique_ptr<uint32_t[]>> blocks_;
    std::vector<uint32_t> several_;  // per such event: count, then the detections
    size_t size_ = 0, matches_ = 0;
};

// For a loop over events that lie far apart in `events`: fetches the event `ahead` steps on
// (index(i + ahead)), and the detail of the one half as far on, whose EventInfo has arrived by
// then. `n`: the loop's length. (A function, always inlined: GCC drops a __builtin_prefetch in
// a lambda, a call without effects.)
template <typename Index>
[[gnu::always_inline]] inline void FetchAhead(const EventList& events, size_t i, size_t n,
                                              size_t ahead, Index index) {
    if (i + ahead < n) FetchEvent(&events[index(i + ahead)]);
    if (i + ahead / 2 < n) __builtin_prefetch(events[index(i + ahead / 2)].detail);
}

// Strict order used everywhere: time, then input position (deterministic, thread-independent).
[[nodiscard]] inline bool EventBefore(const EventInfo& a, const EventInfo& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.file != b.file) return a.file < b.file;
    return a.record_number() < b.record_number();
}

// The first value of a field ("" when missing or null); for a path that ends at an array (its
// text comes first, then its elements) the first element. How matched events read their id,
// name and source.
[[nodiscard]] std::string_view FirstText(const event::EventView& ev, event::FieldId id);

// Copies what a finding needs from a matched event. The fields it reads are requested in the
// run's catalog by the constructor; extraction then costs a few string copies, only on a hit
// (CallOf, the event's call, may run for every event).
class EventInfoExtractor {
  public:
    // Requests the fields findings need and interns `extra` (correlation group-by and value
    // fields) in `catalog`. Call before the catalog is frozen.
    EventInfoExtractor(event::FieldCatalog& catalog, const std::vector<std::string>& extra);

    // Fills `out` (all but its time and file) from the event (valid during the ingest callback
    // only); strings go to `store`.
    // `actor`: the event's actor (see MakeActor), kept by the caller per event context.
    // `wanted`: the extra fields (positions, ascending) to keep; those of its context and call
    // are kept with the actor and the call whatever `wanted` says.
    // `call`: the event's call when the caller has it already (CallOf with `store`), else null.
    void Extract(const event::EventView& ev, StringStore& store, const EventActor* actor,
                 const std::vector<uint32_t>& wanted, EventInfo& out,
                 const EventCall* call = nullptr) const;
    // What UnmatchedEvent keeps of the event (its id and call as Extract gives them).
    void ExtractUnmatched(const event::EventView& ev, StringStore& store,
                          const identity::CredentialRef* cred, UnmatchedEvent& out,
                          const EventCall* call = nullptr) const;
    // The actor of the event, stored in `store`, with its credential `cred` (from `store`).
    [[nodiscard]] const EventActor* MakeActor(const event::EventView& ev, StringStore& store,
                                              const identity::CredentialRef* cred) const;
    // The stored call of the event, its extras filled when it is new.
    [[nodiscard]] const EventCall* CallOf(const event::EventView& ev, StringStore& store) const;
    // Same, for a caller that knows whether the event's call is plain
    // (rules::Evaluator::HasPlainCall).
    [[nodiscard]] const EventCall* CallOf(const event::EventView& ev, StringStore& store,
                                          bool plain) const;

  private:
    enum class Level : uint8_t { kEvent, kContext, kCall };
    // Stores the values of the extra fields `which` (positions) of `level` present in `ev`.
    void ExtrasOf(const event::EventView& ev, StringStore& store, Level level,
                  const std::vector<uint32_t>& which, const ExtraValue*& out,
                  uint32_t& count) const;

    std::vector<event::FieldId> extra_;
    std::vector<Level> level_;   // per extra field: where its value is kept
    std::vector<uint32_t> all_;  // every position
};

}  // namespace tw::detect
