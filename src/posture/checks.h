// Posture checks: each reads typed AWS CLI outputs and returns findings in the schema of
// DESIGN.md (source "posture", rule_id "posture.<check>", event_ids empty). The catalogue
// (AuditChecks) names every check, its severity and the source it follows; `audit --help`
// and docs/audit.md print it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "findings/finding.h"
#include "posture/credential_report.h"
#include "posture/inputs.h"

namespace tw::posture {

struct CheckInfo {
    const char* rule_id;
    const char* title;
    findings::Severity severity;
    const char* mitre;
    const char* tactic;
    const char* input;   // the flag it needs
    const char* source;  // the document, Config rule or seed it follows
};

// Every check, in report order.
[[nodiscard]] const std::vector<CheckInfo>& AuditChecks();

struct AuditOptions {
    std::vector<std::string> allowed_idps;  // ARNs (or identity store ids) on the allowlist
    bool have_allowlist = false;            // --allow-idp given at least once
    int max_key_age_days = 90;
    TimeMs as_of = 0;  // "now" of the age computations
};

// Credential report checks.
[[nodiscard]] std::vector<findings::Finding> CheckRootMfa(const std::vector<CredentialRow>& rows,
                                                          const AuditOptions& o);
[[nodiscard]] std::vector<findings::Finding> CheckRootAccessKeys(
    const std::vector<CredentialRow>& rows, const AuditOptions& o);
[[nodiscard]] std::vector<findings::Finding> CheckPasswordWithoutMfa(
    const std::vector<CredentialRow>& rows, const AuditOptions& o);
// Active keys older than max_key_age_days (posture.access-key-old) or never used
// (posture.access-key-unused).
[[nodiscard]] std::vector<findings::Finding> CheckAccessKeys(const std::vector<CredentialRow>& rows,
                                                             const AuditOptions& o);
[[nodiscard]] std::vector<findings::Finding> CheckConsoleUsers(
    const std::vector<CredentialRow>& rows, const AuditOptions& o);

// The logic of the AWS Config rule cloudtrail-security-trail-enabled, per trail
// (posture.trail-security) and for the account (posture.no-security-trail). `selectors` are
// matched to trails by ARN or name.
[[nodiscard]] std::vector<findings::Finding> CheckTrailSecurity(
    const std::vector<Trail>& trails, const std::vector<EventSelectors>& selectors,
    const AuditOptions& o);

// Trails whose get-trail-status says IsLogging false, or that fail to deliver.
[[nodiscard]] std::vector<findings::Finding> CheckTrailLogging(
    const std::vector<Trail>& trails, const std::vector<TrailStatus>& statuses,
    const AuditOptions& o);

// SAML/OIDC providers and Identity Center instances not on the allowlist (or, without an
// allowlist, each one for review at severity info).
[[nodiscard]] std::vector<findings::Finding> CheckIdentityProviders(
    const std::vector<IdentityProvider>& providers, const AuditOptions& o);

// Protective SCPs (logging, GuardDuty, Config, Security Hub, new identity providers) missing
// at the organization root. Only policies with targets are considered.
[[nodiscard]] std::vector<findings::Finding> CheckRootScps(
    const std::vector<OrgPolicy>& policies, const std::vector<PolicyTargets>& targets,
    const AuditOptions& o);

// What a trail records of management events, from its selectors (exposed for tests).
struct ManagementCoverage {
    bool reads = false;
    bool writes = false;
    bool excludes_sources = false;  // some management event sources are left out
};
[[nodiscard]] ManagementCoverage CoverageOf(const EventSelectors& es);

// True when an IAM action pattern (with * and ?) matches `action` (case-insensitive).
[[nodiscard]] bool ActionMatches(std::string_view pattern, std::string_view action);

}  // namespace tw::posture
