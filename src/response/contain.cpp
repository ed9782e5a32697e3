#include "response/contain.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/strings.h"
#include "response/fit.h"
#include "response/generators.h"

namespace tw::response {

namespace {

bool AllOf(std::string_view s, bool (*pred)(char)) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!pred(c)) return false;
    }
    return true;
}

bool LowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }

struct ScpSpec {
    std::string stem;  // file stem, e.g. "scp-deny-all"
    std::string name;  // policy name in Organizations
    std::string description;
    Policy policy;
    std::vector<std::string> attach_to;
};

Status AddScp(const ScpSpec& spec, size_t limit, ContainPlan& plan) {
    auto fitted = FitScp(spec.policy, limit);
    if (!fitted) {
        return MakeError(fitted.error().code, spec.stem + ": " + fitted.error().message);
    }
    const size_t n = fitted->documents.size();
    for (size_t i = 0; i < n; ++i) {
        Artifact a;
        a.kind = ArtifactKind::kScp;
        const std::string suffix = n > 1 ? "-" + std::to_string(i + 1) : "";
        a.file = spec.stem + suffix + ".json";
        a.policy_name = spec.name + suffix;
        a.description =
            spec.description +
            (n > 1 ? " (part " + std::to_string(i + 1) + " of " + std::to_string(n) + ")" : "");
        a.content = std::move(fitted->documents[i]);
        a.attach_to = spec.attach_to;
        ValidationOptions vo;
        vo.kind = PolicyKind::kServiceControlPolicy;
        vo.max_characters = limit;
        auto issues = ValidatePolicy(a.content, vo);
        if (!issues.empty()) {
            return MakeError(ErrorCode::kInternal,
                             a.file + " failed validation: " + FormatIssues(issues));
        }
        plan.artifacts.push_back(std::move(a));
    }
    if (fitted->split) {
        plan.notes.push_back(spec.stem + ".json did not fit in " + std::to_string(limit) +
                             " characters even minified: split into " + std::to_string(n) +
                             " policies (" + spec.stem + "-1.json ... " + spec.stem + "-" +
                             std::to_string(n) + ".json); attach all of them");
    } else if (fitted->minified) {
        plan.notes.push_back(spec.stem + ".json is minified (white space removed) to fit in " +
                             std::to_string(limit) + " characters");
    }
    return OkStatus();
}

Status AddInline(ArtifactKind kind, std::string file, std::string name, const Policy& policy,
                 size_t limit, ContainPlan& plan) {
    Artifact a;
    a.kind = kind;
    a.file = std::move(file);
    a.policy_name = std::move(name);
    a.content = RenderPolicy(policy, Layout::kPretty);
    ValidationOptions vo;
    vo.kind = PolicyKind::kIdentityPolicy;
    vo.max_characters = limit;
    auto issues = ValidatePolicy(a.content, vo);
    if (!issues.empty()) {
        return MakeError(ErrorCode::kInternal,
                         a.file + " failed validation: " + FormatIssues(issues));
    }
    plan.artifacts.push_back(std::move(a));
    return OkStatus();
}

}  // namespace

