// idp-takeover: initial access through the identity provider, step by step as AWS CIRT
// describes it in ../shared/seeds/002 ("Unauthorized tactic spotlight: initial access through a
// third-party identity provider").
//
// The org's identity source is an external IdP that provisions Identity Center over SCIM. The
// actor controls that IdP. In `idp-takeover` it creates a user there and puts it in the
// platform administrators' group, which holds AdministratorAccess: the IdP provisions both into
// the identity store (identitystore-scim CreateUser and PatchGroup), and the user signs in
// through the IdP to the access portal. In `idp-takeover-admin` the actor signs in as an
// existing administrator instead. Then, from the actor's address and browser, in the
// management account: reduces logging (UpdateTrail, PutEventSelectors: management events off
// on one trail, ReadOnly on another); starts Identity Center on a new instance (StartSSO,
// CreateInstance); creates a user, a group and the membership in the identity store
// (sso-directory); creates a 12-hour permission set with AdministratorAccess and assigns it to
// many member accounts (Identity Center provisions the role in each). The second user signs in
// and works in member accounts as AWSReservedSSO_<set>_<hex>; there it creates a SAML provider
// and a role trusting it, assumes the role through it, creates an IAM user and an access key;
// with that key it calls GetFederationToken and works as the federated user, up to a console
// sign-in.
//
// Identities are consistent end to end: the user id SCIM returns is the one that signs in; the
// CreateUser userId is the one that signs in next; the assignments target the accounts where
// the role sessions appear; the access key returned by CreateAccessKey is the one used; the
// federated user ARN carries the GetFederationToken name.
#include "simulate/actors.h"
#include "simulate/scenario_util.h"
#include "simulate/scim.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kAttackerBrowser =
    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0";
constexpr std::string_view kAttackerCli =
    "aws-cli/2.13.25 md/awscrt#0.16.16 ua/2.0 os/linux#6.5.0-35-generic md/arch#x86_64 "
    "lang/python#3.11.5 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
    "md/distrib#ubuntu.22 md/prompt#off";
constexpr std::string_view kAdminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess";
// A sign-in endpoint call (GetSigninToken, ConsoleLogin): event type AwsConsoleSignIn, no
// request id, served by `host`.
Call ConsoleSignInCall(const Actor& actor, TimeMs t, std::string_view name,
                       const std::string& region, std::string_view host) {
    Call c = ServiceCall(actor, t, Svc::kSts, "signin.amazonaws.com", name, region, false);
    c.version = "1.08";
    c.event_type = "AwsConsoleSignIn";
    c.request_id_style = RequestIdStyle::kNone;
    c.host = host;
    return c;
}

// The actor's first session: an Identity Center user's portal sign-in and AdministratorAccess
// console session in the management account.
struct Foothold {
    SsoSession session;
    Actor console;
    std::string browser_ip, vps_ip;
    TimeMs t0 = 0;
};

// The addresses the actor works from (drawn first, so both stories use the same ones).
void DrawAddresses(Rng& rng, Foothold& f) {
    f.browser_ip = "192.0.2." + std::to_string(20 + rng.Below(100));
    f.vps_ip = "192.0.2." + std::to_string(140 + rng.Below(100));
}

// The portal sign-in of `user_name` from the actor's address and browser, then its console
// session in the management account with AdministratorAccess.
void SignIn(Emitter& e, Foothold& f, std::string_view user_name, std::string_view user_id) {
    const Org& org = e.plan().org;
    Rng& rng = e.rng();
    const int admin_ps = std::max(0, org.FindPermissionSet("AdministratorAccess"));
    SsoSession& s = f.session;
    s.account = 0;
    s.user_name = std::string(user_name);
    s.user_id = std::string(user_id);
    s.permission_set = org.permission_sets[static_cast<size_t>(admin_ps)].name;
    s.role_name = org.SsoRoleName(0, static_cast<uint32_t>(admin_ps));
    s.role_id = org.management().sso_role_id[static_cast<size_t>(admin_ps)];
    s.duration_s =
        DurationSeconds(org.permission_sets[static_cast<size_t>(admin_ps)].session_duration);
    s.access_key = AwsKeyId(rng, "ASIA");
    s.credential_id = Uuid(rng);
    s.auth_workflow = Uuid(rng);
    s.saml_assertion = AssertionId(rng);
    s.source_ip = f.browser_ip;
    s.browser_ua = std::string(kAttackerBrowser);
    s.cli_ua = std::string(kAttackerCli);
    s.console = true;
    s.start = f.t0;
    e.Step("initial-access:portal-sign-in", "T1078.004");
    EmitPortalSignIn(e, s, f.t0);
    f.console = EmitRoleAccess(e, s, f.t0);
}

