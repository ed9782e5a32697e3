#include "baseline/principal.h"

namespace tw::baseline {

using namespace event;

void RequestPrincipalFields(FieldCatalog& catalog) {
    for (FieldId id :
         {kUidType, kUidArn, kUidInvokedBy, kIssuerArn, kOnBehalfOfUserId, kUidUserName}) {
        catalog.Request(id);
    }
}

std::string_view ArnLastSegment(std::string_view arn) {
    const size_t slash = arn.rfind('/');
    return slash == std::string_view::npos ? arn : arn.substr(slash + 1);
}

void PrincipalKey(const EventView& ev, std::string& out) {
    out.clear();
    const std::string_view type = ev.Str(kUidType);
    const std::string_view arn = ev.Str(kUidArn);
    if (type == "AWSService" || type == "AWSAccount" || !ev.Str(kUidInvokedBy).empty()) return;
    if (type == "AssumedRole") {
        const std::string_view issuer = ev.Str(kIssuerArn);
        if (issuer.empty()) {
            out.assign(arn);
            return;
        }
        // Identity Center sessions are the person (the session name), whatever the account and
        // permission set: a known person in another account is not a new principal.
        if (issuer.find("AWSReservedSSO_") != std::string_view::npos) {
            out.assign("sso-user:");
            out.append(ArnLastSegment(arn));
            return;
        }
        out.assign(issuer);
        return;
    }
    if (type == "IdentityCenterUser" || type == "Unknown" || arn.empty()) {
        const std::string_view user_id = ev.Str(kOnBehalfOfUserId);
        const std::string_view name = ev.Str(kUidUserName);
        if (!user_id.empty()) {
            out.assign("idc:");
            out.append(user_id);
        } else if (!name.empty()) {
            out.assign("user:");
            out.append(name);
        } else if (!arn.empty()) {
            out.assign(arn);
        }
        return;
    }
    out.assign(arn);
}

}  // namespace tw::baseline
