// Inputs that cannot be read twice (stdin, pipes, devices) copied to temporary files, for the
// commands that read their input twice: timeline, and hunt, whose derived-activity detector may
// read files again. A copied input keeps its path, for messages, and is read from the copy
// (InputFile::read_from). The copies are removed when the Spool is destroyed.
//
//   ingest::Spool spool;
//   if (auto s = spool.Streams(files); !s) report(s.error());
//
// Thread-safety: one thread.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/discover.h"

namespace tw::ingest {

// Whether `f` is read as a stream: stdin, or a named path that is not a regular file (what a
// directory walk finds is a regular file).
[[nodiscard]] bool IsStream(const InputFile& f);

class Spool {
  public:
    Spool() = default;
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;
    ~Spool();

    // Copies every stream input of `files` (in $TMPDIR, else /tmp) and points it at its copy.
    // Stops at the first input that cannot be copied (what was copied stays usable).
    [[nodiscard]] Status Streams(std::vector<InputFile>& files);

  private:
    std::vector<std::string> copies_;
};

}  // namespace tw::ingest
