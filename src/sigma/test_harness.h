// Test helper (tests only): loads Sigma YAML text, compiles it into a plan and evaluates inline
// JSON events through the real record parser, so tests exercise the same path as `hunt`.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "event/context.h"
#include "ingest/buffer.h"
#include "ingest/record_parser.h"
#include "rules/evaluator.h"
#include "rules/plan.h"
#include "sigma/loader.h"

namespace tw::sigma {

class SigmaHarness {
  public:
    // `contexts`: evaluate each event with the id a ContextInterner gives its context and the
    // id of its call (eventSource, eventName), the plan's context and call rules marked, as
    // hunt does (see contexts(), context_mismatches()).
    explicit SigmaHarness(std::string_view yaml, LoadOptions opt = {}, bool contexts = false) {
        opt.any_logsource = true;
        Loader loader(opt);
        loader.AddText(yaml, "test.yml", "sigma:test.yml");
        set_ = loader.Finish();
        problems_ = loader.problems();
        errors_ = loader.error_count();
        Compile(contexts);
    }
    // A rule set loaded elsewhere (the built-in pack, a directory).
    explicit SigmaHarness(rules::RuleSet set) : set_(std::move(set)) { Compile(); }

    // Rule ids (titles when no id) of the rules that match `json` (one CloudTrail record).
    std::vector<std::string> Match(std::string_view json) {
        matched_.clear();
        buf_.Clear();
        buf_.Append(json);
        Handler h(*this);
        ingest::FileCounts counts;
        ingest::ParseContext ctx;
        ctx.path = &path_;
        ctx.diag = &diag_;
        ctx.handler = &h;
        ctx.counts = &counts;
        parser_->ParseOne(buf_.view(), "record 1", ctx);
        last_records_ = counts.records;
        return matched_;
    }
    // Records the last Match read (1 for one well-formed record).
    [[nodiscard]] uint64_t last_records() const { return last_records_; }
    bool Matches(std::string_view json) { return !Match(json).empty(); }

    [[nodiscard]] const rules::RuleSet& set() const { return set_; }
    [[nodiscard]] const rules::Plan& plan() const { return plan_; }
    [[nodiscard]] const std::vector<LoadProblem>& problems() const { return problems_; }
    [[nodiscard]] size_t errors() const { return errors_ + plan_errors_.size(); }
    [[nodiscard]] std::string AllProblems() const {
        std::string out;
        for (const auto& p : problems_) out += p.Text() + "\n";
        for (const auto& p : plan_errors_) out += p + "\n";
        return out;
    }
    rules::Evaluator& evaluator() { return *eval_; }
    // Marks the plan's context rules (as hunt does); returns how many.
    size_t MarkContextRules() { return plan_.MarkContextRules(); }
    // Evaluates the next records as having this context id (as hunt does), or none.
    void set_context(uint32_t id) { context_ = id; }
    // Marks the plan's call rules (as hunt does, after the context rules); returns how many.
    size_t MarkCallRules() { return plan_.MarkCallRules(); }
    // Evaluates the next records as having this call id, or none (rules::Evaluator::kNoCall).
    void set_call(uint32_t id) { call_ = id; }
    ingest::RecordParser& parser() { return *parser_; }
    // With `contexts`: the distinct contexts seen, and the events whose context fields differ
    // from those of the first event given the same id (must be none).
    [[nodiscard]] size_t contexts() const { return context_text_.size(); }
    // With `contexts`: the distinct calls numbered.
    [[nodiscard]] size_t calls() const { return calls_.size(); }
    [[nodiscard]] size_t context_mismatches() const { return context_mismatches_; }

  private:
    void Compile(bool contexts = false) {
        plan_ = rules::Plan::Compile(set_, catalog_, &plan_errors_);
        if (contexts) context_fields_ = std::make_unique<event::ContextFields>(catalog_);
        catalog_.Freeze();
        parser_ = std::make_unique<ingest::RecordParser>(catalog_);
        if (contexts) {
            plan_.MarkContextRules();
            plan_.MarkCallRules();
            interner_ = std::make_unique<event::ContextInterner>(*context_fields_);
        }
        eval_ = std::make_unique<rules::Evaluator>(plan_);
    }

    // The id of the event's context; checks that one id always stands for the same values.
    uint32_t ContextOf(const event::EventView& ev) {
        const uint32_t id = interner_->Id(ev);
        std::string text;
        for (event::FieldId f : context_fields_->ids()) {
            text += '|';
            for (const event::Value& v : ev.Values(f)) {
                text.append(1, static_cast<char>('0' + static_cast<int>(v.type))).append(v.text);
                text += ';';
            }
        }
        if (id == context_text_.size()) {
            context_text_.push_back(std::move(text));
        } else if (id > context_text_.size() || context_text_[id] != text) {
            ++context_mismatches_;
        }
        return id;
    }

    // The id of the event's call, when its call fields are plain (as hunt gives it).
    uint32_t CallOf(const event::EventView& ev) {
        if (!rules::Evaluator::HasPlainCall(ev)) return rules::Evaluator::kNoCall;
        auto key = std::make_pair(std::string(ev.Str(event::kEventSource)),
                                  std::string(ev.Str(event::kEventName)));
        return calls_.emplace(std::move(key), static_cast<uint32_t>(calls_.size())).first->second;
    }

    struct Handler final : ingest::EventHandler {
        explicit Handler(SigmaHarness& h) : h_(h) {}
        void OnEvent(const event::EventView& ev) override {
            const uint32_t context = h_.interner_ ? h_.ContextOf(ev) : h_.context_;
            const uint32_t call = h_.interner_ ? h_.CallOf(ev) : h_.call_;
            h_.eval_->Evaluate(ev, context, call, h_.hits_);
            for (uint32_t r : h_.hits_) {
                h_.matched_.push_back(
                    h_.set_.detections[h_.plan_.rules()[r].detection].meta.rule_id());
            }
        }
        SigmaHarness& h_;
    };

    rules::RuleSet set_;
    std::vector<LoadProblem> problems_;
    size_t errors_ = 0;
    std::vector<std::string> plan_errors_;
    event::FieldCatalog catalog_;
    rules::Plan plan_;
    std::unique_ptr<ingest::RecordParser> parser_;
    std::unique_ptr<rules::Evaluator> eval_;
    std::unique_ptr<event::ContextFields> context_fields_;
    std::unique_ptr<event::ContextInterner> interner_;
    std::vector<std::string> context_text_;  // by context id: its fields' values
    size_t context_mismatches_ = 0;
    ingest::PaddedBuffer buf_;
    std::vector<uint32_t> hits_;
    std::vector<std::string> matched_;
    uint64_t last_records_ = 0;
    uint32_t context_ = UINT32_MAX;  // none
    uint32_t call_ = rules::Evaluator::kNoCall;
    std::map<std::pair<std::string, std::string>, uint32_t> calls_;  // (source, name) -> id
    std::string path_ = "test.json";
    Diagnostics diag_{nullptr};
};

// A one-rule YAML document with `detection` as given (indented by 4 spaces in the text).
inline std::string Rule(std::string_view detection, std::string_view title = "T") {
    return "title: " + std::string(title) +
           "\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n" +
           std::string(detection) + "\n";
}

}  // namespace tw::sigma
