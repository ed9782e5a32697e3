// Records of Identity Center sessions and CI runs, shared by the background plan and the
// scenarios: the access-portal sign-in (CredentialChallenge, CredentialVerification,
// UserAuthentication, Authenticate, ListAccounts), Federate or GetRoleCredentials, the
// AssumeRoleWithSAML Identity Center makes in the member account, the ConsoleLogin that
// follows; the CI runner's cross-account AssumeRole (logged in both accounts under one
// sharedEventID); and scenario records, copied as rendered.
//
// Thread-safety: pure functions of an immutable Plan; the buffer and Rng are the caller's.
#pragma once

#include <string>
#include <string_view>

#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/random.h"

namespace tw::simulate {

// Everything the records of one Identity Center session show.
struct SsoSession {
    uint32_t account = 0;  // where the role session works
    std::string user_name, user_id;
    std::string permission_set;  // name, as in the role name
    std::string role_name, role_id;
    int64_t duration_s = 3600;
    std::string access_key, credential_id, auth_workflow, saml_assertion;
    std::string source_ip, browser_ua, cli_ua;
    bool console = true;
    bool mfa = true;   // sign-in with password and TOTP (else password only)
    TimeMs start = 0;  // role session creation
};

// Portal sign-in steps, in order. When the org's identity source is an external IdP
// (Org::external_idp) the sign-in starts at kUserAuthentication (CredentialType EXTERNAL_IDP):
// the IdP checks the credentials, Identity Center issues no challenge.
enum SignInStep : uint8_t {
    kChallengePassword,
    kVerifyPassword,
    kChallengeTotp,
    kVerifyTotp,
    kUserAuthentication,
    kAuthenticate,
    kPortalListAccounts,
    kSignInSteps
};

[[nodiscard]] SsoSession SsoSessionOf(const Plan& plan, const HumanSession& s);
// The AWSReservedSSO_* role session actor of `s`.
[[nodiscard]] Actor SsoRoleActor(const Plan& plan, const SsoSession& s);

// Each writer appends one record; `event_id` "" means a random one.
void WriteSignIn(const Plan& plan, const SsoSession& s, SignInStep step, TimeMs t,
                 std::string_view event_id, JsonBuf& b, Rng& rng);
void WriteRoleCredentials(const Plan& plan, const SsoSession& s, TimeMs t,
                          std::string_view event_id, JsonBuf& b, Rng& rng);
void WriteSamlAssume(const Plan& plan, const SsoSession& s, TimeMs t, std::string_view event_id,
                     JsonBuf& b, Rng& rng);
void WriteConsoleLogin(const Plan& plan, const SsoSession& s, TimeMs t, std::string_view event_id,
                       JsonBuf& b, Rng& rng);

// Appends the record of `item` to `out` with `event_id` ("" = random; scenario records keep
// their own).
void RenderItem(const Plan& plan, const PlanItem& item, JsonBuf& out, Rng& rng,
                std::string_view event_id = {});

// Appends a realistic-length STS session token (quoted).
void WriteSessionToken(JsonBuf& b, Rng& rng);

// "https://portal.sso.<region>.amazonaws.com/saml/assertion/<id>" of the org's instance.
[[nodiscard]] std::string SamlIssuer(const Plan& plan);

// Seconds of an ISO 8601 duration such as "PT12H" or "PT30M".
[[nodiscard]] int64_t DurationSeconds(std::string_view iso);

}  // namespace tw::simulate
