// EventView: one CloudTrail record as seen by every consumer: the values of the requested
// field paths (by FieldId), the record's raw JSON text, and the derived fields the rest of
// trailwarden needs (time as epoch, account, actor, access key, failed call).
//
// Lifetime: every string_view and span returned here points into the ingest worker's buffers
// and is valid only until the event callback returns. Copy what you keep.
// Thread-safety: an EventView belongs to one worker thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "event/field_catalog.h"

namespace tw::event {

enum class ValueType : uint8_t { kNull, kString, kNumber, kBool, kObject, kArray };

// One value found at a field path.
struct Value {
    ValueType type = ValueType::kNull;
    // Reached through an array (the path crossed an array, or this is an element of the
    // array the path ends at); such values come after their container, if any.
    bool in_array = false;
    // kString: the unescaped string. kNumber, kBool, kObject, kArray: the raw JSON text.
    // kNull: "null".
    std::string_view text;
    double number = 0;  // kNumber: the value; kBool: 0 or 1
};

class EventView {
  public:
    EventView() = default;

    // Prepares for a new record (no allocation once warm).
    void Reset(const FieldCatalog* catalog);

    // ---- filled by the ingest
    // Adds a value of field `id`; returns its index for PatchText (valid until Finish()).
    uint32_t Add(FieldId id, const Value& v);
    // Sets the text of a value added earlier (a container whose end was not known yet).
    void PatchText(uint32_t index, std::string_view text) { values_[index].text = text; }
    void set_raw(std::string_view raw) { raw_ = raw; }
    void set_position(uint32_t file_index, uint64_t record_index) {
        file_index_ = file_index;
        record_index_ = record_index;
    }
    // Groups values per field after a record whose values arrived interleaved.
    void Finish();
    // The values added so far, in order of arrival (before Finish()): for the ingest to keep
    // and replay a run of them.
    [[nodiscard]] uint32_t added() const { return static_cast<uint32_t>(values_.size()); }
    [[nodiscard]] const Value& added_value(uint32_t i) const { return values_[i]; }
    [[nodiscard]] FieldId added_field(uint32_t i) const { return order_[i]; }
    // A number that stands for the whole text of the record's userIdentity object, given by
    // the ingest when it took the object's values from its cache: two records with the same
    // non-zero serial have the same userIdentity text, in any worker (0: none given; one text
    // may have several serials). The ContextInterner keys contexts by it.
    void set_identity_serial(uint64_t serial) { identity_serial_ = serial; }
    // Records the parsed eventTime (saves parsing it again in time()).
    void set_time(TimeMs t) {
        time_ = t;
        time_known_ = true;
    }

    // ---- read by consumers
    // Every value of field `id` (several when the path crosses an array); empty when missing.
    [[nodiscard]] std::span<const Value> Values(FieldId id) const {
        if (id >= slots_.size() || slots_[id].gen != gen_) return {};
        return {values_.data() + slots_[id].begin, slots_[id].count};
    }
    // The first value of `id`, or nullptr when missing.
    [[nodiscard]] const Value* First(FieldId id) const {
        auto v = Values(id);
        return v.empty() ? nullptr : &v[0];
    }
    // The first value's text when it is a string, else "".
    [[nodiscard]] std::string_view Str(FieldId id) const {
        const Value* v = First(id);
        return v != nullptr && v->type == ValueType::kString ? v->text : std::string_view();
    }
    // The first value's text whatever its type (numbers as written), else "".
    [[nodiscard]] std::string_view Text(FieldId id) const {
        const Value* v = First(id);
        return v == nullptr || v->type == ValueType::kNull ? std::string_view() : v->text;
    }
    [[nodiscard]] bool Has(FieldId id) const { return !Values(id).empty(); }

    // The record's JSON text, always available.
    [[nodiscard]] std::string_view raw() const { return raw_; }
    [[nodiscard]] uint32_t file_index() const { return file_index_; }
    [[nodiscard]] uint64_t record_index() const { return record_index_; }
    [[nodiscard]] uint64_t identity_serial() const { return identity_serial_; }

    // ---- derived fields (each needs the well-known fields it reads to be requested)
    // eventTime as epoch milliseconds, or 0 when missing or unparsable.
    [[nodiscard]] TimeMs time() const {
        if (!time_known_) {
            time_ = ParseTime();
            time_known_ = true;
        }
        return time_;
    }
    // recipientAccountId, else userIdentity.accountId.
    [[nodiscard]] std::string_view account() const;
    // userIdentity.arn; for AWS services (no arn) the invokedBy value.
    [[nodiscard]] std::string_view actor_arn() const;
    [[nodiscard]] std::string_view access_key_id() const { return Str(kUidAccessKeyId); }
    // True when the call failed (errorCode present and not null).
    [[nodiscard]] bool failed() const;

  private:
    [[nodiscard]] TimeMs ParseTime() const;

    struct Slot {
        uint32_t gen = 0;
        uint32_t begin = 0;
        uint32_t count = 0;
    };
    struct Pending {
        FieldId id;
        Value value;
    };
    std::vector<Slot> slots_;
    std::vector<Value> values_;
    std::vector<Pending> scratch_;
    std::string_view raw_;
    uint32_t gen_ = 0;
    uint32_t file_index_ = 0;
    uint64_t record_index_ = 0;
    uint64_t identity_serial_ = 0;
    std::vector<FieldId> order_;  // ids in arrival order, for regrouping
    mutable TimeMs time_ = 0;
    mutable bool time_known_ = false;
    bool interleaved_ = false;
};

// Inline: the ingest calls it for every value it extracts.
inline uint32_t EventView::Add(FieldId id, const Value& v) {
    Slot& s = slots_[id];
    const auto end = static_cast<uint32_t>(values_.size());
    if (s.gen != gen_) {
        s.gen = gen_;
        s.begin = end;
        s.count = 1;
    } else {
        if (s.begin + s.count != end) interleaved_ = true;
        ++s.count;
    }
    values_.push_back(v);
    order_.push_back(id);
    return end;
}

}  // namespace tw::event
