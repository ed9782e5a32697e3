#include "identity/string_pool.h"

#include <cstring>

namespace tw::identity {

StringPool::StringPool() {
    views_.emplace_back();
    ids_.emplace(std::string_view(), kEmptyStr);
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
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    const std::string_view stored = Store(s);
    const auto id = static_cast<StrId>(views_.size());
    views_.push_back(stored);
    ids_.emplace(stored, id);
    return id;
}

StrId StringPool::Find(std::string_view s) const {
    if (s.empty()) return kEmptyStr;
    auto it = ids_.find(s);
    return it == ids_.end() ? kNoStr : it->second;
}

size_t StringPool::bytes() const {
    return stored_ + views_.capacity() * sizeof(std::string_view) +
           ids_.size() * (sizeof(std::string_view) + sizeof(StrId) + 2 * sizeof(void*));
}

}  // namespace tw::identity
