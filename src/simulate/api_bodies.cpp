// Request and response shapes of the background APIs.
//
// Shapes follow real records of the same event names (../shared/corpus and AWS
// documentation): EC2 Describe* carry their *Set request members and a null response; IAM and
// most read calls have a null response; S3 bucket calls carry Host, additionalEventData and
// a bucket resource; KMS, SSM parameter and STS calls list the key, parameter or role in
// resources.
#include "simulate/api_bodies.h"

#include <array>
#include <cstdio>

namespace tw::simulate::bodies {

static const std::string& Any(Rng& rng, const std::vector<std::string>& v) {
    return v[rng.Below(static_cast<uint32_t>(v.size()))];
}

static void Req(BodyCtx& c) { c.b.Add("\"requestParameters\":"); }
static void NullResp(BodyCtx& c) { c.b.Add(",\"responseElements\":null"); }
void NullBoth(BodyCtx& c) { c.b.Add("\"requestParameters\":null,\"responseElements\":null"); }

// {"items":[{"<key>":"<value>"}]}
static void Items1(JsonBuf& b, std::string_view key, std::string_view value) {
    b.Add("{\"items\":[{");
    b.KV(key, value);
    b.Add("}]}");
}

static std::string_view InstanceOf(BodyCtx& c) {
    for (int tries = 0; tries < 4 && !c.account.workloads.empty(); ++tries) {
        const Workload& w =
            c.account.workloads[c.rng.Below(static_cast<uint32_t>(c.account.workloads.size()))];
        if (!w.lambda) return w.name;
    }
    return "i-0a1b2c3d4e5f60718";
}

static std::string_view FunctionOf(BodyCtx& c) {
    for (int tries = 0; tries < 4 && !c.account.workloads.empty(); ++tries) {
        const Workload& w =
            c.account.workloads[c.rng.Below(static_cast<uint32_t>(c.account.workloads.size()))];
        if (w.lambda) return w.name;
    }
    return c.account.log_groups.empty() ? std::string_view("handler") : "handler";
}

// ---------------------------------------------------------------- EC2
static void Ec2Simple(BodyCtx& c, std::string_view set_name) {
    Req(c);
    c.b.Add('{');
    c.b.Key(set_name);
    c.b.Add("{},\"filterSet\":{}}");
    NullResp(c);
}
void DescribeInstances(BodyCtx& c) {
    Req(c);
    if (c.rng.Chance(0.3)) {
        c.b.Add("{\"instancesSet\":");
        Items1(c.b, "instanceId", InstanceOf(c));
        c.b.Add(",\"filterSet\":{}}");
    } else {
        c.b.Add("{\"instancesSet\":{},\"filterSet\":{}}");
    }
    NullResp(c);
}
void DescribeSecurityGroups(BodyCtx& c) {
    Req(c);
    if (c.rng.Chance(0.4)) {
        c.b.Add("{\"securityGroupSet\":{},\"securityGroupIdSet\":");
        Items1(c.b, "groupId", Any(c.rng, c.account.security_groups));
        c.b.Add(",\"filterSet\":{}}");
    } else {
        c.b.Add("{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}");
    }
    NullResp(c);
}
void DescribeSubnets(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"subnetSet\":{},\"filterSet\":{\"items\":[{\"name\":\"vpc-id\",\"valueSet\":");
    Items1(c.b, "value", Any(c.rng, c.account.vpcs));
    c.b.Add("}]}}");
    NullResp(c);
}
void DescribeVpcs(BodyCtx& c) { Ec2Simple(c, "vpcSet"); }
void DescribeVolumes(BodyCtx& c) { Ec2Simple(c, "volumeSet"); }
void DescribeNetworkInterfaces(BodyCtx& c) { Ec2Simple(c, "networkInterfaceIdSet"); }
void DescribeRouteTables(BodyCtx& c) { Ec2Simple(c, "routeTableIdSet"); }
void DescribeKeyPairs(BodyCtx& c) { Ec2Simple(c, "keySet"); }
void DescribeSnapshots(BodyCtx& c) {
    Req(c);
    c.b.Add(
        "{\"maxResults\":1000,\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},"
        "\"sharedUsersSet\":{},\"filterSet\":{}}");
    NullResp(c);
}
void DescribeRegions(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"regionSet\":{}}");
    NullResp(c);
}
void DescribeAvailabilityZones(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"availabilityZoneSet\":{},\"availabilityZoneIdSet\":{}}");
    NullResp(c);
}
void DescribeImages(BodyCtx& c) {
    Req(c);
    c.b.Add(
        "{\"executableBySet\":{},\"imagesSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},"
        "\"filterSet\":{}}");
    NullResp(c);
}
void DescribeInstanceStatus(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"instancesSet\":{},\"filterSet\":{},\"includeAllInstances\":true}");
    NullResp(c);
}
void DescribeTags(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"filterSet\":{\"items\":[{\"name\":\"resource-id\",\"valueSet\":");
    Items1(c.b, "value", InstanceOf(c));
    c.b.Add("}]}}");
    NullResp(c);
}
void DescribeAccountAttributes(BodyCtx& c) {
    Req(c);
    c.b.Add(
        "{\"accountAttributeNameSet\":{\"items\":[{\"attributeName\":\"supported-platforms\"}]},"
        "\"filterSet\":{}}");
    NullResp(c);
}
void CreateTags(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"resourcesSet\":");
    Items1(c.b, "resourceId", InstanceOf(c));
    c.b.Add(",\"tagSet\":{\"items\":[{\"key\":\"CostCenter\",\"value\":\"cc-");
    c.b.UInt(1000 + c.rng.Below(9000));
    c.b.Add("\"}]}}");
    if (c.failed) {
        NullResp(c);
        return;
    }
    c.b.Add(",\"responseElements\":{\"requestId\":");
    WriteUuid(c.b, c.rng);
    c.b.Add(",\"_return\":true}");
}
static void StartStopInstances(BodyCtx& c, bool start) {
    const std::string_view id = InstanceOf(c);
    Req(c);
    c.b.Add("{\"instancesSet\":");
    Items1(c.b, "instanceId", id);
    c.b.Add('}');
    if (c.failed) {
        NullResp(c);
        return;
    }
    c.b.Add(",\"responseElements\":{\"requestId\":");
    WriteUuid(c.b, c.rng);
    c.b.Add(",\"instancesSet\":{\"items\":[{\"instanceId\":");
    c.b.Str(id);
    c.b.Add(start ? std::string_view(",\"currentState\":{\"code\":0,\"name\":\"pending\"},"
                                     "\"previousState\":{\"code\":80,\"name\":\"stopped\"}}]}}")
                  : std::string_view(",\"currentState\":{\"code\":64,\"name\":\"stopping\"},"
                                     "\"previousState\":{\"code\":16,\"name\":\"running\"}}]}}"));
}
void StartInstances(BodyCtx& c) { StartStopInstances(c, true); }
void StopInstances(BodyCtx& c) { StartStopInstances(c, false); }
void CreateSnapshot(BodyCtx& c) {
    const std::string vol = "vol-0" + RandomString(c.rng, kHexLower, 16);
    Req(c);
    c.b.Add("{\"volumeId\":");
    c.b.Str(vol);
    c.b.Add(",\"description\":\"nightly backup\"}");
    if (c.failed) {
        NullResp(c);
        return;
    }
    c.b.Add(",\"responseElements\":{\"requestId\":");
    WriteUuid(c.b, c.rng);
    c.b.Add(",\"snapshotId\":\"snap-0");
    for (int i = 0; i < 16; ++i) c.b.Add(kHexLower[c.rng.Below(16)]);
    c.b.Add("\",\"volumeId\":");
    c.b.Str(vol);
    c.b.Add(",\"status\":\"pending\",\"startTime\":");
    c.b.UInt(static_cast<uint64_t>(c.time));
    c.b.Add(",\"progress\":\"\",\"ownerId\":");
    c.b.Str(c.account.id);
    c.b.Add(",\"volumeSize\":100,\"description\":\"nightly backup\",\"encrypted\":true}");
}

