#include "event/event_view.h"

namespace tw::event {

void EventView::Reset(const FieldCatalog* catalog) {
    if (slots_.size() < catalog->size()) slots_.resize(catalog->size());
    if (++gen_ == 0) {
        // Generation wrapped: clear stale slots once every 2^32 records.
        for (Slot& s : slots_) s.gen = 0;
        gen_ = 1;
    }
    values_.clear();
    order_.clear();
    interleaved_ = false;
    time_known_ = false;
    raw_ = {};
    identity_serial_ = 0;
}

void EventView::Finish() {
    if (!interleaved_) return;
    // Stable regroup: the values of each field become contiguous, fields in order of first
    // arrival, values of one field in arrival order.
    scratch_.clear();
    for (size_t i = 0; i < values_.size(); ++i) scratch_.push_back({order_[i], values_[i]});
    for (const Pending& p : scratch_) slots_[p.id].begin = UINT32_MAX;
    uint32_t offset = 0;
    for (const Pending& p : scratch_) {
        Slot& s = slots_[p.id];
        if (s.begin == UINT32_MAX) {
            s.begin = offset;
            offset += s.count;
        }
    }
    // Place, using begin as a write cursor, then walk the cursors back.
    for (const Pending& p : scratch_) values_[slots_[p.id].begin++] = p.value;
    for (const Pending& p : scratch_) --slots_[p.id].begin;
    interleaved_ = false;
}

TimeMs EventView::ParseTime() const {
    const Value* v = First(kEventTime);
    if (v == nullptr || v->type != ValueType::kString) return 0;
    return ParseIsoTime(v->text).value_or(0);
}

std::string_view EventView::account() const {
    std::string_view a = Text(kRecipientAccountId);
    return a.empty() ? Text(kUidAccountId) : a;
}

std::string_view EventView::actor_arn() const {
    std::string_view a = Str(kUidArn);
    return a.empty() ? Str(kUidInvokedBy) : a;
}

bool EventView::failed() const {
    const Value* v = First(kErrorCode);
    return v != nullptr && v->type != ValueType::kNull && !v->text.empty();
}

}  // namespace tw::event
