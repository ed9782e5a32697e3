// `trailwarden audit`: flag parsing only; the work is in src/posture.
#include "posture/audit.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "core/strings.h"
#include "posture/report.h"

namespace tw::cli {

namespace {

struct AuditArgs {
    posture::AuditInputs in;
    std::vector<std::string> allow_idp;
    int max_key_age = 90;
    std::string as_of;
    std::string format;
    std::string output;
    std::string fail_on;
    bool quiet = false;
};

int RunAuditCommand(AuditArgs& a) {
    if (a.in.empty()) {
        return UsageError("audit",
                          "no input: give at least one of --credential-report, --trails, "
                          "--trail-status, --event-selectors, --saml-providers, "
                          "--oidc-providers, --sso-instances, --policies, --policy-targets");
    }
    if (a.format.empty()) a.format = StdoutIsTty() ? "table" : "jsonl";
    posture::ReportFormat format;
    if (!posture::ParseReportFormat(a.format, format)) {
        return UsageError("audit", "--format must be table, jsonl, json or csv");
    }
    if (a.max_key_age < 1) return UsageError("audit", "--max-key-age must be at least 1 day");
    std::optional<findings::Severity> fail_on;
    if (!a.fail_on.empty()) {
        fail_on = findings::ParseSeverity(a.fail_on);
        if (!fail_on) {
            return UsageError("audit", "--fail-on must be info, low, medium, high or critical");
        }
    }
    posture::AuditOptions o;
    o.allowed_idps = a.allow_idp;
    o.have_allowlist = !a.allow_idp.empty();
    o.max_key_age_days = a.max_key_age;
    o.as_of = NowMs();
    if (!a.as_of.empty()) {
        auto t = ParseTimeBound(a.as_of, o.as_of);
        if (!t) return UsageError("audit", "--as-of '" + a.as_of + "': expected ISO 8601 or now");
        o.as_of = *t;
    }
    auto out = OpenOutput(a.output);
    if (!out) return UsageError("audit", out.error().message);
    Diagnostics diag;
    posture::AuditResult result = posture::RunAudit(a.in, o, diag);
    const std::string text = posture::RenderReport(result.findings, format);
    std::fwrite(text.data(), 1, text.size(), *out);
    CloseOutput(*out);
    int by_severity[5] = {0, 0, 0, 0, 0};
    int code = kExitOk;
    for (const auto& f : result.findings) {
        ++by_severity[static_cast<int>(f.severity)];
        if (fail_on && f.severity >= *fail_on) code = kExitFindings;
    }
    if (!a.quiet) {
        std::string counts;
        for (int s = 4; s >= 0; --s) {
            if (by_severity[s] == 0) continue;
            counts += (counts.empty() ? " (" : ", ") + std::to_string(by_severity[s]) + " " +
                      findings::SeverityName(static_cast<findings::Severity>(s));
        }
        if (!counts.empty()) counts += ")";
        std::fprintf(stderr,
                     "trailwarden audit: %zu input(s) read, %zu unusable; %zu check(s) ran; %zu "
                     "finding(s)%s\n",
                     result.inputs_read, result.inputs_failed, result.checks_run.size(),
                     result.findings.size(), counts.c_str());
    }
    return InputExitCode(diag, code);
}

std::string ChecksFooter() {
    std::string s = "\nCHECKS (rule_id, severity, input, source):\n";
    for (const posture::CheckInfo& c : posture::AuditChecks()) {
        s += "  " + std::string(c.rule_id) + " [" + findings::SeverityName(c.severity) + "] " +
             c.title + "\n      needs " + c.input + "\n      source: " + c.source + "\n";
    }
    s += "\nINPUTS are the AWS CLI outputs as printed (JSON), e.g.:\n"
         "  aws iam get-credential-report --query Content --output text | base64 -d > cred.csv\n"
         "  aws cloudtrail describe-trails > trails.json\n"
         "  aws cloudtrail get-trail-status --name org-trail > status-org-trail.json\n"
         "  aws cloudtrail get-event-selectors --trail-name org-trail > selectors-org-trail.json\n"
         "  aws iam list-saml-providers > saml.json; aws iam list-open-id-connect-providers > "
         "oidc.json\n"
         "  aws sso-admin list-instances > sso.json\n"
         "  aws organizations list-policies --filter SERVICE_CONTROL_POLICY > scps.json\n"
         "  aws organizations list-targets-for-policy --policy-id p-abcd1234 > "
         "targets-p-abcd1234.json\n"
         "A file given to the wrong flag, invalid JSON, a truncated or unknown-column report is\n"
         "named on stderr and skipped; the other inputs are still checked (exit code 3).\n"
         "\nEXAMPLES:\n"
         "  trailwarden audit --credential-report cred.csv --max-key-age 90\n"
         "  trailwarden audit --trails trails.json --event-selectors selectors-org-trail.json \\\n"
         "      --trail-status org-trail=status.json --format json -o posture.json\n"
         "  trailwarden audit --saml-providers saml.json --oidc-providers oidc.json \\\n"
         "      --allow-idp arn:aws:iam::111122223333:saml-provider/Okta --fail-on high\n"
         "\nSee docs/audit.md.\n";
    return s;
}

void RegisterAudit(CLI::App& app, std::function<int()>& run) {
    // Shared with the CLI11 callback, which outlives this function.
    auto args = std::make_shared<AuditArgs>();
    CLI::App* cmd = app.add_subcommand(
        "audit",
        "Posture checks from AWS CLI outputs: credential report, trails, identity providers, SCPs");
    cmd->footer(ChecksFooter());
    auto multi = [&](const char* flag, std::vector<std::string>& v, const char* help,
                     const char* type) {
        cmd->add_option(flag, v, help)->type_name(type)->allow_extra_args(false);
    };
    multi("--credential-report", args->in.credential_reports,
          "IAM credential report (decoded CSV, or get-credential-report JSON)", "FILE");
    multi("--trails", args->in.trails, "aws cloudtrail describe-trails output", "FILE");
    multi("--trail-status", args->in.trail_status,
          "aws cloudtrail get-trail-status output (TRAIL=FILE names its trail)", "[TRAIL=]FILE");
    multi("--event-selectors", args->in.event_selectors,
          "aws cloudtrail get-event-selectors output", "FILE");
    multi("--saml-providers", args->in.saml_providers, "aws iam list-saml-providers output",
          "FILE");
    multi("--oidc-providers", args->in.oidc_providers,
          "aws iam list-open-id-connect-providers output", "FILE");
    multi("--sso-instances", args->in.sso_instances, "aws sso-admin list-instances output", "FILE");
    multi("--policies", args->in.policies,
          "aws organizations list-policies (or describe-policy) output", "FILE");
    multi("--policy-targets", args->in.policy_targets,
          "aws organizations list-targets-for-policy output (POLICY_ID=FILE, or p-... in the "
          "file name)",
          "[POLICY_ID=]FILE");
    multi("--allow-idp", args->allow_idp,
          "identity provider ARN (or identity store id) you trust (repeatable)", "ARN");
    cmd->add_option("--max-key-age", args->max_key_age,
                    "flag active access keys older than DAYS (default 90)")
        ->type_name("DAYS");
    cmd->add_option("--as-of", args->as_of, "compute ages as of T (ISO 8601; default now)")
        ->type_name("T");
    cmd->add_option("--format", args->format,
                    "table, jsonl, json or csv (default: table on a terminal, else jsonl)")
        ->type_name("FMT");
    cmd->add_option("--output,-o", args->output, "write the findings to FILE (default stdout)")
        ->type_name("FILE");
    cmd->add_option("--fail-on", args->fail_on, "exit 1 when a finding is at or above L")
        ->type_name("L");
    cmd->add_flag("--quiet,-q", args->quiet, "no summary on stderr");
    cmd->callback([args, &run] { run = [args] { return RunAuditCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(audit, 60, RegisterAudit);

}  // namespace tw::cli
