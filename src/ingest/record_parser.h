// RecordParser: turns the records of a decompressed buffer into EventViews, with simdjson
// On-Demand: one forward pass per record that extracts only the field paths of the catalog.
//
// Thread-safety: one parser per worker. Views passed to the handler live until it returns.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "event/event_view.h"
#include "event/field_catalog.h"
#include "ingest/buffer.h"
#include "ingest/format.h"

namespace tw::ingest {

// Receives every good record.
class EventHandler {
  public:
    virtual ~EventHandler() = default;
    virtual void OnEvent(const event::EventView& ev) = 0;
};

// Per-file counters, filled by the parser.
struct FileCounts {
    uint64_t records = 0;          // records handed to the handler
    uint64_t records_skipped = 0;  // records that could not be read
};

struct ParseContext {
    const std::string* path = nullptr;
    uint32_t file_index = 0;
    Diagnostics* diag = nullptr;
    EventHandler* handler = nullptr;
    FileCounts* counts = nullptr;
    uint64_t base_offset = 0;  // offset of buf[0] in the decompressed input (streaming)
    uint64_t next_record = 0;  // index of the next record in the file (0-based)
    const std::atomic<bool>* stop = nullptr;  // set by the run to stop early (e.g. --limit)
    // Set by the parser when the first record of the file is not a CloudTrail event: the rest
    // of the file is not read.
    bool not_cloudtrail = false;
    // Set by ParseDocument with a recovery offset: complete objects at that offset that were
    // already delivered and must be skipped.
    uint64_t recover_skip = 0;

    [[nodiscard]] bool stopped() const {
        return not_cloudtrail || (stop != nullptr && stop->load(std::memory_order_relaxed));
    }
};

class RecordParser {
  public:
    // `cache_identities`: keep the values of each distinct userIdentity text and replay them
    // (the same view, faster); off only to test that claim.
    explicit RecordParser(const event::FieldCatalog& catalog, bool cache_identities = true);
    ~RecordParser();
    RecordParser(const RecordParser&) = delete;
    RecordParser& operator=(const RecordParser&) = delete;

    // Parses the whole document buf (format already sniffed). When a syntax error stops the
    // iteration, returns the offset from which the caller should recover the remaining records
    // with the ObjectSplitter; otherwise returns std::string_view::npos.
    size_t ParseDocument(Format format, const PaddedBuffer& buf, ParseContext& ctx);

    // Parses one record's text; `text` must be followed by at least PaddedBuffer::kPadding
    // readable bytes. `position` describes it for messages ("line 7", "record 12").
    void ParseOne(std::string_view text, std::string_view position, ParseContext& ctx);

    // Releases parser memory grown beyond `limit` bytes by one huge record or document.
    void ShrinkIfAbove(size_t limit);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tw::ingest
