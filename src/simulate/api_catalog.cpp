// The background API catalog: event source and name, IAM action, CLI command and body of
// every API, and the routine errors some of them return.
#include "simulate/api.h"
#include "simulate/api_bodies.h"

namespace tw::simulate {

namespace {

using namespace bodies;  // NOLINT: the table below names every body

#define TW_API(src, name, svc, ro, action, cli, body) \
    Api { src, name, Svc::svc, ro, action, cli, body }

const Api kCatalog[] = {
    // EC2
    TW_API("ec2.amazonaws.com", "DescribeInstances", kEc2, true, "ec2:DescribeInstances",
           "ec2.describe-instances", DescribeInstances),
    TW_API("ec2.amazonaws.com", "DescribeSecurityGroups", kEc2, true, "ec2:DescribeSecurityGroups",
           "ec2.describe-security-groups", DescribeSecurityGroups),
    TW_API("ec2.amazonaws.com", "DescribeVpcs", kEc2, true, "ec2:DescribeVpcs", "ec2.describe-vpcs",
           DescribeVpcs),
    TW_API("ec2.amazonaws.com", "DescribeSubnets", kEc2, true, "ec2:DescribeSubnets",
           "ec2.describe-subnets", DescribeSubnets),
    TW_API("ec2.amazonaws.com", "DescribeVolumes", kEc2, true, "ec2:DescribeVolumes",
           "ec2.describe-volumes", DescribeVolumes),
    TW_API("ec2.amazonaws.com", "DescribeSnapshots", kEc2, true, "ec2:DescribeSnapshots",
           "ec2.describe-snapshots", DescribeSnapshots),
    TW_API("ec2.amazonaws.com", "DescribeNetworkInterfaces", kEc2, true,
           "ec2:DescribeNetworkInterfaces", "ec2.describe-network-interfaces",
           DescribeNetworkInterfaces),
    TW_API("ec2.amazonaws.com", "DescribeRouteTables", kEc2, true, "ec2:DescribeRouteTables",
           "ec2.describe-route-tables", DescribeRouteTables),
    TW_API("ec2.amazonaws.com", "DescribeRegions", kEc2, true, "ec2:DescribeRegions",
           "ec2.describe-regions", DescribeRegions),
    TW_API("ec2.amazonaws.com", "DescribeAvailabilityZones", kEc2, true,
           "ec2:DescribeAvailabilityZones", "ec2.describe-availability-zones",
           DescribeAvailabilityZones),
    TW_API("ec2.amazonaws.com", "DescribeImages", kEc2, true, "ec2:DescribeImages",
           "ec2.describe-images", DescribeImages),
    TW_API("ec2.amazonaws.com", "DescribeInstanceStatus", kEc2, true, "ec2:DescribeInstanceStatus",
           "ec2.describe-instance-status", DescribeInstanceStatus),
    TW_API("ec2.amazonaws.com", "DescribeTags", kEc2, true, "ec2:DescribeTags", "ec2.describe-tags",
           DescribeTags),
    TW_API("ec2.amazonaws.com", "DescribeKeyPairs", kEc2, true, "ec2:DescribeKeyPairs",
           "ec2.describe-key-pairs", DescribeKeyPairs),
    TW_API("ec2.amazonaws.com", "DescribeAccountAttributes", kEc2, true,
           "ec2:DescribeAccountAttributes", "ec2.describe-account-attributes",
           DescribeAccountAttributes),
    TW_API("ec2.amazonaws.com", "CreateTags", kEc2, false, "ec2:CreateTags", "ec2.create-tags",
           CreateTags),
    TW_API("ec2.amazonaws.com", "StartInstances", kEc2, false, "ec2:StartInstances",
           "ec2.start-instances", StartInstances),
    TW_API("ec2.amazonaws.com", "StopInstances", kEc2, false, "ec2:StopInstances",
           "ec2.stop-instances", StopInstances),
    TW_API("ec2.amazonaws.com", "CreateSnapshot", kEc2, false, "ec2:CreateSnapshot",
           "ec2.create-snapshot", CreateSnapshot),
    // IAM (global)
    TW_API("iam.amazonaws.com", "ListRoles", kIam, true, "iam:ListRoles", "iam.list-roles",
           NullBoth),
    TW_API("iam.amazonaws.com", "ListUsers", kIam, true, "iam:ListUsers", "iam.list-users",
           NullBoth),
    TW_API("iam.amazonaws.com", "ListPolicies", kIam, true, "iam:ListPolicies", "iam.list-policies",
           IamListPolicies),
    TW_API("iam.amazonaws.com", "GetRole", kIam, true, "iam:GetRole", "iam.get-role", IamRoleParam),
    TW_API("iam.amazonaws.com", "ListAttachedRolePolicies", kIam, true,
           "iam:ListAttachedRolePolicies", "iam.list-attached-role-policies", IamRoleParam),
    TW_API("iam.amazonaws.com", "ListRolePolicies", kIam, true, "iam:ListRolePolicies",
           "iam.list-role-policies", IamRoleParam),
    TW_API("iam.amazonaws.com", "GetPolicy", kIam, true, "iam:GetPolicy", "iam.get-policy",
           IamGetPolicy),
    TW_API("iam.amazonaws.com", "GetPolicyVersion", kIam, true, "iam:GetPolicyVersion",
           "iam.get-policy-version", IamGetPolicyVersion),
    TW_API("iam.amazonaws.com", "ListAccountAliases", kIam, true, "iam:ListAccountAliases",
           "iam.list-account-aliases", NullBoth),
    TW_API("iam.amazonaws.com", "GetAccountSummary", kIam, true, "iam:GetAccountSummary",
           "iam.get-account-summary", NullBoth),
    TW_API("iam.amazonaws.com", "GetAccountPasswordPolicy", kIam, true,
           "iam:GetAccountPasswordPolicy", "iam.get-account-password-policy", NullBoth),
    TW_API("iam.amazonaws.com", "ListInstanceProfilesForRole", kIam, true,
           "iam:ListInstanceProfilesForRole", "iam.list-instance-profiles-for-role", IamRoleParam),
    // STS
    TW_API("sts.amazonaws.com", "GetCallerIdentity", kSts, true, "sts:GetCallerIdentity",
           "sts.get-caller-identity", StsCallerIdentity),
    // S3 (bucket-level management events)
    TW_API("s3.amazonaws.com", "ListBuckets", kS3, true, "s3:ListAllMyBuckets",
           "s3api.list-buckets", ListBuckets),
    TW_API("s3.amazonaws.com", "GetBucketLocation", kS3, true, "s3:GetBucketLocation",
           "s3api.get-bucket-location", [](BodyCtx& c) { S3BucketGet(c, "location"); }),
    TW_API("s3.amazonaws.com", "GetBucketPolicy", kS3, true, "s3:GetBucketPolicy",
           "s3api.get-bucket-policy", [](BodyCtx& c) { S3BucketGet(c, "policy"); }),
    TW_API("s3.amazonaws.com", "GetBucketAcl", kS3, true, "s3:GetBucketAcl", "s3api.get-bucket-acl",
           [](BodyCtx& c) { S3BucketGet(c, "acl"); }),
    TW_API("s3.amazonaws.com", "GetBucketVersioning", kS3, true, "s3:GetBucketVersioning",
           "s3api.get-bucket-versioning", [](BodyCtx& c) { S3BucketGet(c, "versioning"); }),
    TW_API("s3.amazonaws.com", "GetBucketEncryption", kS3, true, "s3:GetEncryptionConfiguration",
           "s3api.get-bucket-encryption", [](BodyCtx& c) { S3BucketGet(c, "encryption"); }),
    TW_API("s3.amazonaws.com", "GetBucketTagging", kS3, true, "s3:GetBucketTagging",
           "s3api.get-bucket-tagging", [](BodyCtx& c) { S3BucketGet(c, "tagging"); }),
    TW_API("s3.amazonaws.com", "GetBucketLogging", kS3, true, "s3:GetBucketLogging",
           "s3api.get-bucket-logging", [](BodyCtx& c) { S3BucketGet(c, "logging"); }),
    TW_API("s3.amazonaws.com", "GetBucketPublicAccessBlock", kS3, true,
           "s3:GetBucketPublicAccessBlock", "s3api.get-public-access-block",
           [](BodyCtx& c) { S3BucketGet(c, "publicAccessBlock"); }),
    // KMS
    TW_API("kms.amazonaws.com", "DescribeKey", kKms, true, "kms:DescribeKey", "kms.describe-key",
           KmsKeyParam),
    TW_API("kms.amazonaws.com", "GetKeyRotationStatus", kKms, true, "kms:GetKeyRotationStatus",
           "kms.get-key-rotation-status", KmsKeyParam),
    TW_API("kms.amazonaws.com", "ListAliases", kKms, true, "kms:ListAliases", "kms.list-aliases",
           KmsListAliases),
    // CloudWatch Logs and metrics
    TW_API("logs.amazonaws.com", "DescribeLogGroups", kLogs, true, "logs:DescribeLogGroups",
           "logs.describe-log-groups", LogsDescribeGroups),
    TW_API("logs.amazonaws.com", "DescribeLogStreams", kLogs, true, "logs:DescribeLogStreams",
           "logs.describe-log-streams", LogsDescribeStreams),
    TW_API("logs.amazonaws.com", "PutRetentionPolicy", kLogs, false, "logs:PutRetentionPolicy",
           "logs.put-retention-policy", LogsPutRetention),
    TW_API("monitoring.amazonaws.com", "DescribeAlarms", kMonitoring, true,
           "cloudwatch:DescribeAlarms", "cloudwatch.describe-alarms", DescribeAlarms),
    // Lambda
    TW_API("lambda.amazonaws.com", "ListFunctions20150331", kLambda, true, "lambda:ListFunctions",
           "lambda.list-functions", LambdaList),
    TW_API("lambda.amazonaws.com", "GetFunction20150331v2", kLambda, true, "lambda:GetFunction",
           "lambda.get-function", LambdaFunction),
    TW_API("lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", kLambda, true,
           "lambda:GetFunctionConfiguration", "lambda.get-function-configuration", LambdaFunction),
    // SSM, Secrets Manager
    TW_API("ssm.amazonaws.com", "DescribeInstanceInformation", kSsm, true,
           "ssm:DescribeInstanceInformation", "ssm.describe-instance-information",
           SsmDescribeInstanceInformation),
    TW_API("ssm.amazonaws.com", "GetParameter", kSsm, true, "ssm:GetParameter", "ssm.get-parameter",
           SsmGetParameter),
    TW_API("secretsmanager.amazonaws.com", "GetSecretValue", kSecrets, true,
           "secretsmanager:GetSecretValue", "secretsmanager.get-secret-value", SecretId),
    TW_API("secretsmanager.amazonaws.com", "DescribeSecret", kSecrets, true,
           "secretsmanager:DescribeSecret", "secretsmanager.describe-secret", SecretId),
    TW_API("secretsmanager.amazonaws.com", "ListSecrets", kSecrets, true,
           "secretsmanager:ListSecrets", "secretsmanager.list-secrets", ListSecrets),
    // CloudTrail (reads only in the background)
    TW_API("cloudtrail.amazonaws.com", "DescribeTrails", kCloudTrail, true,
           "cloudtrail:DescribeTrails", "cloudtrail.describe-trails", DescribeTrails),
    TW_API("cloudtrail.amazonaws.com", "GetTrailStatus", kCloudTrail, true,
           "cloudtrail:GetTrailStatus", "cloudtrail.get-trail-status", GetTrailStatus),
    TW_API("cloudtrail.amazonaws.com", "LookupEvents", kCloudTrail, true, "cloudtrail:LookupEvents",
           "cloudtrail.lookup-events", LookupEvents),
    // Organizations, Identity Center administration (management account)
    TW_API("organizations.amazonaws.com", "DescribeOrganization", kOrganizations, true,
           "organizations:DescribeOrganization", "organizations.describe-organization", NullBoth),
    TW_API("organizations.amazonaws.com", "ListAccounts", kOrganizations, true,
           "organizations:ListAccounts", "organizations.list-accounts", NullBoth),
    TW_API("sso.amazonaws.com", "ListPermissionSets", kSso, true, "sso:ListPermissionSets",
           "sso-admin.list-permission-sets", SsoInstanceParam),
    TW_API("sso.amazonaws.com", "DescribePermissionSet", kSso, true, "sso:DescribePermissionSet",
           "sso-admin.describe-permission-set", SsoDescribePermissionSet),
    // RDS, ECR, EKS, Health, Cost Explorer
    TW_API("rds.amazonaws.com", "DescribeDBInstances", kRds, true, "rds:DescribeDBInstances",
           "rds.describe-db-instances", RdsDescribe),
    TW_API("rds.amazonaws.com", "DescribeDBClusters", kRds, true, "rds:DescribeDBClusters",
           "rds.describe-db-clusters", RdsDescribe),
    TW_API("ecr.amazonaws.com", "GetAuthorizationToken", kEcr, true, "ecr:GetAuthorizationToken",
           "ecr.get-authorization-token", EcrAuthToken),
    TW_API("eks.amazonaws.com", "ListClusters", kEks, true, "eks:ListClusters", "eks.list-clusters",
           EksListClusters),
    TW_API("health.amazonaws.com", "DescribeEventAggregates", kHealth, true,
           "health:DescribeEventAggregates", "health.describe-event-aggregates", HealthAggregates),
    TW_API("ce.amazonaws.com", "GetCostAndUsage", kCe, true, "ce:GetCostAndUsage",
           "ce.get-cost-and-usage", CostAndUsage),
    // Workloads and the services that run them
    TW_API("ssm.amazonaws.com", "UpdateInstanceInformation", kSsm, false,
           "ssm:UpdateInstanceInformation", "", UpdateInstanceInformation),
    TW_API("ssm.amazonaws.com", "ListInstanceAssociations", kSsm, true,
           "ssm:ListInstanceAssociations", "", ListInstanceAssociations),
    TW_API("logs.amazonaws.com", "CreateLogStream", kLogs, false, "logs:CreateLogStream", "",
           CreateLogStream),
    TW_API("sts.amazonaws.com", "AssumeRole", kSts, true, "sts:AssumeRole", "sts.assume-role",
           ServiceAssumeRole),
};

#undef TW_API

constexpr std::string_view kSsmAgent =
    "aws-sdk-go/1.44.302 (go1.21.10; linux; amd64) amazon-ssm-agent/3.3.484.0";
constexpr std::string_view kLambdaWorker = "awslambda-worker/1.0 rusoto/0.48.0 rust/1.74.1 linux";

struct NaturalError {
    std::string_view name, code, message;
    double p;
};
constexpr NaturalError kNaturalErrors[] = {
    {"GetBucketPolicy", "NoSuchBucketPolicy", "The bucket policy does not exist", 0.45},
    {"GetBucketTagging", "NoSuchTagSet", "The TagSet does not exist", 0.35},
    {"GetFunction20150331v2", "ResourceNotFoundException", "Function not found", 0.02},
    {"GetRole", "NoSuchEntityException", "The role cannot be found.", 0.01},
    {"DescribeSecret", "ResourceNotFoundException",
     "Secrets Manager can't find the specified secret.", 0.02},
};

}  // namespace

std::span<const Api> ApiCatalog() {
    static const std::vector<Api> catalog = [] {
        std::vector<Api> v(std::begin(kCatalog), std::end(kCatalog));
        for (Api& a : v) {
            for (const auto& e : kNaturalErrors) {
                if (a.name == e.name) {
                    a.natural_error = e.code;
                    a.natural_message = e.message;
                    a.natural_p = e.p;
                }
            }
            if (a.name == "UpdateInstanceInformation" || a.name == "ListInstanceAssociations") {
                a.agent = kSsmAgent;
            }
            if (a.name == "CreateLogStream") a.agent = kLambdaWorker;
        }
        return v;
    }();
    return catalog;
}

int FindApi(std::string_view name, std::string_view source) {
    const auto apis = ApiCatalog();
    for (size_t i = 0; i < apis.size(); ++i) {
        if (apis[i].name == name && (source.empty() || apis[i].source == source)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

}  // namespace tw::simulate
