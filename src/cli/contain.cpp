// `trailwarden contain`: flag parsing only; the work is in src/response.
#include "response/contain.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "core/strings.h"
#include "response/log_facts.h"

namespace tw::cli {

namespace {

struct ContainArgs {
    response::ContainOptions o;
    std::string out_dir;
    std::vector<std::string> logs;
    std::string min_severity = "medium";
    unsigned threads = 0;
    bool quiet = false;
};

int RunContainCommand(ContainArgs& a) {
    if (a.out_dir.empty()) return UsageError("contain", "--out DIR is required");
    if (a.o.break_glass_roles.empty()) {
        return UsageError("contain",
                          "refusing to write a deny-all SCP without a break-glass exemption: give "
                          "at least one --break-glass-role ARN (a role that must keep access)");
    }
    auto min = findings::ParseSeverity(a.min_severity);
    if (!min) {
        return UsageError("contain", "--min-severity must be info, low, medium, high or critical");
    }
    Diagnostics diag;
    response::IncidentFacts facts;
    std::vector<findings::Finding> all;
    for (const std::string& path : a.o.findings_files) {
        (void)response::ReadFindingLines(path, all, diag);
    }
    for (const findings::Finding* f :
         response::SelectIncidentFindings(all, *min, &facts.findings_left_out)) {
        response::AddFinding(*f, facts);
    }
    facts.min_severity = findings::SeverityName(*min);
    std::string from_logs;
    if (!a.logs.empty()) {
        if (facts.event_ids.empty()) {
            std::fprintf(stderr,
                         "trailwarden contain: note: --logs given but the findings name no "
                         "event ids; the logs were not read\n");
        } else {
            auto stats = response::AddFactsFromLogs(a.logs, a.threads, facts, diag);
            if (!stats) return UsageError("contain", stats.error().message);
            from_logs = "; " + std::to_string(stats->events_matched) + " of their " +
                        std::to_string(facts.event_ids.size()) + " events found in " +
                        WithThousands(stats->events_read) + " logged events";
        }
    }
    a.o.now = NowMs();
    auto plan = response::PlanContainment(a.o, facts);
    if (!plan) {
        if (plan.error().code == ErrorCode::kInvalidArgument) {
            return UsageError("contain", plan.error().message);
        }
        std::fprintf(stderr, "trailwarden contain: internal error: %s\n",
                     plan.error().message.c_str());
        return kExitUsage;
    }
    if (Status s = response::WriteContainment(*plan, a.out_dir); !s) {
        std::fprintf(stderr, "trailwarden contain: %s\n", s.error().message.c_str());
        return kExitInputLost;
    }
    for (const std::string& n : plan->notes) {
        std::fprintf(stderr, "trailwarden contain: note: %s\n", n.c_str());
    }
    if (!a.quiet) {
        size_t scps = 0, inline_policies = 0;
        for (const auto& art : plan->artifacts) {
            scps += art.kind == response::ArtifactKind::kScp ? 1 : 0;
            inline_policies += (art.kind == response::ArtifactKind::kRoleInlinePolicy ||
                                art.kind == response::ArtifactKind::kUserInlinePolicy)
                                   ? 1
                                   : 0;
        }
        std::fprintf(stderr,
                     "trailwarden contain: wrote %zu SCP(s), %zu inline polic%s, apply.sh and "
                     "PLAYBOOK.md to %s (cut-off %s; %zu finding(s)%s, %zu actor(s), %zu "
                     "account(s)); nothing was applied\n",
                     scps, inline_policies, inline_policies == 1 ? "y" : "ies", a.out_dir.c_str(),
                     plan->cutoff_iso.c_str(), facts.findings, from_logs.c_str(),
                     facts.actors.size(), facts.accounts.size());
    }
    return InputExitCode(diag);
}

void RegisterContain(CLI::App& app, std::function<int()>& run) {
    // Shared with the CLI11 callback, which outlives this function.
    auto args = std::make_shared<ContainArgs>();
    CLI::App* cmd = app.add_subcommand(
        "contain",
        "Write the containment kit: SCPs, inline revocation policies, apply.sh and PLAYBOOK.md");
    cmd->footer(
        "\nWRITES (into --out DIR; every policy is validated first, nothing is applied):\n"
        "  scp-deny-all.json          deny every action (non-read with --allow-read) except the\n"
        "                             break-glass roles; attached to each --target\n"
        "  scp-revoke-sessions.json   deny sessions whose aws:TokenIssueTime is before the "
        "cut-off\n"
        "  scp-deny-new-idp.json      no new/changed SAML or OIDC providers, Identity Center\n"
        "                             instances or identity sources\n"
        "  scp-protect-logging.json   no stopping/deleting/weakening CloudTrail, GuardDuty,\n"
        "                             Config, Security Hub\n"
        "  iam-role-revoke-older-sessions.json  AWSRevokeOlderSessions for roles the findings "
        "name\n"
        "  iam-user-token-issue-time.json       token-issue-time deny for IAM users with keys\n"
        "  apply.sh                   AWS CLI commands (a dry run unless TW_APPLY=yes)\n"
        "  PLAYBOOK.md                the ordered steps, filled with the findings' facts\n"
        "\nSOURCE: AWS Security Blog, 'Unauthorized tactic spotlight: initial access through a\n"
        "third-party identity provider' (../shared/seeds/002_*); see docs/contain.md.\n"
        "\nEXAMPLES:\n"
        "  trailwarden contain --out kit --break-glass-role "
        "arn:aws:iam::111122223333:role/BreakGlass\n"
        "  trailwarden hunt logs/ > findings.jsonl\n"
        "  trailwarden contain --out kit --from-findings findings.jsonl --logs logs/ \\\n"
        "      --break-glass-role arn:aws:iam::*:role/IR-BreakGlass --token-issue-time now \\\n"
        "      --target ou-ab12-cdef3456 --allow-read\n");
    cmd->add_option("--out,-o", args->out_dir, "directory to write (created when missing)")
        ->type_name("DIR");
    cmd->add_option("--break-glass-role", args->o.break_glass_roles,
                    "role ARN exempted from every SCP (repeatable; at least one; the account "
                    "may be *)")
        ->type_name("ARN")
        ->allow_extra_args(false);
    cmd->add_option("--token-issue-time", args->o.token_issue_time,
                    "revoke sessions issued before T (ISO 8601, e.g. 2024-06-20T21:55:34Z, or "
                    "now; default now)")
        ->type_name("T");
    cmd->add_flag("--allow-read", args->o.allow_read,
                  "deny-all denies only non-read actions (Describe/Get/List... stay allowed)");
    cmd->add_option("--target", args->o.targets,
                    "where scp-deny-all is attached: root, r-..., ou-..., or an account id "
                    "(repeatable; default root)")
        ->type_name("T")
        ->allow_extra_args(false);
    cmd->add_option("--from-findings", args->o.findings_files,
                    "findings (JSON Lines, e.g. from hunt) naming the actor, IdPs, users, keys "
                    "and roles (repeatable)")
        ->type_name("FILE")
        ->allow_extra_args(false);
    cmd->add_option("--min-severity", args->min_severity,
                    "findings at or above L name the actors; lower ones count only when they "
                    "are by those actors (default medium)")
        ->type_name("L");
    cmd->add_option("--logs", args->logs,
                    "CloudTrail logs the findings came from: the events they name are read "
                    "for the users, keys, roles and identity providers involved (repeatable)")
        ->type_name("PATH")
        ->allow_extra_args(false);
    cmd->add_option("--threads,-j", args->threads, "threads reading --logs (default: all cores)")
        ->type_name("N");
    cmd->add_option("--scp-size-limit", args->o.scp_max_characters,
                    "maximum SCP size in characters (default 5120, the Organizations quota)")
        ->type_name("N");
    cmd->add_flag("--quiet,-q", args->quiet, "no summary on stderr");
    cmd->callback([args, &run] { run = [args] { return RunContainCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(contain, 50, RegisterContain);

}  // namespace tw::cli
