#include "detect/hunt.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "baseline/behavior.h"
#include "core/memory.h"
#include "core/strings.h"
#include "detect/attribution.h"
#include "detect/builtin.h"
#include "detect/correlate.h"
#include "detect/event_info.h"
#include "event/context.h"
#include "ingest/spool.h"
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

// The matched events of one worker, sorted (EventBefore), and their matches.
struct WorkerEvents {
    EventList events;
    std::vector<uint32_t> original;  // sorted position -> order of arrival
    ArrivalMatches matches;          // the detections of each event, by order of arrival
};

struct Collected {
    std::mutex mu;
    std::unique_ptr<baseline::BehaviorCollector> behavior;  // merged from the workers
    std::set<std::string> accounts, regions;
    std::vector<WorkerEvents> workers;
    std::vector<std::unique_ptr<StringStore>> stores;  // the text of the events
    // Events no rule matched, per worker, for the derived-activity detector; `unmatched_full`:
    // a worker passed a bound, and every worker drops its list (the detector then reads files
    // again).
    std::vector<std::deque<UnmatchedEvent>> unmatched;
    std::atomic<bool> unmatched_full{false};
    uint64_t rules_run = 0;
};

class HuntSink final : public ingest::Sink {
  public:
    HuntSink(const rules::Plan& plan, const EventInfoExtractor& extractor,
             const std::vector<std::vector<uint32_t>>& extra_by_rule, Collected& out,
             const event::FieldCatalog& catalog, bool behavior, HuntIdentity& identity,
             const event::ContextFields& contexts, size_t max_unmatched)
        : plan_(plan),
          extra_by_rule_(extra_by_rule),
          eval_(plan),
          extractor_(extractor),
          out_(out),
          identity_(identity),
          facts_(identity.NewCollector()),
          contexts_(contexts),
          max_unmatched_(max_unmatched),
          by_call_(plan.kept_by_call().any()) {
        hits_.reserve(plan.rules().size());
        if (behavior)
            behavior_ =
                std::make_unique<baseline::BehaviorCollector>(catalog, baseline::BehaviorOptions{});
    }
    ~HuntSink() override {
        // Sorted here, on the worker's thread; the run merges the workers' sorted lists.
        WorkerEvents mine = SortEvents();
        std::lock_guard<std::mutex> lock(out_.mu);
        if (behavior_ != nullptr) out_.behavior->Merge(std::move(*behavior_));
        out_.accounts.insert(accounts_.begin(), accounts_.end());
        out_.regions.insert(regions_.begin(), regions_.end());
        out_.workers.push_back(std::move(mine));
        out_.stores.push_back(std::move(store_));
        if (!out_.unmatched_full.load()) out_.unmatched.push_back(std::move(unmatched_));
        out_.rules_run += eval_.rules_run();
    }

    void BeginFile(uint32_t file) override { facts_->BeginFile(file); }
    void EndFile(uint32_t file) override { facts_->EndFile(file); }

