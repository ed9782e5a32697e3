// Test helpers of the identity module: temporary directories, graphs built from inline
// CloudTrail records, and running the trailwarden binary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "identity/graph.h"

namespace tw::identity::testing {

// A fresh directory under $TMPDIR, removed with its content on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }
    // Writes `content` to `name` under the directory (parents created); returns the path.
    std::string Write(std::string_view name, std::string_view content) const;

  private:
    std::string path_;
};

// Builds the graph of `records` (JSON objects, one CloudTrail record each), written as one
// {"Records": [...]} file per element of `files`.
[[nodiscard]] Graph BuildGraph(const std::vector<std::vector<std::string>>& files,
                               unsigned threads = 1);

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the built trailwarden binary with `args` (already quoted for /bin/sh).
[[nodiscard]] CommandResult RunTrailwarden(const std::string& args);

// Quotes for /bin/sh.
[[nodiscard]] std::string ShellQuote(std::string_view s);

// ../shared beside the checkout, or "" when absent.
[[nodiscard]] std::string SharedDir();

[[nodiscard]] std::string ReadFile(const std::string& path);

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
// Identity Center user, current shape (IdentityCenterUser + onBehalfOf).
[[nodiscard]] std::string IcUserId(std::string_view acct, std::string_view store,
                                   std::string_view user_id);
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

}  // namespace tw::identity::testing
