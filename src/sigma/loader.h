// The Sigma loader: rule files (multi-document YAML), directories walked recursively, and YAML
// text held in memory (the built-in pack) -> a RuleSet ready to compile.
//
// Three steps, as in docs/design/rule-plan.md: read (YAML with positions) -> resolve
// (metadata, search identifiers, modifiers, conditions, correlations) -> filter (logsource
// product aws / service cloudtrail runs; others are reported as skipped, not errors). A rule
// with an error is disabled with a positioned diagnostic; the rest still load.
//
//   sigma::Loader loader(options);
//   loader.AddPath("rules/");                 // files and directories
//   rules::RuleSet set = loader.Finish();     // problems(): every error and warning
//
// Thread-safety: a Loader is used from one thread.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "sigma/detection.h"
#include "sigma/problems.h"

namespace tw::sigma {

struct LoadOptions {
    Placeholders placeholders;       // values for `expand`
    std::set<std::string> disabled;  // rule ids or titles not to load (--disable)
    bool any_logsource = false;      // run rules whatever their logsource (tests)
};

class Loader {
  public:
    explicit Loader(LoadOptions options = {}) : options_(std::move(options)) {}

    // Loads a rule file, or every *.yml / *.yaml under a directory (sorted, recursive). Rules
    // are tagged "sigma:<path relative to the directory>" (or the file name).
    void AddPath(const std::string& path);

    // Loads YAML text; `name` is used in messages, `source` is the finding source tag.
    void AddText(std::string_view text, const std::string& name, const std::string& source);

    // Resolves correlation references, applies `generate` and the logsource filter.
    [[nodiscard]] rules::RuleSet Finish();

    [[nodiscard]] const std::vector<LoadProblem>& problems() const { return problems_; }
    [[nodiscard]] size_t error_count() const;
    [[nodiscard]] size_t documents() const { return documents_; }
    // Rules (documents) disabled by an error.
    [[nodiscard]] size_t failed() const { return failed_; }

  private:
    struct PendingCorrelation {
        rules::CorrelationRule rule;
        Position rules_pos;
        std::vector<Position> ref_pos;
        std::vector<std::string> internal_refs;  // legacy conversions: names of hidden rules
    };
    void LoadDocument(const YAML::Node& doc, const std::string& file, const std::string& source);

    LoadOptions options_;
    std::vector<LoadProblem> problems_;
    std::vector<rules::DetectionRule> detections_;
    std::vector<PendingCorrelation> correlations_;
    std::vector<rules::SkippedRule> skipped_;
    size_t documents_ = 0;
    size_t failed_ = 0;
    size_t hidden_ = 0;
};

}  // namespace tw::sigma
