// SCIM provisioning by an external identity provider: the records IAM Identity Center logs
// (event source identitystore-scim.amazonaws.com) when an IdP such as Okta or Entra ID creates
// users and patches users and groups through the instance's SCIM endpoint.
//
// Shapes follow AWS's "Logging IAM Identity Center SCIM API calls with AWS CloudTrail": the
// caller is the IdP's SCIM access token, userIdentity {type WebIdentityUser, accountId,
// accessKeyId}; eventVersion 1.10; the body sits in requestParameters.httpBody next to the
// endpoint's tenantId (and the resource id for patches); every personal value is logged as
// "HIDDEN_DUE_TO_SECURITY_REASONS", so CreateUser shows the new user's id but not its name,
// and a group patch does not show which member it adds. Choices where AWS's examples mask a
// value ("xxxx"): the access token id is a UUID, the tenant id 11 alphanumerics and a UUID,
// the IdP address one of 203.0.113.230-249, successful patches have null responseElements.
//
// Thread-safety: pure functions; the buffer and Rng are the caller's.
#pragma once

#include <string_view>

#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/random.h"

namespace tw::simulate {

// Makes `org`'s identity source an external IdP with SCIM provisioning: people sign in
// through it and its SCIM client gets a tenant id, token and address derived from `seed`.
void UseExternalIdp(Org& org, uint64_t seed);

// The IdP's SCIM client (needs UseExternalIdp).
[[nodiscard]] Actor ScimActor(const Org& org);

// The string labels.jsonl gives as the SCIM client's principal.
[[nodiscard]] std::string ScimPrincipal(const Org& org);

// SCIM calls, logged in the management account in Identity Center's region. `event_id` ""
// means a random one.
void WriteScimCreateUser(const Plan& plan, TimeMs t, std::string_view user_id,
                         std::string_view event_id, JsonBuf& b, Rng& rng);
// PatchGroup adding one member (which one is hidden).
void WriteScimAddGroupMember(const Plan& plan, TimeMs t, std::string_view group_id,
                             std::string_view event_id, JsonBuf& b, Rng& rng);
// PatchUser replacing one attribute (`path`: "title", "displayName", ...).
void WriteScimPatchUser(const Plan& plan, TimeMs t, std::string_view user_id, std::string_view path,
                        std::string_view event_id, JsonBuf& b, Rng& rng);

// Attributes the IdP's routine updates change (PatchUser paths), for the background.
inline constexpr std::string_view kScimUpdatePaths[] = {"title", "displayName", "name.familyName",
                                                        "phoneNumbers"};

}  // namespace tw::simulate
