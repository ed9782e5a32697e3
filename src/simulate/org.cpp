// BuildOrg: the deterministic organization behind a simulation.
#include "simulate/org.h"

#include <algorithm>
#include <array>

#include "simulate/json_buf.h"
#include "simulate/random.h"

namespace tw::simulate {

namespace {

constexpr std::array<const char*, 40> kFirstNames = {
    "priya",  "daniel", "amara", "lukas",   "mei",    "jonas",   "sofia",  "tariq",
    "elena",  "marcus", "aiko",  "omar",    "hannah", "diego",   "fatima", "noah",
    "ingrid", "kwame",  "leila", "mateo",   "chloe",  "ravi",    "zofia",  "samuel",
    "yuki",   "amelia", "kenji", "beatriz", "felix",  "nadia",   "oliver", "grace",
    "hugo",   "isabel", "tomas", "aisha",   "victor", "camille", "arjun",  "maya"};
constexpr std::array<const char*, 40> kLastNames = {
    "sharma",   "okafor",   "lindqvist", "chen",   "novak",   "haddad", "moreau",    "fischer",
    "tanaka",   "silva",    "kowalski",  "nguyen", "reyes",   "patel",  "johansson", "mensah",
    "rossi",    "kim",      "schmidt",   "dubois", "alvarez", "murphy", "yilmaz",    "santos",
    "weber",    "ito",      "hughes",    "costa",  "larsen",  "mwangi", "bauer",     "park",
    "ferreira", "nakamura", "walsh",     "ahmed",  "olsen",   "garcia", "brennan",   "singh"};
constexpr std::array<const char*, 8> kCompanies = {"examplecorp", "northbeam",  "tallgrass",
                                                   "bluefjord",   "quillworks", "orbitline",
                                                   "harborlight", "cinderpeak"};
constexpr std::array<const char*, 12> kApps = {"payments",  "orders",    "web",    "data",
                                               "ml",        "identity",  "search", "mobile",
                                               "analytics", "inventory", "risk",   "billing"};

constexpr std::array<const char*, 6> kBrowsers = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"};
constexpr std::array<const char*, 4> kCliPrefixes = {
    "aws-cli/2.17.2 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off",
    "aws-cli/2.16.12 md/awscrt#0.20.11 ua/2.0 os/macos#23.4.0 md/arch#x86_64 "
    "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
    "md/prompt#off",
    "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off",
    "aws-cli/2.15.57 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-41-generic md/arch#x86_64 "
    "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
    "md/distrib#ubuntu.22 md/prompt#off"};
constexpr const char* kBoto3 =
    "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.218-208.862.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy "
    "Botocore/1.34.131";

std::string Digits(Rng& rng, size_t n) {
    std::string s(1, static_cast<char>('1' + rng.Below(9)));
    AppendRandom(s, rng, "0123456789", n - 1);
    return s;
}

std::string Hex(Rng& rng, size_t n) { return RandomString(rng, kHexLower, n); }

std::string Ipv4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
           std::to_string(d);
}

// A home-office address: RFC 2544 benchmarking space, 198.18.0.0/15.
std::string HomeIp(Rng& rng) {
    return Ipv4(198, 18 + rng.Below(2), rng.Below(256), 1 + rng.Below(254));
}

void AddWorkloads(Account& a, Rng& rng, uint32_t region, int instances, int lambdas) {
    const std::string prefix = a.name;
    const std::array<const char*, 5> tiers = {"api", "worker", "web", "batch", "ingest"};
    for (int i = 0; i < instances; ++i) {
        Workload w;
        w.name = "i-0" + Hex(rng, 16);
        w.role_name = prefix + "-" + tiers[static_cast<size_t>(i) % tiers.size()] + "-ec2";
        w.role_id = AwsUniqueId(rng, "AROA");
        w.region = region;
        a.workloads.push_back(std::move(w));
    }
    const std::array<const char*, 6> fns = {"thumbnailer",     "order-events", "nightly-report",
                                            "webhook-handler", "s3-indexer",   "token-rotator"};
    for (int i = 0; i < lambdas; ++i) {
        Workload w;
        w.lambda = true;
        w.name = prefix + "-" + fns[static_cast<size_t>(i) % fns.size()];
        w.role_name = w.name + "-role";
        w.role_id = AwsUniqueId(rng, "AROA");
        w.region = region;
        a.workloads.push_back(std::move(w));
    }
}

void AddResources(Account& a, Rng& rng, const std::string& region) {
    const int vpcs = 1 + static_cast<int>(rng.Below(2));
    for (int i = 0; i < vpcs; ++i) a.vpcs.push_back("vpc-0" + Hex(rng, 16));
    for (int i = 0; i < 2 + vpcs * 2; ++i) a.subnets.push_back("subnet-0" + Hex(rng, 16));
    for (int i = 0; i < 3 + static_cast<int>(rng.Below(6)); ++i) {
        a.security_groups.push_back("sg-0" + Hex(rng, 16));
    }
    for (const char* purpose : {"assets", "artifacts", "backups", "exports"}) {
        a.buckets.push_back(a.name + "-" + purpose + "-" + a.id);
    }
    for (int i = 0; i < 2; ++i) a.kms_keys.push_back(Uuid(rng));
    for (const auto& w : a.workloads) {
        if (w.lambda) a.log_groups.push_back("/aws/lambda/" + w.name);
    }
    a.log_groups.push_back("/" + a.name + "/application");
    a.secrets.push_back(a.name + "/db/master");
    a.secrets.push_back(a.name + "/api/keys");
    if (a.kind == AccountKind::kProd || a.kind == AccountKind::kStaging) {
        a.db_instances.push_back(a.name + "-db");
    }
    (void)region;
}

}  // namespace

