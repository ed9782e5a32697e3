// Rendering of planned records: the access-portal sign-in of a session (CredentialChallenge,
// CredentialVerification, UserAuthentication, Authenticate, ListAccounts), its Federate or
// GetRoleCredentials, the AssumeRoleWithSAML that Identity Center makes in the member account
// and the ConsoleLogin that follows; the CI runner's cross-account AssumeRole (logged in both
// accounts under one sharedEventID); and scenario records, copied as rendered.
//
// Thread-safety: pure functions of an immutable Plan; the buffer and Rng are the caller's.
#pragma once

#include <string>
#include <string_view>

#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/random.h"

namespace tw::simulate {

// Appends the record of `item` to `out`.
void RenderItem(const Plan& plan, const PlanItem& item, JsonBuf& out, Rng& rng);

// Appends a realistic-length STS session token (quoted).
void WriteSessionToken(JsonBuf& b, Rng& rng);

// "https://portal.sso.<region>.amazonaws.com/saml/assertion/<id>" of the org's instance.
[[nodiscard]] std::string SamlIssuer(const Plan& plan);

// Seconds of an ISO 8601 duration such as "PT12H" or "PT30M".
[[nodiscard]] int64_t DurationSeconds(std::string_view iso);

}  // namespace tw::simulate