    void OnEvent(const event::EventView& ev) override {
        const uint32_t context = contexts_.Id(ev);
        const bool new_context = context >= actors_.size();
        if (new_context) {
            actors_.resize(context + 1, nullptr);
            // A context holds the account and region: remember them once per context.
            Remember(ev.account(), accounts_);
            Remember(ev.Str(event::kAwsRegion), regions_);
        }
        facts_->OnEvent(ev, context);
        if (behavior_ != nullptr) behavior_->Observe(ev, context);
        // The event's call: its number keys what the rules read only of the call
        // (Plan::MarkCallRules), and a matched or kept event takes it as it is. Calls are kept
        // for good: past kMaxNumberedCalls (never reached by real trails, whose services have
        // some thousands of calls) the rest are evaluated event by event.
        const EventCall* call = by_call_ && store_->call_count() < kMaxNumberedCalls &&
                                        rules::Evaluator::HasPlainCall(ev)
                                    ? extractor_.CallOf(ev, *store_, true)
                                    : nullptr;
        eval_.Evaluate(ev, context, call != nullptr ? call->id : rules::Evaluator::kNoCall, hits_);
        if (hits_.empty()) {
            if (max_unmatched_ != 0) KeepUnmatched(ev, context, call);
            return;
        }
        // Pay only on a hit: copy what findings and correlations need.
        const EventActor*& actor = actors_[context];
        if (actor == nullptr) actor = extractor_.MakeActor(ev, *store_, Credential(ev, context));
        // The extra fields the matched rules (and the correlations over them) read.
        const std::vector<uint32_t>* wanted = &extra_by_rule_[hits_[0]];
        if (hits_.size() > 1) {
            wanted_.clear();
            for (uint32_t h : hits_) {
                const std::vector<uint32_t>& more = extra_by_rule_[h];
                merged_.clear();
                std::set_union(wanted_.begin(), wanted_.end(), more.begin(), more.end(),
                               std::back_inserter(merged_));
                wanted_.swap(merged_);
            }
            wanted = &wanted_;
        }
        EventInfo info;
        info.time = ev.time();
        info.file = ev.file_index();
        extractor_.Extract(ev, *store_, actor, *wanted, info, call);
        // Events arrive in input order, (file, record) ascending, unless a file is read again.
        const uint64_t record = ev.record_index();
        if (!events_.empty() &&
            (info.file < last_file_ || (info.file == last_file_ && record <= last_record_))) {
            arrival_ordered_ = false;
        }
        last_file_ = info.file;
        last_record_ = record;
        if (events_.empty() || info.time < min_time_) min_time_ = info.time;
        if (events_.empty() || info.time > max_time_) max_time_ = info.time;
        whole_seconds_ = whole_seconds_ && info.time % 1000 == 0;
        hit_detections_.clear();
        for (uint32_t h : hits_) hit_detections_.push_back(plan_.rules()[h].detection);
        arrivals_.Add(hit_detections_);
        events_.push_back(info);
    }

  private:
    static void Remember(std::string_view v, std::set<std::string>& seen) {
        if (!v.empty()) seen.emplace(v);
    }

    // The credential of the event's context, copied once per context.
    const identity::CredentialRef* Credential(const event::EventView& ev, uint32_t context) {
        if (context >= creds_.size()) creds_.resize(context + 1, nullptr);
        const identity::CredentialRef*& cred = creds_[context];
        if (cred == nullptr) cred = identity_.CopyCredential(ev, *store_);
        return cred;
    }

    // Keeps the event for the derived-activity detector while that stays cheap next to what
    // the worker keeps anyway: within the bound, and at most a quarter of the matched events
    // it has seen so far (plus a start). Past either, every worker drops its list and the
    // detector reads files again: a run where rules match most events then skips that second
    // reading, and one where they match few pays for few unmatched events before giving up.
    void KeepUnmatched(const event::EventView& ev, uint32_t context, const EventCall* call) {
        if (unmatched_dropped_) return;
        if (out_.unmatched_full.load(std::memory_order_relaxed) ||
            unmatched_.size() == max_unmatched_ ||
            unmatched_.size() >= kUnmatchedStart + events_.size() / 4) {
            out_.unmatched_full.store(true, std::memory_order_relaxed);
            unmatched_dropped_ = true;
            std::deque<UnmatchedEvent>().swap(unmatched_);
            return;
        }
        extractor_.ExtractUnmatched(ev, *store_, Credential(ev, context), unmatched_.emplace_back(),
                                    call);
    }

