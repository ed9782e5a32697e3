#include "detect/hunt.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <set>

#include "baseline/behavior.h"
#include "core/strings.h"
#include "detect/attribution.h"
#include "detect/builtin.h"
#include "detect/correlate.h"
#include "detect/event_info.h"
#include "rules/evaluator.h"
#include "rules/plan.h"

namespace tw::detect {

HuntRules LoadHuntRules(const HuntOptions& opt) {
    sigma::Loader loader(opt.load);
    if (opt.builtin) {
        for (const BuiltinRuleFile& f : BuiltinRuleFiles()) {
            loader.AddText(f.yaml, std::string(f.name), "builtin");
        }
    }
    for (const std::string& p : opt.rule_paths) loader.AddPath(p);
    HuntRules out;
    out.set = loader.Finish();
    out.problems = loader.problems();
    out.errors = loader.error_count();
    return out;
}

namespace {

struct Collected {
    std::mutex mu;
    std::unique_ptr<baseline::BehaviorCollector> behavior;  // merged from the workers
    std::set<std::string> accounts, regions;
    std::vector<EventInfo> events;
    std::vector<MatchRef> matches;                     // event = index into events
    std::vector<std::unique_ptr<StringStore>> stores;  // the text of `events`
    uint64_t rules_run = 0;
};

class HuntSink final : public ingest::Sink {
  public:
    HuntSink(const rules::Plan& plan, const EventInfoExtractor& extractor, Collected& out,
             const event::FieldCatalog& catalog, bool behavior, HuntIdentity& identity)
        : plan_(plan),
          eval_(plan),
          extractor_(extractor),
          out_(out),
          identity_(identity),
          facts_(identity.NewCollector()) {
        hits_.reserve(plan.rules().size());
        if (behavior)
            behavior_ =
                std::make_unique<baseline::BehaviorCollector>(catalog, baseline::BehaviorOptions{});
    }
    ~HuntSink() override {
        std::lock_guard<std::mutex> lock(out_.mu);
        if (behavior_ != nullptr) out_.behavior->Merge(std::move(*behavior_));
        out_.accounts.insert(accounts_.begin(), accounts_.end());
        out_.regions.insert(regions_.begin(), regions_.end());
        const auto base = static_cast<uint32_t>(out_.events.size());
        for (EventInfo& e : events_) out_.events.push_back(std::move(e));
        for (MatchRef m : matches_) out_.matches.push_back({m.detection, m.event + base});
        out_.stores.push_back(std::move(store_));
        out_.rules_run += eval_.rules_run();
    }

    void BeginFile(uint32_t file) override { facts_->BeginFile(file); }
    void EndFile(uint32_t file) override { facts_->EndFile(file); }

    void OnEvent(const event::EventView& ev) override {
        facts_->OnEvent(ev);
        if (behavior_ != nullptr) behavior_->Observe(ev);
        Remember(ev.account(), last_account_, accounts_);
        Remember(ev.Str(event::kAwsRegion), last_region_, regions_);
        eval_.Evaluate(ev, hits_);
        if (hits_.empty()) return;
        // Pay only on a hit: copy what findings and correlations need.
        EventInfo info;
        info.time = ev.time();
        info.file = ev.file_index();
        info.record = ev.record_index();
        extractor_.Extract(ev, *store_, info);
        info.cred = identity_.CopyCredential(ev, *store_);
        const auto index = static_cast<uint32_t>(events_.size());
        events_.push_back(std::move(info));
        for (uint32_t h : hits_) matches_.push_back({plan_.rules()[h].detection, index});
    }

  private:
    // Adds `v` to `seen` unless it equals the previous value (records of a file share them).
    static void Remember(std::string_view v, std::string& last, std::set<std::string>& seen) {
        if (v.empty() || v == last) return;
        last.assign(v);
        seen.insert(last);
    }

    const rules::Plan& plan_;
    rules::Evaluator eval_;
    const EventInfoExtractor& extractor_;
    Collected& out_;
    HuntIdentity& identity_;
    identity::FactCollector* facts_;
    std::string last_account_, last_region_;
    std::set<std::string> accounts_, regions_;
    std::vector<uint32_t> hits_;
    std::vector<EventInfo> events_;
    std::vector<MatchRef> matches_;
    std::unique_ptr<StringStore> store_ = std::make_unique<StringStore>();
    std::unique_ptr<baseline::BehaviorCollector> behavior_;
};

// Feeds known-good history (--baseline) to a collector.
class BaselineSink final : public ingest::Sink {
  public:
    BaselineSink(const event::FieldCatalog& catalog, baseline::BehaviorCollector& total,
                 std::mutex& mu)
        : mine_(catalog, {}, /*baseline=*/true), total_(total), mu_(mu) {}
    ~BaselineSink() override {
        std::lock_guard<std::mutex> lock(mu_);
        total_.Merge(std::move(mine_));
    }
    void OnEvent(const event::EventView& ev) override { mine_.Observe(ev); }

