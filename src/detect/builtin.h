// The built-in detection pack: Sigma YAML files embedded in the binary at build time and
// loaded like any other rules, with the source tag "builtin". The pack itself arrives with the
// built-in detections (issue 5): its build step generates the table that BuiltinRuleFiles()
// returns (one entry per YAML file); until then the table is empty.
#pragma once

#include <string_view>
#include <vector>

namespace tw::detect {

struct BuiltinRuleFile {
    std::string_view name;  // e.g. "builtin/iam_create_login_profile.yml" (for messages)
    std::string_view yaml;  // the file's text
};

// Every embedded rule file, in a fixed order.
[[nodiscard]] const std::vector<BuiltinRuleFile>& BuiltinRuleFiles();

}  // namespace tw::detect
