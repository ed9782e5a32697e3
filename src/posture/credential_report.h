// The IAM credential report: the CSV of `aws iam get-credential-report` once its base64
// Content is decoded (`--query Content --output text | base64 -d`), or the command's JSON
// output itself (the Content is decoded here). Columns as documented in the IAM User Guide,
// "Getting credential reports": user, arn, user_creation_time, password_enabled,
// password_last_used, password_last_changed, password_next_rotation, mfa_active,
// access_key_{1,2}_{active,last_rotated,last_used_date,last_used_region,last_used_service},
// cert_{1,2}_{active,last_rotated}.
//
// Bad input never stops the read: a header without the documented columns makes the file
// "not a credential report" (an error); unknown columns and rows with the wrong number of
// fields (a truncated file) are reported with file and line while the other rows are read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "core/time.h"

namespace tw::posture {

struct AccessKeyColumns {
    bool active = false;
    std::optional<TimeMs> last_rotated;  // N/A -> nullopt
    std::optional<TimeMs> last_used;     // N/A (never used, or no key) -> nullopt
    std::string last_used_raw;
};

struct CredentialRow {
    uint64_t line = 0;  // line in the file, for messages
    std::string user;   // "<root_account>" for the root user
    std::string arn;
    std::string account;  // from the ARN
    bool is_root = false;
    bool password_enabled = false;   // root: not_supported -> false
    std::string password_last_used;  // as printed (ISO 8601, no_information, N/A)
    bool mfa_active = false;
    AccessKeyColumns keys[2];
};

// The documented columns, in report order.
[[nodiscard]] const std::vector<std::string>& CredentialReportColumns();

// Parses `text` read from `path`. Fails (and reports nothing) when the header is not a
// credential report; otherwise returns the rows it could read and reports the rest to `diag`.
[[nodiscard]] Result<std::vector<CredentialRow>> ParseCredentialReport(std::string_view text,
                                                                       const std::string& path,
                                                                       Diagnostics& diag);

// Reads `path` (CSV, or the JSON output of get-credential-report) and parses it.
[[nodiscard]] Result<std::vector<CredentialRow>> ReadCredentialReport(const std::string& path,
                                                                      Diagnostics& diag);

// Decodes standard base64 (white space ignored); nullopt on a bad character.
[[nodiscard]] std::optional<std::string> DecodeBase64(std::string_view in);

}  // namespace tw::posture