    // Sorts the events (in place) and returns them with their matches.
    WorkerEvents SortEvents() {
        WorkerEvents w;
        const size_t n = events_.size();
        // By time, then input position: the order of arrival when it follows the input.
        struct Key {
            TimeMs time;
            uint32_t index;
        };
        std::vector<uint32_t> where;  // element at index k belongs at where[k]
        if (!arrival_ordered_ || !RadixOrder(w.original, where)) {
            ResizeHuge(w.original, n);
            ResizeHuge(where, n);
            std::vector<Key> keys(n);
            for (size_t i = 0; i < n; ++i) keys[i] = {events_[i].time, static_cast<uint32_t>(i)};
            if (arrival_ordered_) {
                std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
                    return a.time != b.time ? a.time < b.time : a.index < b.index;
                });
            } else {
                std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
                    return EventBefore(events_[a.index], events_[b.index]);
                });
            }
            for (size_t i = 0; i < n; ++i) w.original[i] = keys[i].index;
        }
        // Apply the permutation in place: no second copy of the events.
        for (uint32_t i = 0; i < n; ++i) where[w.original[i]] = i;
        events_.Permute(where);
        std::vector<uint32_t>().swap(where);
        // The order is read until the merge: keep it in its own size (it had the sort's room).
        w.original.shrink_to_fit();
        w.events = std::move(events_);
        w.matches = std::move(arrivals_);
        return w;
    }

    // The order of the events by (time, order of arrival), by a stable radix sort on the time
    // (LSD, 11 bits a pass), into `order`; `spare` is given room for one entry per event (the
    // sort's second buffer: no more memory than the sort's own). False (nothing done) when the
    // times span more than 2^32 units, where the comparison sort is used.
    bool RadixOrder(std::vector<uint32_t>& order, std::vector<uint32_t>& spare) {
        const size_t n = events_.size();
        if (n == 0) return true;
        const TimeMs lo = min_time_;
        // CloudTrail times are whole seconds: sorting seconds saves a pass.
        const uint64_t unit = whole_seconds_ ? 1000 : 1;
        const uint64_t span = (static_cast<uint64_t>(max_time_) - static_cast<uint64_t>(lo)) / unit;
        if (span > UINT32_MAX) return false;
        // Pairs (time since lo in units, order of arrival).
        std::vector<uint32_t> a, b;
        ResizeHuge(a, 2 * n);
        ResizeHuge(b, 2 * n);
        for (size_t i = 0; i < n; ++i) {
            a[2 * i] = static_cast<uint32_t>(static_cast<uint64_t>(events_[i].time - lo) / unit);
            a[2 * i + 1] = static_cast<uint32_t>(i);
        }
        constexpr unsigned kBits = 11;
        constexpr size_t kBuckets = size_t{1} << kBits;
        for (unsigned shift = 0; shift < 32 && (span >> shift) != 0; shift += kBits) {
            size_t count[kBuckets + 1] = {};
            for (size_t i = 0; i < n; ++i) ++count[((a[2 * i] >> shift) & (kBuckets - 1)) + 1];
            for (size_t k = 1; k <= kBuckets; ++k) count[k] += count[k - 1];
            for (size_t i = 0; i < n; ++i) {
                const size_t to = count[(a[2 * i] >> shift) & (kBuckets - 1)]++;
                b[2 * to] = a[2 * i];
                b[2 * to + 1] = a[2 * i + 1];
            }
            a.swap(b);
        }
        // The orders of arrival, packed to the front (each read before it is overwritten).
        for (size_t i = 0; i < n; ++i) a[i] = a[2 * i + 1];
        a.resize(n);
        b.resize(n);
        order = std::move(a);
        spare = std::move(b);
        return true;
    }

    const rules::Plan& plan_;
    const std::vector<std::vector<uint32_t>>& extra_by_rule_;  // by plan rule
    rules::Evaluator eval_;
    const EventInfoExtractor& extractor_;
    std::vector<uint32_t> wanted_, merged_;
    Collected& out_;
    HuntIdentity& identity_;
    identity::FactCollector* facts_;
    event::ContextInterner contexts_;
    std::vector<const EventActor*> actors_;              // by context, built on the first hit
    std::vector<const identity::CredentialRef*> creds_;  // by context, copied when first needed
    const size_t max_unmatched_;                         // 0: none kept
    const bool by_call_;  // the plan has what the evaluator keeps per call
    static constexpr size_t kMaxNumberedCalls = 65536;
    static constexpr size_t kUnmatchedStart = 65536;
    std::deque<UnmatchedEvent> unmatched_;
    bool unmatched_dropped_ = false;
    std::set<std::string> accounts_, regions_;
    std::vector<uint32_t> hits_;
    EventList events_;
    bool arrival_ordered_ = true;
    TimeMs min_time_ = 0, max_time_ = 0;  // of events_
    bool whole_seconds_ = true;           // every time in events_ is a whole second
    uint32_t last_file_ = 0;
    uint64_t last_record_ = 0;
    ArrivalMatches arrivals_;               // the detections of each event in events_
    std::vector<uint32_t> hit_detections_;  // of the current event
    std::unique_ptr<StringStore> store_ = std::make_unique<StringStore>();
    std::unique_ptr<baseline::BehaviorCollector> behavior_;
};

