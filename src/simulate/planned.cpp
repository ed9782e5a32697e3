// Records of Identity Center sessions and CI runs.
#include "simulate/planned.h"

#include "simulate/actors.h"
#include "simulate/record.h"
#include "simulate/scim.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct StepInfo {
    std::string_view name;
    std::string_view credential;  // CredentialType ("" = from the session)
    bool user_name;               // carries UserName in additionalEventData (new shape)
};
constexpr StepInfo kSteps[] = {
    {"CredentialChallenge", "PASSWORD", true}, {"CredentialVerification", "PASSWORD", false},
    {"CredentialChallenge", "TOTP", false},    {"CredentialVerification", "TOTP", false},
    {"UserAuthentication", "", true},
};

Actor PortalActor(const Plan& plan, const SsoSession& s, TimeMs when) {
    const Org& org = plan.org;
    Actor actor;
    actor.identity = IdentityCenterUserIdentity(org.management().id, s.user_name, s.user_id,
                                                org.IdentityStoreArn(), s.credential_id, when);
    actor.source_ip = s.source_ip;
    actor.user_agent = s.browser_ua;
    actor.account_id = org.management().id;
    return actor;
}

Call PortalCall(const Plan& plan, const Actor& actor, TimeMs t, std::string_view event_id) {
    const Org& org = plan.org;
    Call c;
    c.actor = &actor;
    c.time = t;
    c.version = "1.08";
    c.region = org.regions[org.home_region];
    c.recipient = org.management().id;
    c.event_type = "AwsServiceEvent";
    c.event_id = event_id;
    return c;
}

}  // namespace

SsoSession SsoSessionOf(const Plan& plan, const HumanSession& h) {
    const Org& org = plan.org;
    const User& u = org.users[h.user];
    const Account& a = org.accounts[h.account];
    const SessionIds ids = DeriveSessionIds(plan, h);
    SsoSession s;
    s.account = h.account;
    s.user_name = u.user_name;
    s.user_id = u.user_id;
    s.permission_set = org.permission_sets[h.permission_set].name;
    s.role_name = org.SsoRoleName(h.account, h.permission_set);
    s.role_id = a.sso_role_id[h.permission_set];
    s.duration_s = DurationSeconds(org.permission_sets[h.permission_set].session_duration);
    s.access_key = ids.access_key;
    s.credential_id = ids.credential_id;
    s.auth_workflow = ids.auth_workflow;
    s.saml_assertion = ids.saml_assertion;
    s.source_ip = h.from_office ? u.office_ip : u.home_ip;
    s.browser_ua = u.browser_ua;
    s.cli_ua = u.cli_ua_prefix;
    s.console = h.console;
    s.start = h.start;
    return s;
}

Actor SsoRoleActor(const Plan& plan, const SsoSession& s) {
    const Org& org = plan.org;
    const Account& a = org.accounts[s.account];
    Actor actor;
    const std::string path = "aws-reserved/sso.amazonaws.com/" + org.regions[org.home_region];
    actor.identity =
        AssumedRoleIdentity(a.id, s.role_name, s.role_id, path, s.user_name, s.access_key, s.start);
    actor.arn = AssumedRoleArn(a.id, s.role_name, s.user_name);
    actor.source_ip = s.source_ip;
    actor.console = s.console;
    if (s.console) {
        actor.user_agent = s.browser_ua;
    } else {
        actor.user_agent = s.cli_ua;
        actor.ua = UaStyle::kCli;
    }
    actor.account_id = a.id;
    return actor;
}

void WriteSignIn(const Plan& plan, const SsoSession& s, SignInStep step, TimeMs t,
                 std::string_view event_id, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const Actor actor = PortalActor(plan, s, t);
    Call c = PortalCall(plan, actor, t, event_id);
    if (step < std::size(kSteps)) {
        const StepInfo& st = kSteps[step];
        c.source = "signin.amazonaws.com";
        c.name = st.name;
        c.read_only = false;
        const std::string details = "{\"" + std::string(st.name) + "\":\"Success\"}";
        c.service_event_details = details;
        BeginRecord(b, c);
        b.Add("\"requestParameters\":null,\"responseElements\":null,\"additionalEventData\":{");
        b.KV("AuthWorkflowID", s.auth_workflow);
        if (step == kUserAuthentication) {
            b.Add(",\"LoginTo\":\"https://");
            b.Add(org.identity_store_id);
            b.Add(".awsapps.com/start/\"");
        }
        b.Add(',');
        b.KV("CredentialType", org.external_idp         ? std::string_view("EXTERNAL_IDP")
                               : !st.credential.empty() ? st.credential
                               : s.mfa                  ? std::string_view("PASSWORD,TOTP")
                                                        : std::string_view("PASSWORD"));
        if (st.user_name && IdentityCenterNewShape(t)) {
            b.Add(',');
            b.KV("UserName", s.user_name);
        }
        b.Add('}');
        EndRecord(b, c, rng);
        return;
    }
    c.source = "sso.amazonaws.com";
    c.name = step == kAuthenticate ? "Authenticate" : "ListAccounts";
    c.read_only = step == kPortalListAccounts;
    BeginRecord(b, c);
    b.Add("\"requestParameters\":null,\"responseElements\":null");
    EndRecord(b, c, rng);
}

