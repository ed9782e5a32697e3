// Generators of the containment policies of the third-party-IdP playbook
// (../shared/seeds/002_930532da306d1b09.txt, "Mitigating the impact of the event" and
// "Eradication"): the SCPs applied at the organization root or to chosen OUs/accounts, and the
// inline policies put on affected roles and IAM users.
//
// Every SCP exempts the break-glass roles with ArnNotLike on aws:PrincipalArn, so responders
// keep a way in while the organization is locked down. Inputs are checked by the callers
// (CheckBreakGlassRole); the output always passes ValidatePolicy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "response/policy.h"

namespace tw::response {

// scp-deny-all: deny every action (or, with allow_read, every action outside the read-only
// patterns of ReadOnlyActionPatterns) to every principal except the break-glass roles.
[[nodiscard]] Policy DenyAllScp(const std::vector<std::string>& break_glass, bool allow_read);

// scp-revoke-sessions: deny everything to sessions whose aws:TokenIssueTime is before
// `cutoff_iso` (ISO 8601, UTC), break-glass roles excepted.
[[nodiscard]] Policy RevokeSessionsScp(const std::vector<std::string>& break_glass,
                                       std::string_view cutoff_iso);

// scp-deny-new-idp: no new or changed SAML/OIDC providers, no new Identity Center instance,
// no identity-source or external-IdP change, no new SCIM provisioning tenant or token.
[[nodiscard]] Policy DenyNewIdpScp(const std::vector<std::string>& break_glass);

// scp-protect-logging: no stopping, deleting or weakening of CloudTrail, GuardDuty, Config
// and Security Hub.
[[nodiscard]] Policy ProtectLoggingScp(const std::vector<std::string>& break_glass);

// The inline policy the IAM console attaches as AWSRevokeOlderSessions: deny everything to
// sessions of the role issued before `cutoff_iso`.
[[nodiscard]] Policy RoleRevokeOlderSessionsPolicy(std::string_view cutoff_iso);

// The inline deny for IAM users that had static keys: deny everything to temporary
// credentials (GetSessionToken/GetFederationToken) issued before `cutoff_iso`.
[[nodiscard]] Policy UserTokenIssueTimePolicy(std::string_view cutoff_iso);

// Read-only action patterns left allowed by DenyAllScp(allow_read = true) (a NotAction list;
// reads of services not listed are denied too, the safe direction).
[[nodiscard]] const std::vector<std::string>& ReadOnlyActionPatterns();

// Checks a --break-glass-role value: an IAM role ARN (account may be "*"), not a catch-all.
[[nodiscard]] Status CheckBreakGlassRole(std::string_view arn);

// The action lists of the protective SCPs, exposed for `audit` (what "protected" means).
[[nodiscard]] const std::vector<std::string>& NewIdpActions();
[[nodiscard]] const std::vector<std::string>& CloudTrailProtectedActions();
[[nodiscard]] const std::vector<std::string>& GuardDutyProtectedActions();
[[nodiscard]] const std::vector<std::string>& ConfigProtectedActions();
[[nodiscard]] const std::vector<std::string>& SecurityHubProtectedActions();

}  // namespace tw::response
