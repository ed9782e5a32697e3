#include "ingest/record_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <memory>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/strings.h"
#include "core/time.h"
#include "event/context.h"
#include "ingest/splitter.h"

namespace tw::ingest {

using event::FieldCatalog;
using event::FieldId;
using event::Value;
using event::ValueType;
namespace od = simdjson::ondemand;

namespace {

std::string_view TrimRight(const char* begin, const char* end) {
    while (end > begin && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' ||
                           end[-1] == '\t' || end[-1] == ',')) {
        --end;
    }
    return {begin, static_cast<size_t>(end - begin)};
}

// The text of a JSON string starting at `s` (after its opening quote) when it holds no escape,
// else a null view. The buffer is padded, and On-Demand has validated that the closing quote
// exists: look for it (or a backslash) 16 bytes at a time.
std::string_view PlainText(const char* s) {
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    for (size_t n = 0;; n += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n));
        const auto q = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote)));
        const auto b = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, backslash)));
        if ((q | b) == 0) continue;
        const int first = __builtin_ctz(q | b);
        if ((b >> first) & 1) return {};
        return {s, n + static_cast<size_t>(first)};
    }
#else
    size_t n = 0;
    while (s[n] != '"') {
        if (s[n] == '\\') return {};
        ++n;
    }
    return {s, n};
#endif
}

// The raw key of a field without unescaping. Keys with escapes (never seen in CloudTrail)
// come back empty and so match no path.
std::string_view RawKey(od::field& f) {
    const char* k = f.key().raw();
    const std::string_view key = PlainText(k);
    return key.data() == nullptr ? std::string_view(k, 0) : key;
}

const char* TypeName(ValueType t) {
    switch (t) {
        case ValueType::kNull:
            return "null";
        case ValueType::kString:
            return "a string";
        case ValueType::kNumber:
            return "a number";
        case ValueType::kBool:
            return "a boolean";
        case ValueType::kObject:
            return "an object";
        case ValueType::kArray:
            return "an array";
    }
    return "?";
}

// A number of its own for each parser made in the process (for its identity serials).
uint64_t NextParserNumber() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

struct RecordParser::Impl {
    Impl(const FieldCatalog& c, bool cache_identities)
        : catalog(c), nodes(c.nodes()), guesses_(nodes.size()) {
        // userIdentity, when paths go below it: its values are kept per distinct text.
        const uint32_t uid = catalog.Child(0, "userIdentity");
        if (cache_identities && uid != 0 && !nodes[uid].children.empty()) uid_node_ = uid;
        // The root's wanted keys, one bit each, to know when each was seen (up to 64).
        const std::vector<uint32_t>& wanted = nodes[0].children;
        if (wanted.size() <= 64) {
            root_bit_.assign(nodes.size(), 0);
            for (size_t i = 0; i < wanted.size(); ++i) {
                root_bit_[wanted[i]] = uint64_t{1} << i;
                root_all_ |= root_bit_[wanted[i]];
            }
        }
    }

    const FieldCatalog& catalog;
    const std::vector<FieldCatalog::Node>& nodes;
    std::vector<uint64_t> root_bit_;  // by node: its bit among the root's wanted keys; empty:
                                      // more than 64 (the ingest then reads every key)
    uint64_t root_all_ = 0;           // every bit of root_bit_
    od::parser doc_parser;            // whole documents
    od::parser one_parser;            // single records (lines, recovered records, embedded events)
    od::parser uid_parser;            // userIdentity objects seen for the first time
    event::EventView view;
    PaddedBuffer embedded;  // text of events embedded as strings (lookup-events, Lake)
    simdjson::dom::parser lake_cell_parser;  // checks Lake cells given as JSON text
    std::string lake_cell_;                  // a cell's text with U+FFFD for lone surrogates
    std::deque<std::string> repaired_;       // strings read by Repaired, for the current record
    IsoTimeParser times_;                    // eventTime values, whose dates repeat

    // ---- extraction -------------------------------------------------------------------------

