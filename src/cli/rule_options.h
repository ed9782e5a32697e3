// Rule-loading options shared by `hunt` and `rules`: --rules, --no-builtin, --disable,
// --placeholder. Header-only: cli/ is the only folder that includes it.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/strings.h"
#include "detect/hunt.h"
#include "sigma/meta.h"

namespace tw::cli {

struct RuleOptions {
    std::vector<std::string> paths;
    bool no_builtin = false;
    std::vector<std::string> disable;
    std::vector<std::string> placeholders;  // NAME=V1,V2
};

inline void AddRuleOptions(CLI::App* cmd, RuleOptions& r) {
    cmd->add_option("--rules,-r", r.paths, "Sigma rule file or directory (repeatable)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    cmd->add_flag("--no-builtin", r.no_builtin,
                  "do not load the built-in pack (hunt: nor run the behaviour and\n"
                  "derived-activity detectors; only the --rules rules run)");
    cmd->add_option("--disable", r.disable,
                    "do not load the rule with this id or title (repeatable)")
        ->type_name("RULE_ID")
        ->allow_extra_args(false);
    cmd->add_option("--placeholder", r.placeholders,
                    "value(s) of an `expand` placeholder: NAME=V1,V2 (repeatable)")
        ->type_name("NAME=VALUES")
        ->allow_extra_args(false);
}

// Copies the options into `opt`; fails on a malformed --placeholder.
[[nodiscard]] inline Status ApplyRuleOptions(const RuleOptions& r, detect::HuntOptions& opt) {
    opt.rule_paths = r.paths;
    opt.builtin = !r.no_builtin;
    opt.load.disabled.insert(r.disable.begin(), r.disable.end());
    for (const std::string& p : r.placeholders) {
        const size_t eq = p.find('=');
        if (eq == std::string::npos || eq == 0) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "--placeholder '" + p + "': expected NAME=VALUE[,VALUE...]");
        }
        auto& values = opt.load.placeholders[p.substr(0, eq)];
        for (std::string_view v : Split(std::string_view(p).substr(eq + 1), ',')) {
            values.emplace_back(Trim(v));
        }
    }
    return OkStatus();
}

// "90m", "1h", "2d" -> milliseconds.
[[nodiscard]] inline std::optional<TimeMs> ParseDuration(const std::string& s) {
    TimeMs ms = 0;
    if (!sigma::ParseTimespan(s, ms)) return std::nullopt;
    return ms;
}

}  // namespace tw::cli