  private:
    baseline::BehaviorCollector mine_;
    baseline::BehaviorCollector& total_;
    std::mutex& mu_;
};

// The ids of the behaviour detectors' findings (for --disable).
constexpr const char* kBehaviorRules[] = {"tw.baseline.new-behavior", "tw.baseline.new-principal",
                                          "tw.baseline.after-offboarding"};

}  // namespace

HuntResult RunHunt(const std::vector<ingest::InputFile>& files, const rules::RuleSet& rules,
                   const HuntOptions& opt, const ingest::IngestOptions& ingest_opt,
                   Diagnostics& diag) {
    HuntResult result;
    // TW_HUNT_TIMING=1 prints the time of each phase on stderr.
    auto tick = [t0 = std::chrono::steady_clock::now()](const char* what) mutable {
        if (std::getenv("TW_HUNT_TIMING") == nullptr) return;
        auto now = std::chrono::steady_clock::now();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        std::fprintf(stderr, "timing: %s %.3f s (peak RSS %ld MB)\n", what,
                     std::chrono::duration<double>(now - t0).count(), usage.ru_maxrss / 1024);
        t0 = now;
    };
    event::FieldCatalog catalog;
    rules::Plan plan = rules::Plan::Compile(rules, catalog, &result.plan_errors);
    result.plan_summary = plan.Summary();
    // Extra fields copied on a hit: correlation fields first, then what findings show.
    std::vector<std::string> fields = CorrelationFields(rules);
    for (const std::string& f : FindingFields(rules)) {
        if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
    }
    const FieldIndex field_index(fields);
    const EventInfoExtractor extractor(catalog, fields);
    // Raw text is only read by keyword leaves; without them the ingest may skip the rest of
    // a record once the wanted keys are seen.
    catalog.set_need_raw(plan.has_keywords());
    bool behavior = opt.behavior;
    if (behavior) {
        behavior = false;
        for (const char* id : kBehaviorRules) behavior = behavior || !opt.load.disabled.count(id);
    }
    if (behavior) baseline::RequestBehaviorFields(catalog);
    HuntIdentity identity(catalog);
    catalog.Freeze();
    Collected collected;
    if (behavior) {
        collected.behavior =
            std::make_unique<baseline::BehaviorCollector>(catalog, baseline::BehaviorOptions{});
        if (!opt.baseline.empty()) {
            ingest::IngestOptions base_opt = ingest_opt;
            base_opt.from.reset();
            base_opt.to.reset();
            ingest::RunIngest(
                opt.baseline, catalog, base_opt,
                [&](unsigned) {
                    return std::make_unique<BaselineSink>(catalog, *collected.behavior,
                                                          collected.mu);
                },
                diag);
            tick("baseline");
        }
    }
    result.stats = ingest::RunIngest(
        files, catalog, ingest_opt,
        [&](unsigned) {
            return std::make_unique<HuntSink>(plan, extractor, collected, catalog, behavior,
                                              identity);
        },
        diag);
    tick("ingest");
    result.rules_run = collected.rules_run;
    result.matches = collected.matches.size();

    // Deterministic order: events by (time, file, record); matches by (event, rule).
    std::vector<uint32_t> perm(collected.events.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
        return EventBefore(collected.events[a], collected.events[b]);
    });
    std::vector<uint32_t> rank(perm.size());
    for (uint32_t i = 0; i < perm.size(); ++i) rank[perm[i]] = i;
    // Apply the permutation in place (following its cycles): no second copy of the events.
    std::vector<EventInfo> events = std::move(collected.events);
    {
        std::vector<uint32_t> where = rank;  // element at index k belongs at where[k]
        for (uint32_t k = 0; k < where.size(); ++k) {
            while (where[k] != k) {
                std::swap(events[k], events[where[k]]);
                std::swap(where[k], where[where[k]]);
            }
        }
    }
    std::vector<MatchRef> matches = std::move(collected.matches);
    for (MatchRef& m : matches) m.event = rank[m.event];
    std::sort(matches.begin(), matches.end(), [](const MatchRef& a, const MatchRef& b) {
        return a.event != b.event ? a.event < b.event : a.detection < b.detection;
    });

