#include "response/generators.h"

#include <array>

#include "core/strings.h"

namespace tw::response {

namespace {

Condition BreakGlassExemption(const std::vector<std::string>& break_glass) {
    return Condition{"ArnNotLike", "aws:PrincipalArn", break_glass};
}

Statement DenyStatement(std::string sid, std::vector<std::string> actions,
                        const std::vector<std::string>& break_glass) {
    Statement s;
    s.sid = std::move(sid);
    s.actions = std::move(actions);
    s.conditions.push_back(BreakGlassExemption(break_glass));
    return s;
}

std::vector<std::string> WithPrefix(std::string_view service,
                                    std::initializer_list<std::string_view> names) {
    std::vector<std::string> out;
    for (std::string_view n : names) out.push_back(std::string(service) + ":" + std::string(n));
    return out;
}

}  // namespace

const std::vector<std::string>& ReadOnlyActionPatterns() {
    static const std::vector<std::string> kPatterns = [] {
        std::vector<std::string> v;
        // Services whose read API follows Describe*/Get*/List*.
        constexpr std::array<std::string_view, 40> kDescribeGetList = {
            "access-analyzer",
            "acm",
            "athena",
            "autoscaling",
            "backup",
            "cloudformation",
            "cloudfront",
            "cloudtrail",
            "cloudwatch",
            "codebuild",
            "codecommit",
            "codepipeline",
            "config",
            "dynamodb",
            "ec2",
            "ecr",
            "ecs",
            "eks",
            "elasticache",
            "elasticloadbalancing",
            "es",
            "events",
            "guardduty",
            "iam",
            "identitystore",
            "inspector2",
            "kms",
            "lambda",
            "logs",
            "organizations",
            "rds",
            "route53",
            "s3",
            "secretsmanager",
            "securityhub",
            "sns",
            "sqs",
            "ssm",
            "sso",
            "states",
        };
        for (std::string_view s : kDescribeGetList) {
            for (std::string_view verb : {"Describe*", "Get*", "List*"}) {
                v.push_back(std::string(s) + ":" + std::string(verb));
            }
        }
        for (const char* extra :
             {"cloudtrail:LookupEvents", "dynamodb:BatchGet*", "dynamodb:Query", "dynamodb:Scan",
              "ecr:BatchGet*", "logs:FilterLogEvents", "logs:StartQuery", "s3:Head*",
              "sts:GetCallerIdentity", "tag:Get*", "health:Describe*", "support:Describe*"}) {
            v.emplace_back(extra);
        }
        return v;
    }();
    return kPatterns;
}

const std::vector<std::string>& NewIdpActions() {
    static const std::vector<std::string> kActions = [] {
        std::vector<std::string> v = WithPrefix(
            "iam", {"CreateSAMLProvider", "UpdateSAMLProvider", "CreateOpenIDConnectProvider",
                    "UpdateOpenIDConnectProviderThumbprint", "AddClientIDToOpenIDConnectProvider"});
        for (auto& a : WithPrefix("sso", {"CreateInstance", "StartSSO", "AssociateDirectory",
                                          "DisassociateDirectory", "CreateTrustedTokenIssuer",
                                          "UpdateTrustedTokenIssuer"})) {
            v.push_back(std::move(a));
        }
        for (auto& a :
             WithPrefix("sso-directory", {"CreateExternalIdPConfigurationForDirectory",
                                          "UpdateExternalIdPConfigurationForDirectory",
                                          "EnableExternalIdPConfigurationForDirectory",
                                          "ImportExternalIdPCertificate",
                                          "CreateProvisioningTenant", "CreateBearerToken"})) {
            v.push_back(std::move(a));
        }
        return v;
    }();
    return kActions;
}

const std::vector<std::string>& CloudTrailProtectedActions() {
    static const std::vector<std::string> kActions =
        WithPrefix("cloudtrail",
                   {"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors",
                    "DeleteEventDataStore", "UpdateEventDataStore", "StopEventDataStoreIngestion"});
    return kActions;
}

const std::vector<std::string>& GuardDutyProtectedActions() {
    static const std::vector<std::string> kActions = WithPrefix(
        "guardduty", {"DeleteDetector", "UpdateDetector", "DisassociateFromMasterAccount",
                      "DisassociateFromAdministratorAccount", "DisassociateMembers",
                      "DeleteMembers", "StopMonitoringMembers", "DeletePublishingDestination",
                      "CreateFilter", "UpdateFilter", "CreateIPSet", "UpdateIPSet"});
    return kActions;
}

const std::vector<std::string>& ConfigProtectedActions() {
    static const std::vector<std::string> kActions =
        WithPrefix("config", {"StopConfigurationRecorder", "DeleteConfigurationRecorder",
                              "PutConfigurationRecorder", "DeleteDeliveryChannel",
                              "PutDeliveryChannel", "DeleteConfigRule", "DeleteConformancePack"});
    return kActions;
}

const std::vector<std::string>& SecurityHubProtectedActions() {
    static const std::vector<std::string> kActions =
        WithPrefix("securityhub", {"DisableSecurityHub", "DisassociateFromMasterAccount",
                                   "DisassociateFromAdministratorAccount", "DisassociateMembers",
                                   "DeleteMembers", "BatchDisableStandards",
                                   "UpdateStandardsControl", "DisableImportFindingsForProduct"});
    return kActions;
}

Policy DenyAllScp(const std::vector<std::string>& break_glass, bool allow_read) {
    Policy p;
    if (allow_read) {
        Statement s =
            DenyStatement("DenyMutatingExceptBreakGlass", ReadOnlyActionPatterns(), break_glass);
        s.not_action = true;
        p.statements.push_back(std::move(s));
    } else {
        p.statements.push_back(DenyStatement("DenyAllExceptBreakGlass", {"*"}, break_glass));
    }
    return p;
}

Policy RevokeSessionsScp(const std::vector<std::string>& break_glass, std::string_view cutoff_iso) {
    Statement s = DenyStatement("DenySessionsIssuedBeforeCutoff", {"*"}, break_glass);
    s.conditions.insert(s.conditions.begin(),
                        Condition{"DateLessThan", "aws:TokenIssueTime", {std::string(cutoff_iso)}});
    Policy p;
    p.statements.push_back(std::move(s));
    return p;
}

Policy DenyNewIdpScp(const std::vector<std::string>& break_glass) {
    Policy p;
    p.statements.push_back(DenyStatement("DenyNewIdentityProviders", NewIdpActions(), break_glass));
    return p;
}

Policy ProtectLoggingScp(const std::vector<std::string>& break_glass) {
    Policy p;
    p.statements.push_back(
        DenyStatement("ProtectCloudTrail", CloudTrailProtectedActions(), break_glass));
    p.statements.push_back(
        DenyStatement("ProtectGuardDuty", GuardDutyProtectedActions(), break_glass));
    p.statements.push_back(DenyStatement("ProtectConfig", ConfigProtectedActions(), break_glass));
    p.statements.push_back(
        DenyStatement("ProtectSecurityHub", SecurityHubProtectedActions(), break_glass));
    return p;
}

Policy RoleRevokeOlderSessionsPolicy(std::string_view cutoff_iso) {
    Statement s;
    s.sid = "RevokeOlderSessions";
    s.actions = {"*"};
    s.conditions.push_back({"DateLessThan", "aws:TokenIssueTime", {std::string(cutoff_iso)}});
    Policy p;
    p.statements.push_back(std::move(s));
    return p;
}

Policy UserTokenIssueTimePolicy(std::string_view cutoff_iso) {
    Statement s;
    s.sid = "DenyCredentialsIssuedBeforeCutoff";
    s.actions = {"*"};
    s.conditions.push_back({"DateLessThan", "aws:TokenIssueTime", {std::string(cutoff_iso)}});
    Policy p;
    p.statements.push_back(std::move(s));
    return p;
}

Status CheckBreakGlassRole(std::string_view arn) {
    auto bad = [&](std::string_view why) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--break-glass-role '" + std::string(arn) + "': " + std::string(why));
    };
    // arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME
    std::vector<std::string_view> parts = Split(arn, ':');
    if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[3].empty()) {
        return bad("expected an IAM role ARN such as arn:aws:iam::111122223333:role/BreakGlass");
    }
    if (parts[1] != "aws" && parts[1] != "aws-cn" && parts[1] != "aws-us-gov") {
        return bad("unknown partition '" + std::string(parts[1]) + "'");
    }
    const std::string_view account = parts[4];
    bool digits = account.size() == 12;
    for (char c : account) digits = digits && c >= '0' && c <= '9';
    if (!digits && account != "*") return bad("the account must be 12 digits or *");
    const std::string_view resource = parts[5];
    if (!resource.starts_with("role/")) return bad("not a role ARN (expected ':role/')");
    const std::string_view name = resource.substr(resource.rfind('/') + 1);
    bool only_wild = true;
    for (char c : name) only_wild = only_wild && (c == '*' || c == '?');
    if (name.empty() || only_wild) {
        return bad(
            "the role name must not be empty or only wildcards (it would exempt every "
            "role)");
    }
    for (char c : resource) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("+=,.@_-/*?").find(c) != std::string_view::npos;
        if (!ok) return bad(std::string("invalid character '") + c + "' in the role name");
    }
    return OkStatus();
}

}  // namespace tw::response