bool IsIamName(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("+=,.@_-").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

bool IsIdentityCenterSamlProvider(std::string_view arn) {
    const size_t slash = arn.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? arn : arn.substr(slash + 1);
    return name.starts_with("AWSSSO_") && name.ends_with("_DO_NOT_DELETE");
}

std::string ShellQuote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

Status CheckTarget(std::string_view t) {
    if (t == "root") return OkStatus();
    if (t.starts_with("r-") && t.size() >= 6 && t.size() <= 34 && AllOf(t.substr(2), LowerAlnum)) {
        return OkStatus();
    }
    if (t.starts_with("ou-")) {
        std::vector<std::string_view> p = Split(t.substr(3), '-');
        if (p.size() == 2 && p[0].size() >= 4 && p[1].size() >= 8 && AllOf(p[0], LowerAlnum) &&
            AllOf(p[1], LowerAlnum)) {
            return OkStatus();
        }
    }
    if (t.size() == 12 && AllOf(t, Digit)) return OkStatus();
    return MakeError(ErrorCode::kInvalidArgument,
                     "--target '" + std::string(t) +
                         "': expected root, a root id (r-...), an OU id (ou-...-...) or a "
                         "12-digit account id");
}

Result<ContainPlan> PlanContainment(const ContainOptions& o, const IncidentFacts& facts) {
    if (o.break_glass_roles.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "refusing to write a deny-all policy without a break-glass exemption: "
                         "give at least one --break-glass-role ARN");
    }
    for (const std::string& r : o.break_glass_roles) {
        if (Status s = CheckBreakGlassRole(r); !s) return std::unexpected(s.error());
    }
    std::vector<std::string> targets =
        o.targets.empty() ? std::vector<std::string>{"root"} : o.targets;
    for (const std::string& t : targets) {
        if (Status s = CheckTarget(t); !s) return std::unexpected(s.error());
    }
    if (o.scp_max_characters < 512) {
        return MakeError(ErrorCode::kInvalidArgument, "the SCP size limit must be at least 512");
    }
    ContainPlan plan;
    TimeMs cutoff = o.now;
    if (o.token_issue_time != "now") {
        auto t = ParseIsoTime(o.token_issue_time);
        if (!t) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "--token-issue-time '" + o.token_issue_time +
                                 "': expected ISO 8601 (2024-06-20T21:55:34Z) or now");
        }
        cutoff = *t;
    }
    plan.cutoff_iso = FormatIsoTime(cutoff);
    if (cutoff > o.now) {
        plan.notes.push_back("the cut-off " + plan.cutoff_iso +
                             " is in the future: every session issued until then is denied, "
                             "break-glass roles excepted");
    }
    if (facts.last_seen != 0 && facts.last_seen > cutoff) {
        plan.notes.push_back("the findings show activity until " + FormatIsoTime(facts.last_seen) +
                             ", after the cut-off " + plan.cutoff_iso +
                             ": sessions issued after the cut-off are NOT revoked; use a later "
                             "--token-issue-time (or now)");
    }

    const std::vector<std::string>& bg = o.break_glass_roles;
    const std::vector<std::string> root{"root"};
    const size_t limit = o.scp_max_characters;
    const ScpSpec scps[] = {
        {"scp-deny-all", "trailwarden-deny-all",
         o.allow_read ? "trailwarden containment: deny every non-read action except break-glass "
                        "roles"
                      : "trailwarden containment: deny every action except break-glass roles",
         DenyAllScp(bg, o.allow_read), targets},
        {"scp-revoke-sessions", "trailwarden-revoke-sessions",
         "trailwarden containment: deny sessions issued before " + plan.cutoff_iso,
         RevokeSessionsScp(bg, plan.cutoff_iso), root},
        {"scp-deny-new-idp", "trailwarden-deny-new-idp",
         "trailwarden containment: no new or changed identity providers or identity sources",
         DenyNewIdpScp(bg), root},
        {"scp-protect-logging", "trailwarden-protect-logging",
         "trailwarden containment: protect CloudTrail, GuardDuty, Config and Security Hub",
         ProtectLoggingScp(bg), root},
    };
    for (const ScpSpec& spec : scps) {
        if (Status s = AddScp(spec, limit, plan); !s) return std::unexpected(s.error());
    }

    bool any_role = false, any_user = false;
    for (const AccountName& r : facts.roles) {
        if (IsIamName(r.name)) {
            any_role = true;
        } else {
            plan.notes.push_back("role name '" + r.name +
                                 "' from the findings is not a valid IAM name: left out");
        }
    }
    for (const AccountName& u : facts.users_with_static_keys) {
        if (IsIamName(u.name)) {
            any_user = true;
        } else {
            plan.notes.push_back("user name '" + u.name +
                                 "' from the findings is not a valid IAM name: left out");
        }
    }
    if (any_role) {
        if (Status s =
                AddInline(ArtifactKind::kRoleInlinePolicy, "iam-role-revoke-older-sessions.json",
                          "AWSRevokeOlderSessions", RoleRevokeOlderSessionsPolicy(plan.cutoff_iso),
                          kRoleInlineMaxCharacters, plan);
            !s) {
            return std::unexpected(s.error());
        }
    }
    if (any_user) {
        if (Status s = AddInline(ArtifactKind::kUserInlinePolicy, "iam-user-token-issue-time.json",
                                 "trailwarden-deny-credentials-before-cutoff",
                                 UserTokenIssueTimePolicy(plan.cutoff_iso),
                                 kUserInlineMaxCharacters, plan);
            !s) {
            return std::unexpected(s.error());
        }
    }
    ContainOptions effective = o;
    effective.targets = targets;
    Artifact script;
    script.kind = ArtifactKind::kScript;
    script.file = "apply.sh";
    script.content = RenderApplyScript(plan, facts, effective);
    Artifact playbook;
    playbook.kind = ArtifactKind::kPlaybook;
    playbook.file = "PLAYBOOK.md";
    playbook.content = RenderPlaybook(plan, facts, effective);
    plan.artifacts.push_back(std::move(script));
    plan.artifacts.push_back(std::move(playbook));
    return plan;
}

Status WriteContainment(const ContainPlan& plan, const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return MakeError(ErrorCode::kIoError, "cannot create " + dir + ": " + ec.message());
    }
    for (const Artifact& a : plan.artifacts) {
        const std::string path = (std::filesystem::path(dir) / a.file).string();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << a.content;
        out.close();
        if (!out) return MakeError(ErrorCode::kIoError, "cannot write " + path);
        if (a.kind == ArtifactKind::kScript) ::chmod(path.c_str(), 0755);
    }
    return OkStatus();
}

}  // namespace tw::response
