// insider-return and benign-admin.
//
// insider-return (../shared/seeds/000, "a disgruntled former employee attempting to regain
// access"): a developer is offboarded on the first day — the usual admin deletes the Identity
// Center user and the IAM console password — but the access key of the developer's old IAM
// user is forgotten. Later, at night and from an address never seen before, the key is used to
// read secrets. The offboarding records are labelled "setup", the return "attack".
//
// benign-admin: the usual admin, from the office and during working hours, does the same kind
// of work the attacks do — a new permission set assigned to two accounts, a new hire created
// in the identity store and added to a group, data events added to a trail — and the new hire
// signs in. Every record is labelled "benign", to measure false positives.
#include "simulate/actors.h"
#include "simulate/scenario_util.h"

namespace tw::simulate {

namespace {

struct Insider {
    int user = -1;
    uint32_t account = 0;
    size_t iam_user = 0;
};

Insider FindInsider(const Org& org) {
    Insider in;
    for (uint32_t a = 0; a < org.accounts.size(); ++a) {
        const auto& users = org.accounts[a].iam_users;
        for (size_t i = 0; i < users.size(); ++i) {
            if (users[i].owner >= 0 && in.user < 0) {
                in.user = users[i].owner;
                in.account = a;
                in.iam_user = i;
            }
        }
    }
    return in;
}

TimeMs OffboardingTime(const Plan& plan) { return ScenarioTime(plan, 0, 14, 20); }

// An Identity Center session of `user` in `account` with `permission_set`, from the office.
SsoSession OfficeSession(const Plan& plan, uint32_t user, uint32_t account, uint32_t permission_set,
                         TimeMs start, Rng& rng) {
    const Org& org = plan.org;
    const User& u = org.users[user];
    SsoSession s;
    s.account = account;
    s.user_name = u.user_name;
    s.user_id = u.user_id;
    s.permission_set = org.permission_sets[permission_set].name;
    s.role_name = org.SsoRoleName(account, permission_set);
    s.role_id = org.accounts[account].sso_role_id[permission_set];
    s.duration_s = DurationSeconds(org.permission_sets[permission_set].session_duration);
    s.access_key = AwsKeyId(rng, "ASIA");
    s.credential_id = Uuid(rng);
    s.auth_workflow = Uuid(rng);
    s.saml_assertion = AssertionId(rng);
    s.source_ip = u.office_ip;
    s.browser_ua = u.browser_ua;
    s.cli_ua = u.cli_ua_prefix;
    s.start = start;
    return s;
}

}  // namespace

void PrepareInsiderReturn(Plan& plan) {
    Org& org = plan.org;
    const Insider in = FindInsider(org);
    if (in.user < 0) return;
    const TimeMs t = OffboardingTime(plan);
    org.users[static_cast<size_t>(in.user)].active_until = t;
    org.accounts[in.account].iam_users[in.iam_user].active_until = t;
}

void EmitInsiderReturn(Plan& plan) {
    Org& org = plan.org;
    const Insider in = FindInsider(org);
    if (in.user < 0) return;
    const User& leaver = org.users[static_cast<size_t>(in.user)];
    const Account& dev = org.accounts[in.account];
    const IamUser& key_user = dev.iam_users[in.iam_user];
    Emitter e(plan, "insider-return", "setup", key_user.name);
    Rng& rng = e.rng();
    const uint32_t admin =
        static_cast<uint32_t>(std::max(0, org.FindUser(UserRole::kPlatformAdmin)));
    const TimeMs t0 = OffboardingTime(plan);

    // ---- Offboarding by the usual admin: the Identity Center user and the console password
    // go, the old access key stays.
    e.Step("context:offboarding", "T1078.004");
    SsoSession mgmt = OfficeSession(plan, admin, 0, 0, t0, rng);
    mgmt.console = true;
    EmitPortalSignIn(e, mgmt, t0);
    const Actor admin_mgmt = EmitRoleAccess(e, mgmt, t0);
    EmitSimple(e, admin_mgmt, 0, After(t0, 2), Svc::kSso, "sso-directory.amazonaws.com",
               "DeleteUser", false,
               "{\"identityStoreId\":\"" + org.identity_store_id + "\",\"userId\":\"" +
                   leaver.user_id + "\"}",
               "null", admin_mgmt.arn, "up.sso." + org.regions[org.home_region] + ".amazonaws.com");
    SsoSession in_dev = mgmt;
    in_dev.account = in.account;
    in_dev.role_name = org.SsoRoleName(in.account, 0);
    in_dev.role_id = dev.sso_role_id[0];
    in_dev.access_key = AwsKeyId(rng, "ASIA");
    in_dev.saml_assertion = AssertionId(rng);
    in_dev.start = After(t0, 5);
    const Actor admin_dev = EmitRoleAccess(e, in_dev, in_dev.start);
    EmitSimple(e, admin_dev, in.account, After(t0, 6), Svc::kIam, "iam.amazonaws.com",
               "DeleteLoginProfile", false, "{\"userName\":\"" + key_user.name + "\"}", "null",
               admin_dev.arn);
    EmitSimple(e, admin_dev, in.account, After(t0, 6, 30), Svc::kIam, "iam.amazonaws.com",
               "ListAccessKeys", true, "{\"userName\":\"" + key_user.name + "\"}", "null",
               admin_dev.arn);

    // ---- The return: the forgotten key, at night, from a new address and machine.
    const TimeMs t1 = plan.options.days >= 2 ? ScenarioTime(plan, 1.0, 3, 30) : t0 + 9 * kHourMs;
    const std::string ip = "203.0.113." + std::to_string(20 + rng.Below(200));
    const Actor returner = IamUserActor(
        dev, key_user.name, key_user.user_id, key_user.access_key, ip,
        "aws-cli/2.11.20 md/awscrt#0.16.17 ua/2.0 os/linux#6.2.0-26-generic md/arch#x86_64 "
        "lang/python#3.11.3 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
        "md/distrib#ubuntu.23 md/prompt#off",
        UaStyle::kCli);
    const std::string& region = org.regions[dev.primary_region];
    e.SetLabel("attack");
    e.Step("initial-access:forgotten-key", "T1078.004");
    EmitApi(e, returner, in.account, region, t1, "GetCallerIdentity", returner.arn);
    e.Step("discovery:forgotten-key", "T1087.004");
    EmitApi(e, returner, in.account, region, After(t1, 1), "ListUsers", returner.arn);
    EmitApi(e, returner, in.account, region, After(t1, 2), "ListBuckets", returner.arn);
    EmitApi(e, returner, in.account, region, After(t1, 3), "DescribeInstances", returner.arn);
    e.Step("collection:secrets", "T1555.006");
    EmitApi(e, returner, in.account, region, After(t1, 5), "ListSecrets", returner.arn);
    for (int i = 0; i < 3; ++i) {
        EmitApi(e, returner, in.account, region, After(t1, 6 + i), "GetSecretValue", returner.arn);
    }
}

void EmitBenignAdmin(Plan& plan) {
    Org& org = plan.org;
    const uint32_t admin =
        static_cast<uint32_t>(std::max(0, org.FindUser(UserRole::kPlatformAdmin)));
    const User& u = org.users[admin];
    Emitter e(plan, "benign-admin", "benign", u.user_name);
    Rng& rng = e.rng();
    const TimeMs t0 = ScenarioTime(plan, 0.25, 15, 5);  // 11:05 at headquarters
    const Account& mgmt_account = org.management();

    e.Step("admin:sign-in", "T1078.004");
    SsoSession s = OfficeSession(plan, admin, 0, 0, t0, rng);
    EmitPortalSignIn(e, s, t0);
    const Actor console = EmitRoleAccess(e, s, t0);
    const std::string& p = console.arn;

    // A permission set for a new analytics team, assigned to two non-production accounts.
    e.Step("admin:permission-set", "T1098.003");
    EmitApi(e, console, 0, org.regions[org.home_region], After(t0, 2), "ListPermissionSets", p);
    const std::string ps_name = "DataAnalystReadOnly";
    const std::string ps_arn = "arn:aws:sso:::permissionSet/" + org.instance_id + "/ps-" +
                               RandomString(rng, kHexLower, 16);
    const std::string readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    EmitCreatePermissionSet(e, console, After(t0, 4), ps_name, ps_arn,
                            "Read-only access for the data analytics team (CHG-4821)", "PT4H", p);
    EmitAttachManagedPolicyToPermissionSet(e, console, After(t0, 5), ps_arn, readonly, p);
    std::vector<uint32_t> targets = org.nonprod;
    if (targets.empty()) targets.push_back(static_cast<uint32_t>(org.accounts.size() - 1));
    if (targets.size() > 2) targets.resize(2);
    const Group& developers = org.groups[2];
    std::vector<std::string> suffix, role_id;
    TimeMs t = After(t0, 7);
    for (uint32_t a : targets) {
        suffix.push_back(RandomString(rng, kHexLower, 16));
        role_id.push_back(AwsUniqueId(rng, "AROA"));
        EmitCreateAccountAssignment(e, console, t, a, ps_arn, "GROUP", developers.group_id, p);
        EmitSsoProvisioning(e, a, t + 20000, "AWSReservedSSO_" + ps_name + "_" + suffix.back(),
                            role_id.back(), readonly);
        t += 40000;
    }

    // A new hire in the identity store, added to the Developers group.
    e.Step("admin:onboarding", "T1136.003");
    const std::string hire_id = Uuid(rng);
    const std::string created_by = mgmt_account.sso_role_id[0] + ":" + u.user_name;
    EmitStoreCreateUser(e, console, After(t0, 12), hire_id, created_by, p);
    EmitStoreAddMember(e, console, After(t0, 12, 40), developers.group_id, hire_id, p);

    // Data events on the compliance trail, management events kept.
    e.Step("admin:trail-change", "T1562.008");
    const std::string trail =
        mgmt_account.trails.size() > 2 ? mgmt_account.trails[2] : org.org_trail_name;
    EmitPutEventSelectors(e, console, 0, After(t0, 15), trail, true, "All", true, p);
    EmitUpdateTrail(e, console, 0, After(t0, 16), trail, org.org_trail_bucket, true, p);

    // The new hire signs in that afternoon and looks around the first account.
    e.Step("admin:new-hire-sign-in", "T1078.004");
    SsoSession hire = s;
    hire.user_name = "new.hire" + std::to_string(100 + rng.Below(900)) + "@" + org.domain;
    hire.user_id = hire_id;
    hire.permission_set = ps_name;
    hire.account = targets.front();
    hire.role_name = "AWSReservedSSO_" + ps_name + "_" + suffix.front();
    hire.role_id = role_id.front();
    hire.duration_s = 4 * 3600;
    hire.access_key = AwsKeyId(rng, "ASIA");
    hire.credential_id = Uuid(rng);
    hire.auth_workflow = Uuid(rng);
    hire.saml_assertion = AssertionId(rng);
    hire.browser_ua = org.users[(admin + 3) % org.users.size()].browser_ua;
    hire.start = After(t0, 150);
    EmitPortalSignIn(e, hire, hire.start);
    const Actor role = EmitRoleAccess(e, hire, hire.start);
    const std::string& region = org.regions[org.accounts[hire.account].primary_region];
    int minute = 151;
    for (std::string_view api :
         {"DescribeInstances", "ListBuckets", "DescribeLogGroups", "DescribeAlarms"}) {
        EmitApi(e, role, hire.account, region, After(t0, minute++), api, role.arn);
    }
}

}  // namespace tw::simulate
