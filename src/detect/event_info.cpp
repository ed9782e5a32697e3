#include "detect/event_info.h"

#include <algorithm>
#include <cstring>

#include "core/strings.h"

namespace tw::detect {

std::string_view StringStore::Copy(std::string_view s) {
    if (s.empty()) return {};
    if (used_ + s.size() > capacity_) {
        capacity_ = std::max<size_t>(s.size(), 1u << 20);
        blocks_.push_back(std::make_unique<char[]>(capacity_));
        used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, s.data(), s.size());
    used_ += s.size();
    return {at, s.size()};
}

ExtraValue* StringStore::AllocExtras(size_t n) {
    if (extra_used_ + n > extra_capacity_) {
        extra_capacity_ = std::max<size_t>(n, 1u << 14);
        extra_blocks_.push_back(std::make_unique<ExtraValue[]>(extra_capacity_));
        extra_used_ = 0;
    }
    ExtraValue* at = extra_blocks_.back().get() + extra_used_;
    extra_used_ += n;
    return at;
}

const identity::CredentialRef* StringStore::KeepCredential(const identity::CredentialRef& c) {
    if (!creds_.empty()) {
        const identity::CredentialRef& last = creds_.back();
        // Interned views of equal text are equal pointers: compare those.
        auto same = [](std::string_view a, std::string_view b) {
            return a.data() == b.data() && a.size() == b.size();
        };
        if (same(last.type, c.type) && same(last.arn, c.arn) && same(last.key, c.key) &&
            same(last.principal_id, c.principal_id) && same(last.account_id, c.account_id) &&
            same(last.user_name, c.user_name) && same(last.invoked_by, c.invoked_by) &&
            same(last.source_identity, c.source_identity) && same(last.ic_user_id, c.ic_user_id) &&
            same(last.ic_store, c.ic_store) && same(last.idp, c.idp) && same(last.ip, c.ip) &&
            same(last.event_account, c.event_account) && same(last.role_name, c.role_name) &&
            last.time == c.time) {
            return &last;
        }
    }
    creds_.push_back(c);
    return &creds_.back();
}

std::string_view StringStore::Intern(std::string_view s) {
    if (s.empty()) return {};
    if (auto it = seen_.find(s); it != seen_.end()) return *it;
    const std::string_view stored = Copy(s);
    seen_.insert(stored);
    return stored;
}

std::string_view StringStore::Intern(std::string_view s, size_t slot) {
    if (slot >= last_.size()) last_.resize(slot + 1);
    if (last_[slot] == s) return last_[slot];
    last_[slot] = Intern(s);
    return last_[slot];
}

EventInfoExtractor::EventInfoExtractor(event::FieldCatalog& catalog,
                                       const std::vector<std::string>& extra) {
    using namespace event;
    for (FieldId id : {kEventId, kEventName, kEventSource, kAwsRegion, kRecipientAccountId,
                       kUidAccountId, kUidArn, kUidInvokedBy, kUidType, kUidPrincipalId,
                       kUidAccessKeyId, kSourceIp, kUserAgent}) {
        catalog.Request(id);
    }
    for (const std::string& p : extra) extra_.push_back(catalog.Intern(p));
}

namespace {

// The first value of a field ("" when missing or null); for a path that ends at an array (its
// text comes first, then its elements) the first element.
std::string_view FirstText(const event::EventView& ev, event::FieldId id) {
    const auto values = ev.Values(id);
    if (values.empty() || values[0].type == event::ValueType::kNull) return {};
    const event::Value& v =
        values[0].type == event::ValueType::kArray && values.size() > 1 ? values[1] : values[0];
    return v.type == event::ValueType::kNull ? std::string_view() : v.text;
}

// Every value of a field for extra fields: one value as is; several (a path through an array)
// joined with kValueSeparator into `buf`.
std::string_view AllText(const event::EventView& ev, event::FieldId id, std::string& buf) {
    auto values = ev.Values(id);
    if (values.size() <= 1) return FirstText(ev, id);
    // A path ending at an array lists the array first, then its elements.
    if (values[0].type == event::ValueType::kArray && !values[0].in_array)
        values = values.subspan(1);
    if (!values[0].in_array) return FirstText(ev, id);
    buf.clear();
    for (const event::Value& v : values) {
        if (v.type == event::ValueType::kNull || v.type == event::ValueType::kArray) continue;
        if (!buf.empty()) buf.push_back(kValueSeparator);
        buf.append(v.text);
    }
    return buf;
}

}  // namespace

void EventInfoExtractor::Extract(const event::EventView& ev, StringStore& store,
                                 EventInfo& out) const {
    using namespace event;
    auto intern = [&](FieldId id) { return store.Intern(FirstText(ev, id), id); };
    out.event_id = store.Copy(FirstText(ev, kEventId));
    out.event_name = intern(kEventName);
    out.event_source = intern(kEventSource);
    out.region = intern(kAwsRegion);
    out.account = intern(kRecipientAccountId);
    if (out.account.empty()) out.account = intern(kUidAccountId);
    out.arn = intern(kUidArn);
    if (out.arn.empty()) out.arn = intern(kUidInvokedBy);
    out.identity_type = intern(kUidType);
    out.principal_id = intern(kUidPrincipalId);
    out.access_key_id = intern(kUidAccessKeyId);
    out.source_ip = intern(kSourceIp);
    out.user_agent = intern(kUserAgent);
    // Most extra fields belong to other rules and are missing: keep only the values present.
    thread_local std::vector<ExtraValue> found;
    thread_local std::string buf;
    found.clear();
    for (size_t i = 0; i < extra_.size(); ++i) {
        if (!ev.Has(extra_[i])) continue;
        const std::string_view v = AllText(ev, extra_[i], buf);
        if (v.empty()) continue;
        found.push_back({static_cast<uint32_t>(i), store.Intern(v, kWellKnownCount + i)});
    }
    out.extra_count = static_cast<uint32_t>(found.size());
    if (!found.empty()) {
        ExtraValue* dst = store.AllocExtras(found.size());
        std::copy(found.begin(), found.end(), dst);
        out.extras = dst;
    }
}

}  // namespace tw::detect