// Everything after the first sign-in (steps 2-11 of the seed document).
void EmitFromFoothold(Emitter& e, const Foothold& f);

}  // namespace

void PrepareIdpTakeover(Plan& plan) { UseExternalIdp(plan.org, plan.options.seed); }

void EmitIdpTakeover(Plan& plan) {
    Org& org = plan.org;
    const std::string user_name = "jordan.ellis.ext@" + org.domain;
    Emitter e(plan, "idp-takeover", "attack", user_name);
    Rng& rng = e.rng();
    const std::string& home = org.regions[org.home_region];
    Foothold f;
    DrawAddresses(rng, f);
    f.t0 = ScenarioTime(plan, 0.6, 1, 5);

    // ---- 0. In the IdP it controls, the actor creates a user and adds it to the platform
    // administrators' group (AdministratorAccess in every account); the IdP provisions both
    // into the identity store over SCIM. The records name neither the user nor the member.
    const std::string user_id = Uuid(rng);
    const std::string& admins = org.groups[0].group_id;
    const std::string scim = ScimPrincipal(org);
    const TimeMs t_scim = After(f.t0, -9);
    e.Step("persistence:idp-user", "T1136.003");
    e.EmitRecord(
        t_scim, 0, home, "identitystore-scim.amazonaws.com", "CreateUser",
        [&](JsonBuf& b, std::string_view id) {
            WriteScimCreateUser(plan, t_scim, user_id, id, b, e.rng());
        },
        scim);
    e.Step("privilege-escalation:idp-admin-group", "T1098.003");
    e.EmitRecord(
        t_scim + 2000, 0, home, "identitystore-scim.amazonaws.com", "PatchGroup",
        [&](JsonBuf& b, std::string_view id) {
            WriteScimAddGroupMember(plan, t_scim + 2000, admins, id, b, e.rng());
        },
        scim);

    // ---- 1. The new user signs in through the IdP, from the actor's address and browser.
    SignIn(e, f, user_name, user_id);
    EmitFromFoothold(e, f);
}

void EmitIdpTakeoverAdmin(Plan& plan) {
    Org& org = plan.org;
    const int admin_index = std::max(0, org.FindUser(UserRole::kPlatformAdmin, 1));
    const User& admin = org.users[static_cast<size_t>(admin_index)];
    Emitter e(plan, "idp-takeover-admin", "attack", admin.user_name);
    Foothold f;
    DrawAddresses(e.rng(), f);
    f.t0 = ScenarioTime(plan, 0.6, 1, 5);
    // ---- 1. Initial access: the admin's sign-in, from the actor's address and browser.
    SignIn(e, f, admin.user_name, admin.user_id);
    EmitFromFoothold(e, f);
}

