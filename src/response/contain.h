// Containment kit: from the options of `trailwarden contain` and the facts of the findings,
// plans every artifact (SCPs, inline policies, apply.sh, PLAYBOOK.md), validates every policy
// before anything is written, then writes the directory.
//
//   IncidentFacts facts;                      // filled by ReadFindingsInto, or empty
//   auto plan = PlanContainment(options, facts);
//   if (plan) WriteContainment(*plan, "out/");
//
// Planning is pure (no I/O, time injected), so the same inputs give byte-identical files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "response/facts.h"
#include "response/validator.h"

namespace tw::response {

struct ContainOptions {
    std::vector<std::string> break_glass_roles;  // at least one (deny-all needs an exemption)
    std::string token_issue_time = "now";        // ISO 8601 or "now"
    bool allow_read = false;                     // deny-all denies only non-read actions
    std::vector<std::string> targets;            // root | r-... | ou-... | account id
    size_t scp_max_characters = kScpMaxCharacters;
    TimeMs now = 0;                           // the time "now" means
    std::vector<std::string> findings_files;  // for the playbook's header
};

enum class ArtifactKind { kScp, kRoleInlinePolicy, kUserInlinePolicy, kScript, kPlaybook };

struct Artifact {
    ArtifactKind kind = ArtifactKind::kScp;
    std::string file;  // name inside the output directory
    std::string content;
    std::string policy_name;             // SCP name in Organizations / inline policy name
    std::string description;             // SCP description
    std::vector<std::string> attach_to;  // SCP targets ("root" = the organization root)
};

struct ContainPlan {
    std::string cutoff_iso;  // aws:TokenIssueTime cut-off
    std::vector<Artifact> artifacts;
    std::vector<std::string> notes;  // minified/split policies, skipped names, ...
};

// Checks a --target value: root, r-xxxx, ou-xxxx-yyyyyyyy or a 12-digit account id.
[[nodiscard]] Status CheckTarget(std::string_view target);

// Plans and validates every artifact. Fails (kInvalidArgument) on bad options or a policy
// that cannot fit, (kInternal) when a generated policy fails validation.
[[nodiscard]] Result<ContainPlan> PlanContainment(const ContainOptions& options,
                                                  const IncidentFacts& facts);

// Writes the plan's files into `dir` (created when missing; apply.sh made executable).
[[nodiscard]] Status WriteContainment(const ContainPlan& plan, const std::string& dir);

// True for a name IAM accepts for a user or role ([A-Za-z0-9+=,.@_-], 1 to 64 characters).
[[nodiscard]] bool IsIamName(std::string_view name);

// True for the SAML provider IAM Identity Center creates in each account it assigns
// (saml-provider/AWSSSO_<id>_DO_NOT_DELETE): it belongs to Identity Center, not to an actor.
[[nodiscard]] bool IsIdentityCenterSamlProvider(std::string_view arn);

// `s` quoted for /bin/sh (single quotes).
[[nodiscard]] std::string ShellQuote(std::string_view s);

// The shell script and the playbook (contain.cpp builds them from the planned policies).
[[nodiscard]] std::string RenderApplyScript(const ContainPlan& plan, const IncidentFacts& facts,
                                            const ContainOptions& options);
[[nodiscard]] std::string RenderPlaybook(const ContainPlan& plan, const IncidentFacts& facts,
                                         const ContainOptions& options);

}  // namespace tw::response
