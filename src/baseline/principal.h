// Principal keys: one stable name per acting identity, so that behaviour can be learned per
// principal. Role sessions collapse to their role, except Identity Center sessions
// (AWSReservedSSO_*), which are the person named by the session, across accounts and
// permission sets; AWS service calls have no key.
#pragma once

#include <string>
#include <string_view>

#include "event/event_view.h"

namespace tw::baseline {

// The fields PrincipalKey reads; request them in the run's catalog.
void RequestPrincipalFields(event::FieldCatalog& catalog);

// Writes the principal key of `ev` into `out` ("" when the caller is an AWS service or
// unknown). Examples: "arn:aws:iam::1:user/alice", "arn:aws:iam::1:role/ci",
// "sso-user:mallory@example.com", "idc:<userId>".
void PrincipalKey(const event::EventView& ev, std::string& out);

// The last path segment of an ARN ("mallory" for .../assumed-role/R/mallory).
[[nodiscard]] std::string_view ArnLastSegment(std::string_view arn);

}  // namespace tw::baseline
