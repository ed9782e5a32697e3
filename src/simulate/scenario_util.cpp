// Scenario building blocks.
#include "simulate/scenario_util.h"

#include <map>
#include <mutex>

#include "simulate/actors.h"

namespace tw::simulate {

namespace {

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

Call IamCall(const Org& org, const Actor& actor, TimeMs t, std::string_view name,
             std::string_view cli) {
    return ServiceCall(actor, t, Svc::kIam, "iam.amazonaws.com", name,
                       org.regions[org.global_region], false, cli);
}

}  // namespace

uint32_t RegionIndex(const Org& org, std::string_view region) {
    for (uint32_t i = 0; i < org.regions.size(); ++i) {
        if (org.regions[i] == region) return i;
    }
    return 0;
}

std::string_view StableHost(Svc svc, std::string_view region) {
    static std::mutex mu;
    static std::map<std::pair<int, std::string>, std::string> hosts;
    std::lock_guard lock(mu);
    auto key = std::make_pair(static_cast<int>(svc), std::string(region));
    auto it = hosts.find(key);
    if (it == hosts.end()) it = hosts.emplace(key, ServiceHost(svc, region)).first;
    return it->second;
}

Call ServiceCall(const Actor& actor, TimeMs t, Svc svc, std::string_view source,
                 std::string_view name, std::string_view region, bool read_only,
                 std::string_view cli) {
    Call c;
    c.actor = &actor;
    c.time = t;
    c.version = ServiceVersion(svc);
    c.source = source;
    c.name = name;
    c.region = region;
    c.read_only = read_only;
    c.cli_command = cli;
    c.sdk_api = ServiceSdkApi(svc);
    if (!actor.service) {
        c.host = StableHost(svc, region);
        c.bracket_ua = svc == Svc::kS3;
    }
    if (svc == Svc::kS3) c.request_id_style = RequestIdStyle::kS3;
    return c;
}

std::string EmitApi(Emitter& e, const Actor& actor, uint32_t account, std::string_view region,
                    TimeMs t, std::string_view api_name, std::string_view principal) {
    const int index = FindApi(api_name);
    const Api& api = ApiCatalog()[static_cast<size_t>(index < 0 ? 0 : index)];
    const Org& org = e.plan().org;
    const Account& acct = org.accounts[account];
    const std::string_view where =
        ServiceIsGlobal(api.svc) ? std::string_view(org.regions[org.global_region]) : region;
    return e.EmitRecord(
        t, account, where, api.source, api.name,
        [&](JsonBuf& b, std::string_view id) {
            Call c =
                ServiceCall(actor, t, api.svc, api.source, api.name, where, api.read_only, api.cli);
            c.recipient = acct.id;
            c.event_id = id;
            BeginRecord(b, c);
            JsonBuf res;
            BodyCtx ctx{e.rng(), org, acct, where, actor, t, false, b, res};
            api.body(ctx);
            if (res.size() > 0) c.resources = res.view();
            if (!ctx.host.empty() && !c.host.empty()) c.host = ctx.host;
            EndRecord(b, c, e.rng());
        },
        principal);
}

void EmitPortalSignIn(Emitter& e, const SsoSession& s, TimeMs t) {
    const Plan& plan = e.plan();
    const Org& org = plan.org;
    const std::string_view region = org.regions[org.home_region];
    struct Step {
        SignInStep step;
        int seconds_before;
        std::string_view source, name;
    };
    const Step mfa_steps[] = {
        {kChallengePassword, 52, "signin.amazonaws.com", "CredentialChallenge"},
        {kVerifyPassword, 44, "signin.amazonaws.com", "CredentialVerification"},
        {kChallengeTotp, 44, "signin.amazonaws.com", "CredentialChallenge"},
        {kVerifyTotp, 31, "signin.amazonaws.com", "CredentialVerification"},
        {kUserAuthentication, 31, "signin.amazonaws.com", "UserAuthentication"},
        {kAuthenticate, 30, "sso.amazonaws.com", "Authenticate"},
        {kPortalListAccounts, 27, "sso.amazonaws.com", "ListAccounts"},
    };
    for (const Step& st : mfa_steps) {
        if (!s.mfa && (st.step == kChallengeTotp || st.step == kVerifyTotp)) continue;
        if (org.external_idp && st.step < kUserAuthentication) continue;
        const TimeMs when = t - st.seconds_before * 1000;
        e.EmitRecord(
            when, 0, region, st.source, st.name,
            [&](JsonBuf& b, std::string_view id) {
                WriteSignIn(plan, s, st.step, when, id, b, e.rng());
            },
            s.user_name);
    }
}

Actor EmitRoleAccess(Emitter& e, const SsoSession& s, TimeMs t) {
    const Plan& plan = e.plan();
    const Org& org = plan.org;
    const std::string_view home = org.regions[org.home_region];
    e.EmitRecord(
        t - 4000, 0, home, "sso.amazonaws.com", s.console ? "Federate" : "GetRoleCredentials",
        [&](JsonBuf& b, std::string_view id) {
            WriteRoleCredentials(plan, s, t - 4000, id, b, e.rng());
        },
        s.user_name);
    const Actor role = SsoRoleActor(plan, s);
    e.EmitRecord(
        t - 3000, s.account, home, "sts.amazonaws.com", "AssumeRoleWithSAML",
        [&](JsonBuf& b, std::string_view id) {
            WriteSamlAssume(plan, s, t - 3000, id, b, e.rng());
        },
        role.arn);
    if (s.console) {
        e.EmitRecord(
            t - 1000, s.account, org.regions[org.global_region], "signin.amazonaws.com",
            "ConsoleLogin",
            [&](JsonBuf& b, std::string_view id) {
                WriteConsoleLogin(plan, s, t - 1000, id, b, e.rng());
            },
            role.arn);
    }
    return role;
}

Actor IamUserActor(const Account& a, std::string_view name, std::string_view id,
                   std::string_view key, std::string_view ip, std::string_view ua, UaStyle style) {
    Actor actor;
    actor.identity = IamUserIdentity(a.id, name, id, key);
    actor.arn = "arn:aws:iam::" + a.id + ":user/" + std::string(name);
    actor.source_ip = std::string(ip);
    actor.user_agent = std::string(ua);
    actor.ua = style;
    actor.account_id = a.id;
    return actor;
}

std::string EmitIamCreateUser(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                              std::string_view user, std::string_view user_id,
                              std::string_view principal) {
    const std::string& acct = e.plan().org.accounts[account].id;
    return e.Emit(
        IamCall(e.plan().org, actor, t, "CreateUser", "iam.create-user"), account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("userName", user);
            b.Add("},\"responseElements\":{\"user\":{\"path\":\"/\",");
            b.KV("userName", user);
            b.Add(',');
            b.KV("userId", user_id);
            b.Add(',');
            b.KV("arn", "arn:aws:iam::" + acct + ":user/" + std::string(user));
            b.Add(',');
            b.KV("createDate", AwsIamDate(t));
            b.Add("}}");
        },
        principal);
}