// ---------------------------------------------------------------- IAM
static std::string_view RoleOf(BodyCtx& c) {
    if (!c.account.workloads.empty() && c.rng.Chance(0.7)) {
        return c.account.workloads[c.rng.Below(static_cast<uint32_t>(c.account.workloads.size()))]
            .role_name;
    }
    return c.account.ci_role_name.empty() ? std::string_view("OrganizationAccountAccessRole")
                                          : std::string_view(c.account.ci_role_name);
}
void IamRoleParam(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"roleName\":");
    c.b.Str(RoleOf(c));
    c.b.Add('}');
    NullResp(c);
}
void IamGetPolicy(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"policyArn\":\"arn:aws:iam::");
    c.b.Add(c.account.id);
    c.b.Add(":policy/");
    c.b.Add(RoleOf(c));
    c.b.Add("-policy\"}");
    NullResp(c);
}
void IamGetPolicyVersion(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"policyArn\":\"arn:aws:iam::");
    c.b.Add(c.account.id);
    c.b.Add(":policy/");
    c.b.Add(RoleOf(c));
    c.b.Add("-policy\",\"versionId\":\"v");
    c.b.UInt(1 + c.rng.Below(6));
    c.b.Add("\"}");
    NullResp(c);
}
void IamListPolicies(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"scope\":\"Local\",\"onlyAttached\":false,\"maxItems\":100}");
    NullResp(c);
}