    // Records of a trail mostly repeat one another's keys in the same order: the keys met at
    // each position of each object node in recent records are the guesses for the next one. A
    // guess is checked by comparing the key's bytes and its closing quote in place, which
    // spares the scan for the quote and the hash lookup; a miss looks the key up and replaces
    // the position's oldest guess. Several guesses per position, because optional keys
    // (additionalEventData, resources, errorCode...) shift the keys that follow them.
    struct KeyGuess {
#ifdef __SSE2__
        __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();  // from the key's start
#endif
        uint32_t mask = 0;  // bit i: byte i is compared (the key and its quote); 0: no guess
        uint32_t child = 0;
    };
    static constexpr size_t kMaxGuessedKey = 31;  // the key and its quote fit 32 bytes
    static constexpr size_t kMaxGuesses = 64;     // positions guessed per object
    static constexpr size_t kWays = 4;            // guesses per position
    struct PositionGuesses {
        KeyGuess way[kWays];
        uint32_t next = 0;  // the way replaced by the next miss
    };

    std::vector<std::vector<PositionGuesses>> guesses_;

    // The catalog child of the key of `field`, the `position`-th key of an object at `node`.
    uint32_t Child(od::field& field, uint32_t node, std::vector<PositionGuesses>& guesses,
                   size_t position) {
#ifdef __SSE2__
        const char* k = field.key().raw();
        // The buffer is padded: 32 bytes from a key's start are readable.
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k + 16));
        if (position < guesses.size()) {
            for (const KeyGuess& g : guesses[position].way) {
                const auto eq = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, g.lo))) |
                                static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, g.hi)))
                                    << 16;
                if (g.mask != 0 && (eq & g.mask) == g.mask) return g.child;
            }
        }
        const std::string_view key = RawKey(field);
        const uint32_t child = catalog.ChildPadded(node, key);
        // An escaped key (empty here) or a long one is not guessed.
        if (position < kMaxGuesses && !key.empty() && key.size() <= kMaxGuessedKey) {
            if (position >= guesses.size()) guesses.resize(position + 1);
            PositionGuesses& p = guesses[position];
            KeyGuess& g = p.way[p.next];
            p.next = (p.next + 1) % kWays;
            // The key's bytes are followed by its closing quote in the buffer: compare both.
            g.lo = a;
            g.hi = b;
            g.mask = key.size() + 1 == 32 ? UINT32_MAX : (uint32_t{1} << (key.size() + 1)) - 1;
            g.child = child;
        }
        return child;
#else
        (void)guesses;
        (void)position;
        return catalog.ChildPadded(node, RawKey(field));