std::string EmitCreateAccessKey(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                std::string_view user, std::string_view key,
                                std::string_view principal) {
    return e.Emit(
        IamCall(e.plan().org, actor, t, "CreateAccessKey", "iam.create-access-key"), account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("userName", user);
            b.Add("},\"responseElements\":{\"accessKey\":{");
            b.KV("userName", user);
            b.Add(',');
            b.KV("accessKeyId", key);
            b.Add(",\"status\":\"Active\",");
            b.KV("createDate", AwsIamDate(t));
            b.Add("}}");
        },
        principal);
}

std::string EmitCreateRole(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                           std::string_view role, std::string_view role_id, std::string_view path,
                           std::string_view trust_policy, std::string_view principal) {
    const std::string& acct = e.plan().org.accounts[account].id;
    std::string full_path(1, '/');
    if (!path.empty()) {
        full_path += path;
        full_path += '/';
    }
    return e.Emit(
        IamCall(e.plan().org, actor, t, "CreateRole", "iam.create-role"), account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("roleName", role);
            if (!path.empty()) {
                b.Add(',');
                b.KV("path", full_path);
            }
            b.Add(",\"assumeRolePolicyDocument\":");
            b.Esc(trust_policy);
            b.Add(",\"maxSessionDuration\":43200},\"responseElements\":{\"role\":{");
            b.KV("path", full_path);
            b.Add(',');
            b.KV("roleName", role);
            b.Add(',');
            b.KV("roleId", role_id);
            b.Add(',');
            b.KV("arn", RoleArn(acct, path, role));
            b.Add(',');
            b.KV("createDate", AwsIamDate(t));
            b.Add(',');
            b.KV("assumeRolePolicyDocument", UrlEncode(trust_policy));
            b.Add(",\"maxSessionDuration\":43200}}");
        },
        principal);
}

