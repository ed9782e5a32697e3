// OrderedWriter: writes per-file output chunks produced by several workers in input-file
// order, so that output is byte-identical whatever the thread count. A worker whose file is
// next in line writes straight through; others buffer until their turn.
//
// An optional line limit (--limit) cuts the output after N lines and raises a stop flag.
//
// Thread-safety: all methods may be called from any worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

namespace tw::output {

class OrderedWriter {
  public:
    // `out`: destination. `line_limit`: 0 for none. `stop`: set when the limit is reached.
    OrderedWriter(std::FILE* out, uint64_t line_limit, std::atomic<bool>* stop)
        : out_(out), line_limit_(line_limit), stop_(stop) {}

    // Adds output of `file_index`. When the file is next in line it is written at once;
    // otherwise it is kept until the earlier files are complete.
    void Write(uint32_t file_index, std::string&& text);
    // Marks `file_index` complete (after its last Write).
    void Finish(uint32_t file_index);

    [[nodiscard]] uint64_t lines() const { return lines_; }

  private:
    void Emit(const std::string& text);  // under mu_

    std::FILE* out_;
    uint64_t line_limit_;
    std::atomic<bool>* stop_;
    std::mutex mu_;
    uint32_t next_ = 0;
    uint64_t lines_ = 0;
    bool full_ = false;
    struct Pending {
        std::string text;
        bool finished = false;
    };
    std::map<uint32_t, Pending> pending_;
};

}  // namespace tw::output
