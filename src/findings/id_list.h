// IdList: the event ids of a finding, packed into one buffer. A hunt can put a million ids in
// one finding; as strings of their own they would cost a million allocations to make and to
// free. Reads like a vector of string_view. One list holds at most 4 GB of id text (about a
// hundred million ids); push_back throws std::length_error beyond.
//
// UUIDs (CloudTrail's event ids) may be kept as their 16 bytes instead (push_back_uuid, while
// the list holds no text id): 16 bytes an id instead of 40, and the writers render them
// straight into their output (packed(), uuid(i)). The first read of the text renders it all;
// from then on the text is kept beside the bytes and grows with the list.
//
// Thread-safety: like a std::vector (the rendering on a first read is locked).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace tw::findings {

class IdList {
  public:
    class Iterator {
      public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = std::string_view;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = std::string_view;

        Iterator() = default;
        Iterator(const IdList* list, size_t i) : list_(list), i_(i) {}
        std::string_view operator*() const { return (*list_)[i_]; }
        std::string_view operator[](difference_type n) const {
            return (*list_)[static_cast<size_t>(static_cast<difference_type>(i_) + n)];
        }
        Iterator& operator++() { return ++i_, *this; }
        Iterator operator++(int) { return {list_, i_++}; }
        Iterator& operator--() { return --i_, *this; }
        Iterator operator--(int) { return {list_, i_--}; }
        Iterator& operator+=(difference_type n) {
            i_ = static_cast<size_t>(static_cast<difference_type>(i_) + n);
            return *this;
        }
        Iterator& operator-=(difference_type n) { return *this += -n; }
        friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
        friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
        friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const Iterator& a, const Iterator& b) {
            return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.i_ == b.i_; }
        friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.i_ <=> b.i_; }

      private:
        const IdList* list_ = nullptr;
        size_t i_ = 0;
    };
    using value_type = std::string_view;
    using const_iterator = Iterator;
    using iterator = Iterator;

    IdList() = default;
    IdList(std::initializer_list<std::string_view> ids);
    explicit IdList(const std::vector<std::string>& ids);
    IdList& operator=(const std::vector<std::string>& ids);
    IdList(const IdList& o);
    IdList(IdList&& o) noexcept;
    IdList& operator=(const IdList& o);
    IdList& operator=(IdList&& o) noexcept;
    ~IdList() = default;

    [[nodiscard]] size_t size() const { return packed_.empty() ? ends_.size() : packed_.size(); }
    [[nodiscard]] bool empty() const { return size() == 0; }
    [[nodiscard]] std::string_view operator[](size_t i) const {
        if (!packed_.empty()) Render();
        const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
        return std::string_view(text_).substr(begin, ends_[i] - begin);
    }
    [[nodiscard]] std::string_view front() const { return (*this)[0]; }
    [[nodiscard]] std::string_view back() const { return (*this)[size() - 1]; }
    [[nodiscard]] Iterator begin() const { return {this, 0}; }
    [[nodiscard]] Iterator end() const { return {this, size()}; }

    // Room for `n` more ids of `bytes` characters in all.
    void reserve(size_t n, size_t bytes = 0);
    // Room for `n` more packed UUIDs.
    void reserve_uuids(size_t n);
    void push_back(std::string_view id);
    // The UUID of 16 bytes (rendered as lowercase text): kept packed unless the list holds text
    // ids already.
    void push_back_uuid(const uint8_t* bytes);
    void clear();
    // Total characters of all ids.
    [[nodiscard]] size_t text_size() const;
    // Every id, one after the other.
    [[nodiscard]] std::string_view text() const;
    // Appends the text of id `i` to `out` (a packed list is not rendered for it).
    void AppendId(std::string& out, size_t i) const;
    // Whether every id is a packed UUID; uuid(i) then gives its 16 bytes.
    [[nodiscard]] bool packed() const { return !packed_.empty(); }
    [[nodiscard]] const uint8_t* uuid(size_t i) const { return packed_[i].data(); }

    friend bool operator==(const IdList& a, const IdList& b);
    friend bool operator==(const IdList& a, const std::vector<std::string>& b);

  private:
    // Fills text_ and ends_ from packed_ when not done yet.
    void Render() const;

    // Packed: every id (text_ and ends_ are their rendering once `rendered_`). Else text_ and
    // ends_ hold every id, and `rendered_` is false.
    std::vector<std::array<uint8_t, 16>> packed_;
    mutable std::atomic<bool> rendered_{false};
    mutable std::string text_;            // every id, one after the other
    mutable std::vector<uint32_t> ends_;  // end of each id in text_
};

}  // namespace tw::findings