#endif
    }

    // ---- userIdentity, once per distinct text ---------------------------------------------
    //
    // The userIdentity object of a trail's records repeats (one per session, for many calls),
    // and walking it is a good part of a record's extraction. Its raw text is looked up here;
    // the values extracted the first time are replayed into the view in the same order, so the
    // view is exactly what the walk would give. Text equality makes this exact: the same bytes
    // parse to the same values. Bounded: cleared between records past kMaxBytes; switched off
    // for a while when most lookups miss.
    struct UidEntry {
        uint64_t hash = 0;
        const char* raw = nullptr;  // in the arena
        uint32_t raw_size = 0;
        uint32_t first = 0, count = 0;  // in values / fields
        uint64_t serial = 0;            // EventView::identity_serial
    };
    struct UidCache {
        static constexpr size_t kMaxBytes = size_t{8} << 20;
        static constexpr size_t kBlock = size_t{1} << 20;
        std::vector<UidEntry> entries;
        std::vector<uint32_t> table;  // entry index + 1; 0: empty
        std::vector<Value> values;
        std::vector<FieldId> fields;
        std::vector<std::unique_ptr<char[]>> blocks;
        std::vector<size_t> block_sizes;
        size_t block = 0, used = 0, bytes = 0;
        // Adaptivity: misses over the last window of lookups; records left with the cache off.
        uint32_t window = 0, misses = 0, off_for = 0;

        char* Alloc(size_t n) {
            if (blocks.empty() || used + n > block_sizes[block]) {
                // Move to the next block (large ones get their own, freed on Clear).
                const size_t want = std::max(n, kBlock);
                if (!blocks.empty()) ++block;
                if (block == blocks.size() || block_sizes[block] < want) {
                    blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(block),
                                  std::make_unique<char[]>(want));
                    block_sizes.insert(block_sizes.begin() + static_cast<std::ptrdiff_t>(block),
                                       want);
                }
                used = 0;
            }
            char* at = blocks[block].get() + used;
            used += n;
            bytes += n;
            return at;
        }
        void Clear() {
            entries.clear();
            std::fill(table.begin(), table.end(), 0u);
            values.clear();
            fields.clear();
            // Keep the standard blocks, free the large ones.
            for (size_t i = blocks.size(); i-- > 0;) {
                if (block_sizes[i] > kBlock) {
                    blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(i));
                    block_sizes.erase(block_sizes.begin() + static_cast<std::ptrdiff_t>(i));
                }
            }
            block = 0;
            used = 0;
            bytes = 0;
        }
        const UidEntry* Find(std::string_view raw, uint64_t h) const {
            if (table.empty()) return nullptr;
            const size_t mask = table.size() - 1;
            for (size_t i = h & mask; table[i] != 0; i = (i + 1) & mask) {
                const UidEntry& e = entries[table[i] - 1];
                if (e.hash == h && e.raw_size == raw.size() &&
                    std::memcmp(e.raw, raw.data(), raw.size()) == 0) {
                    return &e;
                }
            }
            return nullptr;
        }
        void Insert(const UidEntry& e) {
            if ((entries.size() + 1) * 2 > table.size()) {
                table.assign(std::max<size_t>(1024, table.size() * 2), 0u);
                for (uint32_t k = 0; k < entries.size(); ++k) Place(entries[k].hash, k);
            }
            entries.push_back(e);
            Place(e.hash, static_cast<uint32_t>(entries.size() - 1));
        }
        void Place(uint64_t h, uint32_t k) {
            const size_t mask = table.size() - 1;
            size_t i = h & mask;
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = k + 1;
        }
    };
    static constexpr uint32_t kUidWindow = 4096;  // lookups judged together
    static constexpr uint32_t kUidOffRecords =
        65536;  // records without the cache after a bad window

    uint32_t uid_node_ = 0;  // 0: no caching
    UidCache uid_;
    // Identity serials: a range of 2^32 numbers of its own per parser.
    uint64_t uid_serial_next_ = (NextParserNumber() << 32) | 1;
    uint64_t uid_serials_left_ = UINT32_MAX;

    // Called at the start of each record.
    void UidBetweenRecords() {
        if (uid_.off_for > 0) --uid_.off_for;
        if (uid_.bytes > UidCache::kMaxBytes) uid_.Clear();
    }

    // The userIdentity object `v` (at `node`, not in an array): its values from the cache, or
    // extracted (from a copy of its text) and kept.
    simdjson::error_code CachedIdentity(od::value& v, uint32_t node) {
        od::object obj;
        if (auto e = v.get_object().get(obj)) return e;
        std::string_view raw;
        if (auto e = obj.raw_json().get(raw)) return e;
        raw = TrimRight(raw.data(), raw.data() + raw.size());
        const uint64_t h = event::FastHash(raw);
        if (++uid_.window == kUidWindow) {
            if (uid_.misses * 2 > kUidWindow) uid_.off_for = kUidOffRecords;
            uid_.window = uid_.misses = 0;
        }
        if (const UidEntry* hit = uid_.Find(raw, h)) {
            for (uint32_t i = hit->first; i < hit->first + hit->count; ++i) {
                view.Add(uid_.fields[i], uid_.values[i]);
            }
            view.set_identity_serial(hit->serial);
            return simdjson::SUCCESS;
        }
        ++uid_.misses;
        // A padded copy of the text, parsed alone; every value's text then lives in the arena.
        char* copy = uid_.Alloc(raw.size() + simdjson::SIMDJSON_PADDING);
        std::memcpy(copy, raw.data(), raw.size());
        std::memset(copy + raw.size(), 0, simdjson::SIMDJSON_PADDING);
        const std::string_view kept(copy, raw.size());
        const uint32_t before = view.added();
        const FieldCatalog::Node& n = nodes[node];
        // The container's own value first, as the walk adds it.
        if (n.field != event::kNoField) view.Add(n.field, {ValueType::kObject, false, kept, 0});
        od::document doc;
        od::object copy_obj;
        if (auto e = uid_parser.iterate(copy, raw.size(), raw.size() + simdjson::SIMDJSON_PADDING)
                         .get(doc)) {
            return e;
        }
        if (auto e = doc.get_object().get(copy_obj)) return e;
        if (auto e = ExtractObject(copy_obj, node, false)) return e;
        UidEntry entry;
        entry.hash = h;
        entry.raw = copy;
        entry.raw_size = static_cast<uint32_t>(raw.size());
        entry.first = static_cast<uint32_t>(uid_.values.size());
        for (uint32_t i = before; i < view.added(); ++i) {
            Value value = view.added_value(i);
            const auto at = reinterpret_cast<uintptr_t>(value.text.data());
            const auto kept_at = reinterpret_cast<uintptr_t>(copy);
            if (value.type == ValueType::kString && (at < kept_at || at > kept_at + raw.size())) {
                // Unescaped into the parser's buffer: keep a copy (a string without escapes is
                // already a view of the kept text).
                char* text = uid_.Alloc(value.text.size());
                std::memcpy(text, value.text.data(), value.text.size());
                value.text = {text, value.text.size()};
                view.PatchText(i, value.text);
            }
            uid_.values.push_back(value);
            uid_.fields.push_back(view.added_field(i));
        }
        entry.count = static_cast<uint32_t>(uid_.values.size()) - entry.first;
        // Serials are never reused, not even after the cache was cleared.
        if (uid_serials_left_ > 0) {
            entry.serial = uid_serial_next_++;
            --uid_serials_left_;
        }
        view.set_identity_serial(entry.serial);
        uid_.Insert(entry);
        // The replay lists and the table count towards the bound too.
        uid_.bytes += entry.count * (sizeof(Value) + sizeof(FieldId)) + sizeof(UidEntry) +
                      2 * sizeof(uint32_t);
        return simdjson::SUCCESS;
    }

    // On-Demand's objects, fields and values are passed by reference on this path (30 million
    // keys on the bench corpus): a copy is written to the stack in pieces and read back whole,
    // which the CPU cannot forward from its store buffer (on the bench machine of 2026-11-25,
    // 45% of this function's time).
    simdjson::error_code ExtractObject(od::object& obj, uint32_t node, bool in_array) {
        // At the record root, without raw text to deliver, stop once every wanted key was seen
        // (a key written twice counts once): On-Demand then skips the rest of the record
        // cheaply. A key repeated after that is not read again.
        const bool stop = node == 0 && !catalog.need_raw() && !root_bit_.empty();
        uint64_t seen = 0;
        std::vector<PositionGuesses>& guesses = guesses_[node];
        size_t position = 0;
        for (auto field_result : obj) {
            if (auto e = field_result.error()) return e;
            od::field& field = field_result.value_unsafe();
            const uint32_t child = Child(field, node, guesses, position++);
            if (child == 0) continue;  // not needed: On-Demand skips the value
            if (auto e = ExtractValue(field.value(), child, in_array)) return e;
            if (stop && (seen |= root_bit_[child]) == root_all_) break;
        }
        return simdjson::SUCCESS;
    }

    simdjson::error_code ExtractValue(od::value& v, uint32_t node, bool in_array) {
        const FieldCatalog::Node& n = nodes[node];
        od::json_type type;
        if (auto e = v.type().get(type)) return e;
        switch (type) {
            case od::json_type::string: {
                if (n.field == event::kNoField) return simdjson::SUCCESS;
                // A string without escapes is its own text: a view of it, no copy. (Unconsumed,
                // On-Demand skips the value.)
                std::string_view s = PlainText(v.raw_json_token().data() + 1);
                if (s.data() == nullptr) {
                    if (auto e = StringOf(v, s)) return e;
                }
                view.Add(n.field, {ValueType::kString, in_array, s, 0});
                return simdjson::SUCCESS;
            }
            case od::json_type::number: {
                if (n.field == event::kNoField) return simdjson::SUCCESS;
                std::string_view raw = v.raw_json_token();
                raw = TrimRight(raw.data(), raw.data() + raw.size());
                double d = 0;
                if (v.get_double().get(d)) d = 0;  // out of range: keep the text
                view.Add(n.field, {ValueType::kNumber, in_array, raw, d});
                return simdjson::SUCCESS;
            }
            case od::json_type::boolean: {
                if (n.field == event::kNoField) return simdjson::SUCCESS;
                bool b;
                if (auto e = v.get_bool().get(b)) return e;
                view.Add(n.field, {ValueType::kBool, in_array, b ? "true" : "false", b ? 1.0 : 0});
                return simdjson::SUCCESS;
            }
            case od::json_type::null: {
                if (n.field == event::kNoField) return simdjson::SUCCESS;
                if (!v.is_null()) return simdjson::INCORRECT_TYPE;
                view.Add(n.field, {ValueType::kNull, in_array, "null", 0});
                return simdjson::SUCCESS;
            }
            case od::json_type::object:
                if (node == uid_node_ && !in_array && uid_.off_for == 0) {
                    return CachedIdentity(v, node);
                }
                return ExtractContainer(v, node, in_array, true);
            case od::json_type::array:
                return ExtractContainer(v, node, in_array, false);
        }
        return simdjson::SUCCESS;
    }

    // An object or array at `node`: its raw text when the path ends here, its children when
    // longer paths go through it. Arrays are transparent: each element is a value at `node`.
    simdjson::error_code ExtractContainer(od::value& v, uint32_t node, bool in_array,
                                          bool is_object) {
        const FieldCatalog::Node& n = nodes[node];
        const bool wants_text = n.field != event::kNoField;
        if (n.children.empty() && !wants_text) return simdjson::SUCCESS;
        if (n.children.empty() && is_object) {
            od::object obj;
            if (auto e = v.get_object().get(obj)) return e;
            std::string_view raw;
            if (auto e = obj.raw_json().get(raw)) return e;
            view.Add(n.field, {ValueType::kObject, in_array,
                               TrimRight(raw.data(), raw.data() + raw.size()), 0});
            return simdjson::SUCCESS;
        }
        const char* start = v.raw_json_token().data();
        // Reserve the container's place before its elements; its text is known at the end.
        const uint32_t slot =
            wants_text
                ? view.Add(n.field,
                           {is_object ? ValueType::kObject : ValueType::kArray, in_array, {}, 0})
                : 0;
        if (is_object) {
            od::object obj;
            if (auto e = v.get_object().get(obj)) return e;
            if (auto e = ExtractObject(obj, node, in_array)) return e;
        } else {
            od::array arr;
            if (auto e = v.get_array().get(arr)) return e;
            for (auto el : arr) {
                if (auto e = el.error()) return e;
                if (auto e = ExtractValue(el.value_unsafe(), node, true)) return e;
            }
        }
        if (wants_text) {
            const char* end = nullptr;
            if (v.current_location().get(end)) end = nullptr;
            view.PatchText(slot, end != nullptr && end > start ? TrimRight(start, end)
                                                               : std::string_view(start, 1));
        }
        return simdjson::SUCCESS;
    }

    // The unescaped text of the string value `v`. Half a surrogate pair alone, valid JSON that
    // simdjson refuses (and a caller may have chosen it), is read as U+FFFD (Repaired).
    simdjson::error_code StringOf(od::value& v, std::string_view& out) {
        const char* quote = v.raw_json_token().data();
        auto e = v.get_string().get(out);
        if (e == simdjson::STRING_ERROR && Repaired(quote + 1, out)) return simdjson::SUCCESS;
        return e;
    }

    // The text of the JSON string at `s` (after its opening quote) with U+FFFD for each half of
    // a surrogate pair met alone, which simdjson refuses; kept until the next record. False
    // for a malformed escape, which is an error.
    bool Repaired(const char* s, std::string_view& out) {
        size_t n = 0;  // to the closing quote (stage 1 found it)
        while (s[n] != '"') n += s[n] == '\\' ? 2 : 1;
        std::string& text = repaired_.emplace_back();
        if (!AppendJsonUnescaped(text, {s, n})) return false;
        out = text;
        return true;
    }

    // ---- records ------------------------------------------------------------------------------

    // Validates the fields every consumer relies on; returns an error message or "".
    std::string Validate(ParseContext& ctx, uint64_t index) {
        if (!view.Has(event::kEventTime) && !view.Has(event::kEventName) &&
            !view.Has(event::kEventSource)) {
            if (index == 0) ctx.not_cloudtrail = true;
            return "not a CloudTrail event (no eventTime, eventName or eventSource)";
        }
        static constexpr FieldId kChecked[] = {event::kEventTime, event::kEventName,
                                               event::kEventSource};
        for (FieldId id : kChecked) {
            const Value* v = view.First(id);
            if (v == nullptr || v->type == ValueType::kNull) continue;
            if (v->type != ValueType::kString) {
                return std::string("expected a string at ") + catalog.path(id) + ", got " +
                       TypeName(v->type);
            }
        }
        const Value* t = view.First(event::kEventTime);
        if (t != nullptr && t->type == ValueType::kString) {
            const auto parsed = times_.Parse(t->text);
            if (!parsed) {
                std::string msg = "expected an ISO 8601 time at eventTime, got \"";
                msg.append(t->text.substr(0, 40));
                msg += "\"";
                return msg;
            }
            view.set_time(*parsed);
        } else {
            view.set_time(0);
        }
        return {};
    }

    // Extracts and delivers one record whose value is `v`. `end_hint` ends the record's text
    // when the parser cannot tell (a record that is the whole document).
    simdjson::error_code Record(od::value& v, const char* end_hint, std::string_view position,
                                ParseContext& ctx) {
        const uint64_t index = ctx.next_record;
        auto e = RecordAt(v, end_hint, position, index, ctx);
        // A syntax error leaves the record to the caller's recovery, which counts it then.
        if (!e) ctx.next_record = index + 1;
        return e;
    }

    simdjson::error_code RecordAt(od::value& v, const char* end_hint, std::string_view position,
                                  uint64_t index, ParseContext& ctx) {
        od::json_type type;
        if (auto e = v.type().get(type)) return e;
        if (type != od::json_type::object) {
            ctx.counts->records_skipped++;
            ctx.diag->RecordError(*ctx.path, Position(position, index), "record is not an object",
                                  "skipped: the record is not a JSON object");
            return simdjson::SUCCESS;  // On-Demand skips the value
        }
        const char* start = v.raw_json_token().data();
        view.Reset(&catalog);
        repaired_.clear();
        if (uid_node_ != 0) UidBetweenRecords();
        od::object obj;
        if (auto e = v.get_object().get(obj)) return e;
        if (auto e = ExtractObject(obj, 0, false)) return e;
        if (catalog.need_raw()) {
            const char* end = nullptr;
            if (v.current_location().get(end) || end == nullptr || end < start) end = end_hint;
            // Where the record ends is unknown (a damaged document): leave it to the recovery,
            // which cuts the record out and parses it alone.
            if (end == nullptr || end < start) return simdjson::INCOMPLETE_ARRAY_OR_OBJECT;
            view.set_raw(TrimRight(start, end));
        }
        view.set_position(ctx.file_index, index);
        view.Finish();
        if (std::string problem = Validate(ctx, index); !problem.empty()) {
            if (ctx.not_cloudtrail) return simdjson::SUCCESS;  // reported once for the file
            ctx.counts->records_skipped++;
            ctx.diag->RecordError(*ctx.path, Position(position, index), "field of the wrong type",
                                  "skipped: " + problem);
            return simdjson::SUCCESS;
        }
        ctx.counts->records++;
        ctx.handler->OnEvent(view);
        return simdjson::SUCCESS;
    }

    // ---- containers -------------------------------------------------------------------------

    // Iterates the events of an array value; returns the offset (in buf) from which recovery
    // must resume when a syntax error stops the iteration, or npos. The failing record is
    // parsed again, alone, by the recovery; a record already delivered is skipped by it
    // (ctx.recover_skip).
    size_t EventArray(od::array arr, const char* base, size_t resume, ParseContext& ctx) {
        bool delivered = false;  // the object starting at `resume` was delivered
        for (auto el : arr) {
            if (el.error()) {
                ctx.recover_skip = delivered ? 1 : 0;
                return resume;
            }
            od::value& v = el.value_unsafe();
            od::json_type type;
            if (v.type().get(type)) return resume;
            resume = static_cast<size_t>(v.raw_json_token().data() - base);
            delivered = false;
            if (Record(v, nullptr, {}, ctx)) return resume;
            delivered = type == od::json_type::object;
            if (ctx.stopped()) return std::string_view::npos;
        }
        return std::string_view::npos;
    }

    // The events embedded as JSON strings in `aws cloudtrail lookup-events` output.
    simdjson::error_code LookupEvents(od::array arr, ParseContext& ctx) {
        uint64_t n = 0;
        for (auto el : arr) {
            ++n;
            od::object item;
            if (auto e = el.get_object().get(item)) return e;
            std::string_view text;
            bool found = false;
            for (auto f : item) {
                if (auto e = f.error()) return e;
                od::field field = f.value_unsafe();
                if (RawKey(field) != "CloudTrailEvent") continue;
                // (copied into `embedded` before the next record clears a repair)
                if (auto e = StringOf(field.value(), text)) return e;
                found = true;
            }
            const std::string where = "event " + std::to_string(n);
            if (!found) {
                ctx.counts->records_skipped++;
                ctx.next_record++;
                ctx.diag->RecordError(*ctx.path, where, "no CloudTrailEvent",
                                      "skipped: the item has no CloudTrailEvent string");
                continue;
            }
            embedded.Clear();
            embedded.Append(text);
            ParseText(embedded.view(), where, ctx);
            if (ctx.stopped()) break;
        }
        return simdjson::SUCCESS;
    }

    // Whether the string `s` of the Lake column `key` is a nested structure given as JSON text:
    // one whole, valid JSON object or array, in a column that is not one of the record's scalar
    // fields. A user agent or any other value a caller chose stays a string, however it
    // begins: pasted into the record, it could close it early and forge or drop the fields after.
    bool IsLakeStructure(std::string_view key, std::string_view& s) {
        if (s.empty() || (s.front() != '{' && s.front() != '[')) return false;
        static constexpr std::string_view kScalars[] = {"eventVersion",
                                                        "eventTime",
                                                        "eventSource",
                                                        "eventName",
                                                        "awsRegion",
                                                        "sourceIPAddress",
                                                        "userAgent",
                                                        "errorCode",
                                                        "errorMessage",
                                                        "requestID",
                                                        "eventID",
                                                        "eventType",
                                                        "apiVersion",
                                                        "managementEvent",
                                                        "readOnly",
                                                        "recipientAccountId",
                                                        "sharedEventID",
                                                        "vpcEndpointId",
                                                        "vpcEndpointAccountId",
                                                        "eventCategory",
                                                        "sessionCredentialFromConsole"};
        for (std::string_view k : kScalars) {
            if (key == k) return false;
        }
        // The DOM parser validates the whole text, and that nothing follows the value. It
        // refuses half a surrogate pair, which a caller may have put in any parameter: such a
        // text is taken with U+FFFD in its place, as the ingest reads any string.
        simdjson::dom::element el;
        if (lake_cell_parser.parse(s.data(), s.size()).get(el) == simdjson::SUCCESS) return true;
        lake_cell_.clear();
        if (!ReplaceLoneSurrogateEscapes(s, lake_cell_) ||
            lake_cell_parser.parse(lake_cell_.data(), lake_cell_.size()).get(el) !=
                simdjson::SUCCESS) {
            return false;
        }
        s = lake_cell_;
        return true;
    }

    // CloudTrail Lake rows: each row is a list of one-key objects; the row becomes one event.
    simdjson::error_code LakeRows(od::array rows, ParseContext& ctx) {
        uint64_t n = 0;
        for (auto row_result : rows) {
            ++n;
            od::array row;
            if (auto e = row_result.get_array().get(row)) return e;
            std::string text = "{";
            bool first = true;
            for (auto cell_result : row) {
                od::object cell;
                if (auto e = cell_result.get_object().get(cell)) return e;
                for (auto f : cell) {
                    if (auto e = f.error()) return e;
                    od::field field = f.value_unsafe();
                    std::string_view key;
                    if (auto e = field.unescaped_key().get(key)) return e;
                    if (!first) text += ',';
                    first = false;
                    AppendJsonString(text, key);
                    text += ':';
                    od::value v = field.value();
                    od::json_type t;
                    if (auto e = v.type().get(t)) return e;
                    if (t == od::json_type::string) {
                        std::string_view s;
                        if (auto e = StringOf(v, s)) return e;
                        // Nested structures arrive as JSON text in a string.
                        if (IsLakeStructure(key, s)) {
                            text.append(s);
                        } else {
                            AppendJsonString(text, s);
                        }
                    } else if (t == od::json_type::object || t == od::json_type::array) {
                        std::string_view raw;
                        simdjson::error_code e;
                        if (t == od::json_type::object) {
                            od::object o;
                            e = v.get_object().get(o);
                            if (!e) e = o.raw_json().get(raw);
                        } else {
                            od::array a;
                            e = v.get_array().get(a);
                            if (!e) e = a.raw_json().get(raw);
                        }
                        if (e) return e;
                        text.append(raw);
                    } else {
                        text.append(Trim(v.raw_json_token()));
                    }
                }
            }
            text += '}';
            embedded.Clear();
            embedded.Append(text);
            ParseText(embedded.view(), "row " + std::to_string(n), ctx);
            if (ctx.stopped()) break;
        }
        return simdjson::SUCCESS;
    }

    // One record given as text followed by readable padding.
    void ParseText(std::string_view text, std::string_view position, ParseContext& ctx) {
        od::document doc;
        od::value v;
        auto e = one_parser.iterate(text.data(), text.size(), text.size() + PaddedBuffer::kPadding)
                     .get(doc);
        if (!e) e = doc.get_value().get(v);
        if (!e) e = Record(v, text.data() + text.size(), position, ctx);
        if (e) {
            const uint64_t index = ctx.next_record++;
            ctx.counts->records_skipped++;
            ctx.diag->RecordError(
                *ctx.path, Position(position, index), "invalid JSON",
                std::string("skipped: invalid JSON (") + simdjson::error_message(e) + ")");
        }
    }

    static std::string Position(std::string_view given, uint64_t index) {
        if (!given.empty()) return std::string(given);
        return "record " + std::to_string(index + 1);
    }
};

