// The catalogue of checks and the pieces every check shares.
#include "posture/checks.h"

#include "core/check.h"
#include "posture/finding_builder.h"

namespace tw::posture {

using findings::Severity;

const std::vector<CheckInfo>& AuditChecks() {
    static const std::vector<CheckInfo> kChecks = {
        {"posture.root-mfa", "Root user without MFA", Severity::kCritical, "T1078.004",
         "initial-access", "--credential-report",
         "IAM User Guide, root user best practices (enable MFA); seeds/002, Eradication "
         "(credential report shows the root user without MFA)"},
        {"posture.root-access-key", "Root user with access keys", Severity::kCritical, "T1078.004",
         "persistence", "--credential-report",
         "IAM User Guide, root user best practices (no root access keys); seeds/002 (remove "
         "any and all root access keys)"},
        {"posture.user-password-no-mfa", "IAM user with a password and no MFA", Severity::kHigh,
         "T1078.004", "initial-access", "--credential-report",
         "AWS Config rule mfa-enabled-for-iam-console-access; IAM User Guide, security best "
         "practices (require MFA)"},
        {"posture.access-key-old", "Active access key older than --max-key-age days",
         Severity::kMedium, "T1078.004", "persistence", "--credential-report",
         "AWS Config rule access-keys-rotated (maxAccessKeyAge, default 90); seeds/000 "
         "(temporary credentials, no long-lived keys)"},
        {"posture.access-key-unused", "Active access key never used", Severity::kMedium,
         "T1098.001", "persistence", "--credential-report",
         "IAM User Guide, finding unused credentials; seeds/002 (revoke all static access "
         "keys)"},
        {"posture.console-user", "IAM user with a console password (federation expected)",
         Severity::kLow, "T1078.004", "initial-access", "--credential-report",
         "seeds/000, federated access for the AWS Console (SAML instead of IAM users)"},
        {"posture.trail-security", "Trail fails cloudtrail-security-trail-enabled",
         Severity::kMedium, "T1562.008", "defense-evasion", "--trails [--event-selectors]",
         "AWS Config rule cloudtrail-security-trail-enabled (global service events, "
         "multi-region, log file validation, KMS encryption, management events read and "
         "write, none excluded); seeds/002 (AWS Config)"},
        {"posture.no-security-trail", "No trail meets cloudtrail-security-trail-enabled",
         Severity::kHigh, "T1562.008", "defense-evasion", "--trails [--event-selectors]",
         "AWS Config rule cloudtrail-security-trail-enabled (COMPLIANT when at least one trail "
         "meets every criterion)"},
        {"posture.trail-not-logging", "Trail not logging or failing to deliver", Severity::kHigh,
         "T1562.008", "defense-evasion", "--trail-status",
         "aws cloudtrail get-trail-status (IsLogging, LatestDeliveryError); seeds/002 "
         "(GuardDuty Stealth:IAMUser/CloudTrailLoggingDisabled)"},
        {"posture.idp-not-allowed", "Identity provider not on the allowlist", Severity::kHigh,
         "T1484.002", "defense-evasion",
         "--saml-providers --oidc-providers --sso-instances --allow-idp",
         "seeds/002 (CreateSAMLProvider, CreateOpenIDConnectProvider, CreateInstance: review "
         "every method of federation)"},
        {"posture.idp-review", "Identity provider to review (no --allow-idp given)",
         Severity::kInfo, "T1484.002", "defense-evasion",
         "--saml-providers --oidc-providers --sso-instances",
         "seeds/002 (review every method of federation)"},
        {"posture.scp-protection-missing", "Protective SCP missing at the organization root",
         Severity::kHigh, "T1562.008", "defense-evasion", "--policies --policy-targets",
         "seeds/002 (SCPs that prevent manipulation of GuardDuty and addition of IdPs; protect "
         "CloudTrail, Config, Security Hub)"},
    };
    return kChecks;
}

const CheckInfo& Check(std::string_view rule_id) {
    for (const CheckInfo& c : AuditChecks()) {
        if (rule_id == c.rule_id) return c;
    }
    TW_DCHECK(false);
    return AuditChecks().front();
}

findings::Finding MakeFinding(std::string_view rule_id, const AuditOptions& o, std::string account,
                              std::string summary, std::string evidence_json) {
    const CheckInfo& c = Check(rule_id);
    findings::Finding f;
    f.rule_id = c.rule_id;
    f.title = c.title;
    f.severity = c.severity;
    f.mitre = {c.mitre};
    f.tactic = c.tactic;
    f.source = "posture";
    f.first_seen = o.as_of;
    f.last_seen = o.as_of;
    if (!account.empty()) f.accounts.push_back(std::move(account));
    f.summary = std::move(summary);
    f.evidence_json = std::move(evidence_json);
    return f;
}

bool ActionMatches(std::string_view pattern, std::string_view action) {
    // Iterative wildcard match with backtracking on the last '*'.
    size_t p = 0, a = 0, star = std::string_view::npos, mark = 0;
    while (a < action.size()) {
        if (p < pattern.size() &&
            (pattern[p] == '?' || AsciiLower(pattern[p]) == AsciiLower(action[a]))) {
            ++p;
            ++a;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = a;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            a = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace tw::posture
