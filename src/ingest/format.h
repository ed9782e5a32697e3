// Format sniffing: which kind of CloudTrail container a buffer holds, decided from its
// content (never its name).
#pragma once

#include <string_view>

namespace tw::ingest {

enum class Format {
    kUnknown,       // not JSON we understand
    kEmpty,         // no bytes, or only whitespace
    kRecords,       // S3 delivery / console export: {"Records": [event, ...]}
    kArray,         // a JSON array of events
    kJsonLines,     // one event per line
    kConcatenated,  // events one after another, not one per line (pretty-printed)
    kLookupEvents,  // `aws cloudtrail lookup-events`: {"Events": [{"CloudTrailEvent": "..."}]}
    kLakeResults,   // CloudTrail Lake `get-query-results`: {"QueryResultRows": [[{k: v}...]]}
    kDigest,        // CloudTrail digest file (integrity validation): recognised, skipped
    kInsight,       // CloudTrail Insights file: recognised, skipped
};

[[nodiscard]] const char* FormatName(Format f);

// Decides the format from the first bytes of the (decompressed) content. `prefix` should hold
// at least the first few KB when the input is that long.
[[nodiscard]] Format SniffFormat(std::string_view prefix);

// Offset of the first non-whitespace byte after a UTF-8 byte-order mark, or prefix.size().
[[nodiscard]] size_t SkipBomAndSpace(std::string_view s, size_t pos = 0);

}  // namespace tw::ingest
