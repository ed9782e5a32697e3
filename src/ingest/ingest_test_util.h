// Test helper: runs the ingest pipeline over paths and collects what came out.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "ingest/pipeline.h"

namespace tw::ingest {

struct CollectedEvent {
    uint32_t file = 0;
    uint64_t record = 0;
    std::string event_id;
    std::string event_name;
    std::string raw;
};

struct IngestRun {
    IngestStats stats;
    std::vector<CollectedEvent> events;  // sorted by (file, record)
    std::vector<Diagnostic> problems;
};

// Runs RunIngest over `paths` (discovered like the CLI does) with `options`.
IngestRun CollectEvents(const std::vector<std::string>& paths, IngestOptions options = {});

}  // namespace tw::ingest
