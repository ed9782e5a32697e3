// Fitting an SCP into the AWS Organizations size limit (5,120 characters by default, every
// character counted): pretty when it fits, minified when only that fits, else split into
// several policies. A Deny statement's Action list may be cut into several statements (the
// union of denies is the same); a NotAction list or a condition's values never are (that would
// change what the policy denies or whom it exempts), so such a statement fails to fit instead.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/status.h"
#include "response/policy.h"

namespace tw::response {

struct FittedScp {
    std::vector<std::string> documents;  // one per policy to create, in order
    bool minified = false;               // some document had to be minified
    bool split = false;                  // documents.size() > 1
};

// Fits `policy` into `limit` characters. Fails when a statement cannot fit even alone.
[[nodiscard]] Result<FittedScp> FitScp(const Policy& policy, size_t limit);

}  // namespace tw::response