RecordParser::RecordParser(const event::FieldCatalog& catalog, bool cache_identities)
    : impl_(std::make_unique<Impl>(catalog, cache_identities)) {
    static_assert(PaddedBuffer::kPadding >= simdjson::SIMDJSON_PADDING);
}

RecordParser::~RecordParser() = default;

void RecordParser::ParseOne(std::string_view text, std::string_view position, ParseContext& ctx) {
    impl_->ParseText(text, position, ctx);
}

void RecordParser::ShrinkIfAbove(size_t limit) {
    if (impl_->one_parser.capacity() > limit) impl_->one_parser = od::parser{};
    if (impl_->uid_parser.capacity() > limit) impl_->uid_parser = od::parser{};
    if (impl_->doc_parser.capacity() > limit) impl_->doc_parser = od::parser{};
    if (impl_->lake_cell_parser.capacity() > limit)
        impl_->lake_cell_parser = simdjson::dom::parser{};
    impl_->embedded.Clear();
    impl_->embedded.ShrinkIfAbove(limit);
}

size_t RecordParser::ParseDocument(Format format, const PaddedBuffer& buf, ParseContext& ctx) {
    Impl& m = *impl_;
    const char* base = buf.data();
    const std::string_view all = buf.view();
    switch (format) {
        case Format::kJsonLines: {
            uint64_t line = 0;
            size_t pos = 0;
            while (pos < all.size()) {
                const void* nl = std::memchr(base + pos, '\n', all.size() - pos);
                const size_t end = nl == nullptr ? all.size() : static_cast<const char*>(nl) - base;
                ++line;
                std::string_view text = Trim(all.substr(pos, end - pos));
                pos = end + 1;
                if (text.empty()) continue;
                m.ParseText(text, "line " + std::to_string(line), ctx);
                if (ctx.stopped()) break;
            }
            return std::string_view::npos;
        }
        case Format::kConcatenated:
            return 0;  // the splitter handles it from the start
        case Format::kRecords:
        case Format::kArray:
        case Format::kLookupEvents:
        case Format::kLakeResults:
            break;
        default:
            return std::string_view::npos;
    }

    const size_t recover_from = format == Format::kRecords ? FindRecordsArray(all)
                                : format == Format::kArray ? all.find('[') + 1
                                                           : std::string_view::npos;
    od::document doc;
    if (m.doc_parser.iterate(base, buf.size(), buf.capacity() + PaddedBuffer::kPadding).get(doc)) {
        return recover_from;
    }
    if (format == Format::kArray) {
        od::array arr;
        if (doc.get_array().get(arr)) return recover_from;
        return m.EventArray(arr, base, recover_from, ctx);
    }
    od::object root;
    if (doc.get_object().get(root)) return recover_from;
    const std::string_view wanted = format == Format::kRecords        ? "Records"
                                    : format == Format::kLookupEvents ? "Events"
                                                                      : "QueryResultRows";
    for (auto f : root) {
        if (f.error()) return recover_from;
        od::field field = f.value_unsafe();
        if (RawKey(field) != wanted) continue;
        od::value v = field.value();
        const size_t array_start = static_cast<size_t>(v.raw_json_token().data() - base) + 1;
        od::array arr;
        if (v.get_array().get(arr)) return recover_from;
        if (format == Format::kRecords) {
            const size_t r = m.EventArray(arr, base, array_start, ctx);
            if (r != std::string_view::npos) return r;
            continue;
        }
        const auto e =
            format == Format::kLookupEvents ? m.LookupEvents(arr, ctx) : m.LakeRows(arr, ctx);
        if (e) {
            ctx.diag->FileError(
                *ctx.path, {}, "invalid JSON",
                std::string("stopped reading: invalid JSON (") + simdjson::error_message(e) + ")");
        }
        return std::string_view::npos;
    }
    return std::string_view::npos;
}

}  // namespace tw::ingest