void WriteRoleCredentials(const Plan& plan, const SsoSession& s, TimeMs t,
                          std::string_view event_id, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    Actor actor = PortalActor(plan, s, t);
    if (!s.console) {
        actor.user_agent = s.cli_ua;
        actor.ua = UaStyle::kCli;
    }
    const std::string details = "{\"role_name\":\"" + s.permission_set + "\",\"account_id\":\"" +
                                org.accounts[s.account].id + "\"}";
    Call c = PortalCall(plan, actor, t, event_id);
    c.source = "sso.amazonaws.com";
    c.name = s.console ? "Federate" : "GetRoleCredentials";
    c.cli_command = "sso.get-role-credentials";
    c.service_event_details = details;
    BeginRecord(b, c);
    b.Add("\"requestParameters\":null,\"responseElements\":null");
    EndRecord(b, c, rng);
}

void WriteSamlAssume(const Plan& plan, const SsoSession& s, TimeMs t, std::string_view event_id,
                     JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const Account& a = org.accounts[s.account];
    const std::string qualifier = NameQualifier(plan, s.account, a.saml_provider);
    Actor actor;
    actor.identity = SamlUserIdentity(qualifier, s.user_name);
    // Identity Center calls STS from its own fleet.
    actor.source_ip = AwsIp(HashName(s.saml_assertion));
    actor.user_agent =
        "aws-sdk-java/2.25.35 Linux/5.10.218-186.862.amzn2int.x86_64 "
        "OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. io/sync "
        "http/Apache cfg/retry-mode/standard";
    const std::string role_arn = RoleArn(
        a.id, "aws-reserved/sso.amazonaws.com/" + org.regions[org.home_region], s.role_name);
    const std::string provider_arn = "arn:aws:iam::" + a.id + ":saml-provider/" + a.saml_provider;
    const std::string host = "sts." + org.regions[org.home_region] + ".amazonaws.com";
    const std::string resources =
        "[{\"accountId\":\"" + a.id + "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"" + role_arn +
        "\"},{\"accountId\":\"" + a.id + "\",\"type\":\"AWS::IAM::SAMLProvider\",\"ARN\":\"" +
        provider_arn + "\"}]";
    Call c;
    c.actor = &actor;
    c.time = t;
    c.version = "1.08";
    c.source = "sts.amazonaws.com";
    c.name = "AssumeRoleWithSAML";
    c.region = org.regions[org.home_region];
    c.recipient = a.id;
    c.host = host;
    c.resources = resources;
    c.event_id = event_id;
    BeginRecord(b, c);
    b.Add("\"requestParameters\":{");
    b.KV("sAMLAssertionID", s.saml_assertion);
    b.Add(',');
    b.KV("roleSessionName", s.user_name);
    b.Add(',');
    b.KV("roleArn", role_arn);
    b.Add(',');
    b.KV("principalArn", provider_arn);
    b.Add(",\"durationSeconds\":");
    b.Int(s.duration_s);
    b.Add("},\"responseElements\":{\"credentials\":{");
    b.KV("accessKeyId", s.access_key);
    b.Add(",\"sessionToken\":");
    WriteSessionToken(b, rng);
    b.Add(',');
    b.KV("expiration", AwsLongDate(t + s.duration_s * 1000));
    b.Add("},\"assumedRoleUser\":{");
    b.KV("assumedRoleId", s.role_id + ":" + s.user_name);
    b.Add(',');
    b.KV("arn", AssumedRoleArn(a.id, s.role_name, s.user_name));
    b.Add("},");
    b.KV("subject", s.user_name);
    b.Add(",\"subjectType\":\"persistent\",");
    b.KV("issuer", SamlIssuer(plan));
    b.Add(",\"audience\":\"https://signin.aws.amazon.com/saml\",");
    b.KV("nameQualifier", qualifier);
    b.Add('}');
    EndRecord(b, c, rng);
}

void WriteConsoleLogin(const Plan& plan, const SsoSession& s, TimeMs t, std::string_view event_id,
                       JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    Actor actor = SsoRoleActor(plan, s);
    actor.console = false;
    Call c;
    c.actor = &actor;
    c.time = t;
    c.version = "1.08";
    c.source = "signin.amazonaws.com";
    c.name = "ConsoleLogin";
    c.region = org.regions[org.global_region];
    c.recipient = org.accounts[s.account].id;
    c.event_type = "AwsConsoleSignIn";
    c.read_only = false;
    c.request_id_style = RequestIdStyle::kNone;
    c.host = "signin.aws.amazon.com";
    c.event_id = event_id;
    BeginRecord(b, c);
    b.Add(
        "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"Success\"},"
        "\"additionalEventData\":{\"MobileVersion\":\"No\",\"MFAUsed\":\"No\"}");
    EndRecord(b, c, rng);
}

