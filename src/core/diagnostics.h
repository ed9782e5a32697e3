// Diagnostics: a sink for problems found in many inputs (bad records, bad files, bad rules)
// while processing goes on. Each problem is printed at once as one stderr line that names the
// input and position; totals per kind are kept for the end-of-run summary and the exit code.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tw {

enum class Severity { kWarning, kError };

// What was lost because of a problem; drives the summary and exit code 3.
enum class Loss {
    kNone,    // informational (e.g. a digest file recognised and skipped)
    kRecord,  // one record could not be read; the rest of the file was processed
    kFile,    // the whole file (or its remainder) could not be read
};

struct Diagnostic {
    Severity severity = Severity::kError;
    Loss loss = Loss::kNone;
    std::string path;      // the input file, or empty
    std::string position;  // "record 12", "byte 4096", "line 3 column 5", or empty
    std::string message;   // what was wrong and what happened next
    std::string reason;    // short category used for summary totals, e.g. "invalid JSON"
};

class Diagnostics {
  public:
    // stream: where lines are printed (nullptr: collect only, for tests).
    explicit Diagnostics(std::FILE* stream = stderr) : stream_(stream) {}

    // Records and prints one problem.
    void Report(const Diagnostic& d);

    // Convenience: an error that lost one record of a file.
    void RecordError(std::string_view path, std::string_view position, std::string_view reason,
                     std::string_view message);
    // Convenience: an error that lost a file (or the rest of it).
    void FileError(std::string_view path, std::string_view position, std::string_view reason,
                   std::string_view message);

    // Totals.
    [[nodiscard]] uint64_t records_lost() const;
    [[nodiscard]] uint64_t files_lost() const;
    [[nodiscard]] uint64_t errors() const;
    // reason -> count, for the summary.
    [[nodiscard]] std::map<std::string, uint64_t> reasons() const;
    // Every diagnostic reported so far (kept for tests and machine-readable summaries; capped).
    [[nodiscard]] std::vector<Diagnostic> all() const;

    // Stop printing after this many lines (counting continues); 0 means unlimited.
    void set_print_limit(uint64_t n) { print_limit_ = n; }

  private:
    std::FILE* stream_;
    mutable std::mutex mu_;
    uint64_t records_lost_ = 0;
    uint64_t files_lost_ = 0;
    uint64_t errors_ = 0;
    uint64_t printed_ = 0;
    uint64_t print_limit_ = 200;
    std::map<std::string, uint64_t> reasons_;
    std::vector<Diagnostic> kept_;
};

}  // namespace tw
