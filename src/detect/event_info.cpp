#include "detect/event_info.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <new>
#include <stdexcept>

#include "core/memory.h"
#include "core/strings.h"
#include "core/uuid.h"
#include "event/context.h"
#include "rules/evaluator.h"

namespace tw::detect {

StringStore::~StringStore() {
    for (const auto& [p, bytes] : blocks_) UnmapHuge(p, bytes);
}

// EventId reads byte 8 of a packed UUID as the low byte of its second word.
static_assert(std::endian::native == std::endian::little);

EventId EventId::Parse(std::string_view text) {
    EventId id;
    uint8_t bytes[16];
    if (text.size() == kUuidTextSize && uuid::UuidToBytes(text.data(), bytes) &&
        (bytes[8] & 0xC0) == 0x80) {
        std::memcpy(&id.a_, bytes, 8);
        std::memcpy(&id.b_, bytes + 8, 8);
        return id;
    }
    if (text.empty()) return id;
    id.a_ = reinterpret_cast<uintptr_t>(text.data());
    id.b_ = static_cast<uint64_t>(text.size()) << 8;
    return id;
}

EventId EventId::Keep(std::string_view text, StringStore& store) {
    EventId id = Parse(text);
    return id.packed() || id.empty() ? id : Parse(store.Copy(text));
}

std::string_view EventId::View(Buffer& buf) const {
    if (!packed()) return {reinterpret_cast<const char*>(a_), static_cast<size_t>(b_ >> 8)};
    uint8_t bytes[16];
    CopyBytes(bytes);
    uuid::BytesToUuid(bytes, buf);
    return {buf, kUuidTextSize};
}

void EventId::CopyBytes(uint8_t* out) const {
    std::memcpy(out, &a_, 8);
    std::memcpy(out + 8, &b_, 8);
}

uint64_t EventId::Hash() const {
    if (packed()) return (a_ * 0xC2B2AE3D27D4EB4FULL) ^ ((b_ ^ (b_ >> 31)) * 0x165667B19E3779F9ULL);
    return std::hash<std::string_view>{}(
        {reinterpret_cast<const char*>(a_), static_cast<size_t>(b_ >> 8)});
}

bool operator==(const EventId& x, const EventId& y) {
    if (x.packed() || y.packed()) return x.a_ == y.a_ && x.b_ == y.b_;
    return std::string_view(reinterpret_cast<const char*>(x.a_), x.b_ >> 8) ==
           std::string_view(reinterpret_cast<const char*>(y.a_), y.b_ >> 8);
}

std::string_view StringStore::Copy(std::string_view s) {
    if (s.empty()) return {};
    if (used_ + s.size() > capacity_) {
        capacity_ =
            (std::max(s.size(), kHugePageBytes) + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
        blocks_.emplace_back(static_cast<char*>(MapHuge(capacity_)), capacity_);
        used_ = 0;
    }
    char* at = blocks_.back().first + used_;
    std::memcpy(at, s.data(), s.size());
    used_ += s.size();
    return {at, s.size()};
}

ExtraValue* StringStore::AllocExtras(size_t n) {
    if (extra_used_ + n > extra_capacity_) {
        extra_capacity_ = std::max<size_t>(n, 1u << 14);
        extra_blocks_.push_back(std::make_unique<ExtraValue[]>(extra_capacity_));
        extra_used_ = 0;
    }
    ExtraValue* at = extra_blocks_.back().get() + extra_used_;
    extra_used_ += n;
    return at;
}

const identity::CredentialRef* StringStore::KeepCredential(const identity::CredentialRef& c) {
    if (!creds_.empty()) {
        const identity::CredentialRef& last = creds_.back();
        // Interned views of equal text are equal pointers: compare those.
        auto same = [](std::string_view a, std::string_view b) {
            return a.data() == b.data() && a.size() == b.size();
        };
        if (same(last.type, c.type) && same(last.arn, c.arn) && same(last.key, c.key) &&
            same(last.principal_id, c.principal_id) && same(last.account_id, c.account_id) &&
            same(last.user_name, c.user_name) && same(last.invoked_by, c.invoked_by) &&
            same(last.source_identity, c.source_identity) && same(last.ic_user_id, c.ic_user_id) &&
            same(last.ic_store, c.ic_store) && same(last.idp, c.idp) && same(last.ip, c.ip) &&
            same(last.event_account, c.event_account) && same(last.role_name, c.role_name) &&
            last.time == c.time) {
            return &last;
        }
    }
    creds_.push_back(c);
    return &creds_.back();
}

const EventDetail* StringStore::KeepDetail(const EventDetail& d) {
    details_.push_back(d);
    return &details_.back();
}

const EventActor* StringStore::KeepActor(const EventActor& a) {
    actors_.push_back(a);
    return &actors_.back();
}

EventCall* StringStore::Call(std::string_view event_name, std::string_view event_source,
                             bool& created, std::string_view variant) {
    created = false;
    const auto same = [&](const EventCall* c) {
        return c != nullptr && c->event_name == event_name && c->event_source == event_source &&
               c->variant == variant;
    };
    if (same(last_call_)) return last_call_;
    EventCall*& cached =
        call_cache_[(event::FastHash(event_name) ^ event_source.size()) & (kCallCache - 1)];
    if (same(cached)) {
        last_call_ = cached;
        return cached;
    }
    // The sizes first, then the texts: no two triples share a key, whatever bytes they hold.
    const uint32_t sizes[2] = {static_cast<uint32_t>(event_source.size()),
                               static_cast<uint32_t>(variant.size())};
    call_key_.assign(reinterpret_cast<const char*>(sizes), sizeof sizes);
    call_key_.append(event_source).append(variant).append(event_name);
    auto it = calls_.find(call_key_);
    if (it == calls_.end()) {
        const std::string_view key = Copy(call_key_);
        EventCall& call = calls_store_.emplace_back();
        call.id = static_cast<uint32_t>(calls_store_.size() - 1);
        size_t at = sizeof sizes;
        call.event_source = key.substr(at, event_source.size());
        at += event_source.size();
        call.variant = key.substr(at, variant.size());
        call.event_name = key.substr(at + variant.size());
        call.plain = KeepDetail({&call});
        it = calls_.emplace(key, &call).first;
        created = true;
    }
    last_call_ = it->second;
    cached = it->second;
    return last_call_;
}

namespace {

constexpr size_t kBlockBytes = EventList::kBlockSize * sizeof(EventInfo);
static_assert(kBlockBytes % kHugePageBytes == 0, "event blocks are whole huge pages");

}  // namespace

void EventList::push_back(const EventInfo& e) {
    if ((size_ >> kBlockBits) == blocks_.size()) {
        if (spare_.empty()) {
            blocks_.push_back(static_cast<EventInfo*>(MapHuge(kBlockBytes)));
        } else {
            blocks_.push_back(spare_.back());
            spare_.pop_back();
        }
    }
    (*this)[size_++] = e;
}

void EventList::ReleaseBefore(size_t i, EventList* reuse) {
    for (size_t b = 0; b < (i >> kBlockBits) && b < blocks_.size(); ++b) {
        if (blocks_[b] == nullptr) continue;
        if (reuse != nullptr && reuse != this) {
            reuse->spare_.push_back(blocks_[b]);
        } else {
            UnmapHuge(blocks_[b], kBlockBytes);
        }
        blocks_[b] = nullptr;
    }
}

void EventList::clear() {
    for (EventInfo* b : blocks_) {
        if (b != nullptr) UnmapHuge(b, kBlockBytes);
    }
    for (EventInfo* b : spare_) UnmapHuge(b, kBlockBytes);
    blocks_.clear();
    spare_.clear();
    size_ = 0;
}

namespace {

[[noreturn]] void NotAPermutation() {
    throw std::invalid_argument("EventList::Permute: the places are not a permutation");
}

}  // namespace

void EventList::Permute(std::vector<uint32_t>& where, size_t max_buckets) {
    const size_t n = size_;
    if (where.size() != n) NotAPermutation();
    // Buckets of 2^bits places, few enough that the slot each will fill next stays in cache.
    unsigned bits = 10;
    while ((n >> bits) > max_buckets) ++bits;
    const size_t buckets = (n + (size_t{1} << bits) - 1) >> bits;
    // First pass: bucket b (places [b << bits, (b + 1) << bits)) fills from next[b] on; the
    // event in hand is swapped into the next free slot of its bucket until one of b's own comes
    // back. Each bucket's next slot is fetched when the slot before it is filled. (The fetches
    // are written out: GCC drops a __builtin_prefetch wrapped in a lambda, a call without
    // effects.)
    std::vector<uint32_t> next(buckets);
    for (size_t b = 0; b < buckets; ++b) next[b] = static_cast<uint32_t>(b << bits);
    for (size_t b = 0; b < buckets; ++b) {
        __builtin_prefetch(&(*this)[next[b]], 1);
        __builtin_prefetch(&where[next[b]], 1);
    }
    for (size_t b = 0; b < buckets; ++b) {
        const size_t end = std::min(n, (b + 1) << bits);
        for (size_t i = next[b]; i < end; i = ++next[b]) {
            for (size_t d; (d = where[i] >> bits) != b;) {
                // Not a permutation: a place past the end, or a bucket asked for too many.
                if (d >= buckets || next[d] >= std::min(n, (d + 1) << bits)) NotAPermutation();
                const size_t j = next[d]++;
                if (j + 1 < n) {
                    __builtin_prefetch(&(*this)[j + 1], 1);
                    __builtin_prefetch(&where[j + 1], 1);
                }
                std::swap((*this)[i], (*this)[j]);
                std::swap(where[i], where[j]);
            }
        }
    }
    // Second pass: every event is in its bucket; the cycles of its places stay inside it, and
    // the next bucket is fetched meanwhile.
    for (size_t k = 0; k < n; ++k) {
        if (k + (size_t{1} << bits) < n) __builtin_prefetch(&(*this)[k + (size_t{1} << bits)], 1);
        while (where[k] != k) {
            const uint32_t t = where[k];
            if (t >= n || where[t] == t) NotAPermutation();  // past the end, or taken twice
            std::swap((*this)[k], (*this)[t]);
            std::swap(where[k], where[t]);
        }
    }
}

void EventList::DropSpare() {
    for (EventInfo* b : spare_) UnmapHuge(b, kBlockBytes);
    spare_.clear();
}

EventList& EventList::operator=(EventList&& o) noexcept {
    if (this != &o) {
        clear();
        blocks_ = std::move(o.blocks_);
        spare_ = std::move(o.spare_);
        size_ = o.size_;
        o.blocks_.clear();
        o.spare_.clear();
        o.size_ = 0;
    }
    return *this;
}

void ArrivalMatches::Add(const std::vector<uint32_t>& detections) {
    if ((size_ >> kBits) == blocks_.size()) {
        blocks_.push_back(std::make_unique_for_overwrite<uint32_t[]>(kBlock));
    }
    uint32_t v = detections.empty() ? kSeveral : detections[0];
    if (detections.size() != 1 || (v & kSeveral) != 0) {
        if (several_.size() + detections.size() + 1 > kSeveral) {
            throw std::length_error("ArrivalMatches: too many matches");
        }
        v = kSeveral | static_cast<uint32_t>(several_.size());
        several_.push_back(static_cast<uint32_t>(detections.size()));
        several_.insert(several_.end(), detections.begin(), detections.end());
    }
    blocks_[size_ >> kBits][size_ & (kBlock - 1)] = v;
    ++size_;
    matches_ += detections.size();
}

std::string_view StringStore::Intern(std::string_view s) {
    if (s.empty()) return {};
    if (auto it = seen_.find(s); it != seen_.end()) return *it;
    const std::string_view stored = Copy(s);
    seen_.insert(stored);
    return stored;
}

std::string_view StringStore::Intern(std::string_view s, size_t slot) {
    if (slot >= last_.size()) last_.resize(slot + 1);
    if (last_[slot] == s) return last_[slot];
    last_[slot] = Intern(s);
    return last_[slot];
}

EventInfoExtractor::EventInfoExtractor(event::FieldCatalog& catalog,
                                       const std::vector<std::string>& extra) {
    using namespace event;
    for (FieldId id : {kEventId, kEventName, kEventSource, kAwsRegion, kRecipientAccountId,
                       kUidAccountId, kUidArn, kUidInvokedBy, kUidType, kUidPrincipalId,
                       kUidAccessKeyId, kSourceIp, kUserAgent}) {
        catalog.Request(id);
    }
    for (const std::string& p : extra) {
        extra_.push_back(catalog.Intern(p));
        // Values fixed by the event's context or call are kept once per context or call.
        Level level = Level::kEvent;
        if (p == "eventName" || p == "eventSource") level = Level::kCall;
        if (event::IsContextPath(p)) level = Level::kContext;
        level_.push_back(level);
        all_.push_back(static_cast<uint32_t>(all_.size()));
    }
}

std::string_view FirstText(const event::EventView& ev, event::FieldId id) {
    const auto values = ev.Values(id);
    if (values.empty() || values[0].type == event::ValueType::kNull) return {};
    const event::Value& v =
        values[0].type == event::ValueType::kArray && values.size() > 1 ? values[1] : values[0];
    return v.type == event::ValueType::kNull ? std::string_view() : v.text;
}

namespace {

// Every value of a field for extra fields: one value as is; several (a path through an array)
// joined with kValueSeparator into `buf`.
std::string_view AllText(const event::EventView& ev, event::FieldId id, std::string& buf) {
    auto values = ev.Values(id);
    if (values.size() <= 1) return FirstText(ev, id);
    // A path ending at an array lists the array first, then its elements.
    if (values[0].type == event::ValueType::kArray && !values[0].in_array)
        values = values.subspan(1);
    if (!values[0].in_array) return FirstText(ev, id);
    buf.clear();
    for (const event::Value& v : values) {
        if (v.type == event::ValueType::kNull || v.type == event::ValueType::kArray) continue;
        if (!buf.empty()) buf.push_back(kValueSeparator);
        buf.append(v.text);
    }
    return buf;
}

}  // namespace

void EventInfoExtractor::ExtrasOf(const event::EventView& ev, StringStore& store, Level level,
                                  const std::vector<uint32_t>& which, const ExtraValue*& out,
                                  uint32_t& count) const {
    // Most extra fields belong to other rules and are missing: keep only the values present.
    thread_local std::vector<ExtraValue> found;
    thread_local std::string buf;
    found.clear();
    for (const uint32_t i : which) {
        if (level_[i] != level || !ev.Has(extra_[i])) continue;
        const std::string_view v = AllText(ev, extra_[i], buf);
        if (v.empty()) continue;
        found.push_back({static_cast<uint32_t>(i), store.Intern(v, event::kWellKnownCount + i)});
    }
    count = static_cast<uint32_t>(found.size());
    if (!found.empty()) {
        ExtraValue* dst = store.AllocExtras(found.size());
        std::copy(found.begin(), found.end(), dst);
        out = dst;
    }
}

const EventActor* EventInfoExtractor::MakeActor(const event::EventView& ev, StringStore& store,
                                                const identity::CredentialRef* cred) const {
    using namespace event;
    auto intern = [&](FieldId id) { return store.Intern(FirstText(ev, id), id); };
    EventActor a;
    a.region = intern(kAwsRegion);
    a.account = intern(kRecipientAccountId);
    if (a.account.empty()) a.account = intern(kUidAccountId);
    a.arn = intern(kUidArn);
    if (a.arn.empty()) a.arn = intern(kUidInvokedBy);
    a.identity_type = intern(kUidType);
    a.principal_id = intern(kUidPrincipalId);
    a.access_key_id = intern(kUidAccessKeyId);
    a.source_ip = intern(kSourceIp);
    a.user_agent = intern(kUserAgent);
    a.cred = cred;
    ExtrasOf(ev, store, Level::kContext, all_, a.extras, a.extra_count);
    return store.KeepActor(a);
}

void EventInfoExtractor::Extract(const event::EventView& ev, StringStore& store,
                                 const EventActor* actor, const std::vector<uint32_t>& wanted,
                                 EventInfo& out, const EventCall* call) const {
    using namespace event;
    out.event_id = EventId::Keep(FirstText(ev, kEventId), store);
    if (call == nullptr) call = CallOf(ev, store);
    out.actor = actor;
    EventDetail own{call};
    ExtrasOf(ev, store, Level::kEvent, wanted, own.extras, own.extra_count);
    const uint64_t record = ev.record_index();
    out.record = record < EventInfo::kRecordInDetail ? static_cast<uint32_t>(record)
                                                     : EventInfo::kRecordInDetail;
    if (out.record == EventInfo::kRecordInDetail) own.record = record;
    // Most events keep nothing of their own: they share their call's detail.
    out.detail = own.extra_count == 0 && out.record != EventInfo::kRecordInDetail
                     ? call->plain
                     : store.KeepDetail(own);
}

void EventInfoExtractor::ExtractUnmatched(const event::EventView& ev, StringStore& store,
                                          const identity::CredentialRef* cred, UnmatchedEvent& out,
                                          const EventCall* call) const {
    out.time = ev.time();
    out.event_id = EventId::Keep(FirstText(ev, event::kEventId), store);
    out.call = call != nullptr ? call : CallOf(ev, store);
    out.cred = cred;
    out.file = ev.file_index();
}

const EventCall* EventInfoExtractor::CallOf(const event::EventView& ev, StringStore& store) const {
    return CallOf(ev, store, rules::Evaluator::HasPlainCall(ev));
}

const EventCall* EventInfoExtractor::CallOf(const event::EventView& ev, StringStore& store,
                                            bool plain) const {
    using namespace event;
    bool created = false;
    // A call whose fields are not one string each (null, missing, a key written twice) is
    // told apart by all its values: events of one call have the same values, and so the same
    // extras at the call's level.
    std::string variant;
    if (!plain) {
        for (const FieldId f : {kEventSource, kEventName}) {
            const auto values = ev.Values(f);
            variant += static_cast<char>('0' + std::min<size_t>(values.size(), 9));
            for (const Value& v : values) {
                const auto size = static_cast<uint32_t>(v.text.size());
                variant += static_cast<char>(v.type);
                variant += v.in_array ? '1' : '0';
                variant.append(reinterpret_cast<const char*>(&size), sizeof size).append(v.text);
            }
        }
    }
    EventCall* call =
        store.Call(FirstText(ev, kEventName), FirstText(ev, kEventSource), created, variant);
    if (created) ExtrasOf(ev, store, Level::kCall, all_, call->extras, call->extra_count);
    return call;
}

}  // namespace tw::detect
