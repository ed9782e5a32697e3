// PaddedBuffer: a growable byte buffer that always has kPadding readable bytes past its end,
// as simdjson requires. Reused across files by one worker; never shrinks unless asked.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace tw::ingest {

class PaddedBuffer {
  public:
    static constexpr size_t kPadding = 64;

    PaddedBuffer() = default;
    PaddedBuffer(const PaddedBuffer&) = delete;
    PaddedBuffer& operator=(const PaddedBuffer&) = delete;

    [[nodiscard]] char* data() { return data_.get(); }
    [[nodiscard]] const char* data() const { return data_.get(); }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] size_t capacity() const { return capacity_; }
    [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }

    // Ensures room for `n` more bytes (plus padding) after size().
    void Reserve(size_t n) {
        if (size_ + n <= capacity_) return;
        size_t cap = capacity_ == 0 ? 1 << 16 : capacity_;
        while (cap < size_ + n) cap *= 2;
        std::unique_ptr<char[]> next(new char[cap + kPadding]);
        if (size_ != 0) std::memcpy(next.get(), data_.get(), size_);
        std::memset(next.get() + cap, 0, kPadding);
        data_ = std::move(next);
        capacity_ = cap;
    }
    // Pointer to the free space after size(); call Reserve first.
    [[nodiscard]] char* tail() { return data_.get() + size_; }
    void Commit(size_t n) { size_ += n; }
    void Append(std::string_view s) {
        Reserve(s.size());
        std::memcpy(tail(), s.data(), s.size());
        size_ += s.size();
    }
    void Clear() { size_ = 0; }
    // Drops the first `n` bytes, moving the rest to the front.
    void Consume(size_t n) {
        if (n >= size_) {
            size_ = 0;
            return;
        }
        std::memmove(data_.get(), data_.get() + n, size_ - n);
        size_ -= n;
    }
    // Frees memory when the buffer grew beyond `limit` (e.g. after one huge file).
    void ShrinkIfAbove(size_t limit) {
        if (capacity_ > limit && size_ == 0) {
            data_.reset();
            capacity_ = 0;
        }
    }

  private:
    std::unique_ptr<char[]> data_;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

}  // namespace tw::ingest
