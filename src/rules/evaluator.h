// Evaluator: runs a compiled Plan over events. Each worker thread owns one; it keeps the
// per-event scratch (leaf results memoised by generation, the Hyperscan scratch, a buffer for
// keyword strings) so that evaluating an event allocates nothing once warm.
//
//   rules::Evaluator ev(plan);
//   std::vector<uint32_t> hits;             // reserve once
//   ev.Evaluate(view, hits);                // hits = plan rule numbers, ascending
//
// Thread-safety: one Evaluator per thread; the Plan is shared read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "event/event_view.h"
#include "rules/plan.h"

struct hs_scratch;

namespace tw::rules {

class Evaluator {
  public:
    explicit Evaluator(const Plan& plan);
    ~Evaluator();
    Evaluator(const Evaluator&) = delete;
    Evaluator& operator=(const Evaluator&) = delete;

    // Appends to `hits` the plan rule numbers (index into plan.rules()) that match `ev`, in
    // ascending order. `hits` is cleared first.
    void Evaluate(const event::EventView& ev, std::vector<uint32_t>& hits);
    // Same, for an event whose context (event/context.h) has the dense id `context`: the rules
    // that read only context fields (Plan::MarkContextRules) run once per context, and the
    // index on a context field is looked up, and each leaf that reads only the context
    // computed, once per context. Ids must be dense (as
    // event::ContextInterner gives them): results are kept in arrays indexed by id.
    void Evaluate(const event::EventView& ev, uint32_t context, std::vector<uint32_t>& hits);
    // Same, for an event whose call also has a dense id `call` (kNoCall: none): the rules,
    // index lookups and leaves that read only the call (Plan::MarkCallRules) are computed once
    // per call. A call id must stand for one eventSource and one eventName text, and only for
    // an event whose call fields are plain (HasPlainCall).
    void Evaluate(const event::EventView& ev, uint32_t context, uint32_t call,
                  std::vector<uint32_t>& hits);
    static constexpr uint32_t kNoCall = UINT32_MAX;
    // Whether eventSource and eventName of `ev` are each one string (not in an array).
    [[nodiscard]] static bool HasPlainCall(const event::EventView& ev);

    // Number of rule programs the prefilter let through so far (whether run or known from the
    // event's context or call), for benchmarks.
    [[nodiscard]] uint64_t rules_run() const { return rules_run_; }

  private:
    bool EvalNode(uint32_t node);
    bool EvalLeaf(uint32_t leaf);
    bool ComputeLeaf(const PlanLeaf& l);
    bool MatchValue(const PlanLeaf& l, const event::Value& v);
    std::string_view TextOf(const event::Value& v);
    void RunGroup(int32_t group);
    void RunKeywords();
    void RunRule(uint32_t r, std::vector<uint32_t>& hits);
    void RunIndex(const FieldIndex& index, std::vector<uint32_t>& hits);
    // Results kept by context or by call: per (id, slot) of the rules, the index lookups and
    // the leaves marked for them.
    struct Kept {
        uint32_t id = kNone;          // of the current event; kNone: nothing kept
        std::vector<uint8_t> rules;   // 0 unknown, 1 no match, 2 match
        std::vector<int32_t> keys;    // 0 unknown, -1 no key, -2 several values (looked up
                                      // event by event), else the key + 1
        std::vector<uint8_t> leaves;  // 0 unknown, 1 false, 2 true
    };
    // The entry of the current event's id in `kept` for `slot` of `cache` (`slots` per id),
    // grown as needed; nullptr when the slot is -1, the event has no id, or past
    // kMaxKeptBytes (the results are then computed event by event).
    template <typename T>
    T* Entry(const Kept& kept, std::vector<T>& cache, size_t slots, int32_t slot);
    // The entry of a rule, index or leaf (`part`) in `cache` of the context or the call it is
    // kept by; `slots`: its kind's count of slots in the plan. nullptr as for Entry.
    template <typename T, typename Part>
    T* KeptEntry(const Part& part, std::vector<T> Kept::*cache, size_t KeptCounts::*slots);
    static constexpr size_t kMaxKeptBytes = size_t{32} << 20;
    static constexpr uint32_t kNone = UINT32_MAX;  // no context, no call

    const Plan& plan_;
    const event::EventView* ev_ = nullptr;
    uint32_t gen_ = 0;
    std::vector<uint32_t> leaf_gen_;
    std::vector<uint8_t> leaf_val_;
    std::vector<uint32_t> group_gen_;
    uint32_t keyword_gen_ = 0;
    std::vector<uint32_t> rule_gen_;  // rules already run for this event
    Kept context_;
    Kept call_;
    hs_scratch* scratch_ = nullptr;
    std::string buf_;            // keyword string unescaping
    std::string container_buf_;  // object/array text with escapes decoded
    uint64_t rules_run_ = 0;
};

}  // namespace tw::rules
