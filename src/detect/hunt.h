// The hunt: loaded rules compiled into one plan, run over CloudTrail by the ingest pipeline,
// matches collected per worker as compact records, then (after ingest, off the hot path)
// sorted by time and input position, correlated, aggregated into findings and written.
// The output is byte-identical whatever the thread count.
//
//   detect::HuntOptions opt;  opt.rule_paths = {"rules/"};
//   auto rules = detect::LoadHuntRules(opt, diag_lines);      // built-in pack + --rules
//   auto result = detect::RunHunt(files, *rules, opt, ingest_options, diag);
//
// Thread-safety: RunHunt blocks; it uses the ingest worker threads internally.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "detect/aggregate.h"
#include "findings/finding.h"
#include "ingest/pipeline.h"
#include "rules/rule.h"
#include "sigma/loader.h"

namespace tw::detect {

enum class HuntFormat { kJsonl, kJson, kCsv, kTable };

struct HuntOptions {
    std::vector<std::string> rule_paths;  // --rules
    bool builtin = true;  // built-in pack, behaviour and derived activity (--no-builtin clears it)
    sigma::LoadOptions load;  // placeholders, --disable
    findings::Severity min_severity = findings::Severity::kInfo;
    TimeMs gap = kDefaultGap;  // aggregation: split an actor's matches after this idle time
    // Behaviour detectors (first seen, after offboarding): on unless disabled.
    bool behavior = true;
    // Known-good history for the first-seen detector (--baseline); when empty the learning
    // period is the start of the input (BehaviorCollector::DefaultLearningEnd).
    std::vector<ingest::InputFile> baseline;
    std::optional<TimeMs> learning_end;  // explicit end of the learning period
    // Memory each worker may spend keeping the events no rule matched (48 bytes each; the copy
    // of each event context's credential and call is not counted), so that the derived-activity
    // detector
    // finds the calls of flagged credentials without reading the input again. Past it (or past
    // a quarter of the matched events seen, plus 65,536) the workers drop them and the detector
    // reads again the files that may hold such calls. 0: always read again.
    size_t derived_memory_bytes = size_t{64} << 20;
};

// The rules of a hunt and what happened while loading them.
struct HuntRules {
    rules::RuleSet set;
    std::vector<sigma::LoadProblem> problems;
    size_t errors = 0;
};

// Loads the built-in pack (unless disabled) and every --rules path.
[[nodiscard]] HuntRules LoadHuntRules(const HuntOptions& opt);

struct HuntResult {
    // Why no input was read, when an input that must be read twice (stdin, a pipe) could not be
    // copied aside; empty otherwise.
    std::string input_error;
    std::vector<findings::Finding> findings;  // sorted (findings::SortFindings)
    ingest::IngestStats stats;
    uint64_t matches = 0;  // rule matches before aggregation
    // Rules the prefilter let through (run, or known from the event's context).
    uint64_t rules_run = 0;
    std::string plan_summary;  // Plan::Summary()
    std::vector<std::string> plan_errors;
    TimeMs learning_end = 0;        // of the first-seen detector (0 when it did not run)
    uint64_t untracked_events = 0;  // events of principals beyond the detector's bound
    size_t behavior_detectors = 0;  // behaviour detectors that ran
    // The derived-activity detector found its events among those kept in memory (false: it
    // read files again, or did not run).
    bool derived_from_memory = false;
    std::vector<std::string> accounts, regions;  // seen in the events read (sorted)
};

// Runs `rules` over `files`.
[[nodiscard]] HuntResult RunHunt(const std::vector<ingest::InputFile>& files,
                                 const rules::RuleSet& rules, const HuntOptions& opt,
                                 const ingest::IngestOptions& ingest_opt, Diagnostics& diag);
// Same, with inputs that may still be being discovered: `files` is called once, after the rules
// are compiled, and the list it returns must outlive the call.
using FileSource = std::function<const std::vector<ingest::InputFile>&()>;
[[nodiscard]] HuntResult RunHunt(const FileSource& files, const rules::RuleSet& rules,
                                 const HuntOptions& opt, const ingest::IngestOptions& ingest_opt,
                                 Diagnostics& diag);

// Writes findings in `format` (jsonl: one object per line; json: one array; csv; table).
void WriteFindings(std::FILE* out, const std::vector<findings::Finding>& findings,
                   HuntFormat format);

}  // namespace tw::detect
