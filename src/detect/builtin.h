// The built-in detection pack: Sigma YAML files embedded in the binary at build time and
// loaded like any other rules, with the source tag "builtin". The files live in rules/builtin;
// cmake/EmbedRules.cmake turns them into the table BuiltinRuleFiles() returns.
#pragma once

#include <string_view>
#include <vector>

namespace tw::detect {

struct BuiltinRuleFile {
    std::string_view name;  // e.g. "builtin/credentials/login-profile-changed.yml"
    std::string_view yaml;  // the file's text
};

// Every embedded rule file, in a fixed order.
[[nodiscard]] const std::vector<BuiltinRuleFile>& BuiltinRuleFiles();

}  // namespace tw::detect