std::string EmitAttachRolePolicy(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                 std::string_view role, std::string_view policy_arn,
                                 std::string_view principal) {
    return e.Emit(
        IamCall(e.plan().org, actor, t, "AttachRolePolicy", "iam.attach-role-policy"), account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("roleName", role);
            b.Add(',');
            b.KV("policyArn", policy_arn);
            b.Add("},\"responseElements\":null");
        },
        principal);
}

std::string EmitPutEventSelectors(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                                  std::string_view trail, bool management,
                                  std::string_view read_write, bool data_events,
                                  std::string_view principal) {
    const Org& org = e.plan().org;
    const std::string& region = org.regions[org.home_region];
    const std::string arn = "arn:aws:cloudtrail:" + region + ":" + org.accounts[account].id +
                            ":trail/" + std::string(trail);
    auto selectors = [&](JsonBuf& b) {
        b.Add("\"eventSelectors\":[{\"dataResources\":[");
        if (data_events) {
            b.Add("{\"type\":\"AWS::S3::Object\",\"values\":[\"arn:aws:s3\"]}");
        }
        b.Add("],\"excludeManagementEventSources\":[],\"includeManagementEvents\":");
        b.Bool(management);
        b.Add(",\"readWriteType\":");
        b.Str(read_write);
        b.Add("}]");
    };
    return e.Emit(
        ServiceCall(actor, t, Svc::kCloudTrail, "cloudtrail.amazonaws.com", "PutEventSelectors",
                    region, false, "cloudtrail.put-event-selectors"),
        account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            selectors(b);
            b.Add(',');
            b.KV("trailName", trail);
            b.Add("},\"responseElements\":{");
            selectors(b);
            b.Add(',');
            b.KV("trailARN", arn);
            b.Add('}');
        },
        principal);
}

std::string EmitUpdateTrail(Emitter& e, const Actor& actor, uint32_t account, TimeMs t,
                            std::string_view trail, std::string_view bucket, bool multi_region,
                            std::string_view principal) {
    const Org& org = e.plan().org;
    const std::string& region = org.regions[org.home_region];
    const std::string arn = "arn:aws:cloudtrail:" + region + ":" + org.accounts[account].id +
                            ":trail/" + std::string(trail);
    return e.Emit(
        ServiceCall(actor, t, Svc::kCloudTrail, "cloudtrail.amazonaws.com", "UpdateTrail", region,
                    false, "cloudtrail.update-trail"),
        account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("name", trail);
            b.Add(',');
            b.KV("s3BucketName", bucket);
            b.Add(",\"isMultiRegionTrail\":");
            b.Bool(multi_region);
            b.Add("},\"responseElements\":{");
            b.KV("name", trail);
            b.Add(',');
            b.KV("s3BucketName", bucket);
            b.Add(",\"includeGlobalServiceEvents\":true,\"isMultiRegionTrail\":");
            b.Bool(multi_region);
            b.Add(',');
            b.KV("trailARN", arn);
            b.Add(",\"logFileValidationEnabled\":true,\"isOrganizationTrail\":false}");
        },
        principal);
}

