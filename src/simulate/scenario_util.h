// Building blocks of the scenarios: calls of catalog APIs by a scenario actor, the portal
// sign-in and role access of an Identity Center session, and the IAM, STS, CloudTrail and
// Identity Center writes the scenarios make, each with its real request/response shape.
//
// Thread-safety: planning runs on one thread; these functions write into an Emitter.
#pragma once

#include <string>
#include <string_view>

#include "simulate/api.h"
#include "simulate/identity.h"
#include "simulate/planned.h"
#include "simulate/scenarios.h"

namespace tw::simulate {

// A Call of `svc` by `actor` with the service's eventVersion, host and SDK id.
[[nodiscard]] Call ServiceCall(const Actor& actor, TimeMs t, Svc svc, std::string_view source,
                               std::string_view name, std::string_view region, bool read_only,
                               std::string_view cli = {});
// A stable host string for `svc` in `region` (lives as long as the process).
[[nodiscard]] std::string_view StableHost(Svc svc, std::string_view region);
[[nodiscard]] uint32_t RegionIndex(const Org& org, std::string_view region);

// A call of the catalog API `api_name` (e.g. "ListUsers") with its usual request.
std::string EmitApi(Emitter& e, const Actor& actor, uint32_t account, std::string_view region,
                    TimeMs t, std::string_view api_name, std::string_view principal);

// The portal sign-in of `s` ending at `t` (CredentialChallenge ... Authenticate, ListAccounts).
void EmitPortalSignIn(Emitter& e, const SsoSession& s, TimeMs t);
// Federate or GetRoleCredentials, AssumeRoleWithSAML and (console) ConsoleLogin at `t`;
// returns the role session actor.
Actor EmitRoleAccess(Emitter& e, const SsoSession& s, TimeMs t);

// An attacker-side IAM user actor with a long-lived key.
[[nodiscard]] Actor IamUserActor(const Account& a, std::string_view name, std::string_view id,
                                 std::string_view key, std::string_view ip, std::string_view ua,
                                 UaStyle style);

// IAM writes. Each returns the eventID.
std::string EmitIamCreateUser(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                              std::string_view user, std::string_view user_id,
                              std::string_view principal);
std::string EmitCreateAccessKey(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                std::string_view user, std::string_view key,
                                std::string_view principal);
std::string EmitCreateRole(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                           std::string_view role, std::string_view role_id, std::string_view path,
                           std::string_view trust_policy, std::string_view principal);
std::string EmitAttachRolePolicy(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                 std::string_view role, std::string_view policy_arn,
                                 std::string_view principal);

// CloudTrail writes in `account`'s home region.
std::string EmitPutEventSelectors(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                  std::string_view trail, bool management,
                                  std::string_view read_write, bool data_events,
                                  std::string_view principal);
std::string EmitUpdateTrail(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                            std::string_view trail, std::string_view bucket, bool multi_region,
                            std::string_view principal);

// The Identity Center account assignment and, in the member account, the role Identity Center
// provisions for it (CreateRole and AttachRolePolicy by AWSServiceRoleForSSO).
std::string EmitCreateAccountAssignment(Emitter& e, const Actor& actor, TimeMs t, uint32_t target,
                                        std::string_view permission_set_arn,
                                        std::string_view principal_type,
                                        std::string_view principal_id, std::string_view principal);
void EmitSsoProvisioning(Emitter& e, uint32_t target, TimeMs t, std::string_view role_name,
                         std::string_view role_id, std::string_view managed_policy_arn);

// A call with the given raw request and response JSON, in `account`'s home-region file
// (or `region` when set).
std::string EmitSimple(Emitter& e, const Actor& actor, uint32_t account, TimeMs t, Svc svc,
                       std::string_view source, std::string_view name, bool read_only,
                       std::string_view request, std::string_view response,
                       std::string_view principal, std::string_view host = {},
                       std::string_view region = {});

// Identity Center writes (management account, home region).
std::string EmitStoreCreateUser(Emitter& e, const Actor& actor, TimeMs t, std::string_view user_id,
                                std::string_view created_by, std::string_view principal);
std::string EmitStoreAddMember(Emitter& e, const Actor& actor, TimeMs t, std::string_view group_id,
                               std::string_view user_id, std::string_view principal);
std::string EmitCreatePermissionSet(Emitter& e, const Actor& actor, TimeMs t, std::string_view name,
                                    std::string_view arn, std::string_view description,
                                    std::string_view duration, std::string_view principal);
std::string EmitAttachManagedPolicyToPermissionSet(Emitter& e, const Actor& actor, TimeMs t,
                                                   std::string_view ps_arn,
                                                   std::string_view policy_arn,
                                                   std::string_view principal);

// The minute `m` after `t0`, plus `s` seconds.
[[nodiscard]] inline TimeMs After(TimeMs t0, int m, int s = 0) {
    return t0 + (static_cast<TimeMs>(m) * 60 + s) * 1000;
}

}  // namespace tw::simulate