// Merges the workers' sorted events into one sorted list (freeing theirs as it goes; a single
// worker's list is taken as it is) and returns the matches, ascending by (event, detection).
std::vector<MatchRef> MergeWorkers(std::vector<WorkerEvents>& workers, EventList& events) {
    size_t total = 0, match_total = 0;
    for (const WorkerEvents& w : workers) {
        total += w.events.size();
        match_total += w.matches.matches();
    }
    events.clear();
    std::vector<MatchRef> matches;
    ReserveHuge(matches, match_total);
    // One worker: its sorted list is the list.
    const bool single = workers.size() == 1;
    if (single) events = std::move(workers[0].events);
    std::vector<size_t> pos(workers.size(), 0);
    for (size_t g = 0; g < total; ++g) {
        size_t best = single ? 0 : SIZE_MAX;
        for (size_t w = 0; w < workers.size() && !single; ++w) {
            if (pos[w] == workers[w].events.size()) continue;
            if (best == SIZE_MAX ||
                EventBefore(workers[w].events[pos[w]], workers[best].events[pos[best]])) {
                best = w;
            }
        }
        WorkerEvents& w = workers[best];
        const size_t i = pos[best]++;
        if (!single) {
            events.push_back(w.events[i]);
            // A block read to its end is the next block of the merged list.
            if ((pos[best] & (EventList::kBlockSize - 1)) == 0) {
                w.events.ReleaseBefore(pos[best], &events);
            }
        }
        const uint32_t o = w.original[i];
        // Matches are stored in order of arrival: fetch ahead.
        if (i + 16 < w.original.size()) __builtin_prefetch(w.matches.Address(w.original[i + 16]));
        const size_t first = matches.size();
        w.matches.ForEach(o, [&](uint32_t d) { matches.push_back({d, static_cast<uint32_t>(g)}); });
        if (matches.size() - first > 1) {
            std::sort(
                matches.begin() + static_cast<std::ptrdiff_t>(first), matches.end(),
                [](const MatchRef& a, const MatchRef& b) { return a.detection < b.detection; });
        }
    }
    workers.clear();
    events.DropSpare();  // blocks released too late to be filled
    return matches;
}

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
    return RunHunt([&]() -> const std::vector<ingest::InputFile>& { return files; }, rules, opt,
                   ingest_opt, diag);
}

