// Checks over the IAM credential report: root MFA and keys, users with passwords and no MFA,
// old or never-used active access keys, IAM users signing in to the console.
#include "posture/checks.h"
#include "posture/finding_builder.h"

namespace tw::posture {

namespace {

findings::Actor UserActor(const CredentialRow& r) {
    findings::Actor a;
    a.arn = r.arn;
    a.type = r.is_root ? "Root" : "IAMUser";
    a.user_name = r.is_root ? "" : r.user;
    return a;
}

std::string Who(const CredentialRow& r) {
    return r.is_root ? "the root user of account " + r.account
                     : "IAM user " + r.user + " (account " + r.account + ")";
}

}  // namespace

std::vector<findings::Finding> CheckRootMfa(const std::vector<CredentialRow>& rows,
                                            const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const CredentialRow& r : rows) {
        if (!r.is_root || r.mfa_active) continue;
        auto f = MakeFinding("posture.root-mfa", o, r.account,
                             "The root user of account " + r.account +
                                 " has no MFA device: enable MFA and keep the device under "
                                 "control of two people",
                             EvidenceBuilder()
                                 .Str("arn", r.arn)
                                 .Bool("mfa_active", false)
                                 .Str("password_last_used", r.password_last_used)
                                 .Int("report_line", static_cast<int64_t>(r.line))
                                 .Take());
        f.actor = UserActor(r);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<findings::Finding> CheckRootAccessKeys(const std::vector<CredentialRow>& rows,
                                                   const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const CredentialRow& r : rows) {
        if (!r.is_root || !(r.keys[0].active || r.keys[1].active)) continue;
        const int n = (r.keys[0].active ? 1 : 0) + (r.keys[1].active ? 1 : 0);
        auto f = MakeFinding("posture.root-access-key", o, r.account,
                             "The root user of account " + r.account + " has " + std::to_string(n) +
                                 " active access key(s): delete them; the root user needs none",
                             EvidenceBuilder()
                                 .Str("arn", r.arn)
                                 .Bool("access_key_1_active", r.keys[0].active)
                                 .Bool("access_key_2_active", r.keys[1].active)
                                 .Str("access_key_1_last_used_date", r.keys[0].last_used_raw)
                                 .Str("access_key_2_last_used_date", r.keys[1].last_used_raw)
                                 .Int("report_line", static_cast<int64_t>(r.line))
                                 .Take());
        f.actor = UserActor(r);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<findings::Finding> CheckPasswordWithoutMfa(const std::vector<CredentialRow>& rows,
                                                       const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const CredentialRow& r : rows) {
        if (r.is_root || !r.password_enabled || r.mfa_active) continue;
        auto f = MakeFinding("posture.user-password-no-mfa", o, r.account,
                             "IAM user " + r.user + " (account " + r.account +
                                 ") can sign in with a password and has no MFA device",
                             EvidenceBuilder()
                                 .Str("user", r.user)
                                 .Bool("password_enabled", true)
                                 .Bool("mfa_active", false)
                                 .Str("password_last_used", r.password_last_used)
                                 .Int("report_line", static_cast<int64_t>(r.line))
                                 .Take());
        f.actor = UserActor(r);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<findings::Finding> CheckAccessKeys(const std::vector<CredentialRow>& rows,
                                               const AuditOptions& o) {
    std::vector<findings::Finding> out;
    const TimeMs max_age = static_cast<TimeMs>(o.max_key_age_days) * 86400 * 1000;
    for (const CredentialRow& r : rows) {
        if (r.is_root) continue;  // posture.root-access-key covers root keys
        for (int k = 0; k < 2; ++k) {
            const AccessKeyColumns& key = r.keys[k];
            if (!key.active) continue;
            const std::string slot = "access_key_" + std::to_string(k + 1);
            if (key.last_rotated && o.as_of - *key.last_rotated > max_age) {
                const int64_t days = (o.as_of - *key.last_rotated) / (86400 * 1000);
                auto f = MakeFinding(
                    "posture.access-key-old", o, r.account,
                    "Active access key " + std::to_string(k + 1) + " of " + Who(r) + " is " +
                        std::to_string(days) + " days old (limit " +
                        std::to_string(o.max_key_age_days) +
                        "): rotate it, or better, replace it with temporary credentials",
                    EvidenceBuilder()
                        .Str("user", r.user)
                        .Str("key", slot)
                        .Str("last_rotated", FormatIsoTime(*key.last_rotated))
                        .Int("age_days", days)
                        .Int("max_key_age_days", o.max_key_age_days)
                        .Str("last_used_date", key.last_used_raw)
                        .Int("report_line", static_cast<int64_t>(r.line))
                        .Take());
                f.actor = UserActor(r);
                out.push_back(std::move(f));
            }
            if (!key.last_used) {
                auto f = MakeFinding(
                    "posture.access-key-unused", o, r.account,
                    "Active access key " + std::to_string(k + 1) + " of " + Who(r) +
                        " has never been used: deactivate and delete it, or find who created it",
                    EvidenceBuilder()
                        .Str("user", r.user)
                        .Str("key", slot)
                        .Str("last_rotated",
                             key.last_rotated ? FormatIsoTime(*key.last_rotated) : "N/A")
                        .Str("last_used_date", key.last_used_raw)
                        .Int("report_line", static_cast<int64_t>(r.line))
                        .Take());
                f.actor = UserActor(r);
                out.push_back(std::move(f));
            }
        }
    }
    return out;
}

std::vector<findings::Finding> CheckConsoleUsers(const std::vector<CredentialRow>& rows,
                                                 const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const CredentialRow& r : rows) {
        if (r.is_root || !r.password_enabled) continue;
        auto f = MakeFinding("posture.console-user", o, r.account,
                             "IAM user " + r.user + " (account " + r.account +
                                 ") has a console password: sign people in through SAML "
                                 "federation instead of IAM users",
                             EvidenceBuilder()
                                 .Str("user", r.user)
                                 .Bool("password_enabled", true)
                                 .Bool("mfa_active", r.mfa_active)
                                 .Str("password_last_used", r.password_last_used)
                                 .Int("report_line", static_cast<int64_t>(r.line))
                                 .Take());
        f.actor = UserActor(r);
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace tw::posture
