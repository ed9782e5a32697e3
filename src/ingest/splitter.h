// ObjectSplitter: finds complete JSON objects in a byte stream without parsing them, by
// tracking string/escape state and brace depth. Used where a whole-document parse is not
// possible: files too large to hold at once (streamed in chunks) and the remainder of a
// document after a syntax error (recovery of the records that follow).
//
// Objects are reported when they start at depth 0 of the splitter; a ']' at depth 0 ends the
// sequence (the close of a Records array). Other bytes at depth 0 (commas, whitespace, garbage)
// are skipped.
//
// Thread-safety: one splitter per worker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tw::ingest {

class ObjectSplitter {
  public:
    // Scans buf[pos, buf.size()) continuing from the current state. Returns the offset just
    // past the next complete object (and sets *start to where it began), or 0 when the buffer
    // ends first (state is kept; call again with more bytes) or the sequence ended (ended()).
    size_t Next(std::string_view buf, size_t pos, size_t* start);

    // Offset where the scan stopped in the last call (for resuming after refills).
    [[nodiscard]] size_t resume() const { return resume_; }
    // The ']' that closes the sequence was seen.
    [[nodiscard]] bool ended() const { return ended_; }
    // Inside an object that has not closed yet.
    [[nodiscard]] bool in_object() const { return depth_ > 0; }
    // Offset of the start of the unfinished object (valid when in_object()).
    [[nodiscard]] size_t object_start() const { return object_start_; }
    // Shifts stored offsets after the caller dropped `n` bytes from the front of its buffer.
    void Rebase(size_t n) {
        object_start_ -= n;
        resume_ -= n;
    }
    void Reset() { *this = ObjectSplitter(); }

  private:
    uint32_t depth_ = 0;
    bool in_string_ = false;
    bool escape_ = false;
    bool ended_ = false;
    size_t object_start_ = 0;
    size_t resume_ = 0;
};

// Finds the offset just past the '[' that opens the "Records" array of a CloudTrail delivery
// file in `prefix`, or 0 when it is not there.
[[nodiscard]] size_t FindRecordsArray(std::string_view prefix);

}  // namespace tw::ingest
