// The table report of `hunt` for a responder at a terminal: what was read (inputs, events,
// time span, accounts, regions, rules), then the findings grouped by severity, most severe
// first, each with its time span, rule, event count, one-line summary, actor and accounts.
//
// Thread-safety: pure function.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "findings/finding.h"
#include "ingest/pipeline.h"

namespace tw::detect {

struct ReportHeader {
    ingest::IngestStats stats;
    size_t accounts = 0, regions = 0;
    size_t rules = 0, correlations = 0, detectors = 0;
    TimeMs learning_end = 0;  // 0 when the first-seen detector did not run
};

struct TableOptions {
    bool color = false;      // ANSI colours (stdout is a terminal)
    bool list_info = false;  // list informational findings (else only count them)
    size_t width = 100;      // wrap summaries at this width
};

// Renders the report.
[[nodiscard]] std::string RenderTable(const ReportHeader& header,
                                      const std::vector<findings::Finding>& findings,
                                      const TableOptions& options);

}  // namespace tw::detect
