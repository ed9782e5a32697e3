#include "ingest/format.h"

#include <cstring>

namespace tw::ingest {

const char* FormatName(Format f) {
    switch (f) {
        case Format::kUnknown:
            return "unknown";
        case Format::kEmpty:
            return "empty";
        case Format::kRecords:
            return "CloudTrail Records";
        case Format::kArray:
            return "JSON array";
        case Format::kJsonLines:
            return "JSON Lines";
        case Format::kConcatenated:
            return "concatenated JSON";
        case Format::kLookupEvents:
            return "lookup-events output";
        case Format::kLakeResults:
            return "CloudTrail Lake results";
        case Format::kDigest:
            return "CloudTrail digest";
        case Format::kInsight:
            return "CloudTrail Insights";
    }
    return "unknown";
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Reads the JSON string starting at s[pos] == '"'; returns its raw content and moves pos past
// the closing quote. Escapes are kept as written (keys we look for have none).
std::string_view ReadString(std::string_view s, size_t& pos) {
    const size_t start = pos + 1;
    size_t i = start;
    while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
    if (i >= s.size()) {
        pos = s.size();
        return {};
    }
    pos = i + 1;
    return s.substr(start, i - start);
}

// The keys of the root object found in `s` (depth 1 only), up to a handful.
bool RootHasKey(std::string_view s, std::string_view wanted) {
    int depth = 0;
    size_t i = 0;
    bool expect_key = false;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
            const bool is_key = depth == 1 && expect_key;
            std::string_view str = ReadString(s, i);
            if (is_key && str == wanted) return true;
            expect_key = false;
            continue;
        }
        if (c == '{') {
            ++depth;
            expect_key = depth == 1;
        } else if (c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',') {
            expect_key = depth == 1;
        }
        ++i;
    }
    return false;
}

// Whether the first record of the Records array in `s` (a prefix of the document) has
// "eventType":"AwsCloudTrailInsight" among its own keys. AWS sets a record's eventType; the
// word in a value the caller chose (a user agent, a request parameter) is elsewhere or deeper,
// and must not make a trail file skipped as Insights. False when the prefix ends first.
bool FirstRecordIsInsight(std::string_view s) {
    constexpr int kRecordDepth = 3;  // the root object, the Records array, the first record
    uint64_t objects = 0;            // bit d: the container at depth d is an object
    int depth = 0;
    bool expect_key = false;  // the next string is a key
    bool records = false;     // the root's value being read is that of "Records"
    bool in_record = false;   // inside the first record
    std::string_view key;     // the first record's key whose value is being read
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
            const bool is_key = expect_key;
            const std::string_view str = ReadString(s, i);
            expect_key = false;
            if (depth == 1 && is_key) records = str == "Records";
            if (in_record && depth == kRecordDepth) {
                if (is_key) {
                    key = str;
                } else if (key == "eventType") {
                    return str == "AwsCloudTrailInsight";
                }
            }
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
            if (depth < 64) {
                objects =
                    c == '{' ? objects | (uint64_t{1} << depth) : objects & ~(uint64_t{1} << depth);
            }
            expect_key = c == '{';
            if (c == '{' && depth == kRecordDepth && records) in_record = true;
        } else if (c == '}' || c == ']') {
            if (in_record && depth == kRecordDepth) return false;  // the first record ended
            --depth;
        } else if (c == ',') {
            expect_key = depth > 0 && depth < 64 && (objects >> depth & 1) != 0;
        }
        ++i;
    }
    return false;
}

}  // namespace

size_t SkipBomAndSpace(std::string_view s, size_t pos) {
    if (pos == 0 && s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    return pos;
}

namespace {

// Whether `text` holds "<word>" (with its quotes). memmem first: searching from the quote
// would stop at every string of the record.
bool HasQuoted(std::string_view text, std::string_view word) {
    size_t from = 0;
    while (from < text.size()) {
        const void* hit = memmem(text.data() + from, text.size() - from, word.data(), word.size());
        if (hit == nullptr) return false;
        const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
        if (at > 0 && text[at - 1] == '"' && at + word.size() < text.size() &&
            text[at + word.size()] == '"') {
            return true;
        }
        from = at + 1;
    }
    return false;
}

}  // namespace

Format SniffFormat(std::string_view prefix) {
    const size_t start = SkipBomAndSpace(prefix);
    if (start == prefix.size()) return Format::kEmpty;
    const char first = prefix[start];
    if (first == '[') return Format::kArray;
    if (first != '{') return Format::kUnknown;

    // The first key of the root object usually decides.
    size_t pos = SkipBomAndSpace(prefix, start + 1);
    std::string_view key;
    if (pos < prefix.size() && prefix[pos] == '"') key = ReadString(prefix, pos);
    const std::string_view head = prefix.substr(start, 8192);
    if (key == "Records" || RootHasKey(head, "Records")) {
        return HasQuoted(head, "AwsCloudTrailInsight") && FirstRecordIsInsight(head)
                   ? Format::kInsight
                   : Format::kRecords;
    }
    if (RootHasKey(head, "digestStartTime") || RootHasKey(head, "digestS3Object") ||
        (key == "awsAccountId" && head.find("\"digest") != std::string_view::npos)) {
        return Format::kDigest;
    }
    if (key == "Events" || RootHasKey(head, "Events")) return Format::kLookupEvents;
    if (RootHasKey(head, "QueryResultRows")) return Format::kLakeResults;

    // An event object: one per line, or pretty-printed one after another.
    const size_t nl = prefix.find('\n', start);
    std::string_view line = prefix.substr(start, nl == std::string_view::npos ? nl : nl - start);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (!line.empty() && line.back() == '}') return Format::kJsonLines;
    return Format::kConcatenated;
}

}  // namespace tw::ingest
