#include "identity/string_pool.h"

#include <cstring>

#include "event/context.h"

namespace tw::identity {

StringPool::StringPool() {
    views_.emplace_back();
    table_.resize(1024);
}

uint32_t StringPool::Hash(std::string_view s) { return static_cast<uint32_t>(event::FastHash(s)); }

void StringPool::Grow() {
    std::vector<Slot> old(table_.size() * 2);
    old.swap(table_);
    const size_t mask = table_.size() - 1;
    for (const Slot& s : old) {
        if (s.id == 0) continue;
        size_t i = s.hash & mask;
        while (table_[i].id != 0) i = (i + 1) & mask;
        table_[i] = s;
    }
}

std::string_view StringPool::Store(std::string_view s) {
    if (s.size() > kBlock / 4) {
        // Large strings get a block of their own; the current block stays open.
        blocks_.push_back(std::make_unique<char[]>(s.size()));
        std::memcpy(blocks_.back().get(), s.data(), s.size());
        stored_ += s.size();
        std::string_view v(blocks_.back().get(), s.size());
        if (blocks_.size() >= 2) std::swap(blocks_.back(), blocks_[blocks_.size() - 2]);
        return v;
    }
    if (block_used_ + s.size() > kBlock) {
        blocks_.push_back(std::make_unique<char[]>(kBlock));
        block_used_ = 0;
        stored_ += kBlock;
    }
    char* p = blocks_.back().get() + block_used_;
    std::memcpy(p, s.data(), s.size());
    block_used_ += s.size();
    return {p, s.size()};
}

StrId StringPool::Intern(std::string_view s) {
    if (s.empty()) return kEmptyStr;
    const uint32_t h = Hash(s);
    const size_t mask = table_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        Slot& slot = table_[i];
        if (slot.id == 0) {
            const std::string_view stored = Store(s);
            const auto id = static_cast<StrId>(views_.size());
            views_.push_back(stored);
            slot = {id, h};
            if (views_.size() * 2 > table_.size()) Grow();
            return id;
        }
        if (slot.hash == h && views_[slot.id] == s) return slot.id;
    }
}

StrId StringPool::Find(std::string_view s) const {
    if (s.empty()) return kEmptyStr;
    const uint32_t h = Hash(s);
    const size_t mask = table_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& slot = table_[i];
        if (slot.id == 0) return kNoStr;
        if (slot.hash == h && views_[slot.id] == s) return slot.id;
    }
}

size_t StringPool::bytes() const {
    return stored_ + views_.capacity() * sizeof(std::string_view) +
           table_.capacity() * sizeof(Slot);
}

}  // namespace tw::identity
