// The simulated organization: one AWS Organizations org (a management account and N member
// accounts), its regions, its IAM Identity Center instance (identity store, users, groups,
// permission sets and account assignments), and the machines and people that act in it (CI
// roles, workload roles, service-linked roles, IAM users with long-lived keys).
//
// Everything is derived from the seed by BuildOrg, so the same seed gives the same org; the
// rest of the simulator only reads it.
//
// Thread-safety: immutable after BuildOrg; shared by all generator threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace tw::simulate {

inline constexpr TimeMs kNever = INT64_MAX;

enum class AccountKind {
    kManagement,
    kLogArchive,
    kSharedServices,
    kProd,
    kStaging,
    kDev,
    kSandbox
};

// One EC2 instance or Lambda function with its role.
struct Workload {
    bool lambda = false;
    std::string name;       // instance id ("i-0...") or function name
    std::string role_name;  // IAM role the workload runs as
    std::string role_id;    // AROA...
    uint32_t region = 0;    // index into Org::regions
};

// An IAM user with a long-lived access key (legacy service users, developers' old keys).
struct IamUser {
    std::string name;
    std::string user_id;     // AIDA...
    std::string access_key;  // AKIA...
    std::string user_agent;
    std::string source_ip;
    double weight = 1;             // share of the account's API traffic
    int owner = -1;                // the Identity Center user who uses this key by hand, or -1
    bool nightly = false;          // a backup job: busy one hour a night, quiet otherwise
    TimeMs active_until = kNever;  // no background use from then on (offboarding)
};

struct Account {
    std::string id;  // 12 digits
    std::string name;
    std::string email;
    AccountKind kind = AccountKind::kDev;
    double weight = 1;            // relative API volume
    uint32_t primary_region = 0;  // index into Org::regions
    std::string saml_provider;    // AWSSSO_<hex>_DO_NOT_DELETE (Identity Center's provider)
    // Per permission set (index into Org::permission_sets): reserved role suffix and role id.
    std::vector<std::string> sso_role_suffix;
    std::vector<std::string> sso_role_id;
    std::vector<Workload> workloads;
    std::vector<IamUser> iam_users;
    // Resources that read-only traffic refers to.
    std::vector<std::string> vpcs, subnets, security_groups, buckets, kms_keys, log_groups, secrets,
        db_instances, trails;
    std::string ci_role_name, ci_role_id;  // deploy role assumed by CI (empty if none)
};

struct PermissionSet {
    std::string name;  // "AdministratorAccess"
    std::string id;    // "ps-..." (16 hex)
    std::string managed_policy;
    std::string session_duration;  // "PT8H"
};

enum class UserRole { kPlatformAdmin, kSecurity, kDeveloper, kFinance, kSupport };

struct Assignment {
    uint32_t account = 0;
    uint32_t permission_set = 0;
    double weight = 1;
};

// An Identity Center user (native directory).
struct User {
    std::string user_name;  // sign-in name, "priya.sharma@examplecorp.example"
    std::string display_name;
    std::string user_id;  // identity store user id (UUID)
    UserRole role = UserRole::kDeveloper;
    int utc_offset_hours = -4;  // working hours are local
    std::string office_ip, home_ip;
    std::string browser_ua, cli_ua_prefix;
    double cli_share = 0.3;  // share of sessions from the CLI rather than the console
    std::vector<Assignment> assignments;
    uint32_t group = 0;            // index into Org::groups
    TimeMs active_until = kNever;  // no sessions from then on (offboarding)
};

struct Group {
    std::string name;
    std::string group_id;
};

struct Org {
    uint64_t seed = 0;
    std::string org_id;                // "o-..."
    std::string company;               // "examplecorp"
    std::string domain;                // "examplecorp.example"
    std::vector<Account> accounts;     // [0] is the management account
    std::vector<std::string> regions;  // [0] is the home region (Identity Center, global events)
    uint32_t home_region = 0;
    uint32_t global_region = 0;     // us-east-1: IAM, STS global endpoint, sign-in
    std::string instance_id;        // "ssoins-..." (16 hex)
    std::string identity_store_id;  // "d-..." (10 hex)
    std::vector<PermissionSet> permission_sets;
    std::vector<Group> groups;
    std::vector<User> users;
    std::vector<std::string> office_ips;
    // Identity source. By default Identity Center's own directory: people sign in with a
    // password and TOTP. With an external IdP (the idp-takeover scenarios' premise) people
    // sign in through that IdP, and the IdP provisions users and groups over SCIM.
    bool external_idp = false;
    std::string scim_tenant_id;  // requestParameters.tenantId of SCIM calls
    std::string scim_token_id;   // userIdentity.accessKeyId of SCIM calls (the access token)
    std::string scim_ip;         // the IdP's provisioning address
    std::string org_trail_name;  // the trail this output represents
    std::string org_trail_bucket;
    // Accounts by role (indices into accounts).
    uint32_t log_archive = 0, shared_services = 0;
    std::vector<uint32_t> prod, nonprod, sandbox;

    [[nodiscard]] const Account& management() const { return accounts[0]; }
    [[nodiscard]] std::string InstanceArn() const;
    [[nodiscard]] std::string IdentityStoreArn() const;
    [[nodiscard]] std::string PermissionSetArn(uint32_t ps) const;
    // arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/REGION/AWSReservedSSO_PS_HEX
    [[nodiscard]] std::string SsoRoleArn(uint32_t account, uint32_t ps) const;
    [[nodiscard]] std::string SsoRoleName(uint32_t account, uint32_t ps) const;
    // Index of a permission set by name, or -1.
    [[nodiscard]] int FindPermissionSet(std::string_view name) const;
    [[nodiscard]] int FindUser(UserRole role, size_t nth = 0) const;
};

struct OrgOptions {
    uint32_t member_accounts = 5;
    std::vector<std::string> regions = {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"};
};

// Builds the organization for `seed`.
[[nodiscard]] Org BuildOrg(const OrgOptions& options, uint64_t seed);

}  // namespace tw::simulate
