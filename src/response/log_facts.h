// Facts from the logs: the findings name their events (event_ids); reading those events in the
// CloudTrail logs gives the identities they created or used even when a rule put nothing in
// its evidence (a SigmaHQ rule, say): the SAML/OIDC provider of CreateSAMLProvider, the user
// and key of CreateUser/CreateAccessKey, the federated user of GetFederationToken, the role of
// CreateRole/AttachRolePolicy, the accounts and permission set of CreateAccountAssignment.
// Only requestParameters, responseElements and eventSource of events that succeeded are read.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "response/facts.h"

namespace tw::response {

struct LogFactsStats {
    uint64_t events_read = 0;   // events in the logs
    size_t events_matched = 0;  // of them, events a finding names
};

// Reads `paths` (files, directories, globs; every CloudTrail format) on `threads` workers and
// adds the facts of the events in `facts.event_ids`. Fails when no input can be found.
[[nodiscard]] Result<LogFactsStats> AddFactsFromLogs(const std::vector<std::string>& paths,
                                                     unsigned threads, IncidentFacts& facts,
                                                     Diagnostics& diag);

}  // namespace tw::response
