#include "detect/event_info.h"

#include "core/strings.h"

namespace tw::detect {

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

void CopyText(const event::EventView& ev, event::FieldId id, std::string& out) {
    const auto values = ev.Values(id);
    if (values.empty() || values[0].type == event::ValueType::kNull) {
        out.clear();
        return;
    }
    // A path that ends at an array yields the array's text first, then its elements.
    const event::Value& v =
        values[0].type == event::ValueType::kArray && values.size() > 1 ? values[1] : values[0];
    out.assign(v.text);
}

}  // namespace

void EventInfoExtractor::Extract(const event::EventView& ev, EventInfo& out) const {
    using namespace event;
    CopyText(ev, kEventId, out.event_id);
    CopyText(ev, kEventName, out.event_name);
    CopyText(ev, kEventSource, out.event_source);
    CopyText(ev, kAwsRegion, out.region);
    CopyText(ev, kRecipientAccountId, out.account);
    if (out.account.empty()) CopyText(ev, kUidAccountId, out.account);
    CopyText(ev, kUidArn, out.arn);
    if (out.arn.empty()) CopyText(ev, kUidInvokedBy, out.arn);
    CopyText(ev, kUidType, out.identity_type);
    CopyText(ev, kUidPrincipalId, out.principal_id);
    CopyText(ev, kUidAccessKeyId, out.access_key_id);
    CopyText(ev, kSourceIp, out.source_ip);
    CopyText(ev, kUserAgent, out.user_agent);
    out.extra.resize(extra_.size());
    for (size_t i = 0; i < extra_.size(); ++i) CopyText(ev, extra_[i], out.extra[i]);
}

}  // namespace tw::detect
