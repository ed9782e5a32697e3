// `trailwarden timeline`: follows an actor through every credential it derived and prints
// every event made with any of them, in time order, each with its derivation path, then a
// summary. Two passes over the input: the first builds the credential-derivation graph from
// the few identity events (and fingerprints each file), the second reads only the files that
// may hold an event of the actor and keeps the matching events in compact form.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "core/time.h"
#include "ingest/discover.h"
#include "ingest/pipeline.h"

namespace tw::identity {

enum class TimelineFormat { kTable, kJsonl, kCsv, kTimesketch };

struct TimelineOptions {
    std::vector<std::string> actors;
    unsigned depth = 0;  // derivation steps to follow (0: all)
    TimelineFormat format = TimelineFormat::kJsonl;
    bool full = false;       // jsonl: add each whole record as "event"
    bool skip_files = true;  // second pass reads only files whose fingerprint matches
    bool quiet = false;      // no resolution lines or summary on `log`
};

struct TimelineStats {
    ingest::IngestStats pass1;  // the whole input (graph pass)
    ingest::IngestStats pass2;  // the files that may hold the actor's events
    uint64_t facts = 0;
    uint64_t nodes = 0;
    uint64_t edges = 0;
    uint64_t closure = 0;  // credentials derived from the actor(s), seeds included
    uint64_t events = 0;   // events printed
    uint64_t graph_bytes = 0;
    bool resolved = false;  // at least one actor was found
};

// Runs the timeline over `files`. `ingest_options.from/to` limit the events printed (the
// graph is always built from the whole input). Events go to `out`; resolution lines go to
// `log` and so does the summary unless the format is table (then it follows the events on
// `out`). Fails only on a bad option or an unreadable stdin spool.
[[nodiscard]] Result<TimelineStats> RunTimeline(std::vector<ingest::InputFile> files,
                                                const TimelineOptions& options,
                                                const ingest::IngestOptions& ingest_options,
                                                std::FILE* out, std::FILE* log, Diagnostics& diag);

}  // namespace tw::identity
