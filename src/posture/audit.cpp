#include "posture/audit.h"

#include <filesystem>

namespace tw::posture {

namespace {

// Reports a failed input; true when it succeeded.
template <typename T>
bool Take(Result<T>& r, AuditResult& result, Diagnostics& diag, const std::string& path) {
    if (r) {
        ++result.inputs_read;
        return true;
    }
    ++result.inputs_failed;
    diag.FileError(path, "", "unusable input", r.error().message);
    return false;
}

void Append(std::vector<findings::Finding>& out, std::vector<findings::Finding> more) {
    for (auto& f : more) out.push_back(std::move(f));
}

// Which trail a get-trail-status output belongs to (its output does not say).
std::string MatchTrail(const std::string& given, const std::string& path,
                       const std::vector<Trail>& trails, Diagnostics& diag) {
    if (!given.empty()) return given;
    const std::string base = std::filesystem::path(path).filename().string();
    const Trail* best = nullptr;
    for (const Trail& t : trails) {
        if (!t.name.empty() && base.find(t.name) != std::string::npos &&
            (best == nullptr || t.name.size() > best->name.size())) {
            best = &t;
        }
    }
    if (best != nullptr) return best->name;
    if (trails.size() == 1) return trails[0].name;
    const std::string label = std::filesystem::path(path).stem().string();
    diag.Report({Severity::kWarning, Loss::kNone, path, "",
                 "cannot tell which trail this get-trail-status output belongs to (it does not "
                 "name its trail); reported as '" +
                     label + "'. Give it as --trail-status TRAIL_NAME=FILE",
                 "trail status without a trail"});
    return label;
}

}  // namespace

bool AuditInputs::empty() const {
    return credential_reports.empty() && trails.empty() && trail_status.empty() &&
           event_selectors.empty() && saml_providers.empty() && oidc_providers.empty() &&
           sso_instances.empty() && policies.empty() && policy_targets.empty();
}

std::pair<std::string, std::string> SplitNamedInput(const std::string& arg) {
    std::error_code ec;
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || std::filesystem::exists(arg, ec)) return {"", arg};
    return {arg.substr(0, eq), arg.substr(eq + 1)};
}

AuditResult RunAudit(const AuditInputs& in, const AuditOptions& o, Diagnostics& diag) {
    AuditResult result;
    auto ran = [&](std::initializer_list<const char*> ids) {
        for (const char* id : ids) result.checks_run.emplace_back(id);
    };

    // Credential reports.
    std::vector<CredentialRow> rows;
    bool have_report = false;
    for (const std::string& path : in.credential_reports) {
        auto r = ReadCredentialReport(path, diag);
        if (!Take(r, result, diag, path)) continue;
        have_report = true;
        for (CredentialRow& row : *r) rows.push_back(std::move(row));
    }
    if (have_report) {
        Append(result.findings, CheckRootMfa(rows, o));
        Append(result.findings, CheckRootAccessKeys(rows, o));
        Append(result.findings, CheckPasswordWithoutMfa(rows, o));
        Append(result.findings, CheckAccessKeys(rows, o));
        Append(result.findings, CheckConsoleUsers(rows, o));
        ran({"posture.root-mfa", "posture.root-access-key", "posture.user-password-no-mfa",
             "posture.access-key-old", "posture.access-key-unused", "posture.console-user"});
    }

    // Trails, their selectors and status.
    std::vector<Trail> trails;
    bool have_trails = false;
    for (const std::string& path : in.trails) {
        auto r = ReadTrails(path);
        if (!Take(r, result, diag, path)) continue;
        have_trails = true;
        for (Trail& t : *r) {
            bool dup = false;
            for (const Trail& x : trails) dup = dup || (!t.arn.empty() && x.arn == t.arn);
            if (!dup) trails.push_back(std::move(t));
        }
    }
    std::vector<EventSelectors> selectors;
    for (const std::string& path : in.event_selectors) {
        auto r = ReadEventSelectors(path);
        if (Take(r, result, diag, path)) selectors.push_back(std::move(*r));
    }
    if (have_trails) {
        Append(result.findings, CheckTrailSecurity(trails, selectors, o));
        ran({"posture.trail-security", "posture.no-security-trail"});
    } else if (!selectors.empty()) {
        diag.Report({Severity::kWarning, Loss::kNone, "", "",
                     "--event-selectors given without --trails: the trail checks need the "
                     "output of aws cloudtrail describe-trails",
                     "incomplete inputs"});
    }
    std::vector<TrailStatus> statuses;
    for (const std::string& arg : in.trail_status) {
        auto [name, path] = SplitNamedInput(arg);
        auto r = ReadTrailStatus(path);
        if (!Take(r, result, diag, path)) continue;
        r->trail = MatchTrail(name, path, trails, diag);
        statuses.push_back(std::move(*r));
    }
    if (!statuses.empty()) {
        Append(result.findings, CheckTrailLogging(trails, statuses, o));
        ran({"posture.trail-not-logging"});
    }

    // Identity providers.
    std::vector<IdentityProvider> providers;
    bool have_providers = false;
    auto providers_from = [&](const std::vector<std::string>& paths, auto reader) {
        for (const std::string& path : paths) {
            auto r = reader(path);
            if (!Take(r, result, diag, path)) continue;
            have_providers = true;
            for (IdentityProvider& p : *r) providers.push_back(std::move(p));
        }
    };
    providers_from(in.saml_providers, ReadSamlProviders);
    providers_from(in.oidc_providers, ReadOidcProviders);
    providers_from(in.sso_instances, ReadSsoInstances);
    if (have_providers) {
        Append(result.findings, CheckIdentityProviders(providers, o));
        ran({o.have_allowlist ? "posture.idp-not-allowed" : "posture.idp-review"});
    }

    // Service control policies.
    std::vector<OrgPolicy> policies;
    for (const std::string& path : in.policies) {
        auto r = ReadPolicies(path);
        if (!Take(r, result, diag, path)) continue;
        for (OrgPolicy& p : *r) policies.push_back(std::move(p));
    }
    std::vector<PolicyTargets> targets;
    for (const std::string& arg : in.policy_targets) {
        auto [id, path] = SplitNamedInput(arg);
        auto r = ReadPolicyTargets(path);
        if (!Take(r, result, diag, path)) continue;
        if (!id.empty()) r->policy_id = id;
        if (r->policy_id.empty()) {
            diag.FileError(path, "", "policy targets without a policy",
                           "cannot tell which policy these targets belong to (the output of "
                           "list-targets-for-policy does not name it); give it as "
                           "--policy-targets POLICY_ID=FILE; skipped");
            ++result.inputs_failed;
            continue;
        }
        targets.push_back(std::move(*r));
    }
    if (!targets.empty()) {
        Append(result.findings, CheckRootScps(policies, targets, o));
        ran({"posture.scp-protection-missing"});
    } else if (!in.policies.empty()) {
        diag.Report({Severity::kWarning, Loss::kNone, "", "",
                     "--policies given without --policy-targets: cannot tell which SCPs are "
                     "attached at the root; the SCP check did not run",
                     "incomplete inputs"});
    }
    findings::SortFindings(result.findings);
    return result;
}

}  // namespace tw::posture
