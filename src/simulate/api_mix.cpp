// Service facts (eventVersion, SDK ids, hosts, global services), AccessDenied shapes, and the
// API mix of each kind of actor.
#include <array>

#include "simulate/api.h"

namespace tw::simulate {

namespace {

struct ServiceInfo {
    std::string_view version;
    std::string_view sdk_api;
    std::string_view host_prefix;  // "ec2." -> "ec2.<region>.amazonaws.com"
    bool global;                   // logged in us-east-1, host without region
    std::string_view global_host;
    std::string_view denied_code;
};

constexpr std::array<ServiceInfo, static_cast<size_t>(Svc::kCount)> kServices = {{
    {"1.09", "api/ec2#1.163.1", "ec2.", false, "", "Client.UnauthorizedOperation"},
    {"1.09", "api/iam#1.33.1", "", true, "iam.amazonaws.com", "AccessDenied"},
    {"1.08", "api/sts#1.30.0", "sts.", false, "", "AccessDenied"},
    {"1.09", "api/s3#1.56.1", "s3.", false, "", "AccessDenied"},
    {"1.09", "api/kms#1.33.1", "kms.", false, "", "AccessDeniedException"},
    {"1.09", "api/cloudwatchlogs#1.30.0", "logs.", false, "", "AccessDeniedException"},
    {"1.09", "api/cloudwatch#1.39.1", "monitoring.", false, "", "AccessDenied"},
    {"1.08", "api/lambda#1.55.0", "lambda.", false, "", "AccessDeniedException"},
    {"1.08", "api/ssm#1.51.1", "ssm.", false, "", "AccessDeniedException"},
    {"1.09", "api/secretsmanager#1.31.1", "secretsmanager.", false, "", "AccessDeniedException"},
    {"1.10", "api/cloudtrail#1.41.1", "cloudtrail.", false, "", "AccessDeniedException"},
    {"1.09", "api/organizations#1.28.1", "", true, "organizations.us-east-1.amazonaws.com",
     "AccessDeniedException"},
    {"1.09", "api/ssoadmin#1.26.1", "sso.", false, "", "AccessDeniedException"},
    {"1.09", "api/rds#1.80.0", "rds.", false, "", "AccessDenied"},
    {"1.09", "api/ecr#1.29.1", "api.ecr.", false, "", "AccessDeniedException"},
    {"1.09", "api/eks#1.44.1", "eks.", false, "", "AccessDeniedException"},
    {"1.09", "api/health#1.25.1", "", true, "health.us-east-1.amazonaws.com",
     "AccessDeniedException"},
    {"1.08", "api/costexplorer#1.40.1", "", true, "ce.us-east-1.amazonaws.com",
     "AccessDeniedException"},
}};

const ServiceInfo& Info(Svc s) { return kServices[static_cast<size_t>(s)]; }

struct MixEntry {
    ApiMix mix;
    std::string_view api;
    double weight;
};

// clang-format off
constexpr MixEntry kMix[] = {
    // A person browsing the console.
    {ApiMix::kConsoleBrowse, "DescribeInstances", 10}, {ApiMix::kConsoleBrowse, "DescribeSecurityGroups", 5},
    {ApiMix::kConsoleBrowse, "DescribeVpcs", 3}, {ApiMix::kConsoleBrowse, "DescribeSubnets", 3},
    {ApiMix::kConsoleBrowse, "DescribeVolumes", 3}, {ApiMix::kConsoleBrowse, "DescribeSnapshots", 1},
    {ApiMix::kConsoleBrowse, "DescribeNetworkInterfaces", 2}, {ApiMix::kConsoleBrowse, "DescribeRouteTables", 1},
    {ApiMix::kConsoleBrowse, "DescribeRegions", 3}, {ApiMix::kConsoleBrowse, "DescribeAvailabilityZones", 2},
    {ApiMix::kConsoleBrowse, "DescribeImages", 1}, {ApiMix::kConsoleBrowse, "DescribeInstanceStatus", 4},
    {ApiMix::kConsoleBrowse, "DescribeTags", 2}, {ApiMix::kConsoleBrowse, "DescribeKeyPairs", 1},
    {ApiMix::kConsoleBrowse, "DescribeAccountAttributes", 2}, {ApiMix::kConsoleBrowse, "ListRoles", 3},
    {ApiMix::kConsoleBrowse, "ListUsers", 1}, {ApiMix::kConsoleBrowse, "ListPolicies", 1},
    {ApiMix::kConsoleBrowse, "GetRole", 2}, {ApiMix::kConsoleBrowse, "ListAttachedRolePolicies", 2},
    {ApiMix::kConsoleBrowse, "ListRolePolicies", 1}, {ApiMix::kConsoleBrowse, "GetAccountSummary", 1},
    {ApiMix::kConsoleBrowse, "ListAccountAliases", 2}, {ApiMix::kConsoleBrowse, "ListBuckets", 4},
    {ApiMix::kConsoleBrowse, "GetBucketLocation", 3}, {ApiMix::kConsoleBrowse, "GetBucketPolicy", 2},
    {ApiMix::kConsoleBrowse, "GetBucketAcl", 2}, {ApiMix::kConsoleBrowse, "GetBucketVersioning", 1},
    {ApiMix::kConsoleBrowse, "GetBucketEncryption", 1}, {ApiMix::kConsoleBrowse, "GetBucketTagging", 1},
    {ApiMix::kConsoleBrowse, "GetBucketPublicAccessBlock", 1}, {ApiMix::kConsoleBrowse, "DescribeKey", 1},
    {ApiMix::kConsoleBrowse, "ListAliases", 1}, {ApiMix::kConsoleBrowse, "DescribeLogGroups", 4},
    {ApiMix::kConsoleBrowse, "DescribeLogStreams", 3}, {ApiMix::kConsoleBrowse, "DescribeAlarms", 4},
    {ApiMix::kConsoleBrowse, "ListFunctions20150331", 3}, {ApiMix::kConsoleBrowse, "GetFunction20150331v2", 2},
    {ApiMix::kConsoleBrowse, "DescribeInstanceInformation", 1}, {ApiMix::kConsoleBrowse, "ListSecrets", 1},
    {ApiMix::kConsoleBrowse, "DescribeSecret", 1}, {ApiMix::kConsoleBrowse, "DescribeTrails", 1},
    {ApiMix::kConsoleBrowse, "LookupEvents", 2}, {ApiMix::kConsoleBrowse, "DescribeDBInstances", 2},
    {ApiMix::kConsoleBrowse, "DescribeDBClusters", 1}, {ApiMix::kConsoleBrowse, "DescribeEventAggregates", 2},
    {ApiMix::kConsoleBrowse, "DescribeOrganization", 1}, {ApiMix::kConsoleBrowse, "ListAccounts", 1},
    {ApiMix::kConsoleBrowse, "ListPermissionSets", 1}, {ApiMix::kConsoleBrowse, "DescribePermissionSet", 1},
    {ApiMix::kConsoleBrowse, "ListClusters", 1}, {ApiMix::kConsoleBrowse, "StopInstances", 0.3},
    {ApiMix::kConsoleBrowse, "StartInstances", 0.3}, {ApiMix::kConsoleBrowse, "CreateTags", 0.3},
    // A developer's CLI.
    {ApiMix::kCliDev, "GetCallerIdentity", 6}, {ApiMix::kCliDev, "DescribeInstances", 6},
    {ApiMix::kCliDev, "DescribeSecurityGroups", 2}, {ApiMix::kCliDev, "ListBuckets", 3},
    {ApiMix::kCliDev, "GetBucketLocation", 1}, {ApiMix::kCliDev, "DescribeLogGroups", 3},
    {ApiMix::kCliDev, "DescribeLogStreams", 3}, {ApiMix::kCliDev, "ListFunctions20150331", 2},
    {ApiMix::kCliDev, "GetFunction20150331v2", 3}, {ApiMix::kCliDev, "GetFunctionConfiguration20150331v2", 2},
    {ApiMix::kCliDev, "GetAuthorizationToken", 4}, {ApiMix::kCliDev, "GetParameter", 2},
    {ApiMix::kCliDev, "GetSecretValue", 1}, {ApiMix::kCliDev, "ListClusters", 1},
    {ApiMix::kCliDev, "DescribeDBInstances", 1}, {ApiMix::kCliDev, "DescribeInstanceStatus", 1},
    {ApiMix::kCliDev, "ListRoles", 1}, {ApiMix::kCliDev, "GetRole", 1},
    {ApiMix::kCliDev, "StartInstances", 0.5}, {ApiMix::kCliDev, "StopInstances", 0.5},
    {ApiMix::kCliDev, "CreateTags", 0.5}, {ApiMix::kCliDev, "PutRetentionPolicy", 0.2},
    // Security analysts and auditors.
    {ApiMix::kReadOnlyAudit, "ListUsers", 3}, {ApiMix::kReadOnlyAudit, "ListRoles", 3},
    {ApiMix::kReadOnlyAudit, "GetAccountPasswordPolicy", 2}, {ApiMix::kReadOnlyAudit, "GetAccountSummary", 2},
    {ApiMix::kReadOnlyAudit, "ListPolicies", 2}, {ApiMix::kReadOnlyAudit, "GetPolicy", 1},
    {ApiMix::kReadOnlyAudit, "GetPolicyVersion", 1}, {ApiMix::kReadOnlyAudit, "ListAttachedRolePolicies", 2},
    {ApiMix::kReadOnlyAudit, "DescribeTrails", 3}, {ApiMix::kReadOnlyAudit, "GetTrailStatus", 3},
    {ApiMix::kReadOnlyAudit, "LookupEvents", 4}, {ApiMix::kReadOnlyAudit, "GetBucketPolicy", 2},
    {ApiMix::kReadOnlyAudit, "GetBucketAcl", 2}, {ApiMix::kReadOnlyAudit, "GetBucketPublicAccessBlock", 2},
    {ApiMix::kReadOnlyAudit, "GetBucketEncryption", 2}, {ApiMix::kReadOnlyAudit, "ListBuckets", 2},
    {ApiMix::kReadOnlyAudit, "DescribeSecurityGroups", 3}, {ApiMix::kReadOnlyAudit, "DescribeInstances", 2},
    {ApiMix::kReadOnlyAudit, "DescribeVpcs", 1}, {ApiMix::kReadOnlyAudit, "DescribeKey", 1},
    {ApiMix::kReadOnlyAudit, "GetKeyRotationStatus", 1}, {ApiMix::kReadOnlyAudit, "DescribeOrganization", 1},
    {ApiMix::kReadOnlyAudit, "ListAccounts", 1}, {ApiMix::kReadOnlyAudit, "GetCallerIdentity", 2},
    // Finance in the billing console.
    {ApiMix::kBilling, "GetCostAndUsage", 8}, {ApiMix::kBilling, "DescribeOrganization", 1},
    {ApiMix::kBilling, "ListAccounts", 2}, {ApiMix::kBilling, "DescribeEventAggregates", 1},
    {ApiMix::kBilling, "ListAccountAliases", 1},
    // Terraform refresh, plan and apply.
    {ApiMix::kTerraform, "GetCallerIdentity", 3}, {ApiMix::kTerraform, "DescribeVpcs", 3},
    {ApiMix::kTerraform, "DescribeSubnets", 4}, {ApiMix::kTerraform, "DescribeSecurityGroups", 5},
    {ApiMix::kTerraform, "DescribeRouteTables", 2}, {ApiMix::kTerraform, "DescribeInstances", 3},
    {ApiMix::kTerraform, "DescribeImages", 2}, {ApiMix::kTerraform, "DescribeAvailabilityZones", 2},
    {ApiMix::kTerraform, "DescribeAccountAttributes", 1}, {ApiMix::kTerraform, "DescribeNetworkInterfaces", 1},
    {ApiMix::kTerraform, "DescribeTags", 2}, {ApiMix::kTerraform, "GetRole", 5},
    {ApiMix::kTerraform, "ListRolePolicies", 4}, {ApiMix::kTerraform, "ListAttachedRolePolicies", 4},
    {ApiMix::kTerraform, "GetPolicy", 3}, {ApiMix::kTerraform, "GetPolicyVersion", 3},
    {ApiMix::kTerraform, "ListInstanceProfilesForRole", 1}, {ApiMix::kTerraform, "GetBucketPolicy", 2},
    {ApiMix::kTerraform, "GetBucketAcl", 2}, {ApiMix::kTerraform, "GetBucketVersioning", 2},
    {ApiMix::kTerraform, "GetBucketEncryption", 2}, {ApiMix::kTerraform, "GetBucketTagging", 2},
    {ApiMix::kTerraform, "GetBucketLogging", 1}, {ApiMix::kTerraform, "GetBucketPublicAccessBlock", 2},
    {ApiMix::kTerraform, "GetBucketLocation", 1}, {ApiMix::kTerraform, "DescribeKey", 3},
    {ApiMix::kTerraform, "GetKeyRotationStatus", 2}, {ApiMix::kTerraform, "GetFunction20150331v2", 2},
    {ApiMix::kTerraform, "GetFunctionConfiguration20150331v2", 1}, {ApiMix::kTerraform, "DescribeLogGroups", 2},
    {ApiMix::kTerraform, "DescribeDBInstances", 1}, {ApiMix::kTerraform, "DescribeSecret", 1},
    {ApiMix::kTerraform, "CreateTags", 0.3}, {ApiMix::kTerraform, "PutRetentionPolicy", 0.1},
    // AWS Config recorder.
    {ApiMix::kConfig, "DescribeInstances", 3}, {ApiMix::kConfig, "DescribeSecurityGroups", 3},
    {ApiMix::kConfig, "DescribeVpcs", 2}, {ApiMix::kConfig, "DescribeSubnets", 2},
    {ApiMix::kConfig, "DescribeVolumes", 2}, {ApiMix::kConfig, "DescribeNetworkInterfaces", 2},
    {ApiMix::kConfig, "DescribeRouteTables", 2}, {ApiMix::kConfig, "ListRoles", 1},
    {ApiMix::kConfig, "GetRole", 2}, {ApiMix::kConfig, "ListAttachedRolePolicies", 1},
    {ApiMix::kConfig, "ListRolePolicies", 1}, {ApiMix::kConfig, "GetPolicy", 1},
    {ApiMix::kConfig, "GetBucketAcl", 1}, {ApiMix::kConfig, "GetBucketPolicy", 1},
    {ApiMix::kConfig, "GetBucketVersioning", 1}, {ApiMix::kConfig, "GetBucketEncryption", 1},
    {ApiMix::kConfig, "GetBucketLogging", 1}, {ApiMix::kConfig, "DescribeKey", 1},
    {ApiMix::kConfig, "ListFunctions20150331", 1}, {ApiMix::kConfig, "GetFunction20150331v2", 1},
    {ApiMix::kConfig, "DescribeDBInstances", 1}, {ApiMix::kConfig, "DescribeTrails", 1},
    // IAM Access Analyzer.
    {ApiMix::kAccessAnalyzer, "ListRoles", 2}, {ApiMix::kAccessAnalyzer, "GetRole", 3},
    {ApiMix::kAccessAnalyzer, "GetBucketPolicy", 3}, {ApiMix::kAccessAnalyzer, "GetBucketAcl", 2},
    {ApiMix::kAccessAnalyzer, "GetBucketPublicAccessBlock", 2}, {ApiMix::kAccessAnalyzer, "ListBuckets", 1},
    {ApiMix::kAccessAnalyzer, "ListAliases", 1}, {ApiMix::kAccessAnalyzer, "DescribeKey", 1},
    {ApiMix::kAccessAnalyzer, "ListSecrets", 1}, {ApiMix::kAccessAnalyzer, "ListFunctions20150331", 1},
    // Security Hub checks.
    {ApiMix::kSecurityHub, "DescribeSecurityGroups", 3}, {ApiMix::kSecurityHub, "DescribeInstances", 2},
    {ApiMix::kSecurityHub, "GetAccountPasswordPolicy", 1}, {ApiMix::kSecurityHub, "GetAccountSummary", 1},
    {ApiMix::kSecurityHub, "DescribeTrails", 2}, {ApiMix::kSecurityHub, "GetTrailStatus", 2},
    {ApiMix::kSecurityHub, "GetBucketEncryption", 1}, {ApiMix::kSecurityHub, "GetBucketPublicAccessBlock", 1},
    {ApiMix::kSecurityHub, "GetBucketVersioning", 1}, {ApiMix::kSecurityHub, "GetKeyRotationStatus", 1},
    {ApiMix::kSecurityHub, "DescribeAlarms", 1}, {ApiMix::kSecurityHub, "DescribeSnapshots", 1},
    {ApiMix::kSecurityHub, "DescribeImages", 1}, {ApiMix::kSecurityHub, "ListFunctions20150331", 1},
    // An EC2 instance: SSM agent heartbeats and the application.
    {ApiMix::kEc2Instance, "UpdateInstanceInformation", 10}, {ApiMix::kEc2Instance, "ListInstanceAssociations", 3},
    {ApiMix::kEc2Instance, "GetSecretValue", 2}, {ApiMix::kEc2Instance, "GetParameter", 2},
    {ApiMix::kEc2Instance, "GetCallerIdentity", 0.5}, {ApiMix::kEc2Instance, "DescribeTags", 0.5},
    // A Lambda function.
    {ApiMix::kLambda, "CreateLogStream", 4}, {ApiMix::kLambda, "GetSecretValue", 3},
    {ApiMix::kLambda, "GetParameter", 2}, {ApiMix::kLambda, "DescribeKey", 0.5},
    // AWS services acting for themselves.
    {ApiMix::kAwsService, "AssumeRole", 1},
    // Scripts with an IAM user's long-lived key.
    {ApiMix::kLegacyKey, "DescribeSnapshots", 3}, {ApiMix::kLegacyKey, "DescribeVolumes", 3},
    {ApiMix::kLegacyKey, "CreateSnapshot", 1}, {ApiMix::kLegacyKey, "ListBuckets", 2},
    {ApiMix::kLegacyKey, "GetBucketLocation", 2}, {ApiMix::kLegacyKey, "GetCallerIdentity", 1},
    {ApiMix::kLegacyKey, "DescribeInstances", 1}, {ApiMix::kLegacyKey, "DescribeAlarms", 2},
    {ApiMix::kLegacyKey, "DescribeLogGroups", 1},
};
// clang-format on

constexpr double kDenied[] = {
    0.03,   // kConsoleBrowse
    0.04,   // kCliDev
    0.01,   // kReadOnlyAudit
    0.02,   // kBilling
    0.003,  // kTerraform
    0,      // kConfig
    0,      // kAccessAnalyzer
    0,      // kSecurityHub
    0.002,  // kEc2Instance
    0.002,  // kLambda
    0,      // kAwsService
    0.005,  // kLegacyKey
    0,      // kNone
};

}  // namespace

std::string_view ServiceVersion(Svc s) { return Info(s).version; }
std::string_view ServiceSdkApi(Svc s) { return Info(s).sdk_api; }
bool ServiceIsGlobal(Svc s) { return Info(s).global; }

std::string ServiceHost(Svc s, std::string_view region) {
    const ServiceInfo& i = Info(s);
    if (s == Svc::kEks) return {};  // EKS records carry no tlsDetails
    if (i.global) return std::string(i.global_host);
    std::string h(i.host_prefix);
    h += region;
    h += ".amazonaws.com";
    return h;
}

void DeniedError(const Api& api, std::string_view actor_arn, std::string_view account_id,
                 std::string& code, std::string& message) {
    const ServiceInfo& i = Info(api.svc);
    code = i.denied_code;
    if (api.svc == Svc::kS3) {
        message = "Access Denied";
        return;
    }
    std::string what = "User: " + std::string(actor_arn) +
                       " is not authorized to perform: " + std::string(api.action);
    if (api.svc == Svc::kIam) {
        what += " on resource: arn:aws:iam::" + std::string(account_id) + ":*";
    }
    what += " because no identity-based policy allows the " + std::string(api.action) + " action";
    message =
        api.svc == Svc::kEc2 ? "You are not authorized to perform this operation. " + what : what;
}

MixTable::MixTable() {
    const auto apis = ApiCatalog();
    for (const MixEntry& e : kMix) {
        const int api = FindApi(e.api);
        if (api < 0) continue;
        // Global services, and Identity Center administration (home region us-east-1), are
        // only drawn in the global region's files.
        const Svc svc = apis[static_cast<size_t>(api)].svc;
        const bool global = ServiceIsGlobal(svc) || svc == Svc::kSso;
        for (int g = 0; g < 2; ++g) {
            if (global && g == 0) continue;  // global services only in the global region
            Table& t = tables_[static_cast<int>(e.mix)][g];
            t.api.push_back(static_cast<uint32_t>(api));
            t.cumulative.push_back((t.cumulative.empty() ? 0.0 : t.cumulative.back()) + e.weight);
        }
    }
}

uint32_t MixTable::Draw(ApiMix mix, bool global_region, Rng& rng) const {
    const Table& t = tables_[static_cast<int>(mix)][global_region ? 1 : 0];
    if (t.api.empty()) return 0;
    const double x = rng.Unit() * t.cumulative.back();
    size_t lo = 0, hi = t.cumulative.size() - 1;
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (t.cumulative[mid] > x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return t.api[lo];
}

double MixTable::DeniedShare(ApiMix mix) const { return kDenied[static_cast<int>(mix)]; }

}  // namespace tw::simulate