std::string Org::InstanceArn() const { return "arn:aws:sso:::instance/" + instance_id; }

std::string Org::IdentityStoreArn() const {
    return "arn:aws:identitystore::" + management().id + ":identitystore/" + identity_store_id;
}

std::string Org::PermissionSetArn(uint32_t ps) const {
    return "arn:aws:sso:::permissionSet/" + instance_id + "/" + permission_sets[ps].id;
}

std::string Org::SsoRoleName(uint32_t account, uint32_t ps) const {
    return "AWSReservedSSO_" + permission_sets[ps].name + "_" +
           accounts[account].sso_role_suffix[ps];
}

std::string Org::SsoRoleArn(uint32_t account, uint32_t ps) const {
    return "arn:aws:iam::" + accounts[account].id + ":role/aws-reserved/sso.amazonaws.com/" +
           regions[home_region] + "/" + SsoRoleName(account, ps);
}

int Org::FindPermissionSet(std::string_view name) const {
    for (size_t i = 0; i < permission_sets.size(); ++i) {
        if (permission_sets[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int Org::FindUser(UserRole role, size_t nth) const {
    for (size_t i = 0; i < users.size(); ++i) {
        if (users[i].role == role && nth-- == 0) return static_cast<int>(i);
    }
    return -1;
}

Org BuildOrg(const OrgOptions& options, uint64_t seed) {
    Org org;
    org.seed = seed;
    Rng rng(Mix(seed, HashName("org")));
    org.regions = options.regions;
    if (org.regions.empty()) org.regions.push_back("us-east-1");
    auto us_east = std::find(org.regions.begin(), org.regions.end(), "us-east-1");
    if (us_east == org.regions.end()) {
        org.regions.push_back("us-east-1");
        us_east = org.regions.end() - 1;
    }
    org.global_region = static_cast<uint32_t>(us_east - org.regions.begin());
    org.home_region = 0;
    org.company = kCompanies[rng.Below(kCompanies.size())];
    org.domain = org.company + ".example";
    org.org_id = "o-" + RandomString(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 10);
    org.instance_id = "ssoins-" + Hex(rng, 16);
    org.identity_store_id = "d-" + Hex(rng, 10);
    for (int i = 0; i < 3; ++i) org.office_ips.push_back(Ipv4(198, 51, 100, 10 + rng.Below(240)));

    org.permission_sets = {{"AdministratorAccess", "", "AdministratorAccess", "PT4H"},
                           {"PowerUserAccess", "", "PowerUserAccess", "PT8H"},
                           {"ReadOnlyAccess", "", "ReadOnlyAccess", "PT8H"},
                           {"SecurityAudit", "", "SecurityAudit", "PT8H"},
                           {"Billing", "", "job-function/Billing", "PT1H"}};
    for (auto& ps : org.permission_sets) ps.id = "ps-" + Hex(rng, 16);
    org.groups = {{"PlatformAdmins", ""},
                  {"SecurityTeam", ""},
                  {"Developers", ""},
                  {"Finance", ""},
                  {"SupportEngineers", ""}};
    for (auto& g : org.groups) g.group_id = Uuid(rng);

    // ---- accounts
    const uint32_t members = std::max<uint32_t>(1, options.member_accounts);
    Account mgmt;
    mgmt.kind = AccountKind::kManagement;
    mgmt.name = "management";
    org.accounts.push_back(std::move(mgmt));
    std::vector<std::pair<AccountKind, std::string>> layout;
    if (members >= 3) {
        layout.push_back({AccountKind::kLogArchive, "log-archive"});
        layout.push_back({AccountKind::kSharedServices, "shared-services"});
    } else if (members == 2) {
        layout.push_back({AccountKind::kLogArchive, "log-archive"});
    }
    for (uint32_t k = 0; layout.size() < members; ++k) {
        if (k % 8 == 7) {
            layout.push_back({AccountKind::kSandbox, "sandbox-" + std::to_string(k / 8 + 1)});
            continue;
        }
        const uint32_t app = (k - k / 8) / 3;
        std::string name = kApps[app % kApps.size()];
        if (app >= kApps.size()) name += std::to_string(app / kApps.size() + 1);
        static constexpr std::array<std::pair<AccountKind, const char*>, 3> kEnvs = {
            {{AccountKind::kProd, "prod"},
             {AccountKind::kStaging, "staging"},
             {AccountKind::kDev, "dev"}}};
        const auto& env = kEnvs[(k - k / 8) % 3];
        layout.push_back({env.first, name + "-" + env.second});
    }
    for (auto& [kind, name] : layout) {
        Account a;
        a.kind = kind;
        a.name = name;
        org.accounts.push_back(std::move(a));
    }
    static constexpr double kKindWeight[] = {0.6, 0.5, 1.0, 2.5, 1.0, 0.8, 0.3};
    for (size_t i = 0; i < org.accounts.size(); ++i) {
        Account& a = org.accounts[i];
        const uint32_t idx = static_cast<uint32_t>(i);
        a.id = Digits(rng, 12);
        a.email = "aws+" + a.name + "@" + org.domain;
        a.weight = kKindWeight[static_cast<int>(a.kind)] * (0.5 + rng.Unit());
        a.primary_region = org.regions.size() > 1 && rng.Chance(0.25) ? 1 : 0;
        a.saml_provider = "AWSSSO_" + Hex(rng, 16) + "_DO_NOT_DELETE";
        for (size_t p = 0; p < org.permission_sets.size(); ++p) {
            a.sso_role_suffix.push_back(Hex(rng, 16));
            a.sso_role_id.push_back(AwsUniqueId(rng, "AROA"));
        }
        switch (a.kind) {
            case AccountKind::kManagement:
                org.org_trail_name = org.company + "-org-trail";
                a.trails = {org.org_trail_name, "management-events-archive",
                            "cloudtrail-compliance"};
                break;
            case AccountKind::kLogArchive:
                org.log_archive = idx;
                AddWorkloads(a, rng, a.primary_region, 0, 2);
                break;
            case AccountKind::kSharedServices:
                org.shared_services = idx;
                AddWorkloads(a, rng, a.primary_region, 2 + static_cast<int>(rng.Below(3)), 2);
                break;
            case AccountKind::kProd:
                org.prod.push_back(idx);
                AddWorkloads(a, rng, a.primary_region, 4 + static_cast<int>(rng.Below(10)),
                             2 + static_cast<int>(rng.Below(4)));
                a.trails = {a.name + "-local-trail", a.name + "-data-events"};
                break;
            case AccountKind::kStaging:
            case AccountKind::kDev:
                org.nonprod.push_back(idx);
                AddWorkloads(a, rng, a.primary_region, 1 + static_cast<int>(rng.Below(5)),
                             1 + static_cast<int>(rng.Below(3)));
                break;
            case AccountKind::kSandbox:
                org.sandbox.push_back(idx);
                AddWorkloads(a, rng, a.primary_region, static_cast<int>(rng.Below(3)), 0);
                break;
        }
        AddResources(a, rng, org.regions[a.primary_region]);
        if (a.kind != AccountKind::kManagement && a.kind != AccountKind::kLogArchive) {
            a.ci_role_name = "terraform-deployer";
            a.ci_role_id = AwsUniqueId(rng, "AROA");
        }
    }
    if (org.prod.empty()) org.prod.push_back(static_cast<uint32_t>(org.accounts.size() - 1));
    org.org_trail_bucket = org.company + "-org-cloudtrail-" + org.accounts[org.log_archive].id;

    // Legacy IAM users with long-lived keys, in some workload accounts.
    for (uint32_t idx : org.prod) {
        IamUser u;
        u.name = "svc-backup-exporter";
        u.user_id = AwsUniqueId(rng, "AIDA");
        u.access_key = AwsKeyId(rng, "AKIA");
        u.user_agent = kBoto3;
        u.source_ip = Ipv4(54, 80 + rng.Below(60), rng.Below(256), 1 + rng.Below(254));
        u.weight = 0.4;
        u.nightly = true;
        org.accounts[idx].iam_users.push_back(std::move(u));
    }
    {
        // A vendor's integration user in the first production account.
        IamUser u;
        u.name = "vendor-integration";
        u.user_id = AwsUniqueId(rng, "AIDA");
        u.access_key = AwsKeyId(rng, "AKIA");
        u.user_agent =
            "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#5.15.0-1049-aws "
            "md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython "
            "cfg/retry-mode#legacy Botocore/1.31.57";
        u.source_ip = Ipv4(18, 200 + rng.Below(30), rng.Below(256), 1 + rng.Below(254));
        u.weight = 0.2;
        org.accounts[org.prod[0]].iam_users.push_back(std::move(u));
    }
    if (org.shared_services != 0) {
        IamUser u;
        u.name = "grafana-cloudwatch-reader";
        u.user_id = AwsUniqueId(rng, "AIDA");
        u.access_key = AwsKeyId(rng, "AKIA");
        u.user_agent = "aws-sdk-go/1.51.30 (go1.22.3; linux; amd64)";
        u.source_ip = Ipv4(52, 20 + rng.Below(40), rng.Below(256), 1 + rng.Below(254));
        u.weight = 0.5;
        org.accounts[org.shared_services].iam_users.push_back(std::move(u));
    }

    // ---- Identity Center users
    const uint32_t n_users = std::clamp<uint32_t>(8 + 2 * members, 10, 300);
    std::vector<UserRole> roles = {UserRole::kPlatformAdmin, UserRole::kPlatformAdmin,
                                   UserRole::kSecurity, UserRole::kFinance, UserRole::kSupport};
    while (roles.size() < n_users) {
        const size_t k = roles.size();
        if (k % 12 == 5) {
            roles.push_back(UserRole::kSecurity);
        } else if (k % 15 == 7) {
            roles.push_back(UserRole::kSupport);
        } else {
            roles.push_back(UserRole::kDeveloper);
        }
    }
    std::vector<std::string> taken;
    std::vector<uint32_t> workload_accounts = org.prod;
    workload_accounts.insert(workload_accounts.end(), org.nonprod.begin(), org.nonprod.end());
    workload_accounts.insert(workload_accounts.end(), org.sandbox.begin(), org.sandbox.end());
    const uint32_t admin_ps = 0, power_ps = 1, ro_ps = 2, audit_ps = 3, billing_ps = 4;
    for (uint32_t i = 0; i < n_users; ++i) {
        User u;
        u.role = roles[i];
        std::string base;
        do {
            base = std::string(kFirstNames[rng.Below(kFirstNames.size())]) + "." +
                   kLastNames[rng.Below(kLastNames.size())];
        } while (std::find(taken.begin(), taken.end(), base) != taken.end());
        taken.push_back(base);
        u.user_name = base + "@" + org.domain;
        u.display_name = base;
        u.display_name[0] = static_cast<char>(u.display_name[0] - 32);
        const size_t dot = u.display_name.find('.');
        u.display_name[dot] = ' ';
        u.display_name[dot + 1] = static_cast<char>(u.display_name[dot + 1] - 32);
        u.user_id = Uuid(rng);
        const uint32_t tz = rng.Below(100);
        u.utc_offset_hours = u.role == UserRole::kPlatformAdmin || tz < 60 ? -4 : tz < 85 ? -7 : 2;
        u.office_ip = org.office_ips[rng.Below(static_cast<uint32_t>(org.office_ips.size()))];
        u.home_ip = HomeIp(rng);
        u.browser_ua = kBrowsers[rng.Below(kBrowsers.size())];
        u.cli_ua_prefix = kCliPrefixes[rng.Below(kCliPrefixes.size())];
        switch (u.role) {
            case UserRole::kPlatformAdmin:
                u.group = 0;
                u.cli_share = 0.5;
                for (uint32_t a = 0; a < org.accounts.size(); ++a) {
                    u.assignments.push_back({a, admin_ps, a == 0 ? 3.0 : 1.0});
                }
                break;
            case UserRole::kSecurity:
                u.group = 1;
                u.cli_share = 0.4;
                for (uint32_t a = 0; a < org.accounts.size(); ++a) {
                    u.assignments.push_back({a, audit_ps, a == org.log_archive ? 3.0 : 1.0});
                }
                break;
            case UserRole::kFinance:
                u.group = 3;
                u.cli_share = 0.0;
                u.assignments.push_back({0, billing_ps, 1.0});
                break;
            case UserRole::kSupport:
                u.group = 4;
                u.cli_share = 0.3;
                for (uint32_t a : org.prod) u.assignments.push_back({a, admin_ps, 1.0});
                break;
            case UserRole::kDeveloper: {
                u.group = 2;
                u.cli_share = 0.45;
                const uint32_t n = std::min<uint32_t>(
                    static_cast<uint32_t>(workload_accounts.size()), 2 + rng.Below(3));
                const uint32_t first = rng.Below(static_cast<uint32_t>(workload_accounts.size()));
                for (uint32_t k = 0; k < n; ++k) {
                    const uint32_t a = workload_accounts[(first + k) % workload_accounts.size()];
                    const bool prod = org.accounts[a].kind == AccountKind::kProd;
                    u.assignments.push_back({a, prod ? ro_ps : power_ps, prod ? 0.6 : 1.5});
                }
                break;
            }
        }
        org.users.push_back(std::move(u));
    }

    // Two developers still have IAM users with access keys from before the move to Identity
    // Center (in the first account they work in).
    for (size_t nth = 0; nth < 2; ++nth) {
        const int dev = org.FindUser(UserRole::kDeveloper, nth);
        if (dev < 0) break;
        const User& d = org.users[static_cast<size_t>(dev)];
        IamUser u;
        u.name = d.user_name.substr(0, d.user_name.find('@'));
        u.user_id = AwsUniqueId(rng, "AIDA");
        u.access_key = AwsKeyId(rng, "AKIA");
        u.user_agent = d.cli_ua_prefix;
        u.source_ip = d.home_ip;
        u.weight = 0.3;
        u.owner = dev;
        org.accounts[d.assignments.front().account].iam_users.push_back(std::move(u));
    }
    return org;
}

}  // namespace tw::simulate
