#include "event/context.h"

#include <algorithm>
#include <cstring>

namespace tw::event {

namespace {

inline uint64_t Load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

inline uint64_t Mix(uint64_t a, uint64_t b) { return MixHash(a, b); }

constexpr uint64_t kP0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ULL;
constexpr uint64_t kP3 = 0x589965cc75374cc3ULL;

}  // namespace

uint64_t FastHash(std::string_view s) {
    // Independent lanes of 16 bytes (wyhash-like multiply-fold): four while 64 bytes remain
    // (context keys are hundreds of bytes), then two, then the tail.
    const char* p = s.data();
    size_t n = s.size();
    uint64_t a = kP0 ^ n, b = kP1;
    if (n >= 64) {
        uint64_t c = kP2, d = kP3;
        do {
            a = Mix(Load64(p) ^ kP1, Load64(p + 8) ^ a);
            b = Mix(Load64(p + 16) ^ kP2, Load64(p + 24) ^ b);
            c = Mix(Load64(p + 32) ^ kP3, Load64(p + 40) ^ c);
            d = Mix(Load64(p + 48) ^ kP0, Load64(p + 56) ^ d);
            p += 64;
            n -= 64;
        } while (n >= 64);
        a ^= Mix(c, kP1);
        b ^= Mix(d, kP2);
    }
    while (n >= 32) {
        a = Mix(Load64(p) ^ kP1, Load64(p + 8) ^ a);
        b = Mix(Load64(p + 16) ^ kP2, Load64(p + 24) ^ b);
        p += 32;
        n -= 32;
    }
    if (n >= 16) {
        a = Mix(Load64(p) ^ kP1, Load64(p + 8) ^ a);
        p += 16;
        n -= 16;
    }
    uint64_t x = 0, y = 0;
    if (n >= 8) {
        x = Load64(p);
        y = Load64(p + n - 8);
    } else if (n > 0) {
        for (size_t i = 0; i < n; ++i) x = (x << 8) | static_cast<unsigned char>(p[i]);
    }
    b = Mix(x ^ kP2, y ^ b);
    return Mix(a ^ kP3, b ^ kP0);
}

bool IsContextPath(std::string_view path) {
    for (std::string_view c : kContextPaths) {
        if (path.starts_with(c) && (path.size() == c.size() || path[c.size()] == '.')) return true;
    }
    return false;
}

ContextFields::ContextFields(FieldCatalog& catalog) {
    for (const char* p : kContextPaths) ids_.push_back(catalog.Intern(p));
}

KeyTable::KeyTable() { table_.resize(1024); }

const char* KeyTable::Keep(std::string_view key) {
    if (used_ + key.size() > capacity_) {
        capacity_ = std::max<size_t>(key.size(), 1u << 16);
        blocks_.push_back(std::make_unique<char[]>(capacity_));
        block_bytes_ += capacity_;
        used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, key.data(), key.size());
    used_ += key.size();
    return at;
}

void KeyTable::Grow() {
    std::vector<Slot> old(table_.size() * 2);
    old.swap(table_);
    const size_t mask = table_.size() - 1;
    for (const Slot& s : old) {
        if (s.id == UINT32_MAX) continue;
        size_t i = s.hash & mask;
        while (table_[i].id != UINT32_MAX) i = (i + 1) & mask;
        table_[i] = s;
    }
}

uint32_t KeyTable::Id(std::string_view key, uint32_t tag) {
    const uint64_t h = FastHash(key) ^ (uint64_t{tag} * kP1);
    const size_t mask = table_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        Slot& s = table_[i];
        if (s.id == UINT32_MAX) {
            s.hash = h;
            s.key = Keep(key);
            s.size = static_cast<uint32_t>(key.size());
            s.tag = tag;
            s.id = count_++;
            const uint32_t id = s.id;
            if (static_cast<size_t>(count_) * 2 > table_.size()) Grow();
            return id;
        }
        if (s.hash == h && s.tag == tag && s.size == key.size() &&
            std::memcmp(s.key, key.data(), s.size) == 0) {
            return s.id;
        }
    }
}

size_t KeyTable::bytes() const { return block_bytes_ + table_.capacity() * sizeof(Slot); }

ContextInterner::ContextInterner(const ContextFields& fields) : fields_(fields.ids()) {
    scratch_.resize(2048);
}

uint32_t ContextInterner::IdentityId(const Value& v, uint64_t serial) {
    const auto tag = static_cast<uint32_t>(v.type);
    if (serial_parser_ == kNoParser && serial != 0) serial_parser_ = serial >> 32;
    const uint64_t low = serial & 0xffffffffu;
    if (serial == 0 || serial >> 32 != serial_parser_ || low >= kMaxSerials) {
        return identities_.Id(v.text, tag);
    }
    if (low >= by_serial_.size()) {
        by_serial_.resize(
            std::min<size_t>(kMaxSerials, std::max<size_t>(low + 1, 2 * by_serial_.size())));
    }
    uint32_t& known = by_serial_[low];
    if (known == 0) known = identities_.Id(v.text, tag) + 1;
    return known - 1;
}

uint32_t ContextInterner::Id(const EventView& ev) {
    // The key: for each field, its number of values, then each value's type, length and text;
    // a single userIdentity value is written as a count no field can have, then the id of its
    // text. Sized first, then written with plain copies (this runs for every event).
    const auto identity = ev.Values(fields_[0]);
    const uint32_t identity_id =
        identity.size() == 1 ? IdentityId(identity[0], ev.identity_serial()) : UINT32_MAX;
    const FieldId by_id = identity_id != UINT32_MAX ? fields_[0] : kNoField;
    size_t size = 0;
    for (FieldId f : fields_) {
        size += 4;
        if (f == by_id) {
            size += 4;
            continue;
        }
        for (const Value& v : ev.Values(f)) size += 5 + v.text.size();
    }
    if (scratch_.size() < size) scratch_.resize(std::max(size, 2 * scratch_.size()));
    char* out = scratch_.data();
    for (FieldId f : fields_) {
        if (f == by_id) {
            constexpr uint32_t kSingle = UINT32_MAX;
            std::memcpy(out, &kSingle, 4);
            std::memcpy(out + 4, &identity_id, 4);
            out += 8;
            continue;
        }
        const auto values = ev.Values(f);
        const auto count = static_cast<uint32_t>(values.size());
        std::memcpy(out, &count, 4);
        out += 4;
        for (const Value& v : values) {
            const auto len = static_cast<uint32_t>(v.text.size());
            *out = static_cast<char>(v.type);
            std::memcpy(out + 1, &len, 4);
            if (len != 0) std::memcpy(out + 5, v.text.data(), len);
            out += 5 + len;
        }
    }
    return contexts_.Id(std::string_view(scratch_.data(), size));
}

size_t ContextInterner::bytes() const {
    return contexts_.bytes() + identities_.bytes() + by_serial_.capacity() * sizeof(uint32_t) +
           scratch_.capacity();
}

}  // namespace tw::event