// ---------------------------------------------------------------- S3
static void S3Additional(BodyCtx& c, uint32_t out_bytes) {
    static constexpr std::string_view kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    c.b.Add(
        ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":"
        "\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":0,\"AuthenticationMethod\":"
        "\"AuthHeader\",\"x-amz-id-2\":\"");
    for (int i = 0; i < 75; ++i) c.b.Add(kB64[c.rng.Below(64)]);
    c.b.Add("=\",\"bytesTransferredOut\":");
    c.b.UInt(out_bytes);
    c.b.Add('}');
}
static void S3BucketResource(BodyCtx& c, std::string_view bucket) {
    c.res.Add("[{\"accountId\":");
    c.res.Str(c.account.id);
    c.res.Add(",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
    c.res.Add(bucket);
    c.res.Add("\"}]");
}
void S3BucketGet(BodyCtx& c, std::string_view sub) {
    const std::string& bucket = Any(c.rng, c.account.buckets);
    Req(c);
    c.b.Add("{\"bucketName\":");
    c.b.Str(bucket);
    c.b.Add(",\"Host\":\"");
    c.b.Add(bucket);
    c.b.Add(".s3.");
    c.b.Add(c.region);
    c.b.Add(".amazonaws.com\",");
    c.b.Key(sub);
    c.b.Add("\"\"}");
    NullResp(c);
    S3Additional(c, c.failed ? 243 : 300 + c.rng.Below(900));
    S3BucketResource(c, bucket);
}
void ListBuckets(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"Host\":\"s3.");
    c.b.Add(c.region);
    c.b.Add(".amazonaws.com\"}");
    NullResp(c);
    S3Additional(c, 1500 + c.rng.Below(9000));
}