HuntResult RunHunt(const FileSource& file_source, const rules::RuleSet& rules,
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
    // Rules that read only who called and from where (e.g. any call by the root user) have one
    // result per event context.
    plan.MarkContextRules();
    plan.MarkCallRules();
    result.plan_summary = plan.Summary();
    tick("compile");
    // Extra fields copied on a hit: correlation fields first, then what findings show.
    std::vector<std::string> fields = CorrelationFields(rules);
    for (const std::string& f : FindingFields(rules)) {
        if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
    }
    const FieldIndex field_index(fields);
    const EventInfoExtractor extractor(catalog, fields);
    std::vector<std::vector<uint32_t>> extra_by_rule;  // by plan rule
    {
        const auto by_detection = ExtraFieldsByDetection(rules, fields);
        for (const rules::PlanRule& r : plan.rules())
            extra_by_rule.push_back(by_detection[r.detection]);
    }
    // Raw text is only read by keyword leaves; without them the ingest may skip the rest of
    // a record once the wanted keys are seen.
    catalog.set_need_raw(plan.has_keywords());
    // --no-builtin leaves only the user's rules: no behaviour detectors, no derived activity
    // (who is behind each finding is still named).
    bool behavior = opt.behavior && opt.builtin;
    if (behavior) {
        behavior = false;
        for (const char* id : kBehaviorRules) behavior = behavior || !opt.load.disabled.count(id);
    }
    if (behavior) baseline::RequestBehaviorFields(catalog);
    const bool derived = opt.builtin && !opt.load.disabled.count("tw.actor.derived-activity");
    // The unmatched events each worker may keep for the derived-activity detector.
    const size_t max_unmatched = derived ? opt.derived_memory_bytes / sizeof(UnmatchedEvent) : 0;
    HuntIdentity identity(catalog);
    const event::ContextFields contexts(catalog);
    catalog.Freeze();
    // The inputs may still be being found (by the caller, while the rules compiled). The
    // derived-activity detector may read them again: what cannot be read twice (stdin, a pipe)
    // is copied aside first, or a second reading would find nothing.
    const std::vector<ingest::InputFile>* found = &file_source();
    std::vector<ingest::InputFile> copied;
    ingest::Spool spool;
    if (derived && std::any_of(found->begin(), found->end(), ingest::IsStream)) {
        copied = *found;
        // Part of the input may have been read already: nothing is hunted.
        if (auto s = spool.Streams(copied); !s) {
            result.input_error = s.error().message;
            return result;
        }
        found = &copied;
    }
    const std::vector<ingest::InputFile>& files = *found;
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
            return std::make_unique<HuntSink>(plan, extractor, extra_by_rule, collected, catalog,
                                              behavior, identity, contexts, max_unmatched);
        },
        diag);
    tick("ingest");
    result.rules_run = collected.rules_run;
    if (collected.unmatched_full)
        std::vector<std::deque<UnmatchedEvent>>().swap(collected.unmatched);
    // With more than one thread, the phases that do not depend on one another overlap: the
    // identity graph is built while the matches are merged and aggregated, correlations run
    // beside the aggregation. Results are joined in a fixed order: the same output.
    const bool overlap = ingest::EffectiveThreads(ingest_opt.threads, files.size()) > 1;
    std::jthread graph;              // joined on every way out
    std::exception_ptr graph_error;  // rethrown on this thread after the join
    if (overlap) {
        graph = std::jthread([&] {
            try {
                identity.Build(files.size());
            } catch (...) {
                graph_error = std::current_exception();
            }
        });
    }

    // Deterministic order: events by (time, file, record); matches by (event, rule).
    EventList events;
    std::vector<MatchRef> matches = MergeWorkers(collected.workers, events);
    result.matches = matches.size();
    tick("merge");
    // Workers' memory (their parsers, stores' indexes, sort buffers) is handed back if it was
    // freed in heaps of their own, which this thread does not allocate from. (In one heap for
    // all, or with one worker, the freed memory is reused by what follows: see KeepFreedMemory
    // and HugePageHeap.)
    if (overlap) ReturnThreadHeaps();
    // The correlations run on the aggregation's second thread after the grouping, before it
    // helps build the findings (with one thread: before the findings are built).
    std::vector<CorrelationOutput> correlated;
    std::vector<PendingFinding> all =
        AggregatePending(rules, events, matches, opt.gap, field_index, overlap ? 2 : 1,
                         [&] { correlated = RunCorrelations(rules, events, matches, fields); });
    std::vector<MatchRef>().swap(matches);  // its memory serves the findings' ids
    tick("aggregate+correlate");
    for (const CorrelationOutput& o : correlated) {
        if (rules.correlations[o.correlation].emit) {
            all.push_back(CorrelationPending(rules, o, events, field_index));
        }
    }
    tick("correlation findings");
    if (behavior) {
        const baseline::BehaviorCollector& b = *collected.behavior;
        result.learning_end = opt.learning_end        ? *opt.learning_end
                              : !opt.baseline.empty() ? b.first_time() - 1
                                                      : b.DefaultLearningEnd();
        result.untracked_events = b.untracked_events();
        auto keep = [&](std::vector<findings::Finding> fs) {
            for (auto& f : fs) {
                if (!opt.load.disabled.count(f.rule_id)) all.push_back({std::move(f), {}});
            }
        };
        if (b.first_time() != 0) keep(b.FirstSeenFindings(result.learning_end));
        keep(b.AfterOffboardingFindings());
        tick("behaviour");
    }
    // Who is behind each finding, and what the flagged credentials went on to do.
    if (overlap) {
        graph.join();
        if (graph_error) std::rethrow_exception(graph_error);
    } else {
        identity.Build(files.size());
    }
    tick("identity graph");
    identity.NameRoots(all, events);
    tick("identity roots");
    if (derived) {
        const bool kept = max_unmatched != 0 && !collected.unmatched_full;
        result.derived_from_memory = kept;
        for (auto& f : identity.DerivedActivity(all, events, kept ? &collected.unmatched : nullptr,
                                                files, ingest_opt)) {
            all.push_back({std::move(f), {}});
        }
        std::vector<std::deque<UnmatchedEvent>>().swap(collected.unmatched);
    }
    tick("identity");
    result.behavior_detectors = (behavior ? std::size(kBehaviorRules) : 0) + (derived ? 1 : 0);
    result.accounts.assign(collected.accounts.begin(), collected.accounts.end());
    result.regions.assign(collected.regions.begin(), collected.regions.end());
    // findings::SortFindings order, computed on indices so that the (large) findings move once.
    std::vector<uint32_t> order;
    std::vector<std::string> first_ids(all.size());
    for (uint32_t i = 0; i < all.size(); ++i) {
        const PendingFinding& p = all[i];
        if (p.finding.severity < opt.min_severity) continue;
        order.push_back(i);
        if (!p.events.empty()) {
            first_ids[i] = EventIdText(events[p.events.front()]);
        } else {
            first_ids[i] = p.finding.event_ids.empty() ? p.finding.rule_id : p.finding.event_ids[0];
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        const findings::Finding& a = all[x].finding;
        const findings::Finding& b = all[y].finding;
        if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
        if (a.severity != b.severity) return a.severity > b.severity;
        if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
        return first_ids[x] < first_ids[y];
    });
    // The event ids are written last, straight from the events (a UUID is kept as its 16
    // bytes, rendered by the writer), which are freed after. With more than one thread, two threads
    // share the work, split by number of events; each finding is filled by one of them.
    auto fill_ids = [&](size_t from, size_t to) {
        for (size_t k = from; k < to; ++k) {
            PendingFinding& p = all[order[k]];
            FillEventIds(p.finding, events, p.events);
            std::vector<uint32_t>().swap(p.events);
        }
    };
    RunInTwoParts(
        overlap, order.size(), [&](size_t k) { return all[order[k]].events.size(); }, fill_ids);
    result.findings.reserve(order.size());
    for (uint32_t i : order) result.findings.push_back(std::move(all[i].finding));
    events.clear();
    tick("order");
    return result;
}

namespace {

template <typename List>
std::string Join(const List& v, std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i != 0) out.append(sep);
        out += v[i];
    }
    return out;
}

// The ids, without rendering a packed list whole.
std::string Join(const findings::IdList& ids, std::string_view sep) {
    std::string out;
    out.reserve(ids.text_size() + sep.size() * ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i != 0) out.append(sep);
        ids.AppendId(out, i);
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
    // A large finding (a million event ids) is written out while its ids are rendered.
    const std::function<void(std::string&)> drain = [&](std::string&) { flush(false); };
    switch (format) {
        case HuntFormat::kJsonl:
            for (const auto& f : findings) {
                findings::AppendJsonLine(text, f, drain);
                flush(false);
            }
            break;
        case HuntFormat::kJson:
            text += "[";
            for (size_t i = 0; i < findings.size(); ++i) {
                text += i == 0 ? "\n" : ",\n";
                findings::AppendJsonLine(text, findings[i], drain);
                text.pop_back();  // the line's newline
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