std::string EmitCreateAccountAssignment(Emitter& e, const Actor& actor, TimeMs t, uint32_t target,
                                        std::string_view permission_set_arn,
                                        std::string_view principal_type,
                                        std::string_view principal_id, std::string_view principal) {
    const Org& org = e.plan().org;
    const std::string& target_id = org.accounts[target].id;
    const std::string request_id = Uuid(e.rng());
    Call c =
        ServiceCall(actor, t, Svc::kSso, "sso.amazonaws.com", "CreateAccountAssignment",
                    org.regions[org.home_region], false, "sso-admin.create-account-assignment");
    c.request_id = request_id;
    auto fields = [&](JsonBuf& b) {
        b.KV("targetId", target_id);
        b.Add(",\"targetType\":\"AWS_ACCOUNT\",");
        b.KV("permissionSetArn", permission_set_arn);
        b.Add(',');
        b.KV("principalType", principal_type);
        b.Add(',');
        b.KV("principalId", principal_id);
    };
    return e.Emit(
        c, 0,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":{");
            b.KV("instanceArn", org.InstanceArn());
            b.Add(',');
            fields(b);
            b.Add(
                "},\"responseElements\":{\"accountAssignmentCreationStatus\":{\"status\":"
                "\"IN_PROGRESS\",");
            b.KV("requestId", request_id);
            b.Add(',');
            fields(b);
            b.Add("}}");
        },
        principal);
}

