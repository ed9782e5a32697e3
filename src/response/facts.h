// Incident facts: what the findings of `hunt` (or any producer of the findings schema) say
// about an intrusion, gathered for the containment kit: the actors, the accounts, the
// identity providers and Identity Center objects, the IAM users, access keys, roles and
// federated users involved.
//
// Facts are read from every part of a finding, so that a producer does not have to know this
// module: actor (arn, type, user_name, access_key_id, root, source_ips), accounts,
// event_names, summary, and evidence, walked recursively. In evidence, values are recognised
// by shape (ARNs of SAML/OIDC providers, roles, users, sessions, Identity Center instances and
// permission sets; AKIA/ASIA access key ids; d-xxxxxxxxxx identity store ids) whatever their
// key, and by key for plain names (docs/contain.md lists the keys: user_name, sso_user_name,
// federated_user, role_name, access_key_id, target_accounts, event_source, ...).
//
// All collections are sorted and de-duplicated, so the output is deterministic.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/time.h"
#include "findings/finding.h"

namespace tw::response {

// An IAM user (or role) named with its account ("" when the findings do not say).
struct AccountName {
    std::string account;
    std::string name;
    auto operator<=>(const AccountName&) const = default;
};

struct ActorFact {
    std::string arn;
    std::string type;
    std::string user_name;
    std::set<std::string> access_key_ids;
    std::set<std::string> source_ips;
    std::set<std::string> rule_ids;
    TimeMs first_seen = 0;
    TimeMs last_seen = 0;
};

struct IncidentFacts {
    size_t findings = 0;
    // rule_id -> "severity: title" of the findings read (for the playbook's summary).
    std::map<std::string, std::string> rules;
    std::map<std::string, ActorFact> actors;  // by actor ARN
    std::set<std::string> accounts;
    std::set<std::string> regions;
    std::set<std::string> event_names;
    std::set<std::string> saml_providers;         // ARNs
    std::set<std::string> oidc_providers;         // ARNs
    std::set<std::string> sso_instances;          // ARNs
    std::set<std::string> identity_store_ids;     // d-xxxxxxxxxx
    std::set<std::string> permission_sets;        // ARNs
    std::set<std::string> identity_center_users;  // user names or ids in the identity store
    std::set<AccountName> iam_users;
    std::set<AccountName> users_with_static_keys;    // IAM users to get the token-time deny
    std::map<std::string, AccountName> static_keys;  // AKIA... -> owner (may be unknown)
    std::set<std::string> temporary_keys;            // ASIA...
    std::set<AccountName> roles;                     // roles whose sessions must be revoked
    std::set<AccountName> sso_roles;                 // AWSReservedSSO_* roles (not editable)
    std::set<std::string> federated_users;           // GetFederationToken names
    std::set<std::string> root_accounts;             // accounts whose root user acted
    std::set<std::string> chain_roots;               // actor.root: where credential chains start
    std::set<std::string> event_ids;                 // of every finding read
    size_t log_events = 0;                           // events resolved in the logs (--logs)
    size_t findings_left_out = 0;                    // below --min-severity, by other actors
    std::string min_severity;                        // the --min-severity used
    TimeMs first_seen = 0;
    TimeMs last_seen = 0;

    [[nodiscard]] bool empty() const { return findings == 0; }
};

// Adds what `f` says to `facts`.
void AddFinding(const findings::Finding& f, IncidentFacts& facts);

// Adds what one CloudTrail event says (its requestParameters/responseElements, given as
// `event_json` = {"eventSource": ..., "requestParameters": ..., "responseElements": ...}) to
// `facts`; `account` is the event's recipient account.
void AddEventFacts(std::string_view event_json, std::string_view account,
                   std::string_view event_name, IncidentFacts& facts);

// Appends the findings of a JSON Lines file to `out`; a bad line is reported to `diag` with
// the file and line and skipped. Returns false when the file cannot be opened at all.
[[nodiscard]] bool ReadFindingLines(const std::string& path, std::vector<findings::Finding>& out,
                                    Diagnostics& diag);

// The findings that describe the intrusion: every finding at or above `min`, plus the lower
// ones whose actor (or chain root) is the actor of one of those. Service-linked roles
// (AWSServiceRoleFor*) never make an actor of interest. `left_out` gets the count of the rest.
// Pointers into `all`.
[[nodiscard]] std::vector<const findings::Finding*> SelectIncidentFindings(
    const std::vector<findings::Finding>& all, findings::Severity min, size_t* left_out);

// True for a service-linked role or its session (AWSServiceRoleFor*, aws-service-role/).
[[nodiscard]] bool IsServiceLinkedRoleArn(std::string_view arn);

// ReadFindingLines + AddFinding for every finding (no selection).
[[nodiscard]] bool ReadFindingsInto(const std::string& path, IncidentFacts& facts,
                                    Diagnostics& diag);

// The 12-digit account of an ARN ("" when none).
[[nodiscard]] std::string ArnAccount(std::string_view arn);

}  // namespace tw::response
