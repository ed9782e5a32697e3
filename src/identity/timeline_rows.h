// Internal to the timeline: the compact form of a selected event, and the renderers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "identity/closure.h"
#include "identity/graph.h"
#include "identity/string_pool.h"
#include "identity/timeline.h"

namespace tw::identity {

// One selected event. Strings are ids into the pool of the worker that read it.
struct Row {
    enum Field : uint8_t {
        kEventId,
        kEventName,
        kEventSource,
        kAccount,
        kRegion,
        kIp,
        kUserAgent,
        kType,
        kArn,
        kKey,
        kError,
        kFieldCount
    };
    TimeMs time = 0;
    NodeId node = kNoNode;  // the credential (in the closure) the event was made with
    uint16_t worker = 0;
    int8_t read_only = -1;  // -1 unknown, 0 false, 1 true
    StrId f[kFieldCount] = {};
    uint64_t raw = UINT64_MAX;  // offset of the whole record in the worker's raw store
};

// The rows of one worker.
struct RowSet {
    StringPool pool;
    std::vector<Row> rows;
    std::string raw;  // records kept for --full, each followed by '\n'
};

// Everything the renderers need.
struct TimelineView {
    const Graph& graph;
    const Closure& closure;
    const std::vector<std::unique_ptr<RowSet>>& sets;
    const std::vector<const Row*>& rows;  // sorted, de-duplicated
    const TimelineOptions& options;
    [[nodiscard]] std::string_view S(const Row& r, Row::Field f) const {
        return sets[r.worker]->pool.Get(r.f[f]);
    }
};

// Writes the events (and, for the table, the credentials list and summary) to `out`.
void RenderEvents(const TimelineView& v, std::FILE* out);
// Writes the summary as text.
void RenderSummary(const TimelineView& v, std::FILE* out);

}  // namespace tw::identity
