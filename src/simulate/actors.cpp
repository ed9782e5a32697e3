// Actors of sessions, CI runs and machine sources.
#include "simulate/actors.h"

#include "simulate/json_buf.h"
#include "simulate/planned.h"
#include "simulate/random.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kLambdaBoto =
    "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.219-229.865.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 "
    "cfg/retry-mode#legacy Botocore/1.34.42";
constexpr std::string_view kAppJava =
    "aws-sdk-java/2.25.60 Linux/6.1.92-99.174.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/"
    "21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy";
constexpr std::string_view kTerraformUa =
    "APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) "
    "terraform-provider-aws/5.54.1 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.27.2 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64";

uint32_t DayOf(const Plan& plan, TimeMs t) {
    return static_cast<uint32_t>((t - plan.options.start) / kDayMs);
}

// A role id that stays the same for (account, name) across the run.
std::string StableRoleId(const Plan& plan, uint32_t account, std::string_view name) {
    Rng r(Mix(plan.options.seed, HashName("role-id"), account, HashName(name)));
    return AwsUniqueId(r, "AROA");
}

Actor ServiceLinked(const Plan& plan, uint32_t account, TimeMs t, std::string_view role,
                    std::string_view service, std::string_view session) {
    const Account& a = plan.org.accounts[account];
    const TimeMs bucket = t / kHourMs;
    Rng r(Mix(plan.options.seed, HashName(role), account, static_cast<uint64_t>(bucket)));
    Actor actor;
    const std::string path = "aws-service-role/" + std::string(service);
    actor.identity =
        AssumedRoleIdentity(a.id, role, StableRoleId(plan, account, role), path, session,
                            AwsKeyId(r, "ASIA"), bucket * kHourMs + r.Below(600) * 1000, service);
    actor.arn = AssumedRoleArn(a.id, role, session);
    actor.source_ip = std::string(service);
    actor.user_agent = std::string(service);
    actor.service = true;
    actor.account_id = a.id;
    return actor;
}

}  // namespace

std::string AwsIp(uint64_t key) {
    static constexpr uint32_t kFirst[] = {3, 18, 34, 35, 44, 52, 54};
    const uint64_t h = Mix64(key);
    return std::to_string(kFirst[h % 7]) + "." + std::to_string((h >> 8) % 256) + "." +
           std::to_string((h >> 16) % 256) + "." + std::to_string(1 + (h >> 24) % 254);
}

SessionIds DeriveSessionIds(const Plan& plan, const HumanSession& s) {
    SessionIds ids;
    Rng r(s.seed);
    ids.access_key = AwsKeyId(r, "ASIA");
    ids.saml_assertion = AssertionId(r);
    Rng day(Mix(plan.options.seed, HashName("portal"), s.user, DayOf(plan, s.start)));
    ids.credential_id = Uuid(day);
    ids.auth_workflow = Uuid(day);
    return ids;
}

Actor SessionActor(const Plan& plan, const HumanSession& s) {
    Actor actor = SsoRoleActor(plan, SsoSessionOf(plan, s));
    switch (plan.org.users[s.user].role) {
        case UserRole::kSecurity:
            actor.mix = ApiMix::kReadOnlyAudit;
            break;
        case UserRole::kFinance:
            actor.mix = ApiMix::kBilling;
            break;
        default:
            actor.mix = s.console ? ApiMix::kConsoleBrowse : ApiMix::kCliDev;
    }
    return actor;
}

std::string NameQualifier(const Plan& plan, uint32_t account, std::string_view provider) {
    Rng r(Mix(plan.options.seed, HashName("name-qualifier"), account, HashName(provider)));
    return RandomString(r, kB64, 27) + "=";
}

std::string CiSessionName(const CiRun& r) {
    return "terraform-" + std::to_string(900000000 + r.seed % 99999999);
}

std::string CiAccessKey(const Plan& plan, const CiRun& r) {
    Rng rng(Mix(r.seed, HashName("ci-key")));
    (void)plan;
    return AwsKeyId(rng, "ASIA");
}

Actor CiActor(const Plan& plan, const CiRun& r) {
    const Account& a = plan.org.accounts[r.account];
    Actor actor;
    actor.identity = AssumedRoleIdentity(a.id, a.ci_role_name, a.ci_role_id, "", CiSessionName(r),
                                         CiAccessKey(plan, r), r.start);
    actor.arn = AssumedRoleArn(a.id, a.ci_role_name, CiSessionName(r));
    actor.source_ip = plan.ci_runner_ip;
    actor.user_agent = std::string(kTerraformUa);
    actor.ua = UaStyle::kTerraform;
    actor.mix = ApiMix::kTerraform;
    actor.account_id = a.id;
    return actor;
}

