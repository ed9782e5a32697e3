// The ingest pipeline: reads every input file on a pool of worker threads (one file at a time
// per worker), sniffs its format, parses its records and hands each event to a per-worker
// Sink. Memory stays bounded: files up to `whole_file_limit` (decompressed) are parsed as one
// document; larger ones are streamed in chunks and split into records.
//
// Determinism: files are numbered in discovery order; sinks get BeginFile/EndFile with that
// number, so consumers can restore input order whatever the thread count (see OrderedWriter).
//
// Thread-safety: Run() blocks; sinks are called only from their own worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/time.h"
#include "event/event_view.h"
#include "event/field_catalog.h"
#include "ingest/discover.h"

namespace tw::ingest {

// Receives the events of one worker.
class Sink {
  public:
    virtual ~Sink() = default;
    virtual void BeginFile(uint32_t file_index) {}
    virtual void OnEvent(const event::EventView& ev) = 0;
    // Called once per file, after its last event (also for files that failed or were skipped).
    virtual void EndFile(uint32_t file_index) {}
};

struct IngestOptions {
    unsigned threads = 0;            // 0: all cores
    std::optional<TimeMs> from, to;  // keep events with from <= eventTime < to
    size_t whole_file_limit = 64u << 20;
    size_t chunk_size = 8u << 20;  // streaming read size
    size_t max_record_size = 512u << 20;
    bool progress = false;  // print a progress line on stderr
    // How many files beyond the oldest unfinished one may be in flight (bounds the memory of
    // consumers that restore input order); 0: unlimited.
    unsigned max_files_ahead = 0;
    std::atomic<bool>* stop = nullptr;  // set to stop early
};

struct IngestStats {
    uint64_t files_total = 0;
    uint64_t files_read = 0;     // files whose events (or some of them) were read
    uint64_t files_skipped = 0;  // digest, insight, empty, not CloudTrail, unreadable
    std::map<std::string, uint64_t> skipped_by_reason;
    uint64_t events = 0;           // events handed to sinks
    uint64_t events_filtered = 0;  // read but outside --from/--to
    uint64_t records_skipped = 0;  // records that could not be read
    uint64_t bytes_raw = 0;        // bytes read from disk
    uint64_t bytes = 0;            // decompressed bytes
    double seconds = 0;
    unsigned threads = 0;
    TimeMs first_event = 0, last_event = 0;  // time span of the events read (0 if none)
};

using SinkFactory = std::function<std::unique_ptr<Sink>(unsigned worker)>;

// Reads `files` with `catalog` (frozen here if it is not yet) and returns the totals.
// Problems go to `diag`; the run always goes on.
IngestStats RunIngest(const std::vector<InputFile>& files, event::FieldCatalog& catalog,
                      const IngestOptions& options, const SinkFactory& make_sink,
                      Diagnostics& diag);

// Effective thread count for a request (0: all cores), never more than `files`.
[[nodiscard]] unsigned EffectiveThreads(unsigned requested, size_t files);

}  // namespace tw::ingest
