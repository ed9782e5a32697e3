// StringPool: interns strings to small integer ids, so that facts and graph nodes hold 4-byte
// ids instead of strings. Id 0 is always the empty string.
//
// Lifetime: string_views returned by Get() live as long as the pool (storage never moves).
// Thread-safety: none; one pool per worker or per graph.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace tw::identity {

using StrId = uint32_t;
inline constexpr StrId kEmptyStr = 0;
inline constexpr StrId kNoStr = 0xFFFFFFFFu;

class StringPool {
  public:
    StringPool();
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;
    StringPool(StringPool&&) = default;
    StringPool& operator=(StringPool&&) = default;

    // Returns the id of `s`, adding it if new. "" is kEmptyStr.
    StrId Intern(std::string_view s);
    // Id of `s`, or kNoStr when it was never interned.
    [[nodiscard]] StrId Find(std::string_view s) const;
    // The string of `id` (valid for the life of the pool).
    [[nodiscard]] std::string_view Get(StrId id) const { return views_[id]; }
    [[nodiscard]] size_t size() const { return views_.size(); }
    // Bytes held (strings, views and the index), for memory reports.
    [[nodiscard]] size_t bytes() const;

  private:
    std::string_view Store(std::string_view s);

    static constexpr size_t kBlock = 64 * 1024;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t block_used_ = kBlock;
    size_t stored_ = 0;
    // Open addressing over the ids (0: empty slot, as "" is never in the table), with the low
    // 32 bits of each string's hash: probes compare text only when those bits are equal.
    struct Slot {
        StrId id = 0;
        uint32_t hash = 0;
    };
    static uint32_t Hash(std::string_view s);
    void Grow();

    std::vector<std::string_view> views_;
    std::vector<Slot> table_;
};

}  // namespace tw::identity
