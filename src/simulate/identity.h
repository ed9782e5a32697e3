// Actors and their CloudTrail userIdentity elements.
//
// An Actor is whoever makes a call: an Identity Center user's AWSReservedSSO_* role session, a
// CI or workload role session, a service-linked role, an AWS service, an IAM user, a federated
// user, a SAML user, or an Identity Center user in the access portal. Its userIdentity JSON is
// rendered once (per session or per credential period) and copied into every record it makes,
// with the source address and user agent that go with it.
//
// Shapes follow real records (see docs/simulate.md): e.g. AssumedRole carries principalId
// "AROA...:session", arn, accountId, accessKeyId and sessionContext{sessionIssuer,
// webIdFederationData, attributes}; service-linked roles add invokedBy.
//
// Thread-safety: Actor is a value; the builders are pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace tw::simulate {

// How the user agent of a call is formed from the actor's.
enum class UaStyle : uint8_t {
    kFixed,      // as is (browsers, SDKs, services)
    kCli,        // aws-cli prefix + " md/command#<service>.<operation>"
    kTerraform,  // Terraform/aws-sdk-go-v2 prefix + " api/<service>#<version>"
};

// What kind of traffic an actor makes (selects its API mix in the background generator).
enum class ApiMix : uint8_t {
    kConsoleBrowse,  // a person in the console: Describe/List/Get across services
    kCliDev,         // a developer's CLI: reads plus a few routine writes
    kReadOnlyAudit,  // security analysts and auditors
    kBilling,        // cost explorer and billing pages
    kTerraform,      // CI refresh/plan/apply
    kConfig,         // AWS Config recorder (service-linked role)
    kAccessAnalyzer,
    kSecurityHub,
    kEc2Instance,  // SSM agent and application on an instance profile
    kLambda,       // a Lambda function's execution role
    kAwsService,   // AWSService principals (STS, KMS on behalf of services)
    kLegacyKey,    // an IAM user's long-lived key used by a script
    kNone,         // scenario actors: no background traffic
};

struct Actor {
    std::string identity;  // the userIdentity object, JSON
    std::string arn;       // principal ARN used in error messages ("" for services)
    std::string source_ip;
    std::string user_agent;
    UaStyle ua = UaStyle::kFixed;
    ApiMix mix = ApiMix::kNone;
    bool console = false;  // sessionCredentialFromConsole
    bool service = false;  // source and agent are a service name
    std::string account_id;
};

// AssumedRole. `role_path` is the role's IAM path without slashes around it ("" for "/").
// `invoked_by` is set for service-linked roles and calls made by a service for the caller.
[[nodiscard]] std::string AssumedRoleIdentity(std::string_view account_id,
                                              std::string_view role_name, std::string_view role_id,
                                              std::string_view role_path,
                                              std::string_view session_name,
                                              std::string_view access_key, TimeMs created,
                                              std::string_view invoked_by = {});

[[nodiscard]] std::string RoleArn(std::string_view account_id, std::string_view role_path,
                                  std::string_view role_name);
[[nodiscard]] std::string AssumedRoleArn(std::string_view account_id, std::string_view role_name,
                                         std::string_view session_name);

// IAMUser with a long-lived key; with `console_created` != 0 a console session (ASIA key and
// a sessionContext without sessionIssuer).
[[nodiscard]] std::string IamUserIdentity(std::string_view account_id, std::string_view user_name,
                                          std::string_view user_id, std::string_view access_key,
                                          TimeMs console_created = 0);

[[nodiscard]] std::string AwsServiceIdentity(std::string_view service);

// FederatedUser from GetFederationToken called by IAM user `issuer_name`.
[[nodiscard]] std::string FederatedUserIdentity(std::string_view account_id, std::string_view name,
                                                std::string_view access_key,
                                                std::string_view issuer_name,
                                                std::string_view issuer_id, TimeMs created);

// SAMLUser of an AssumeRoleWithSAML record.
[[nodiscard]] std::string SamlUserIdentity(std::string_view name_qualifier,
                                           std::string_view user_name);

// Identity Center user in the access portal and sign-in events. Before 2025-07-14 the
// record carries type Unknown with principalId and userName next to onBehalfOf; from that
// date AWS emits type IdentityCenterUser without userName and principalId.
[[nodiscard]] std::string IdentityCenterUserIdentity(std::string_view management_account,
                                                     std::string_view user_name,
                                                     std::string_view user_id,
                                                     std::string_view identity_store_arn,
                                                     std::string_view credential_id, TimeMs when);

// True when `when` falls after Identity Center stopped emitting userName (2025-07-14).
[[nodiscard]] bool IdentityCenterNewShape(TimeMs when);

}  // namespace tw::simulate
