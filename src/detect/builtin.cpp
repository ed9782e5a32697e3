#include "detect/builtin.h"

namespace tw::detect {

const std::vector<BuiltinRuleFile>& BuiltinRuleFiles() {
    // Generated at build time from rules/builtin (cmake/EmbedRules.cmake).
    static const std::vector<BuiltinRuleFile> files = {
#include "builtin_rules.inc"
    };
    return files;
}

}  // namespace tw::detect