// ---------------------------------------------------------------- others
void StsCallerIdentity(BodyCtx& c) { NullBoth(c); }
void KmsKeyParam(BodyCtx& c) {
    const std::string& key = Any(c.rng, c.account.kms_keys);
    Req(c);
    c.b.Add("{\"keyId\":\"arn:aws:kms:");
    c.b.Add(c.region);
    c.b.Add(':');
    c.b.Add(c.account.id);
    c.b.Add(":key/");
    c.b.Add(key);
    c.b.Add("\"}");
    NullResp(c);
    c.res.Add("[{\"accountId\":");
    c.res.Str(c.account.id);
    c.res.Add(",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:");
    c.res.Add(c.region);
    c.res.Add(':');
    c.res.Add(c.account.id);
    c.res.Add(":key/");
    c.res.Add(key);
    c.res.Add("\"}]");
}
void KmsListAliases(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"limit\":100}");
    NullResp(c);
}
void LogsDescribeGroups(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"limit\":50}");
    NullResp(c);
}
void LogsDescribeStreams(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"logGroupName\":");
    c.b.Str(Any(c.rng, c.account.log_groups));
    c.b.Add(",\"orderBy\":\"LastEventTime\",\"descending\":true,\"limit\":50}");
    NullResp(c);
}
void LogsPutRetention(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"logGroupName\":");
    c.b.Str(Any(c.rng, c.account.log_groups));
    c.b.Add(",\"retentionInDays\":90}");
    NullResp(c);
}
void DescribeAlarms(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxRecords\":100}");
    NullResp(c);
}
void LambdaList(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxItems\":50}");
    NullResp(c);
}
void LambdaFunction(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"functionName\":");
    c.b.Str(FunctionOf(c));
    c.b.Add('}');
    NullResp(c);
}
void SsmDescribeInstanceInformation(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxResults\":50}");
    NullResp(c);
}
void SsmGetParameter(BodyCtx& c) {
    static constexpr std::array<std::string_view, 4> kNames = {"feature-flags", "endpoints",
                                                               "log-level", "cache-ttl"};
    const std::string_view leaf = kNames[c.rng.Below(kNames.size())];
    Req(c);
    c.b.Add("{\"name\":\"/");
    c.b.Add(c.account.name);
    c.b.Add("/config/");
    c.b.Add(leaf);
    c.b.Add("\",\"withDecryption\":true}");
    NullResp(c);
    c.res.Add("[{\"accountId\":");
    c.res.Str(c.account.id);
    c.res.Add(",\"type\":\"AWS::SSM::Parameter\",\"ARN\":\"arn:aws:ssm:");
    c.res.Add(c.region);
    c.res.Add(':');
    c.res.Add(c.account.id);
    c.res.Add(":parameter/");
    c.res.Add(c.account.name);
    c.res.Add("/config/");
    c.res.Add(leaf);
    c.res.Add("\"}]");
}
void SecretId(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"secretId\":");
    c.b.Str(Any(c.rng, c.account.secrets));
    c.b.Add('}');
    NullResp(c);
}
void ListSecrets(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxResults\":100}");
    NullResp(c);
}
void DescribeTrails(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"trailNameList\":[],\"includeShadowTrails\":true}");
    NullResp(c);
}
void GetTrailStatus(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"name\":\"arn:aws:cloudtrail:");
    c.b.Add(c.org.regions[c.org.home_region]);
    c.b.Add(':');
    c.b.Add(c.org.management().id);
    c.b.Add(":trail/");
    c.b.Add(c.org.org_trail_name);
    c.b.Add("\"}");
    NullResp(c);
}
void LookupEvents(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxResults\":50,\"lookupAttributes\":[{\"attributeKey\":\"ReadOnly\",");
    c.b.Add("\"attributeValue\":\"false\"}]}");
    NullResp(c);
}
void SsoInstanceParam(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"instanceArn\":");
    c.b.Str(c.org.InstanceArn());
    c.b.Add(",\"maxResults\":100}");
    NullResp(c);
}
void SsoDescribePermissionSet(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"instanceArn\":");
    c.b.Str(c.org.InstanceArn());
    c.b.Add(",\"permissionSetArn\":");
    c.b.Str(
        c.org.PermissionSetArn(c.rng.Below(static_cast<uint32_t>(c.org.permission_sets.size()))));
    c.b.Add('}');
    NullResp(c);
}
void RdsDescribe(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"maxRecords\":100,\"includeShared\":false}");
    NullResp(c);
}
void EcrAuthToken(BodyCtx& c) {
    Req(c);
    c.b.Add("{}");
    c.b.Add(c.failed ? std::string_view(",\"responseElements\":null")
                     : std::string_view(",\"responseElements\":{\"authorizationData\":[{"
                                        "\"authorizationToken\":\"HIDDEN_DUE_TO_SECURITY_"
                                        "REASONS\"}]}"));
}
void EksListClusters(BodyCtx& c) { NullBoth(c); }
void HealthAggregates(BodyCtx& c) {
    Req(c);
    c.b.Add(
        "{\"aggregateField\":\"eventTypeCategory\",\"filter\":{\"eventStatusCodes\":[\"open\","
        "\"upcoming\"]}}");
    NullResp(c);
}
void CostAndUsage(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"granularity\":\"MONTHLY\",\"metrics\":[\"UnblendedCost\"]}");
    NullResp(c);
}

