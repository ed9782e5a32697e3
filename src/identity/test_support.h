// Test helpers of the identity module: CloudTrail records written inline and graphs built
// from them (temporary directories and running the binary are in testing/test_util.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "identity/graph.h"

namespace tw::identity::fixture {

// Builds the graph of `records` (JSON objects, one CloudTrail record each), written as one
// {"Records": [...]} file per element of `files`.
[[nodiscard]] Graph BuildGraph(const std::vector<std::vector<std::string>>& files,
                               unsigned threads = 1);
// Builds the graph of CloudTrail files.
[[nodiscard]] Graph BuildGraphFromFiles(const std::vector<std::string>& paths,
                                        unsigned threads = 1);

// The labels of the nodes in `chain`, joined with " > ".
[[nodiscard]] std::string ChainText(const Graph& g, const Chain& chain);

// ---- CloudTrail records shaped like real ones (AWS documentation, ../shared/corpus);
// every value is made up.

// userIdentity elements.
[[nodiscard]] std::string IamUserId(std::string_view acct, std::string_view name,
                                    std::string_view key);
[[nodiscard]] std::string RootId(std::string_view acct, std::string_view key);
[[nodiscard]] std::string SessionId(std::string_view acct, std::string_view role,
                                    std::string_view session, std::string_view key,
                                    std::string_view source_identity = {});
// A session of an AWSReservedSSO_<permission set>_<hash> role (path aws-reserved/sso...).
[[nodiscard]] std::string SsoSessionId(std::string_view acct, std::string_view permission_set,
                                       std::string_view user, std::string_view key);
[[nodiscard]] std::string FederatedId(std::string_view acct, std::string_view name,
                                      std::string_view key, std::string_view issuer_user);
// Identity Center user, current shape (IdentityCenterUser + onBehalfOf + the credentialId
// of its access-portal session; one per user when not given).
[[nodiscard]] std::string IcUserId(std::string_view acct, std::string_view store,
                                   std::string_view user_id, std::string_view credential_id = {});
// Identity Center user, older sign-in shape (type Unknown + userName).
[[nodiscard]] std::string IcLegacyId(std::string_view acct, std::string_view name);
[[nodiscard]] std::string SamlUserId(std::string_view name_qualifier, std::string_view subject);
[[nodiscard]] std::string WebUserId(std::string_view provider, std::string_view subject);
[[nodiscard]] std::string ServiceId(std::string_view service);
[[nodiscard]] std::string AccountId(std::string_view acct, std::string_view principal_id);

// One record. Unset ids get a unique made-up eventID.
struct Rec {
    std::string time = "2024-06-20T21:00:00Z";
    std::string source = "sts.amazonaws.com";
    std::string name;
    std::string identity;
    std::string request = "null";
    std::string response = "null";
    std::string account = "111122223333";
    std::string region = "us-east-1";
    std::string ip = "198.51.100.7";
    std::string agent = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12";
    std::string error;
    std::string extra;       // more top-level members, e.g. "\"additionalEventData\": {...}"
    mutable std::string id;  // set by EventId() when empty
    std::string event_type = "AwsApiCall";
    bool read_only = false;
    [[nodiscard]] std::string Json() const;
    // The eventID Json() writes.
    [[nodiscard]] std::string EventId() const;
};

// The response of an STS call that issued `key` for `arn` (assumedRoleUser).
[[nodiscard]] std::string StsResponse(std::string_view key, std::string_view assumed_arn,
                                      std::string_view more = {});

}  // namespace tw::identity::fixture