namespace {

void WriteCiAssume(const Plan& plan, const PlanItem& item, std::string_view event_id, JsonBuf& b,
                   Rng& rng) {
    const Org& org = plan.org;
    const CiRun& r = plan.ci_runs[item.ref];
    const Account& target = org.accounts[r.account];
    const Actor actor = RunnerActor(plan, r);
    // Both copies of the call share its requestID and sharedEventID.
    Rng shared(Mix(r.seed, HashName("shared")));
    const std::string request_id = Uuid(shared);
    const std::string shared_id = Uuid(shared);
    const std::string role_arn = "arn:aws:iam::" + target.id + ":role/" + target.ci_role_name;
    const std::string session = CiSessionName(r);
    const std::string host = "sts." + org.regions[r.region] + ".amazonaws.com";
    const std::string resources = "[{\"accountId\":\"" + target.id +
                                  "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"" + role_arn + "\"}]";
    Call c;
    c.actor = &actor;
    c.time = item.time;
    c.version = "1.08";
    c.source = "sts.amazonaws.com";
    c.name = "AssumeRole";
    c.region = org.regions[r.region];
    c.recipient = item.kind == ItemKind::kCiAssumeTarget
                      ? std::string_view(target.id)
                      : std::string_view(org.accounts[org.shared_services].id);
    c.host = host;
    c.request_id = request_id;
    c.shared_event_id = shared_id;
    c.resources = resources;
    c.event_id = event_id;
    BeginRecord(b, c);
    b.Add("\"requestParameters\":{");
    b.KV("roleArn", role_arn);
    b.Add(',');
    b.KV("roleSessionName", session);
    b.Add(",\"durationSeconds\":3600},\"responseElements\":{\"credentials\":{");
    b.KV("accessKeyId", CiAccessKey(plan, r));
    b.Add(",\"sessionToken\":");
    WriteSessionToken(b, rng);
    b.Add(',');
    b.KV("expiration", AwsLongDate(item.time + 3600 * 1000));
    b.Add("},\"assumedRoleUser\":{");
    b.KV("assumedRoleId", target.ci_role_id + ":" + session);
    b.Add(',');
    b.KV("arn", AssumedRoleArn(target.id, target.ci_role_name, session));
    b.Add("}}");
    EndRecord(b, c, rng);
}

}  // namespace

void WriteSessionToken(JsonBuf& b, Rng& rng) {
    b.Add("\"IQoJb3JpZ2luX2VjE");
    b.Reserve(420);
    for (int i = 0; i < 400; ++i) b.Add(kB64[rng.Below(64)]);
    b.Add('"');
}

std::string SamlIssuer(const Plan& plan) {
    Rng r(Mix(plan.options.seed, HashName("saml-issuer")));
    return "https://portal.sso." + plan.org.regions[plan.org.home_region] +
           ".amazonaws.com/saml/assertion/" + RandomString(r, kB64.substr(0, 62), 48);
}

int64_t DurationSeconds(std::string_view iso) {
    int64_t total = 0, n = 0;
    for (char ch : iso) {
        if (ch >= '0' && ch <= '9') {
            n = n * 10 + (ch - '0');
        } else if (ch == 'H') {
            total += n * 3600;
            n = 0;
        } else if (ch == 'M') {
            total += n * 60;
            n = 0;
        } else if (ch == 'S') {
            total += n;
            n = 0;
        }
    }
    return total > 0 ? total : 3600;
}

void RenderItem(const Plan& plan, const PlanItem& item, JsonBuf& out, Rng& rng,
                std::string_view event_id) {
    switch (item.kind) {
        case ItemKind::kRecord:
            out.Add(plan.records[item.ref]);
            return;
        case ItemKind::kCiAssumeTarget:
        case ItemKind::kCiAssumeSource:
            WriteCiAssume(plan, item, event_id, out, rng);
            return;
        case ItemKind::kScimUpdate:
            WriteScimPatchUser(plan, item.time, plan.org.users[item.ref].user_id,
                               kScimUpdatePaths[item.step], event_id, out, rng);
            return;
        default:
            break;
    }
    const SsoSession s = SsoSessionOf(plan, plan.sessions[item.ref]);
    switch (item.kind) {
        case ItemKind::kSignIn:
            WriteSignIn(plan, s, static_cast<SignInStep>(item.step), item.time, event_id, out, rng);
            return;
        case ItemKind::kRoleCredentials:
            WriteRoleCredentials(plan, s, item.time, event_id, out, rng);
            return;
        case ItemKind::kSamlAssume:
            WriteSamlAssume(plan, s, item.time, event_id, out, rng);
            return;
        case ItemKind::kConsoleLogin:
            WriteConsoleLogin(plan, s, item.time, event_id, out, rng);
            return;
        default:
            return;
    }
}

}  // namespace tw::simulate
