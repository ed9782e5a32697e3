// The AWS CLI outputs `audit` reads, exactly as the CLI prints them (`--output json`, the
// default), and their typed form. Each reader recognises its command by the top-level keys of
// the document, so a file given to the wrong flag is named in a clear error:
//
//   aws cloudtrail describe-trails                 {"trailList": [...]}
//   aws cloudtrail get-trail-status                {"IsLogging": true, ...}
//   aws cloudtrail get-event-selectors             {"TrailARN", "EventSelectors" |
//   "AdvancedEventSelectors"} aws iam list-saml-providers                    {"SAMLProviderList":
//   [...]} aws iam list-open-id-connect-providers         {"OpenIDConnectProviderList": [...]} aws
//   sso-admin list-instances                   {"Instances": [...]} aws organizations list-policies
//   {"Policies": [...]} aws organizations describe-policy              {"Policy": {"PolicySummary",
//   "Content"}} aws organizations list-targets-for-policy      {"Targets": [...]}
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tw::posture {

enum class CliOutput {
    kUnknown,
    kDescribeTrails,
    kTrailStatus,
    kEventSelectors,
    kSamlProviders,
    kOidcProviders,
    kSsoInstances,
    kListPolicies,
    kDescribePolicy,
    kPolicyTargets,
    kCredentialReportJson,  // aws iam get-credential-report (base64 Content)
};

// "aws cloudtrail describe-trails", ... (for messages).
[[nodiscard]] const char* CliCommandName(CliOutput kind);

struct Trail {
    std::string name;
    std::string arn;
    std::string home_region;
    std::string account;  // from the ARN
    std::string s3_bucket;
    bool multi_region = false;
    bool include_global_service_events = false;
    bool log_file_validation = false;
    std::string kms_key_id;
    bool has_custom_event_selectors = false;
    bool organization_trail = false;
};

struct TrailStatus {
    std::string trail;   // name or ARN it belongs to ("" until matched)
    std::string source;  // the file
    bool is_logging = false;
    std::string latest_delivery_error;
    std::string stop_logging_time;  // as printed, or ""
};

struct FieldSelector {
    std::string field;
    std::vector<std::string> equals, not_equals, starts_with, not_starts_with, ends_with,
        not_ends_with;
};

struct AdvancedSelector {
    std::string name;
    std::vector<FieldSelector> fields;
};

struct BasicSelector {
    std::string read_write_type = "All";  // ReadOnly | WriteOnly | All
    bool include_management_events = true;
    std::vector<std::string> exclude_management_event_sources;
};

struct EventSelectors {
    std::string trail_arn;
    std::string source;  // the file
    std::vector<BasicSelector> basic;
    std::vector<AdvancedSelector> advanced;
};

enum class ProviderKind { kSaml, kOidc, kIdentityCenter };

struct IdentityProvider {
    ProviderKind kind = ProviderKind::kSaml;
    std::string arn;
    std::string account;            // from the ARN, or the instance's owner account
    std::string created;            // CreateDate / CreatedDate as printed
    std::string identity_store_id;  // Identity Center only
};

struct OrgPolicy {
    std::string id;
    std::string arn;
    std::string name;
    std::string description;
    bool aws_managed = false;
    std::optional<std::string> content;  // describe-policy only
};

struct PolicyTarget {
    std::string id;
    std::string arn;
    std::string name;
    std::string type;  // ROOT | ORGANIZATIONAL_UNIT | ACCOUNT
};

struct PolicyTargets {
    std::string policy_id;  // from POLICY_ID=FILE or the file name ("" when unknown)
    std::string source;
    std::vector<PolicyTarget> targets;
};

// The kind of a parsed CLI document (by its top-level keys); kUnknown when none fits.
[[nodiscard]] CliOutput DetectCliOutput(std::string_view json);

// Readers: each fails with a message naming `path` when the file is not that command's
// output (naming the command it looks like instead, when known) or is not valid JSON.
[[nodiscard]] Result<std::vector<Trail>> ReadTrails(const std::string& path);
[[nodiscard]] Result<TrailStatus> ReadTrailStatus(const std::string& path);
[[nodiscard]] Result<EventSelectors> ReadEventSelectors(const std::string& path);
[[nodiscard]] Result<std::vector<IdentityProvider>> ReadSamlProviders(const std::string& path);
[[nodiscard]] Result<std::vector<IdentityProvider>> ReadOidcProviders(const std::string& path);
[[nodiscard]] Result<std::vector<IdentityProvider>> ReadSsoInstances(const std::string& path);
// list-policies or describe-policy output.
[[nodiscard]] Result<std::vector<OrgPolicy>> ReadPolicies(const std::string& path);
[[nodiscard]] Result<PolicyTargets> ReadPolicyTargets(const std::string& path);

// Reads a whole file; fails with a message naming it.
[[nodiscard]] Result<std::string> ReadWholeFile(const std::string& path);

// The 12-digit account of an ARN ("" when none).
[[nodiscard]] std::string AccountOfArn(std::string_view arn);

}  // namespace tw::posture
