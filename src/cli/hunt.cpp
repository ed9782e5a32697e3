// `trailwarden hunt`: flag parsing only; the work is in src/detect.
#include "detect/hunt.h"

#include <future>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/rule_options.h"
#include "core/strings.h"
#include "detect/report.h"

namespace tw::cli {

namespace {

struct HuntArgs {
    InputOptions in;
    RuleOptions rules;
    std::string format;
    std::string output;
    std::string min_severity;  // default: info (table: low, with informational counted)
    std::string fail_on;
    std::string gap = "1h";
    std::vector<std::string> baseline;
    std::string learning_end;
};

int RunHuntCommand(HuntArgs& a) {
    detect::HuntOptions opt;
    if (auto s = ApplyRuleOptions(a.rules, opt); !s) return UsageError("hunt", s.error().message);
    if (a.format.empty()) a.format = a.output.empty() && StdoutIsTty() ? "table" : "jsonl";
    detect::HuntFormat format;
    if (a.format == "jsonl")
        format = detect::HuntFormat::kJsonl;
    else if (a.format == "json")
        format = detect::HuntFormat::kJson;
    else if (a.format == "csv")
        format = detect::HuntFormat::kCsv;
    else if (a.format == "table")
        format = detect::HuntFormat::kTable;
    else
        return UsageError("hunt", "--format must be jsonl, json, csv or table");
    auto min = findings::ParseSeverity(a.min_severity.empty() ? "info" : a.min_severity);
    if (!min)
        return UsageError("hunt", "--min-severity must be info, low, medium, high or critical");
    opt.min_severity = *min;
    if (!a.learning_end.empty()) {
        opt.learning_end = ParseTimeBound(a.learning_end, NowMs());
        if (!opt.learning_end) return UsageError("hunt", "--learning-end: expected a time");
    }
    std::optional<findings::Severity> fail_on;
    if (!a.fail_on.empty()) {
        fail_on = findings::ParseSeverity(a.fail_on);
        if (!fail_on)
            return UsageError("hunt", "--fail-on must be info, low, medium, high or critical");
    }
    auto gap = ParseDuration(a.gap);
    if (!gap) return UsageError("hunt", "--group-gap must look like 30m, 1h or 2d");
    opt.gap = *gap;

    Diagnostics diag;
    ingest::IngestOptions ingest_opt;
    if (auto s = PrepareIngestOptions(a.in, ingest_opt); !s) {
        return UsageError("hunt", s.error().message);
    }
    // When more than one thread may run, the inputs are found (a walk of the directories) while
    // the rules load and compile.
    std::vector<ingest::InputFile> files;
    std::future<std::vector<ingest::InputFile>> found;
    if (a.in.threads != 1) {
        found = std::async(std::launch::async,
                           [&] { return ingest::DiscoverInputs(a.in.paths, diag); });
    } else {
        files = ingest::DiscoverInputs(a.in.paths, diag);
    }
    detect::HuntRules rules = detect::LoadHuntRules(opt);
    for (const sigma::LoadProblem& p : rules.problems) {
        std::fprintf(stderr, "trailwarden hunt: %s\n", p.Text().c_str());
    }
    if (rules.set.detections.empty() && rules.set.correlations.empty()) {
        return UsageError("hunt", opt.rule_paths.empty()
                                      ? "no rules to run: give --rules DIR (Sigma rules)"
                                      : "none of the rules given with --rules can run");
    }
    if (!a.baseline.empty()) opt.baseline = ingest::DiscoverInputs(a.baseline, diag);
    auto out = OpenOutput(a.output);
    if (!out) return UsageError("hunt", out.error().message);
    auto inputs = [&]() -> const std::vector<ingest::InputFile>& {
        if (found.valid()) files = found.get();
        return files;
    };
    detect::HuntResult result = detect::RunHunt(inputs, rules.set, opt, ingest_opt, diag);
    if (!result.input_error.empty()) {
        std::fprintf(stderr, "trailwarden hunt: %s; nothing was hunted\n",
                     result.input_error.c_str());
        return kExitInputLost;
    }
    for (const std::string& e : result.plan_errors) {
        std::fprintf(stderr, "trailwarden hunt: rule disabled: %s\n", e.c_str());
    }
    if (format == detect::HuntFormat::kTable) {
        detect::ReportHeader header{result.stats,
                                    result.accounts.size(),
                                    result.regions.size(),
                                    rules.set.detections.size(),
                                    rules.set.correlations.size(),
                                    result.behavior_detectors,
                                    result.learning_end};
        detect::TableOptions table;
        table.color = *out == stdout && StdoutIsTty();
        table.list_info = !a.min_severity.empty();
        const std::string text = detect::RenderTable(header, result.findings, table);
        std::fwrite(text.data(), 1, text.size(), *out);
    } else {
        detect::WriteFindings(*out, result.findings, format);
    }
    CloseOutput(*out);
    PrintSummary("hunt", result.stats, diag, a.in);
    if (!a.in.quiet) {
        const double per_event =
            result.stats.events == 0
                ? 0.0
                : static_cast<double>(result.rules_run) / static_cast<double>(result.stats.events);
        std::fprintf(stderr,
                     "trailwarden hunt: %zu rules and %zu correlations (%zu skipped, %zu with "
                     "errors), %.2f rules checked per event after the index; %llu matches "
                     "-> %zu findings\n",
                     rules.set.detections.size(), rules.set.correlations.size(),
                     rules.set.skipped.size(), rules.errors, per_event,
                     static_cast<unsigned long long>(result.matches), result.findings.size());
    }
    int code = kExitOk;
    if (fail_on) {
        for (const auto& f : result.findings) {
            if (f.severity >= *fail_on) code = kExitFindings;
        }
    }
    return InputExitCode(diag, code);
}

void RegisterHunt(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<HuntArgs>();
    CLI::App* cmd = app.add_subcommand(
        "hunt", "Run Sigma rules (and the built-in pack) over CloudTrail and print findings");
    cmd->footer(
        "\nWith no other argument, hunt runs the built-in pack (identity attacks on AWS\n"
        "organizations: logging reduction, Identity Center and federation takeover, credential\n"
        "minting, sign-in, Stratus Red Team techniques, chains) and the behaviour detectors\n"
        "(first seen per principal, credentials used after offboarding, activity derived from\n"
        "flagged credentials). --no-builtin runs only the --rules rules.\n"
        "\nFindings follow the schema of DESIGN.md: one finding per rule, actor and account,\n"
        "split after --group-gap of quiet; correlation rules give one finding per group and\n"
        "window. Output is sorted by time and identical whatever --threads.\n"
        "\nEXAMPLES:\n"
        "  trailwarden hunt AWSLogs/\n"
        "  trailwarden hunt AWSLogs/ --format jsonl -o findings.jsonl --fail-on high\n"
        "  trailwarden hunt logs/ --rules sigma/rules/cloud/aws -o findings.jsonl\n"
        "  trailwarden hunt logs/ --rules my-rules/ --min-severity high --format table\n"
        "  trailwarden hunt logs/ --rules rules/ --fail-on high --from 7d\n");
    AddInputOptions(cmd, args->in);
    AddRuleOptions(cmd, args->rules);
    cmd->add_option("--format", args->format,
                    "table (default on a terminal), jsonl (default otherwise), json or csv")
        ->type_name("FMT");
    cmd->add_option("--baseline", args->baseline,
                    "known-good CloudTrail (e.g. last month) that the first-seen detector learns "
                    "from; then every event of PATH is judged (repeatable)")
        ->type_name("PATH")
        ->allow_extra_args(false);
    cmd->add_option("--learning-end", args->learning_end,
                    "end of the first-seen learning period (default: 7 days into the input, or "
                    "its first third when shorter than 21 days)")
        ->type_name("T");
    cmd->add_option("--output,-o", args->output, "write findings to FILE (default stdout)")
        ->type_name("FILE");
    cmd->add_option("--min-severity", args->min_severity,
                    "only findings at or above L (info, low, medium, high, critical)")
        ->type_name("L");
    cmd->add_option("--fail-on", args->fail_on, "exit 1 when a finding is at or above L")
        ->type_name("L");
    cmd->add_option("--group-gap", args->gap,
                    "split one actor's matches of a rule into separate findings after this "
                    "much quiet (default 1h)")
        ->type_name("DURATION");
    cmd->callback([args, &run] { run = [args] { return RunHuntCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(hunt, 20, RegisterHunt);

}  // namespace tw::cli