namespace {

void EmitFromFoothold(Emitter& e, const Foothold& f) {
    Plan& plan = e.plan();
    Org& org = plan.org;
    Rng& rng = e.rng();
    const std::string& browser_ip = f.browser_ip;
    const std::string& vps_ip = f.vps_ip;
    const std::string& home = org.regions[org.home_region];
    const Account& mgmt = org.management();
    const TimeMs t0 = f.t0;
    const SsoSession& s = f.session;
    const Actor& console = f.console;
    const std::string& p = console.arn;

    // ---- 2. Defense evasion in the management account.
    e.Step("discovery:trails", "T1526");
    EmitApi(e, console, 0, home, After(t0, 2), "DescribeTrails", p);
    e.Step("defense-evasion:reduce-logging", "T1562.008");
    const std::string& trail_a = mgmt.trails.size() > 1 ? mgmt.trails[1] : org.org_trail_name;
    const std::string& trail_b = mgmt.trails.size() > 2 ? mgmt.trails[2] : trail_a;
    EmitUpdateTrail(e, console, 0, After(t0, 5), trail_a, org.org_trail_bucket, false, p);
    EmitPutEventSelectors(e, console, 0, After(t0, 6), trail_a, false, "All", false, p);
    EmitPutEventSelectors(e, console, 0, After(t0, 7, 30), trail_b, true, "ReadOnly", false, p);

    // ---- 3. A new Identity Center instance.
    e.Step("persistence:identity-center-instance", "T1484.002");
    EmitSimple(e, console, 0, After(t0, 10), Svc::kSso, "sso.amazonaws.com", "StartSSO", false,
               "null", "null", p);
    const std::string new_instance =
        "arn:aws:sso:::instance/ssoins-" + RandomString(rng, kHexLower, 16);
    EmitSimple(e, console, 0, After(t0, 10, 40), Svc::kSso, "sso.amazonaws.com", "CreateInstance",
               false, "{\"name\":\"recovery\"}", "{\"instanceArn\":\"" + new_instance + "\"}", p);

    // ---- 4. A user, a group and the membership in the identity store.
    const std::string new_user_name = "cloud-ops.support@" + org.domain;
    const std::string new_user_id = Uuid(rng);
    const std::string group_id = Uuid(rng);
    const std::string created_by = s.role_id + ":" + s.user_name;
    e.Step("persistence:identity-store-user", "T1136.003");
    EmitStoreCreateUser(e, console, After(t0, 13), new_user_id, created_by, p);
    EmitSimple(e, console, 0, After(t0, 14), Svc::kSso, "sso-directory.amazonaws.com",
               "CreateGroup", false,
               "{\"identityStoreId\":\"" + org.identity_store_id +
                   "\",\"displayName\":\"cloud-ops-support\"}",
               "{\"group\":{\"groupId\":\"" + group_id +
                   "\",\"displayName\":\"cloud-ops-support\",\"groupAttributes\":{},\"meta\":{"
                   "\"createdAt\":\"" +
                   AwsLongDate(After(t0, 14)) + "\",\"updatedAt\":\"" + AwsLongDate(After(t0, 14)) +
                   "\",\"createdBy\":\"" + created_by + "\",\"updatedBy\":\"" + created_by +
                   "\"}}}",
               p, "up.sso." + home + ".amazonaws.com");
    EmitStoreAddMember(e, console, After(t0, 14, 50), group_id, new_user_id, p);

    // ---- 5. A 12-hour administrator permission set, assigned to many member accounts.
    e.Step("privilege-escalation:permission-set", "T1098.003");
    const std::string ps_name = "PlatformRecovery";
    const std::string ps_arn = "arn:aws:sso:::permissionSet/" + org.instance_id + "/ps-" +
                               RandomString(rng, kHexLower, 16);
    EmitCreatePermissionSet(e, console, After(t0, 17), ps_name, ps_arn, "Platform recovery access",
                            "PT12H", p);
    EmitAttachManagedPolicyToPermissionSet(e, console, After(t0, 18), ps_arn, kAdminPolicy, p);
    e.Step("privilege-escalation:account-assignment", "T1098.003");
    std::vector<uint32_t> targets;
    for (uint32_t a = 1; a < org.accounts.size() && targets.size() < 15; ++a) targets.push_back(a);
    std::vector<std::string> role_suffix(org.accounts.size()), role_id(org.accounts.size());
    TimeMs t = After(t0, 20);
    for (uint32_t a : targets) {
        role_suffix[a] = RandomString(rng, kHexLower, 16);
        role_id[a] = AwsUniqueId(rng, "AROA");
        EmitCreateAccountAssignment(e, console, t, a, ps_arn, "GROUP", group_id, p);
        EmitSsoProvisioning(e, a, t + 20000, "AWSReservedSSO_" + ps_name + "_" + role_suffix[a],
                            role_id[a], kAdminPolicy);
        t += 25000;
    }

    // ---- 6. The new user signs in and works in member accounts.
    SsoSession n = s;
    n.user_name = new_user_name;
    n.user_id = new_user_id;
    n.permission_set = ps_name;
    n.duration_s = 43200;
    n.credential_id = Uuid(rng);
    n.auth_workflow = Uuid(rng);
    n.mfa = false;
    const uint32_t first = targets.empty() ? 0 : targets.back();
    const uint32_t prod = org.prod.front();
    const TimeMs t_user = After(t0, 35);
    e.Step("initial-access:new-user-sign-in", "T1078.004");
    EmitPortalSignIn(e, n, t_user);
    n.account = first;
    n.role_name = "AWSReservedSSO_" + ps_name + "_" + role_suffix[first];
    n.role_id = role_id[first];
    n.access_key = AwsKeyId(rng, "ASIA");
    n.saml_assertion = AssertionId(rng);
    n.start = t_user;
    const Actor in_first = EmitRoleAccess(e, n, t_user);
    e.Step("discovery:member-account", "T1087.004");
    int minute = 36;
    for (std::string_view api :
         {"ListUsers", "ListRoles", "ListBuckets", "DescribeInstances", "ListSecrets"}) {
        EmitApi(e, in_first, first, org.regions[org.accounts[first].primary_region],
                After(t0, minute++), api, in_first.arn);
    }
    SsoSession cli = n;
    cli.account = prod;
    cli.role_name = "AWSReservedSSO_" + ps_name + "_" + role_suffix[prod];
    cli.role_id = role_id[prod];
    cli.access_key = AwsKeyId(rng, "ASIA");
    cli.saml_assertion = AssertionId(rng);
    cli.console = false;
    cli.source_ip = vps_ip;
    cli.start = After(t0, 44);
    e.Step("initial-access:member-role-session", "T1078.004");
    Actor in_prod = EmitRoleAccess(e, cli, cli.start);
    EmitApi(e, in_prod, prod, home, After(t0, 45), "GetCallerIdentity", in_prod.arn);
    EmitApi(e, in_prod, prod, home, After(t0, 46), "ListRoles", in_prod.arn);

    // ---- 7. A SAML provider and a role trusting it, in the production account.
    const Account& pa = org.accounts[prod];
    const std::string provider = "corp-idp-sync";
    const std::string provider_arn = "arn:aws:iam::" + pa.id + ":saml-provider/" + provider;
    const std::string idp_entity = "https://login." + org.company + "-sso.example/saml/metadata";
    e.Step("persistence:saml-provider", "T1484.002");
    EmitSimple(e, in_prod, prod, After(t0, 49), Svc::kIam, "iam.amazonaws.com",
               "CreateSAMLProvider", false,
               "{\"sAMLMetadataDocument\":\"<?xml version=\\\"1.0\\\"?><md:EntityDescriptor "
               "xmlns:md=\\\"urn:oasis:names:tc:SAML:2.0:metadata\\\" entityID=\\\"" +
                   idp_entity + "\\\">...</md:EntityDescriptor>\",\"name\":\"" + provider + "\"}",
               "{\"sAMLProviderArn\":\"" + provider_arn + "\"}", in_prod.arn, "iam.amazonaws.com");
    const std::string backdoor = "IdentitySyncRole";
    const std::string backdoor_id = AwsUniqueId(rng, "AROA");
    const std::string trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{"
        "\"Federated\":\"" +
        provider_arn +
        "\"},\"Action\":\"sts:AssumeRoleWithSAML\",\"Condition\":{\"StringEquals\":{"
        "\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}]}";
    e.Step("persistence:role-trusting-provider", "T1098.003");
    EmitCreateRole(e, in_prod, prod, After(t0, 50), backdoor, backdoor_id, "", trust, in_prod.arn);
    EmitAttachRolePolicy(e, in_prod, prod, After(t0, 51), backdoor, kAdminPolicy, in_prod.arn);

    // ---- 8. AssumeRoleWithSAML through the new provider; the credentials are used.
    const std::string saml_subject = "sync-agent";
    const std::string qualifier = NameQualifier(plan, prod, provider);
    const std::string saml_key = AwsKeyId(rng, "ASIA");
    Actor saml_user;
    saml_user.identity = SamlUserIdentity(qualifier, saml_subject);
    saml_user.source_ip = vps_ip;
    saml_user.user_agent = std::string(kAttackerCli);
    saml_user.ua = UaStyle::kCli;
    saml_user.account_id = pa.id;
    const std::string backdoor_arn = RoleArn(pa.id, "", backdoor);
    e.Step("credential-access:assume-role-with-saml", "T1606.002");
    {
        const TimeMs ts = After(t0, 54);
        Call c = ServiceCall(saml_user, ts, Svc::kSts, "sts.amazonaws.com", "AssumeRoleWithSAML",
                             home, true, "sts.assume-role-with-saml");
        const std::string resources =
            "[{\"accountId\":\"" + pa.id + "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"" +
            backdoor_arn + "\"},{\"accountId\":\"" + pa.id +
            "\",\"type\":\"AWS::IAM::SAMLProvider\",\"ARN\":\"" + provider_arn + "\"}]";
        c.resources = resources;
        const std::string assertion = AssertionId(rng);
        e.Emit(
            c, prod,
            [&](JsonBuf& b) {
                b.Add("\"requestParameters\":{");
                b.KV("sAMLAssertionID", assertion);
                b.Add(',');
                b.KV("roleSessionName", saml_subject);
                b.Add(',');
                b.KV("roleArn", backdoor_arn);
                b.Add(',');
                b.KV("principalArn", provider_arn);
                b.Add(",\"durationSeconds\":3600},\"responseElements\":{\"credentials\":{");
                b.KV("accessKeyId", saml_key);
                b.Add(",\"sessionToken\":");
                WriteSessionToken(b, e.rng());
                b.Add(',');
                b.KV("expiration", AwsLongDate(ts + 3600 * 1000));
                b.Add("},\"assumedRoleUser\":{");
                b.KV("assumedRoleId", backdoor_id + ":" + saml_subject);
                b.Add(',');
                b.KV("arn", AssumedRoleArn(pa.id, backdoor, saml_subject));
                b.Add("},");
                b.KV("subject", saml_subject);
                b.Add(",\"subjectType\":\"persistent\",");
                b.KV("issuer", idp_entity);
                b.Add(",\"audience\":\"https://signin.aws.amazon.com/saml\",");
                b.KV("nameQualifier", qualifier);
                b.Add('}');
            },
            saml_subject);
    }
    Actor backdoor_session;
    backdoor_session.identity = AssumedRoleIdentity(pa.id, backdoor, backdoor_id, "", saml_subject,
                                                    saml_key, After(t0, 54));
    backdoor_session.arn = AssumedRoleArn(pa.id, backdoor, saml_subject);
    backdoor_session.source_ip = vps_ip;
    backdoor_session.user_agent = std::string(kAttackerCli);
    backdoor_session.ua = UaStyle::kCli;
    backdoor_session.account_id = pa.id;
    e.Step("initial-access:saml-role-session", "T1078.004");
    EmitApi(e, backdoor_session, prod, home, After(t0, 55), "GetCallerIdentity",
            backdoor_session.arn);

    // ---- 9. An IAM user under the actor's control and its access key.
    const std::string iam_user = "svc-datasync";
    const std::string iam_user_id = AwsUniqueId(rng, "AIDA");
    const std::string iam_key = AwsKeyId(rng, "AKIA");
    e.Step("persistence:iam-user", "T1136.003");
    EmitIamCreateUser(e, backdoor_session, prod, After(t0, 58), iam_user, iam_user_id,
                      backdoor_session.arn);
    e.Step("persistence:access-key", "T1098.001");
    EmitCreateAccessKey(e, backdoor_session, prod, After(t0, 59), iam_user, iam_key,
                        backdoor_session.arn);

    // ---- 10. GetFederationToken with that key, then work as the federated user.
    const Actor key_user =
        IamUserActor(pa, iam_user, iam_user_id, iam_key, vps_ip, kAttackerCli, UaStyle::kCli);
    const std::string fed_name = "datasync-ops";
    const std::string fed_key = AwsKeyId(rng, "ASIA");
    const std::string fed_arn = "arn:aws:sts::" + pa.id + ":federated-user/" + fed_name;
    e.Step("credential-access:access-key-use", "T1078.004");
    EmitApi(e, key_user, prod, home, After(t0, 63), "GetCallerIdentity", key_user.arn);
    e.Step("defense-evasion:federation-token", "T1550.001");
    {
        const TimeMs ts = After(t0, 64);
        e.Emit(
            ServiceCall(key_user, ts, Svc::kSts, "sts.amazonaws.com", "GetFederationToken", home,
                        false, "sts.get-federation-token"),
            prod,
            [&](JsonBuf& b) {
                b.Add("\"requestParameters\":{");
                b.KV("name", fed_name);
                b.Add(",\"durationSeconds\":129600,\"policy\":");
                b.Esc(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    "\"Action\":\"*\",\"Resource\":\"*\"}]}");
                b.Add("},\"responseElements\":{\"credentials\":{");
                b.KV("accessKeyId", fed_key);
                b.Add(",\"sessionToken\":");
                WriteSessionToken(b, e.rng());
                b.Add(',');
                b.KV("expiration", AwsLongDate(ts + 129600 * 1000LL));
                b.Add("},\"federatedUser\":{");
                b.KV("federatedUserId", pa.id + ":" + fed_name);
                b.Add(',');
                b.KV("arn", fed_arn);
                b.Add("},\"packedPolicySize\":9}");
            },
            key_user.arn);
    }
    Actor fed;
    fed.identity =
        FederatedUserIdentity(pa.id, fed_name, fed_key, iam_user, iam_user_id, After(t0, 64));
    fed.arn = fed_arn;
    fed.source_ip = vps_ip;
    fed.user_agent = std::string(kAttackerCli);
    fed.ua = UaStyle::kCli;
    fed.account_id = pa.id;
    e.Step("collection:federated-user", "T1555.006");
    EmitApi(e, fed, prod, home, After(t0, 66), "ListSecrets", fed_arn);
    EmitApi(e, fed, prod, home, After(t0, 67), "GetSecretValue", fed_arn);
    EmitApi(e, fed, prod, home, After(t0, 67, 20), "GetSecretValue", fed_arn);
    e.Step("discovery:federated-user", "T1580");
    EmitApi(e, fed, prod, home, After(t0, 68), "DescribeInstances", fed_arn);
    EmitApi(e, fed, prod, home, After(t0, 69), "ListBuckets", fed_arn);

    // ---- 11. A console sign-in as the federated user.
    e.Step("initial-access:federated-console", "T1078.004");
    Actor fed_http = fed;
    fed_http.user_agent = "python-requests/2.31.0";
    fed_http.ua = UaStyle::kFixed;
    const std::string& global = org.regions[org.global_region];
    {
        const Call c = ConsoleSignInCall(fed_http, After(t0, 72), "GetSigninToken", global,
                                         "us-east-1.signin.aws.amazon.com");
        e.Emit(
            c, prod,
            [&](JsonBuf& b) {
                b.Add("\"requestParameters\":null,\"responseElements\":{\"credentials\":{");
                b.KV("accessKeyId", fed_key);
                b.Add(
                    "},\"GetSigninToken\":\"Success\"},\"additionalEventData\":{"
                    "\"MobileVersion\":\"No\",\"MFAUsed\":\"No\"}");
            },
            fed_arn);
    }
    Actor fed_browser = fed;
    fed_browser.user_agent = std::string(kAttackerBrowser);
    fed_browser.ua = UaStyle::kFixed;
    fed_browser.source_ip = browser_ip;
    {
        const Call c = ConsoleSignInCall(fed_browser, After(t0, 72, 20), "ConsoleLogin", global,
                                         "signin.aws.amazon.com");
        e.Emit(
            c, prod,
            [&](JsonBuf& b) {
                b.Add(
                    "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":"
                    "\"Success\"},\"additionalEventData\":{\"LoginTo\":\"https://"
                    "console.aws.amazon.com/console/home\",\"MobileVersion\":\"No\","
                    "\"MFAUsed\":\"No\"}");
            },
            fed_arn);
    }
}

}  // namespace

}  // namespace tw::simulate
