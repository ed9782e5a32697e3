#include "ingest/splitter.h"

#include <cstring>

namespace tw::ingest {

size_t ObjectSplitter::Next(std::string_view buf, size_t pos, size_t* start) {
    const char* p = buf.data();
    const size_t n = buf.size();
    size_t i = pos;
    // The next quote after i, once searched for (n: none). At or before i it is stale: in a
    // string, the quote itself is never the character being skipped to it.
    size_t quote = 0;
    while (i < n) {
        if (in_string_) {
            // Jump to the next quote or backslash.
            while (i < n) {
                const char c = p[i];
                if (escape_) {
                    escape_ = false;
                } else if (c == '\\') {
                    escape_ = true;
                } else if (c == '"') {
                    in_string_ = false;
                    ++i;
                    break;
                } else {
                    // The next quote (searched for again only once passed: a string of many
                    // escapes is not scanned once per escape), then a backslash before it: each
                    // byte is looked at once or twice. (A backslash searched for to the end of
                    // the buffer cost every string the rest of the buffer, 64 MiB streaming.)
                    if (quote <= i) {
                        const void* q = std::memchr(p + i, '"', n - i);
                        quote =
                            q != nullptr ? static_cast<size_t>(static_cast<const char*>(q) - p) : n;
                    }
                    const void* b = std::memchr(p + i, '\\', quote - i);
                    i = b != nullptr ? static_cast<size_t>(static_cast<const char*>(b) - p) : quote;
                    continue;
                }
                ++i;
            }
            continue;
        }
        const char c = p[i];
        if (c == '"') {
            in_string_ = true;  // at depth 0 this is garbage between records, skipped whole
        } else if (c == '{' || c == '[') {
            if (depth_ == 0) object_start_ = i;
            ++depth_;
        } else if (c == '}' || c == ']') {
            if (depth_ == 0) {
                if (c == ']') {
                    ended_ = true;
                    resume_ = i + 1;
                    return 0;
                }
            } else if (--depth_ == 0 && p[object_start_] == '{') {
                // Arrays and scalars at depth 0 are not records and are skipped.
                *start = object_start_;
                resume_ = i + 1;
                return i + 1;
            }
        }
        ++i;
    }
    resume_ = n;
    return 0;
}

size_t FindRecordsArray(std::string_view prefix) {
    size_t pos = 0;
    while (true) {
        pos = prefix.find("\"Records\"", pos);
        if (pos == std::string_view::npos) return 0;
        size_t i = pos + 9;
        while (i < prefix.size() &&
               (prefix[i] == ' ' || prefix[i] == '\n' || prefix[i] == '\r' || prefix[i] == '\t')) {
            ++i;
        }
        if (i < prefix.size() && prefix[i] == ':') {
            ++i;
            while (i < prefix.size() && (prefix[i] == ' ' || prefix[i] == '\n' ||
                                         prefix[i] == '\r' || prefix[i] == '\t')) {
                ++i;
            }
            if (i < prefix.size() && prefix[i] == '[') return i + 1;
        }
        pos += 9;
    }
}

}  // namespace tw::ingest
