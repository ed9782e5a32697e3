// Planned records of sessions and CI runs.
#include "simulate/planned.h"

#include "simulate/actors.h"
#include "simulate/record.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct SignInStep {
    std::string_view name;
    std::string_view credential;  // CredentialType
    bool user_name;               // carries UserName in additionalEventData (new shape)
};
constexpr SignInStep kSteps[] = {
    {"CredentialChallenge", "PASSWORD", true},     {"CredentialVerification", "PASSWORD", false},
    {"CredentialChallenge", "TOTP", false},        {"CredentialVerification", "TOTP", false},
    {"UserAuthentication", "PASSWORD,TOTP", true},
};

void RenderSignIn(const Plan& plan, const PlanItem& item, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const HumanSession& s = plan.sessions[item.ref];
    const SessionIds ids = DeriveSessionIds(plan, s);
    const Actor actor = PortalActor(plan, s, item.time);
    Call c;
    c.actor = &actor;
    c.time = item.time;
    c.version = "1.08";
    c.region = org.regions[org.home_region];
    c.recipient = org.management().id;
    c.event_type = "AwsServiceEvent";
    if (item.step < std::size(kSteps)) {
        const SignInStep& st = kSteps[item.step];
        c.source = "signin.amazonaws.com";
        c.name = st.name;
        c.read_only = false;
        std::string details = "{\"" + std::string(st.name) + "\":\"Success\"}";
        c.service_event_details = details;
        BeginRecord(b, c);
        b.Add("\"requestParameters\":null,\"responseElements\":null,\"additionalEventData\":{");
        b.KV("AuthWorkflowID", ids.auth_workflow);
        if (st.name == "UserAuthentication") {
            b.Add(",\"LoginTo\":\"https://");
            b.Add(org.identity_store_id);
            b.Add(".awsapps.com/start/\"");
        }
        b.Add(',');
        b.KV("CredentialType", st.credential);
        if (st.user_name && IdentityCenterNewShape(item.time)) {
            b.Add(',');
            b.KV("UserName", org.users[s.user].user_name);
        }
        b.Add('}');
        EndRecord(b, c, rng);
        return;
    }
    // Authenticate and the portal's ListAccounts.
    c.source = "sso.amazonaws.com";
    c.name = item.step == std::size(kSteps) ? "Authenticate" : "ListAccounts";
    c.read_only = c.name == "ListAccounts";
    BeginRecord(b, c);
    b.Add("\"requestParameters\":null,\"responseElements\":null");
    EndRecord(b, c, rng);
}

void RenderRoleCredentials(const Plan& plan, const PlanItem& item, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const HumanSession& s = plan.sessions[item.ref];
    Actor actor = PortalActor(plan, s, item.time);
    if (!s.console) {
        actor.user_agent = org.users[s.user].cli_ua_prefix;
        actor.ua = UaStyle::kCli;
    }
    const std::string details = "{\"role_name\":\"" + org.permission_sets[s.permission_set].name +
                                "\",\"account_id\":\"" + org.accounts[s.account].id + "\"}";
    Call c;
    c.actor = &actor;
    c.time = item.time;
    c.version = "1.08";
    c.source = "sso.amazonaws.com";
    c.name = s.console ? "Federate" : "GetRoleCredentials";
    c.cli_command = "sso.get-role-credentials";
    c.region = org.regions[org.home_region];
    c.recipient = org.management().id;
    c.event_type = "AwsServiceEvent";
    c.service_event_details = details;
    BeginRecord(b, c);
    b.Add("\"requestParameters\":null,\"responseElements\":null");
    EndRecord(b, c, rng);
}

