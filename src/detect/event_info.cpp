#include "detect/event_info.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <new>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "core/memory.h"
#include "core/strings.h"
#include "event/context.h"

namespace tw::detect {

StringStore::~StringStore() {
    for (const auto& [p, bytes] : blocks_) UnmapHuge(p, bytes);
}

// EventId reads byte 8 of a packed UUID as the low byte of its second word.
static_assert(std::endian::native == std::endian::little);

namespace {

constexpr bool IsUuidDash(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

namespace detail {

bool UuidToBytesScalar(const char* text, uint8_t* out) {
    static constexpr auto kValue = [] {
        std::array<uint8_t, 256> t{};
        t.fill(0xFF);
        for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
        return t;
    }();
    if (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return false;
    uint8_t bad = 0;
    size_t at = 0;
    for (size_t i = 0; i < 16; ++i) {
        if (IsUuidDash(at)) ++at;
        const uint8_t hi = kValue[static_cast<uint8_t>(text[at])];
        const uint8_t lo = kValue[static_cast<uint8_t>(text[at + 1])];
        at += 2;
        bad |= (hi | lo) & 0xF0;
        out[i] = static_cast<uint8_t>(hi << 4 | (lo & 15));
    }
    return bad == 0;
}

void BytesToUuidScalar(const uint8_t* bytes, char* out) {
    static constexpr char kHex[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < 16; ++i) {
        if (IsUuidDash(at)) out[at++] = '-';
        out[at++] = kHex[bytes[i] >> 4];
        out[at++] = kHex[bytes[i] & 15];
    }
}

#if defined(__x86_64__) || defined(__i386__)
namespace {

// 16 hex digits as 8 bytes; false when one is not [0-9a-f].
__attribute__((target("ssse3"))) bool HexHalf(__m128i v, uint8_t* out) {
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('f' + 1)));
    if (_mm_movemask_epi8(_mm_or_si128(digit, alpha)) != 0xFFFF) return false;
    const __m128i base = _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8('0')),
                                      _mm_andnot_si128(digit, _mm_set1_epi8('a' - 10)));
    // (high nibble * 16 + low nibble) in each 16-bit lane, then packed to bytes.
    const __m128i pairs = _mm_maddubs_epi16(_mm_sub_epi8(v, base), _mm_set1_epi16(0x0110));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(pairs, pairs));
    return true;
}

}  // namespace

// Three loads cover the 36 characters (0-15, 16-31, 20-35); shuffles drop the dashes (-1
// lanes come out zero) and the two halves of 16 digits are decoded as above.
__attribute__((target("ssse3"))) bool UuidToBytesSsse3(const char* text, uint8_t* out) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 20));
    // Dashes at 8 and 13 (in a), 18 and 23 (2 and 7 in b).
    const int dashes_a = _mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_set1_epi8('-')));
    const int dashes_b = _mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('-')));
    if ((dashes_a & 0x2100) != 0x2100 || (dashes_b & 0x84) != 0x84) return false;
    const __m128i lo = _mm_or_si128(
        _mm_shuffle_epi8(a, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, -1, -1)),
        _mm_shuffle_epi8(
            b, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1)));
    const __m128i hi = _mm_or_si128(
        _mm_shuffle_epi8(b,
                         _mm_setr_epi8(3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1)),
        _mm_shuffle_epi8(
            c, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 12, 13, 14, 15)));
    return HexHalf(lo, out) && HexHalf(hi, out + 8);
}

// Nibbles to digits with one table lookup (pshufb), then shuffles put the dashes in.
__attribute__((target("ssse3"))) void BytesToUuidSsse3(const uint8_t* bytes, char* out) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
    const __m128i mask = _mm_set1_epi8(0x0F);
    const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), mask);
    const __m128i low = _mm_and_si128(v, mask);
    const __m128i table = _mm_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b',
                                        'c', 'd', 'e', 'f');
    // Digits 0-15 (bytes 0-7) and 16-31 (bytes 8-15).
    const __m128i x = _mm_shuffle_epi8(table, _mm_unpacklo_epi8(high, low));
    const __m128i y = _mm_shuffle_epi8(table, _mm_unpackhi_epi8(high, low));
    const __m128i dash = _mm_set1_epi8('-');
    // Characters 0-15: digits 0-7, '-', 8-11, '-', 12-13.
    const __m128i out0 = _mm_or_si128(
        _mm_shuffle_epi8(x, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, -1, 12, 13)),
        _mm_and_si128(dash, _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0)));
    // Characters 16-31: digits 14-15, '-', 16-19, '-', 20-27.
    const __m128i out1 = _mm_or_si128(
        _mm_or_si128(_mm_shuffle_epi8(x, _mm_setr_epi8(14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                       -1, -1, -1, -1, -1)),
                     _mm_shuffle_epi8(
                         y, _mm_setr_epi8(-1, -1, -1, 0, 1, 2, 3, -1, 4, 5, 6, 7, 8, 9, 10, 11))),
        _mm_and_si128(dash, _mm_setr_epi8(0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), out0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), out1);
    // Characters 32-35: digits 28-31.
    const auto last = static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(y, 12)));
    std::memcpy(out + 32, &last, 4);
}
#endif