    tick("sort");
    std::vector<findings::Finding> all =
        AggregateMatches(rules, events, matches, opt.gap, field_index);
    tick("aggregate");
    for (const CorrelationOutput& o : RunCorrelations(rules, events, matches, fields)) {
        if (rules.correlations[o.correlation].emit) {
            all.push_back(CorrelationFinding(rules, o, events, field_index));
        }
    }
    tick("correlate");
    if (behavior) {
        const baseline::BehaviorCollector& b = *collected.behavior;
        result.learning_end = opt.learning_end        ? *opt.learning_end
                              : !opt.baseline.empty() ? b.first_time() - 1
                                                      : b.DefaultLearningEnd();
        result.untracked_events = b.untracked_events();
        auto keep = [&](std::vector<findings::Finding> fs) {
            for (auto& f : fs) {
                if (!opt.load.disabled.count(f.rule_id)) all.push_back(std::move(f));
            }
        };
        if (b.first_time() != 0) keep(b.FirstSeenFindings(result.learning_end));
        keep(b.AfterOffboardingFindings());
        tick("behaviour");
    }
    // Who is behind each finding, and what the flagged credentials went on to do.
    identity.Build(files.size());
    identity.NameRoots(all, events);
    if (!opt.load.disabled.count("tw.actor.derived-activity")) {
        for (auto& f : identity.DerivedActivity(all, events, files, ingest_opt)) {
            all.push_back(std::move(f));
        }
    }
    tick("identity");
    result.behavior_detectors = (behavior ? std::size(kBehaviorRules) : 0) +
                                (opt.load.disabled.count("tw.actor.derived-activity") ? 0 : 1);
    result.accounts.assign(collected.accounts.begin(), collected.accounts.end());
    result.regions.assign(collected.regions.begin(), collected.regions.end());
    // findings::SortFindings order, computed on indices so that the (large) findings move once.
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < all.size(); ++i) {
        if (all[i].severity >= opt.min_severity) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        const findings::Finding& a = all[x];
        const findings::Finding& b = all[y];
        if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
        if (a.severity != b.severity) return a.severity > b.severity;
        if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
        const std::string& ea = a.event_ids.empty() ? a.rule_id : a.event_ids[0];
        const std::string& eb = b.event_ids.empty() ? b.rule_id : b.event_ids[0];
        return ea < eb;
    });
    result.findings.reserve(order.size());
    for (uint32_t i : order) result.findings.push_back(std::move(all[i]));
    tick("order");
    return result;
}

namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i != 0) out.append(sep);
        out += v[i];
    }
    return out;
}

std::string Fit(std::string_view s, size_t width) {
    std::string out(s.substr(0, width));
    if (s.size() > width && width > 0) out.back() = '~';
    out.append(width - out.size(), ' ');
    return out;
}

}  // namespace

void WriteFindings(std::FILE* out, const std::vector<findings::Finding>& findings,
                   HuntFormat format) {
    std::string text;
    // Written in pieces: a large hunt can produce hundreds of MB.
    auto flush = [&](bool force) {
        if (force || text.size() >= (1u << 20)) {
            std::fwrite(text.data(), 1, text.size(), out);
            text.clear();
        }
    };
    switch (format) {
        case HuntFormat::kJsonl:
            for (const auto& f : findings) {
                text += findings::ToJsonLine(f);
                flush(false);
            }
            break;
        case HuntFormat::kJson:
            text += "[";
            for (size_t i = 0; i < findings.size(); ++i) {
                std::string line = findings::ToJsonLine(findings[i]);
                line.pop_back();
                text += i == 0 ? "\n" : ",\n";
                text += line;
                flush(false);
            }
            text += findings.empty() ? "]\n" : "\n]\n";
            break;
        case HuntFormat::kCsv:
            text +=
                "first_seen,last_seen,severity,rule_id,title,tactic,mitre,source,accounts,regions,"
                "actor_arn,event_count,event_names,event_ids,summary\n";
            for (const auto& f : findings) {
                const std::vector<std::string> cells = {FormatIsoTime(f.first_seen),
                                                        FormatIsoTime(f.last_seen),
                                                        findings::SeverityName(f.severity),
                                                        f.rule_id,
                                                        f.title,
                                                        f.tactic,
                                                        Join(f.mitre, " "),
                                                        f.source,
                                                        Join(f.accounts, " "),
                                                        Join(f.regions, " "),
                                                        f.actor.arn,
                                                        std::to_string(f.event_ids.size()),
                                                        Join(f.event_names, " "),
                                                        Join(f.event_ids, " "),
                                                        f.summary};
                for (size_t i = 0; i < cells.size(); ++i) {
                    if (i != 0) text += ',';
                    AppendCsvField(text, cells[i]);
                }
                text += '\n';
                flush(false);
            }
            break;
        case HuntFormat::kTable:
            text += "FIRST SEEN            SEVERITY  EVENTS  ACCOUNT       TITLE / ACTOR\n";
            for (const auto& f : findings) {
                text += Fit(FormatIsoTime(f.first_seen), 20) + "  ";
                text += Fit(findings::SeverityName(f.severity), 8) + "  ";
                char n[16];
                std::snprintf(n, sizeof n, "%6zu", f.event_ids.size());
                text += std::string(n) + "  ";
                text += Fit(f.accounts.empty() ? "-" : f.accounts[0], 12) + "  ";
                text += f.title + "\n";
                text += std::string(66, ' ') + (f.actor.arn.empty() ? "-" : f.actor.arn) + "\n";
            }
            text += std::to_string(findings.size()) +
                    (findings.size() == 1 ? " finding\n" : " findings\n");
            break;
    }
    flush(true);
}

}  // namespace tw::detect
