// `trailwarden query`: filter (--where), project (--fields), count (--count-by) and print
// CloudTrail events, streaming, in input order whatever the thread count.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "ingest/pipeline.h"

namespace tw::query {

enum class OutputFormat { kTable, kJsonl, kCsv };

struct QueryOptions {
    std::vector<std::string> where;  // ANDed conditions (see where.h)
    bool ignore_case = false;
    std::vector<std::string> fields;  // projection; empty: whole event (jsonl) or defaults
    std::string count_by;             // histogram of this field instead of events
    OutputFormat format = OutputFormat::kJsonl;
    uint64_t limit = 0;  // at most this many events (0: all)
    bool color = false;
};

// The columns shown in table and CSV output when --fields is not given.
extern const std::vector<std::string> kDefaultFields;

// Runs the query and writes the result to `out`. Fails only on a bad option (before reading).
[[nodiscard]] Result<ingest::IngestStats> RunQuery(const std::vector<ingest::InputFile>& files,
                                                   const QueryOptions& options,
                                                   ingest::IngestOptions ingest_options,
                                                   std::FILE* out, Diagnostics& diag);

}  // namespace tw::query
