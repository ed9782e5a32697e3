// `trailwarden audit`: reads the AWS CLI outputs given on the command line, runs every check
// whose inputs are there, and returns the findings in a deterministic order.
//
// A bad input (unreadable, not JSON, the wrong command's output, a truncated credential
// report, unknown columns) is reported to the Diagnostics sink with its path, and the run goes
// on with the other inputs; the CLI turns any such loss into exit code 3.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "findings/finding.h"
#include "posture/checks.h"

namespace tw::posture {

struct AuditInputs {
    std::vector<std::string> credential_reports;  // CSV or get-credential-report JSON
    std::vector<std::string> trails;              // describe-trails
    std::vector<std::string> trail_status;        // [TRAIL=]FILE of get-trail-status
    std::vector<std::string> event_selectors;     // get-event-selectors
    std::vector<std::string> saml_providers;
    std::vector<std::string> oidc_providers;
    std::vector<std::string> sso_instances;
    std::vector<std::string> policies;        // list-policies / describe-policy
    std::vector<std::string> policy_targets;  // [POLICY_ID=]FILE of list-targets-for-policy

    [[nodiscard]] bool empty() const;
};

struct AuditResult {
    std::vector<findings::Finding> findings;
    std::vector<std::string> checks_run;  // rule ids of the checks that had their inputs
    size_t inputs_read = 0;
    size_t inputs_failed = 0;
};

// Runs the audit. Never fails as a whole; problems go to `diag`.
[[nodiscard]] AuditResult RunAudit(const AuditInputs& inputs, const AuditOptions& options,
                                   Diagnostics& diag);

// Splits "NAME=FILE" (when FILE... does not exist as given) into {NAME, FILE}.
[[nodiscard]] std::pair<std::string, std::string> SplitNamedInput(const std::string& arg);

}  // namespace tw::posture
