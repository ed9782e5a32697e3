#include "findings/id_list.h"

#include <cstring>
#include <mutex>
#include <stdexcept>

#include "core/memory.h"
#include "core/uuid.h"

namespace tw::findings {

IdList::IdList(std::initializer_list<std::string_view> ids) {
    for (std::string_view id : ids) push_back(id);
}

IdList::IdList(const std::vector<std::string>& ids) { *this = ids; }

IdList& IdList::operator=(const std::vector<std::string>& ids) {
    clear();
    size_t bytes = 0;
    for (const std::string& id : ids) bytes += id.size();
    reserve(ids.size(), bytes);
    for (const std::string& id : ids) push_back(id);
    return *this;
}

IdList::IdList(const IdList& o) : packed_(o.packed_) {
    // A packed list's text is copied only once rendered (read once: it only ever turns true
    // under const access).
    const bool rendered = o.rendered_.load(std::memory_order_acquire);
    if (o.packed_.empty() || rendered) {
        text_ = o.text_;
        ends_ = o.ends_;
    }
    rendered_.store(rendered && !o.packed_.empty(), std::memory_order_relaxed);
}

IdList::IdList(IdList&& o) noexcept
    : packed_(std::move(o.packed_)),
      rendered_(o.rendered_.load()),
      text_(std::move(o.text_)),
      ends_(std::move(o.ends_)) {
    o.clear();
}

IdList& IdList::operator=(const IdList& o) {
    if (this != &o) *this = IdList(o);
    return *this;
}

IdList& IdList::operator=(IdList&& o) noexcept {
    if (this != &o) {
        packed_ = std::move(o.packed_);
        rendered_.store(o.rendered_.load(std::memory_order_acquire), std::memory_order_relaxed);
        text_ = std::move(o.text_);
        ends_ = std::move(o.ends_);
        o.clear();
    }
    return *this;
}

void IdList::Render() const {
    if (rendered_.load(std::memory_order_acquire)) return;
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    if (rendered_.load(std::memory_order_relaxed)) return;
    text_.resize(packed_.size() * kUuidTextSize);
    if (text_.size() >= 2 * kHugePageBytes) AdviseHugePages(text_.data(), text_.size());
    ends_.clear();
    ReserveHuge(ends_, packed_.size());
    for (size_t i = 0; i < packed_.size(); ++i) {
        uuid::BytesToUuid(packed_[i].data(), text_.data() + i * kUuidTextSize);
        ends_.push_back(static_cast<uint32_t>((i + 1) * kUuidTextSize));
    }
    rendered_.store(true, std::memory_order_release);
}

void IdList::AppendId(std::string& out, size_t i) const {
    if (packed_.empty()) {
        out += (*this)[i];
        return;
    }
    const size_t at = out.size();
    out.resize(at + kUuidTextSize);
    uuid::BytesToUuid(packed_[i].data(), out.data() + at);
}

size_t IdList::text_size() const {
    return packed_.empty() ? text_.size() : packed_.size() * kUuidTextSize;
}

std::string_view IdList::text() const {
    if (!packed_.empty()) Render();
    return text_;
}

void IdList::reserve_uuids(size_t n) {
    if (ends_.empty() || !packed_.empty()) ReserveHuge(packed_, packed_.size() + n);
}

void IdList::push_back_uuid(const uint8_t* bytes) {
    if (!ends_.empty() && packed_.empty()) {
        char text[kUuidTextSize];
        uuid::BytesToUuid(bytes, text);
        push_back(std::string_view(text, kUuidTextSize));
        return;
    }
    if (packed_.size() >= UINT32_MAX / kUuidTextSize) {
        throw std::length_error("IdList: over 4 GB of ids");
    }
    std::array<uint8_t, 16> b;
    std::memcpy(b.data(), bytes, 16);
    packed_.push_back(b);
    if (rendered_.load(std::memory_order_relaxed)) {
        // Already read as text: the text grows with the list (no reader runs beside a writer).
        char text[kUuidTextSize];
        uuid::BytesToUuid(bytes, text);
        text_.append(text, kUuidTextSize);
        ends_.push_back(static_cast<uint32_t>(text_.size()));
    }
}

void IdList::reserve(size_t n, size_t bytes) {
    ReserveHuge(ends_, ends_.size() + n);
    if (bytes > 0) {
        const size_t want = text_.size() + bytes;
        if (want > text_.capacity()) {
            text_.reserve(want);
            if (want >= 2 * kHugePageBytes) AdviseHugePages(text_.data(), want);
        }
    }
}

void IdList::push_back(std::string_view id) {
    if (text_size() + id.size() > UINT32_MAX) throw std::length_error("IdList: over 4 GB of ids");
    if (!packed_.empty()) {
        // From now on a list of text: the packed ids become text first.
        Render();
        packed_.clear();
        packed_.shrink_to_fit();
        rendered_.store(false, std::memory_order_relaxed);
    }
    text_.append(id);
    ends_.push_back(static_cast<uint32_t>(text_.size()));
}

void IdList::clear() {
    packed_.clear();
    rendered_.store(false, std::memory_order_relaxed);
    text_.clear();
    ends_.clear();
}

bool operator==(const IdList& a, const IdList& b) {
    if (a.size() != b.size()) return false;
    if (a.packed() && b.packed()) return a.packed_ == b.packed_;
    return a.text() == b.text() && (a.ends_ == b.ends_);
}

bool operator==(const IdList& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < b.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

}  // namespace tw::findings
