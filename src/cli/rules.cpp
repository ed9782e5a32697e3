// `trailwarden rules list|check|test|explain`: for rule authors. Flag parsing and printing only;
// loading and compiling are in src/sigma and src/rules.
#include <mutex>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/rule_options.h"
#include "core/strings.h"
#include "ingest/pipeline.h"
#include "rules/evaluator.h"
#include "rules/plan.h"
#include "sigma/meta.h"

namespace tw::cli {

namespace {

struct RulesArgs {
    RuleOptions rules;
    InputOptions in;  // rules test
    std::string format = "table";
    std::vector<std::string> ids;  // rules explain
};

void PrintProblems(const detect::HuntRules& r) {
    for (const sigma::LoadProblem& p : r.problems) std::printf("%s\n", p.Text().c_str());
}

int RunList(RulesArgs& a) {
    detect::HuntOptions opt;
    if (auto s = ApplyRuleOptions(a.rules, opt); !s) return UsageError("rules", s.error().message);
    detect::HuntRules r = detect::LoadHuntRules(opt);
    for (const auto& p : r.problems) std::fprintf(stderr, "%s\n", p.Text().c_str());
    std::string out;
    const bool jsonl = a.format == "jsonl";
    auto row = [&](const rules::RuleMeta& m, const char* kind) {
        if (jsonl) {
            out += "{\"id\":";
            AppendJsonString(out, m.rule_id());
            out += ",\"kind\":\"" + std::string(kind) + "\",\"level\":\"";
            out += findings::SeverityName(m.level);
            out += "\",\"title\":";
            AppendJsonString(out, m.title);
            out += ",\"logsource\":";
            AppendJsonString(out, sigma::LogsourceText(m));
            out += ",\"tags\":[";
            for (size_t i = 0; i < m.tags.size(); ++i) {
                if (i != 0) out += ',';
                AppendJsonString(out, m.tags[i]);
            }
            out += "],\"source\":";
            AppendJsonString(out, m.source);
            out += "}\n";
            return;
        }
        char line[160];
        std::snprintf(line, sizeof line, "%-36s  %-8s  %-11s  ", m.rule_id().substr(0, 36).c_str(),
                      findings::SeverityName(m.level), kind);
        out += line + m.title + "\n";
        std::string tags;
        for (const std::string& t : m.tags) tags += (tags.empty() ? "" : " ") + t;
        out += std::string(62, ' ') + sigma::LogsourceText(m) + (tags.empty() ? "" : "  " + tags) +
               "\n";
    };
    for (const auto& d : r.set.detections) {
        if (d.meta.name.starts_with("__legacy_")) continue;
        row(d.meta, d.generate ? "detection" : "referenced");
    }
    for (const auto& c : r.set.correlations) row(c.meta, rules::CorrelationTypeName(c.type));
    if (!jsonl) {
        for (const auto& s : r.set.skipped) {
            out += "skipped: " + s.file + ": '" + s.title + "': " + s.reason + "\n";
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fprintf(stderr, "%zu rules, %zu correlations, %zu skipped, %zu errors\n",
                 r.set.detections.size(), r.set.correlations.size(), r.set.skipped.size(),
                 r.errors);
    return kExitOk;
}

int RunCheck(RulesArgs& a) {
    detect::HuntOptions opt;
    if (auto s = ApplyRuleOptions(a.rules, opt); !s) return UsageError("rules", s.error().message);
    if (opt.rule_paths.empty() && !opt.builtin) return UsageError("rules", "nothing to check");
    detect::HuntRules r = detect::LoadHuntRules(opt);
    PrintProblems(r);
    event::FieldCatalog catalog;
    std::vector<std::string> plan_errors;
    auto plan = rules::Plan::Compile(r.set, catalog, &plan_errors);
    for (const std::string& e : plan_errors) std::printf("error: %s\n", e.c_str());
    const size_t errors = r.errors + plan_errors.size();
    std::printf("%zu rules and %zu correlations load, %zu skipped (logsource), %zu errors\n",
                r.set.detections.size() - plan_errors.size(), r.set.correlations.size(),
                r.set.skipped.size(), errors);
    return errors == 0 ? kExitOk : kExitUsage;
}

int RunExplain(RulesArgs& a) {
    detect::HuntOptions opt;
    if (auto s = ApplyRuleOptions(a.rules, opt); !s) return UsageError("rules", s.error().message);
    detect::HuntRules r = detect::LoadHuntRules(opt);
    for (const auto& p : r.problems) std::fprintf(stderr, "%s\n", p.Text().c_str());
    event::FieldCatalog catalog;
    auto plan = rules::Plan::Compile(r.set, catalog);
    std::string out = plan.Summary() + "\n";
    for (uint32_t i = 0; i < plan.rules().size(); ++i) {
        const auto& m = r.set.detections[plan.rules()[i].detection].meta;
        if (!a.ids.empty() && std::find(a.ids.begin(), a.ids.end(), m.rule_id()) == a.ids.end() &&
            std::find(a.ids.begin(), a.ids.end(), m.title) == a.ids.end()) {
            continue;
        }
        out += plan.Explain(i, r.set);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return kExitOk;
}

// Shows, per event that matches, which rule and which of its selections matched.
class TestSink final : public ingest::Sink {
  public:
    TestSink(const rules::RuleSet& set, const rules::Plan& plan, const rules::RuleSet& sel_set,
             const rules::Plan& sel_plan, const std::vector<std::string>& names, std::mutex& mu)
        : set_(set),
          plan_(plan),
          sel_set_(sel_set),
          sel_plan_(sel_plan),
          names_(names),
          eval_(plan),
          sel_eval_(sel_plan),
          mu_(mu) {}

    void OnEvent(const event::EventView& ev) override {
        eval_.Evaluate(ev, hits_);
        if (hits_.empty()) return;
        sel_eval_.Evaluate(ev, sel_hits_);
        std::string out = names_[ev.file_index()] + " record " +
                          std::to_string(ev.record_index() + 1) + " (" +
                          std::string(ev.Str(event::kEventName)) + " " +
                          std::string(ev.Str(event::kEventId)) + ")\n";
        for (uint32_t h : hits_) {
            const uint32_t d = plan_.rules()[h].detection;
            const auto& m = set_.detections[d].meta;
            out += "  " + m.rule_id() + " '" + m.title + "' matched; selections:";
            for (uint32_t s : sel_hits_) {
                const auto& sm = sel_set_.detections[sel_plan_.rules()[s].detection].meta;
                if (sm.line == static_cast<int>(d)) out += " " + sm.name;
            }
            out += "\n";
        }
        std::lock_guard<std::mutex> lock(mu_);
        std::fwrite(out.data(), 1, out.size(), stdout);
    }

  private:
    const rules::RuleSet& set_;
    const rules::Plan& plan_;
    const rules::RuleSet& sel_set_;
    const rules::Plan& sel_plan_;
    const std::vector<std::string>& names_;
    rules::Evaluator eval_, sel_eval_;
    std::vector<uint32_t> hits_, sel_hits_;
    std::mutex& mu_;
};

int RunTest(RulesArgs& a) {
    detect::HuntOptions opt;
    if (auto s = ApplyRuleOptions(a.rules, opt); !s) return UsageError("rules", s.error().message);
    detect::HuntRules r = detect::LoadHuntRules(opt);
    for (const auto& p : r.problems) std::fprintf(stderr, "%s\n", p.Text().c_str());
    // One pseudo-rule per (rule, selection); meta.line carries the rule number back.
    rules::RuleSet sel_set;
    for (uint32_t d = 0; d < r.set.detections.size(); ++d) {
        for (const auto& [name, node] : r.set.detections[d].selections) {
            rules::DetectionRule s;
            s.meta.name = name;
            s.meta.title = name;
            s.meta.line = static_cast<int>(d);
            s.condition = node;
            sel_set.detections.push_back(std::move(s));
        }
    }
    event::FieldCatalog catalog;
    catalog.Intern("eventID");
    auto plan = rules::Plan::Compile(r.set, catalog);
    auto sel_plan = rules::Plan::Compile(sel_set, catalog);
    Diagnostics diag;
    ingest::IngestOptions ingest_opt;
    a.in.threads = 1;  // output in input order
    auto files = PrepareInputs(a.in, ingest_opt, diag);
    if (!files) return UsageError("rules", files.error().message);
    std::vector<std::string> names;
    for (const auto& f : *files) names.push_back(f.path);
    std::mutex mu;
    auto stats = ingest::RunIngest(
        *files, catalog, ingest_opt,
        [&](unsigned) {
            return std::make_unique<TestSink>(r.set, plan, sel_set, sel_plan, names, mu);
        },
        diag);
    PrintSummary("rules test", stats, diag, a.in);
    return InputExitCode(diag);
}

void RegisterRules(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<RulesArgs>();
    CLI::App* cmd = app.add_subcommand("rules", "List, check, test and explain Sigma rules");
    cmd->require_subcommand(1);
    CLI::App* list =
        cmd->add_subcommand("list", "List loaded rules: id, level, title, logsource, tags");
    AddRuleOptions(list, args->rules);
    list->add_option("--format", args->format, "table (default) or jsonl")->type_name("FMT");
    list->callback([args, &run] { run = [args] { return RunList(*args); }; });

    CLI::App* check =
        cmd->add_subcommand("check", "Report every rule that cannot load and why (exit 2 if any)");
    AddRuleOptions(check, args->rules);
    check->callback([args, &run] { run = [args] { return RunCheck(*args); }; });

    CLI::App* test = cmd->add_subcommand(
        "test", "Show, per event that matches, which rule and which selections matched");
    AddRuleOptions(test, args->rules);
    test->add_option("paths", args->in.paths, "CloudTrail files (any supported format)")
        ->required()
        ->type_name("FILE...");
    test->add_flag("--quiet,-q", args->in.quiet, "no summary on stderr");
    test->callback([args, &run] { run = [args] { return RunTest(*args); }; });

    CLI::App* explain = cmd->add_subcommand(
        "explain", "Print the compiled plan of rules as canonical text (index and program)");
    AddRuleOptions(explain, args->rules);
    explain->add_option("ids", args->ids, "only these rule ids or titles")->type_name("RULE_ID...");
    explain->callback([args, &run] { run = [args] { return RunExplain(*args); }; });
    cmd->footer(
        "\nEXAMPLES:\n"
        "  trailwarden rules check --rules my-rules/\n"
        "  trailwarden rules list --rules sigma/rules/cloud/aws --no-builtin\n"
        "  trailwarden rules test --rules my-rules/new_rule.yml sample.json\n"
        "  trailwarden rules explain --rules my-rules/ 0b1c...\n");
}

}  // namespace

TW_REGISTER_COMMAND(rules, 30, RegisterRules);

}  // namespace tw::cli