bool UuidToBytes(const char* text, uint8_t* out) {
#ifdef __SSSE3__
    return UuidToBytesSsse3(text, out);
#else
    return UuidToBytesScalar(text, out);
#endif
}

void BytesToUuid(const uint8_t* bytes, char* out) {
#ifdef __SSSE3__
    BytesToUuidSsse3(bytes, out);
#else
    BytesToUuidScalar(bytes, out);
#endif
}

}  // namespace detail

EventId EventId::Parse(std::string_view text) {
    EventId id;
    uint8_t bytes[16];
    if (text.size() == kUuidSize && detail::UuidToBytes(text.data(), bytes) &&
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
    std::memcpy(bytes, &a_, 8);
    std::memcpy(bytes + 8, &b_, 8);
    detail::BytesToUuid(bytes, buf);
    return {buf, kUuidSize};
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

const EventActor* StringStore::KeepActor(const EventActor& a) {
    actors_.push_back(a);
    return &actors_.back();
}

EventCall* StringStore::Call(std::string_view event_name, std::string_view event_source,
                             bool& created) {
    created = false;
    if (last_call_ != nullptr && last_call_->event_name == event_name &&
        last_call_->event_source == event_source) {
        return last_call_;
    }
    EventCall*& cached =
        call_cache_[(event::FastHash(event_name) ^ event_source.size()) & (kCallCache - 1)];
    if (cached != nullptr && cached->event_name == event_name &&
        cached->event_source == event_source) {
        last_call_ = cached;
        return cached;
    }
    call_key_.assign(event_source).push_back(kValueSeparator);
    call_key_.append(event_name);
    auto it = calls_.find(call_key_);
    if (it == calls_.end()) {
        const std::string_view key = Copy(call_key_);
        const size_t cut = event_source.size();
        calls_store_.push_back({key.substr(cut + 1), key.substr(0, cut)});
        it = calls_.emplace(key, &calls_store_.back()).first;
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
        blocks_.push_back(static_cast<EventInfo*>(MapHuge(kBlockBytes)));
    }
    (*this)[size_++] = e;
}

void EventList::ReleaseBefore(size_t i) {
    for (size_t b = 0; b < (i >> kBlockBits) && b < blocks_.size(); ++b) {
        if (blocks_[b] != nullptr) UnmapHuge(blocks_[b], kBlockBytes);
        blocks_[b] = nullptr;
    }
}

void EventList::clear() {
    for (EventInfo* b : blocks_) {
        if (b != nullptr) UnmapHuge(b, kBlockBytes);
    }
    blocks_.clear();
    size_ = 0;
}

EventList& EventList::operator=(EventList&& o) noexcept {
    if (this != &o) {
        clear();
        blocks_ = std::move(o.blocks_);
        size_ = o.size_;
        o.blocks_.clear();
        o.size_ = 0;
    }
    return *this;
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
                                 EventInfo& out) const {
    using namespace event;
    out.event_id = EventId::Keep(FirstText(ev, kEventId), store);
    out.call = CallOf(ev, store);
    out.actor = actor;
    ExtrasOf(ev, store, Level::kEvent, wanted, out.extras, out.extra_count);
}

void EventInfoExtractor::ExtractUnmatched(const event::EventView& ev, StringStore& store,
                                          const identity::CredentialRef* cred,
                                          UnmatchedEvent& out) const {
    out.time = ev.time();
    out.event_id = EventId::Keep(FirstText(ev, event::kEventId), store);
    out.call = CallOf(ev, store);
    out.cred = cred;
    out.file = ev.file_index();
}

const EventCall* EventInfoExtractor::CallOf(const event::EventView& ev, StringStore& store) const {
    using namespace event;
    bool created = false;
    EventCall* call = store.Call(FirstText(ev, kEventName), FirstText(ev, kEventSource), created);
    if (created) ExtrasOf(ev, store, Level::kCall, all_, call->extras, call->extra_count);
    return call;
}

}  // namespace tw::detect