void EmitSsoProvisioning(Emitter& e, uint32_t target, TimeMs t, std::string_view role_name,
                         std::string_view role_id, std::string_view managed_policy_arn) {
    const Plan& plan = e.plan();
    const Org& org = plan.org;
    const Account& a = org.accounts[target];
    Rng k(Mix(plan.options.seed, HashName("sso-slr"), target, static_cast<uint64_t>(t)));
    Actor slr;
    slr.identity = AssumedRoleIdentity(a.id, "AWSServiceRoleForSSO", AwsUniqueId(k, "AROA"),
                                       "aws-service-role/sso.amazonaws.com", "AWS-SSO",
                                       AwsKeyId(k, "ASIA"), t - 1000, "sso.amazonaws.com");
    slr.arn = AssumedRoleArn(a.id, "AWSServiceRoleForSSO", "AWS-SSO");
    slr.source_ip = "sso.amazonaws.com";
    slr.user_agent = "sso.amazonaws.com";
    slr.service = true;
    slr.account_id = a.id;
    const std::string path = "aws-reserved/sso.amazonaws.com/" + org.regions[org.home_region];
    const std::string trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{"
        "\"Federated\":\"arn:aws:iam::" +
        a.id + ":saml-provider/" + a.saml_provider +
        "\"},\"Action\":[\"sts:AssumeRoleWithSAML\",\"sts:TagSession\"],\"Condition\":{"
        "\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}]}";
    EmitCreateRole(e, slr, target, t, role_name, role_id, path, trust, slr.arn);
    EmitAttachRolePolicy(e, slr, target, t + 1000, role_name, managed_policy_arn, slr.arn);
}

std::string EmitSimple(Emitter& e, const Actor& actor, uint32_t account, TimeMs t, Svc svc,
                       std::string_view source, std::string_view name, bool read_only,
                       std::string_view request, std::string_view response,
                       std::string_view principal, std::string_view host, std::string_view region) {
    const Org& org = e.plan().org;
    const std::string_view where = !region.empty()        ? region
                                   : ServiceIsGlobal(svc) ? org.regions[org.global_region]
                                                          : org.regions[org.home_region];
    Call c = ServiceCall(actor, t, svc, source, name, where, read_only);
    if (!host.empty() && !actor.service) c.host = host;
    return e.Emit(
        c, account,
        [&](JsonBuf& b) {
            b.Add("\"requestParameters\":");
            b.Add(request);
            b.Add(",\"responseElements\":");
            b.Add(response);
        },
        principal);
}

namespace {

constexpr std::string_view kRedactedName =
    "\"displayName\":{},\"name\":{\"complexValue\":{\"givenName\":{},\"familyName\":{}}}";

std::string UpHost(const Org& org) {
    return "up.sso." + org.regions[org.home_region] + ".amazonaws.com";
}

}  // namespace

std::string EmitStoreCreateUser(Emitter& e, const Actor& actor, TimeMs t, std::string_view user_id,
                                std::string_view created_by, std::string_view principal) {
    const Org& org = e.plan().org;
    const std::string date = AwsLongDate(t);
    const std::string meta = "\"meta\":{\"createdAt\":\"" + date + "\",\"updatedAt\":\"" + date +
                             "\",\"createdBy\":\"" + std::string(created_by) +
                             "\",\"updatedBy\":\"" + std::string(created_by) + "\"}";
    // The identity store does not log the user's name or e-mail: only that they were set.
    const std::string request =
        "{\"identityStoreId\":\"" + org.identity_store_id +
        "\",\"passwordMode\":\"EMAIL\",\"active\":true,\"userAttributes\":{\"emails\":{"
        "\"complexListValue\":[{\"type\":{},\"value\":{},\"primary\":{}}]}," +
        std::string(kRedactedName) + "}}";
    const std::string response =
        "{\"user\":{\"userId\":\"" + std::string(user_id) +
        "\",\"userAttributes\":{\"emails\":{\"complexListValue\":[{\"verificationStatus\":{},"
        "\"type\":{},\"value\":{},\"primary\":{}}]}," +
        std::string(kRedactedName) + "},\"active\":true," + meta + "}}";
    return EmitSimple(e, actor, 0, t, Svc::kSso, "sso-directory.amazonaws.com", "CreateUser", false,
                      request, response, principal, UpHost(org));
}

std::string EmitStoreAddMember(Emitter& e, const Actor& actor, TimeMs t, std::string_view group_id,
                               std::string_view user_id, std::string_view principal) {
    const Org& org = e.plan().org;
    return EmitSimple(e, actor, 0, t, Svc::kSso, "sso-directory.amazonaws.com", "AddMemberToGroup",
                      false,
                      "{\"identityStoreId\":\"" + org.identity_store_id + "\",\"groupId\":\"" +
                          std::string(group_id) + "\",\"member\":{\"memberId\":\"" +
                          std::string(user_id) + "\"}}",
                      "null", principal, UpHost(org));
}

std::string EmitCreatePermissionSet(Emitter& e, const Actor& actor, TimeMs t, std::string_view name,
                                    std::string_view arn, std::string_view description,
                                    std::string_view duration, std::string_view principal) {
    const Org& org = e.plan().org;
    const std::string n(name), d(description), dur(duration);
    return EmitSimple(e, actor, 0, t, Svc::kSso, "sso.amazonaws.com", "CreatePermissionSet", false,
                      "{\"instanceArn\":\"" + org.InstanceArn() + "\",\"name\":\"" + n +
                          "\",\"description\":\"" + d + "\",\"sessionDuration\":\"" + dur + "\"}",
                      "{\"permissionSet\":{\"name\":\"" + n + "\",\"permissionSetArn\":\"" +
                          std::string(arn) + "\",\"description\":\"" + d + "\",\"createdDate\":\"" +
                          AwsLongDate(t) + "\",\"sessionDuration\":\"" + dur + "\"}}",
                      principal);
}

std::string EmitAttachManagedPolicyToPermissionSet(Emitter& e, const Actor& actor, TimeMs t,
                                                   std::string_view ps_arn,
                                                   std::string_view policy_arn,
                                                   std::string_view principal) {
    const Org& org = e.plan().org;
    return EmitSimple(
        e, actor, 0, t, Svc::kSso, "sso.amazonaws.com", "AttachManagedPolicyToPermissionSet", false,
        "{\"instanceArn\":\"" + org.InstanceArn() + "\",\"permissionSetArn\":\"" +
            std::string(ps_arn) + "\",\"managedPolicyArn\":\"" + std::string(policy_arn) + "\"}",
        "null", principal);
}

}  // namespace tw::simulate