Actor RunnerActor(const Plan& plan, const CiRun& r) {
    const uint32_t ss = plan.org.shared_services;
    const Account& a = plan.org.accounts[ss];
    const Workload* runner = nullptr;
    for (const auto& w : a.workloads) {
        if (!w.lambda) {
            runner = &w;
            break;
        }
    }
    const std::string role = runner != nullptr ? runner->role_name : "ci-runner";
    const std::string session = runner != nullptr ? runner->name : "i-0runner";
    const TimeMs bucket = r.start / (6 * kHourMs);
    Rng k(Mix(plan.options.seed, HashName("runner-key"), static_cast<uint64_t>(bucket)));
    Actor actor;
    actor.identity = AssumedRoleIdentity(
        a.id, role, runner != nullptr ? runner->role_id : StableRoleId(plan, ss, role), "", session,
        AwsKeyId(k, "ASIA"), bucket * 6 * kHourMs + 120000);
    actor.arn = AssumedRoleArn(a.id, role, session);
    actor.source_ip = plan.ci_runner_ip;
    actor.user_agent = std::string(kTerraformUa) + " api/sts#1.30.0";
    actor.account_id = a.id;
    return actor;
}

Actor SourceActor(const Plan& plan, const Source& src, uint32_t account, uint32_t region,
                  TimeMs t) {
    const Org& org = plan.org;
    const Account& a = org.accounts[account];
    switch (src.kind) {
        case SourceKind::kSession:
            return SessionActor(plan, plan.sessions[src.ref]);
        case SourceKind::kCiRun:
            return CiActor(plan, plan.ci_runs[src.ref]);
        case SourceKind::kConfig: {
            Actor actor = ServiceLinked(plan, account, t, "AWSServiceRoleForConfig",
                                        "config.amazonaws.com", "AWSConfig-Describe");
            actor.mix = ApiMix::kConfig;
            return actor;
        }
        case SourceKind::kSecurityHub: {
            Actor actor = ServiceLinked(plan, account, t, "AWSServiceRoleForSecurityHub",
                                        "securityhub.amazonaws.com", "securityhub");
            actor.mix = ApiMix::kSecurityHub;
            return actor;
        }
        case SourceKind::kAccessAnalyzer: {
            Actor actor = ServiceLinked(plan, account, t, "AWSServiceRoleForAccessAnalyzer",
                                        "access-analyzer.amazonaws.com", "access-analyzer");
            actor.mix = ApiMix::kAccessAnalyzer;
            return actor;
        }
        case SourceKind::kWorkload: {
            const Workload& w = a.workloads[src.ref];
            const TimeMs period = (w.lambda ? 12 : 6) * kHourMs;
            const TimeMs bucket = t / period;
            Rng r(Mix(org.seed, HashName(w.name), static_cast<uint64_t>(bucket)));
            Actor actor;
            actor.identity =
                AssumedRoleIdentity(a.id, w.role_name, w.role_id, "", w.name, AwsKeyId(r, "ASIA"),
                                    bucket * period + r.Below(1800) * 1000);
            actor.arn = AssumedRoleArn(a.id, w.role_name, w.name);
            actor.source_ip = AwsIp(Mix(org.seed, account, region, w.lambda ? 2 : 1));
            actor.user_agent = std::string(w.lambda ? kLambdaBoto : kAppJava);
            actor.mix = w.lambda ? ApiMix::kLambda : ApiMix::kEc2Instance;
            actor.account_id = a.id;
            return actor;
        }
        case SourceKind::kServiceAssume: {
            Actor actor;
            actor.identity = AwsServiceIdentity("ec2.amazonaws.com");
            actor.source_ip = "ec2.amazonaws.com";
            actor.user_agent = "ec2.amazonaws.com";
            actor.service = true;
            actor.mix = ApiMix::kAwsService;
            actor.account_id = a.id;
            return actor;
        }
        case SourceKind::kIamUser: {
            const IamUser& u = a.iam_users[src.ref];
            Actor actor;
            actor.identity = IamUserIdentity(a.id, u.name, u.user_id, u.access_key);
            actor.arn = "arn:aws:iam::" + a.id + ":user/" + u.name;
            actor.source_ip = u.source_ip;
            actor.user_agent = u.user_agent;
            if (u.owner >= 0) {
                actor.ua = UaStyle::kCli;
                actor.mix = ApiMix::kCliDev;
            } else {
                actor.mix = ApiMix::kLegacyKey;
            }
            actor.account_id = a.id;
            return actor;
        }
    }
    return {};
}

}  // namespace tw::simulate
