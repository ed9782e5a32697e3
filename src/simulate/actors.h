// The actors of planned sessions and background sources, and the ids derived for them.
//
// Every id an actor shows (access keys, credential ids, SAML assertion ids) is derived from
// the seed and the session or time bucket it belongs to, so the record that mints a
// credential (AssumeRoleWithSAML, AssumeRole) and the records that use it always agree,
// whichever file or thread renders them.
//
// Thread-safety: pure functions of an immutable Plan.
#pragma once

#include <string>

#include "simulate/identity.h"
#include "simulate/plan.h"

namespace tw::simulate {

// Ids of one Identity Center session.
struct SessionIds {
    std::string access_key;      // ASIA... returned by AssumeRoleWithSAML, used by the session
    std::string credential_id;   // the portal credential (per user and day)
    std::string auth_workflow;   // AuthWorkflowID of the day's sign-in
    std::string saml_assertion;  // sAMLAssertionID
};
[[nodiscard]] SessionIds DeriveSessionIds(const Plan& plan, const HumanSession& s);

// The AWSReservedSSO_* role session of `s`, with its background API mix.
[[nodiscard]] Actor SessionActor(const Plan& plan, const HumanSession& s);
// The SAML provider name qualifier of Identity Center's provider in `account`.
[[nodiscard]] std::string NameQualifier(const Plan& plan, uint32_t account,
                                        std::string_view provider);

// Terraform's session in the target account, and the runner that assumed it.
[[nodiscard]] Actor CiActor(const Plan& plan, const CiRun& r);
[[nodiscard]] Actor RunnerActor(const Plan& plan, const CiRun& r);
[[nodiscard]] std::string CiSessionName(const CiRun& r);
[[nodiscard]] std::string CiAccessKey(const Plan& plan, const CiRun& r);

// The actor of a machine source (service-linked role, workload, service, IAM user) at `t`.
[[nodiscard]] Actor SourceActor(const Plan& plan, const Source& src, uint32_t account,
                                uint32_t region, TimeMs t);

// A stable pseudo-random public IPv4 address for `key` in AWS-owned ranges.
[[nodiscard]] std::string AwsIp(uint64_t key);

}  // namespace tw::simulate