void RenderSamlAssume(const Plan& plan, const PlanItem& item, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const HumanSession& s = plan.sessions[item.ref];
    const Account& a = org.accounts[s.account];
    const User& u = org.users[s.user];
    const SessionIds ids = DeriveSessionIds(plan, s);
    const Actor actor = SamlActor(plan, s);
    const std::string role_arn = org.SsoRoleArn(s.account, s.permission_set);
    const std::string provider_arn = "arn:aws:iam::" + a.id + ":saml-provider/" + a.saml_provider;
    const std::string host = "sts." + org.regions[org.home_region] + ".amazonaws.com";
    std::string resources =
        "[{\"accountId\":\"" + a.id + "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"" + role_arn +
        "\"},{\"accountId\":\"" + a.id + "\",\"type\":\"AWS::IAM::SAMLProvider\",\"ARN\":\"" +
        provider_arn + "\"}]";
    Call c;
    c.actor = &actor;
    c.time = item.time;
    c.version = "1.08";
    c.source = "sts.amazonaws.com";
    c.name = "AssumeRoleWithSAML";
    c.region = org.regions[org.home_region];
    c.recipient = a.id;
    c.host = host;
    c.resources = resources;
    BeginRecord(b, c);
    const int64_t duration =
        DurationSeconds(org.permission_sets[s.permission_set].session_duration);
    b.Add("\"requestParameters\":{");
    b.KV("sAMLAssertionID", ids.saml_assertion);
    b.Add(',');
    b.KV("roleSessionName", u.user_name);
    b.Add(',');
    b.KV("roleArn", role_arn);
    b.Add(',');
    b.KV("principalArn", provider_arn);
    b.Add(",\"durationSeconds\":");
    b.Int(duration);
    b.Add("},\"responseElements\":{\"credentials\":{");
    b.KV("accessKeyId", ids.access_key);
    b.Add(",\"sessionToken\":");
    WriteSessionToken(b, rng);
    b.Add(',');
    b.KV("expiration", AwsLongDate(item.time + duration * 1000));
    b.Add("},\"assumedRoleUser\":{");
    b.KV("assumedRoleId", a.sso_role_id[s.permission_set] + ":" + u.user_name);
    b.Add(',');
    b.KV("arn", AssumedRoleArn(a.id, org.SsoRoleName(s.account, s.permission_set), u.user_name));
    b.Add("},");
    b.KV("subject", u.user_name);
    b.Add(",\"subjectType\":\"persistent\",");
    b.KV("issuer", SamlIssuer(plan));
    b.Add(",\"audience\":\"https://signin.aws.amazon.com/saml\",");
    b.KV("nameQualifier", NameQualifier(plan, s.account, a.saml_provider));
    b.Add('}');
    EndRecord(b, c, rng);
}

void RenderConsoleLogin(const Plan& plan, const PlanItem& item, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const HumanSession& s = plan.sessions[item.ref];
    Actor actor = SessionActor(plan, s);
    actor.console = false;
    Call c;
    c.actor = &actor;
    c.time = item.time;
    c.version = "1.08";
    c.source = "signin.amazonaws.com";
    c.name = "ConsoleLogin";
    c.region = org.regions[org.global_region];
    c.recipient = org.accounts[s.account].id;
    c.event_type = "AwsConsoleSignIn";
    c.read_only = false;
    c.request_id_style = RequestIdStyle::kNone;
    c.host = "signin.aws.amazon.com";
    BeginRecord(b, c);
    b.Add(
        "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"Success\"},"
        "\"additionalEventData\":{\"MobileVersion\":\"No\",\"MFAUsed\":\"No\"}");
    EndRecord(b, c, rng);
}

void RenderCiAssume(const Plan& plan, const PlanItem& item, JsonBuf& b, Rng& rng) {
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

void RenderItem(const Plan& plan, const PlanItem& item, JsonBuf& out, Rng& rng) {
    switch (item.kind) {
        case ItemKind::kRecord:
            out.Add(plan.records[item.ref]);
            return;
        case ItemKind::kSignIn:
            RenderSignIn(plan, item, out, rng);
            return;
        case ItemKind::kRoleCredentials:
            RenderRoleCredentials(plan, item, out, rng);
            return;
        case ItemKind::kSamlAssume:
            RenderSamlAssume(plan, item, out, rng);
            return;
        case ItemKind::kConsoleLogin:
            RenderConsoleLogin(plan, item, out, rng);
            return;
        case ItemKind::kCiAssumeTarget:
        case ItemKind::kCiAssumeSource:
            RenderCiAssume(plan, item, out, rng);
            return;
    }
}

}  // namespace tw::simulate
