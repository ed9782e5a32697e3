// logging-tamper and social-engineering-change.
//
// logging-tamper: the long-lived key of a backup service user in a production account leaks;
// from the actor's address it reads the trail setup, turns management events off on one
// trail, stops logging on another and deletes it, and puts a 1-day expiration rule on the
// bucket the trail writes to.
//
// social-engineering-change (../shared/seeds/000): after an "urgent" call, the MSP's support
// engineer, signed in from home at night outside any change window, opens SSH and RDP to the
// world on a production security group and creates an access key for the caller's IAM user;
// the caller uses the key from elsewhere within minutes.
#include "simulate/actors.h"
#include "simulate/scenario_util.h"

namespace tw::simulate {

namespace {

void EmitLifecycle(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                   std::string_view bucket, std::string_view principal) {
    const Org& org = e.plan().org;
    const Account& a = org.accounts[account];
    const std::string& region = org.regions[a.primary_region];
    Call c = ServiceCall(actor, t, Svc::kS3, "s3.amazonaws.com", "PutBucketLifecycle", region,
                         false, "s3api.put-bucket-lifecycle-configuration");
    const std::string host = std::string(bucket) + ".s3." + region + ".amazonaws.com";
    c.host = host;
    const std::string resources =
        "[{\"accountId\":\"" + a.id +
        "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::" + std::string(bucket) + "\"}]";
    c.resources = resources;
    e.Emit(
        c, account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("bucketName", bucket);
            b.Add(',');
            b.KV("Host", host);
            b.Add(
                ",\"lifecycle\":\"\",\"LifecycleConfiguration\":{\"xmlns\":\"http://s3.amazonaws."
                "com/doc/2006-03-01/\",\"Rule\":{\"ID\":\"expire-logs\",\"Status\":\"Enabled\","
                "\"Filter\":{\"Prefix\":\"\"},\"Expiration\":{\"Days\":1}}}},"
                "\"responseElements\":null,\"additionalEventData\":{\"SignatureVersion\":"
                "\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":"
                "212,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"");
            b.Add(RandomString(e.rng(), kAlnum, 75));
            b.Add("=\",\"bytesTransferredOut\":0}");
        },
        principal);
}

std::string TrailArn(const Org& org, uint32_t account, std::string_view trail) {
    const Account& a = org.accounts[account];
    return "arn:aws:cloudtrail:" + org.regions[a.primary_region] + ":" + a.id + ":trail/" +
           std::string(trail);
}

void EmitOpenPort(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                  std::string_view group, int port, std::string_view principal) {
    const Org& org = e.plan().org;
    const Account& a = org.accounts[account];
    const std::string request_id = Uuid(e.rng());
    const std::string rule = "sgr-0" + RandomString(e.rng(), kHexLower, 16);
    Call c =
        ServiceCall(actor, t, Svc::kEc2, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
                    org.regions[a.primary_region], false, "ec2.authorize-security-group-ingress");
    c.request_id = request_id;
    e.Emit(
        c, account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("groupId", group);
            b.Add(",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":");
            b.Int(port);
            b.Add(",\"toPort\":");
            b.Int(port);
            b.Add(
                ",\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\","
                "\"description\":\"urgent vendor access\"}]},\"ipv6Ranges\":{},"
                "\"prefixListIds\":{}}]}},\"responseElements\":{");
            b.KV("requestId", request_id);
            b.Add(",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{");
            b.KV("groupOwnerId", a.id);
            b.Add(',');
            b.KV("groupId", group);
            b.Add(',');
            b.KV("securityGroupRuleId", rule);
            b.Add(",\"isEgress\":false,\"ipProtocol\":\"tcp\",\"fromPort\":");
            b.Int(port);
            b.Add(",\"toPort\":");
            b.Int(port);
            b.Add(",\"cidrIpv4\":\"0.0.0.0/0\",\"description\":\"urgent vendor access\"}]}}");
        },
        principal);
}

}  // namespace

void EmitLoggingTamper(Plan& plan) {
    Org& org = plan.org;
    const uint32_t prod = org.prod.front();
    const Account& a = org.accounts[prod];
    const IamUser* leaked = &a.iam_users.front();
    for (const auto& u : a.iam_users) {
        if (u.nightly) leaked = &u;
    }
    Emitter e(plan, "logging-tamper", "attack", leaked->name);
    Rng& rng = e.rng();
    const std::string ip = "192.0.2." + std::to_string(10 + rng.Below(200));
    const Actor actor = IamUserActor(
        a, leaked->name, leaked->user_id, leaked->access_key, ip,
        "Boto3/1.26.137 md/Botocore#1.29.137 ua/2.0 os/linux#6.1.0-13-amd64 md/arch#x86_64 "
        "lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.29.137",
        UaStyle::kFixed);
    const std::string& p = actor.arn;
    const std::string& region = org.regions[a.primary_region];
    const std::string local = a.trails.empty() ? a.name + "-local-trail" : a.trails[0];
    const std::string data = a.trails.size() > 1 ? a.trails[1] : local;
    const std::string bucket = a.name + "-cloudtrail-logs-" + a.id;
    const TimeMs t0 = ScenarioTime(plan, 0.8, 5, 15);

    e.Step("discovery:trails", "T1526");
    EmitApi(e, actor, prod, region, t0, "GetCallerIdentity", p);
    EmitApi(e, actor, prod, region, After(t0, 0, 40), "DescribeTrails", p);
    EmitSimple(e, actor, prod, After(t0, 1), Svc::kCloudTrail, "cloudtrail.amazonaws.com",
               "GetEventSelectors", true, "{\"trailName\":\"" + local + "\"}", "null", p, {},
               region);
    e.Step("defense-evasion:event-selectors", "T1562.008");
    EmitPutEventSelectors(e, actor, prod, After(t0, 2), local, false, "All", false, p);
    e.Step("defense-evasion:stop-logging", "T1562.008");
    EmitSimple(e, actor, prod, After(t0, 3), Svc::kCloudTrail, "cloudtrail.amazonaws.com",
               "StopLogging", false, "{\"name\":\"" + TrailArn(org, prod, local) + "\"}", "null", p,
               {}, region);
    e.Step("defense-evasion:delete-trail", "T1562.008");
    EmitSimple(e, actor, prod, After(t0, 4), Svc::kCloudTrail, "cloudtrail.amazonaws.com",
               "DeleteTrail", false, "{\"name\":\"" + TrailArn(org, prod, data) + "\"}", "null", p,
               {}, region);
    e.Step("defense-evasion:log-bucket-lifecycle", "T1562.008");
    EmitLifecycle(e, actor, prod, After(t0, 6), bucket, p);
}

void EmitSocialEngineeringChange(Plan& plan) {
    Org& org = plan.org;
    const int support = std::max(0, org.FindUser(UserRole::kSupport));
    const User& u = org.users[static_cast<size_t>(support)];
    const uint32_t prod = org.prod.front();
    const Account& a = org.accounts[prod];
    Emitter e(plan, "social-engineering-change", "attack", u.user_name);
    Rng& rng = e.rng();
    const TimeMs t0 = ScenarioTime(plan, 0.5, 6, 40);  // 02:40 at the MSP, no change window

    // The engineer signs in as usual, from home: context, not the attack.
    SsoSession s;
    s.account = prod;
    s.user_name = u.user_name;
    s.user_id = u.user_id;
    const int ps = std::max(0, org.FindPermissionSet("AdministratorAccess"));
    s.permission_set = org.permission_sets[static_cast<size_t>(ps)].name;
    s.role_name = org.SsoRoleName(prod, static_cast<uint32_t>(ps));
    s.role_id = a.sso_role_id[static_cast<size_t>(ps)];
    s.duration_s = DurationSeconds(org.permission_sets[static_cast<size_t>(ps)].session_duration);
    s.access_key = AwsKeyId(rng, "ASIA");
    s.credential_id = Uuid(rng);
    s.auth_workflow = Uuid(rng);
    s.saml_assertion = AssertionId(rng);
    s.source_ip = u.home_ip;
    s.browser_ua = u.browser_ua;
    s.cli_ua = u.cli_ua_prefix;
    s.start = t0;
    e.SetLabel("setup");
    e.Step("context:engineer-sign-in", "T1078.004");
    EmitPortalSignIn(e, s, t0);
    const Actor engineer = EmitRoleAccess(e, s, t0);
    EmitApi(e, engineer, prod, org.regions[a.primary_region], After(t0, 1),
            "DescribeSecurityGroups", engineer.arn);

    e.SetLabel("attack");
    e.Step("defense-evasion:open-security-group", "T1562.007");
    const std::string& group = a.security_groups.front();
    EmitOpenPort(e, engineer, prod, After(t0, 3), group, 22, engineer.arn);
    EmitOpenPort(e, engineer, prod, After(t0, 3, 40), group, 3389, engineer.arn);
    const IamUser* requester = &a.iam_users.front();
    for (const auto& iu : a.iam_users) {
        if (iu.name == "vendor-integration") requester = &iu;
    }
    const std::string key = AwsKeyId(rng, "AKIA");
    e.Step("persistence:access-key-for-caller", "T1098.001");
    EmitCreateAccessKey(e, engineer, prod, After(t0, 6), requester->name, key, engineer.arn);

    // The caller uses the new key at once, from its own address.
    const std::string ip = "192.0.2." + std::to_string(60 + rng.Below(150));
    const Actor caller = IamUserActor(a, requester->name, requester->user_id, key, ip,
                                      "python-requests/2.31.0 Boto3/1.34.0", UaStyle::kFixed);
    e.Step("initial-access:new-key-used", "T1078.004");
    const std::string& region = org.regions[a.primary_region];
    EmitApi(e, caller, prod, region, After(t0, 11), "GetCallerIdentity", caller.arn);
    e.Step("discovery:new-key", "T1580");
    EmitApi(e, caller, prod, region, After(t0, 12), "DescribeInstances", caller.arn);
    EmitApi(e, caller, prod, region, After(t0, 12, 30), "DescribeSecurityGroups", caller.arn);
    EmitApi(e, caller, prod, region, After(t0, 13), "ListBuckets", caller.arn);
}

}  // namespace tw::simulate
