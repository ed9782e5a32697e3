#include "detect/builtin.h"

namespace tw::detect {

const std::vector<BuiltinRuleFile>& BuiltinRuleFiles() {
    static const std::vector<BuiltinRuleFile> kFiles = {};
    return kFiles;
}

}  // namespace tw::detect