// ---------------------------------------------------------------- workloads
void UpdateInstanceInformation(BodyCtx& c) {
    const std::string_view id =
        c.workload != nullptr ? std::string_view(c.workload->name) : InstanceOf(c);
    const uint64_t h = HashName(id);
    const unsigned o2 = static_cast<unsigned>(h % 200), o3 = static_cast<unsigned>(h / 200 % 250);
    char ip[32];
    std::snprintf(ip, sizeof ip, "10.%u.%u.%u", 10 + o2 % 20, o2, 4 + o3);
    Req(c);
    c.b.Add("{\"instanceId\":");
    c.b.Str(id);
    c.b.Add(
        ",\"agentVersion\":\"3.3.484.0\",\"agentStatus\":\"Active\",\"platformType\":\"Linux\","
        "\"platformName\":\"Amazon Linux\",\"platformVersion\":\"2023\",\"iPAddress\":\"");
    c.b.Add(ip);
    c.b.Add("\",\"computerName\":\"ip-");
    for (char* p = ip; *p != 0; ++p) c.b.Add(*p == '.' ? '-' : *p);
    c.b.Add(".ec2.internal\",\"agentName\":\"amazon-ssm-agent\",\"availabilityZone\":\"");
    c.b.Add(c.region);
    c.b.Add(h % 2 == 0 ? std::string_view("a") : std::string_view("b"));
    c.b.Add("\",\"sSMConnectionChannel\":\"ssmmessages\"}");
    NullResp(c);
}
void ListInstanceAssociations(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"instanceId\":");
    c.b.Str(c.workload != nullptr ? std::string_view(c.workload->name) : InstanceOf(c));
    c.b.Add(",\"maxResults\":20}");
    NullResp(c);
}
void CreateLogStream(BodyCtx& c) {
    Req(c);
    c.b.Add("{\"logGroupName\":\"/aws/lambda/");
    c.b.Add(c.workload != nullptr ? std::string_view(c.workload->name) : FunctionOf(c));
    c.b.Add("\",\"logStreamName\":\"");
    const Civil d = ToCivil(c.time);
    char day[16];
    std::snprintf(day, sizeof day, "%04d/%02u/%02u", d.year, d.month, d.day);
    c.b.Add(day);
    c.b.Add("/[$LATEST]");
    for (int i = 0; i < 32; ++i) c.b.Add(kHexLower[c.rng.Below(16)]);
    c.b.Add("\"}");
    NullResp(c);
}
void ServiceAssumeRole(BodyCtx& c) {
    static constexpr std::string_view kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const Workload* w = c.workload;
    const std::string_view role = w != nullptr ? std::string_view(w->role_name) : RoleOf(c);
    const std::string_view session = w != nullptr ? std::string_view(w->name) : "session";
    Req(c);
    c.b.Add("{\"roleArn\":\"arn:aws:iam::");
    c.b.Add(c.account.id);
    c.b.Add(":role/");
    c.b.Add(role);
    c.b.Add("\",\"roleSessionName\":");
    c.b.Str(session);
    c.b.Add('}');
    if (c.failed) {
        NullResp(c);
    } else {
        c.b.Add(",\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA");
        for (int i = 0; i < 16; ++i) c.b.Add(kKeyChars[c.rng.Below(32)]);
        c.b.Add("\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
        for (int i = 0; i < 340; ++i) c.b.Add(kB64[c.rng.Below(64)]);
        c.b.Add("\",\"expiration\":");
        c.b.Str(AwsLongDate(c.time + (w != nullptr && w->lambda ? 12 : 6) * 3600000));
        c.b.Add("}}");
    }
    c.res.Add("[{\"accountId\":");
    c.res.Str(c.account.id);
    c.res.Add(",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::");
    c.res.Add(c.account.id);
    c.res.Add(":role/");
    c.res.Add(role);
    c.res.Add("\"}]");
}

}  // namespace tw::simulate::bodies
