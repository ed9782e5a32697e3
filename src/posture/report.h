// Renderings of posture findings for `audit --format`: jsonl (the native form), json (one
// array), csv (one row per finding) and table (aligned columns for a terminal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "findings/finding.h"

namespace tw::posture {

enum class ReportFormat { kTable, kJsonl, kJson, kCsv };

// Parses "table", "jsonl", "json" or "csv".
[[nodiscard]] bool ParseReportFormat(std::string_view s, ReportFormat& out);

// The findings in `format` (ends with a newline unless empty jsonl).
[[nodiscard]] std::string RenderReport(const std::vector<findings::Finding>& findings,
                                       ReportFormat format);

}  // namespace tw::posture
