// The compiled plan: every detection rule of a RuleSet as a flat program over shared, de-duplicated
// leaves, with an index that maps field values (eventName first, then other required
// equalities, eventSource last) to the few rules an event can match.
// One Plan is built per run, is immutable and shared by all workers; each worker owns an
// Evaluator (evaluator.h) with its scratch. See docs/design/rule-plan.md.
//
//   auto plan = rules::Plan::Compile(rule_set, catalog, diag_fn);   // interns field paths
//   rules::Evaluator ev(plan);                                       // one per thread
//   ev.Evaluate(event_view, hits);                                   // hits: rule numbers
//
// Thread-safety: a compiled Plan is immutable and may be shared between threads.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "event/field_catalog.h"
#include "rules/ir.h"
#include "rules/pattern.h"
#include "rules/rule.h"

struct hs_database;

namespace tw::rules {

// An open-addressing set of strings compared with ASCII case folding (keys stored lowered).
class FoldSet {
  public:
    // Adds `key` (any case) and returns its index; an existing key returns its first index.
    uint32_t Insert(std::string_view key);
    // Index of `key` (any case), or -1. Allocates nothing.
    [[nodiscard]] int64_t Find(std::string_view key) const;
    [[nodiscard]] size_t size() const { return keys_.size(); }
    [[nodiscard]] const std::string& key(uint32_t i) const { return keys_[i]; }

  private:
    void Rehash(size_t size);
    std::vector<std::string> keys_;
    std::vector<uint32_t> table_;              // index + 1; 0 = empty
    size_t min_len_ = SIZE_MAX, max_len_ = 0;  // a key of another length is absent
};

// One comparison, ready to run (needles lowered when folding).
struct PlanLeaf {
    Leaf ir;                                 // the leaf as written (for text and `rules test`)
    event::FieldId field = event::kNoField;  // kNoField: keyword leaf
    event::FieldId ref_field = event::kNoField;
    bool fold = true;
    std::vector<std::string> needles;     // lowered when fold
    std::vector<double> numeric_needles;  // Eq needles that are numbers
    FoldSet set;                          // Eq with many needles (folded)
    bool use_set = false;
    std::vector<GlobPiece> glob;
    std::unique_ptr<RE2> re;
    // A literal every match of `re` contains (empty when unknown): RE2 runs only when present.
    std::string re_literal;
    Cidr cidr;
    // Pattern group (Hyperscan databases: per field, one of literals and wildcards, one of
    // regexes), or -1.
    int32_t group = -1;
    int cost = 1;
    // Slot among the leaves that read only the event context (MarkContextRules), or -1.
    int32_t context_slot = -1;
    // Slot among the leaves that read only the event's call (MarkCallRules), or -1.
    int32_t call_slot = -1;
};

// A literal that every match of the regular expression `pattern` contains, or "" when the
// pattern is not a simple sequence of literals and `.` with quantifiers (case-sensitive).
[[nodiscard]] std::string RequiredLiteral(std::string_view pattern);

// Rules filed by the value of one field (eventName first; see Plan::Compile).
struct FieldIndex {
    event::FieldId field = event::kNoField;
    std::string path;
    FoldSet keys;
    std::vector<std::vector<uint32_t>> rules;  // parallel to keys
    // Slot among the indexes on a context field (MarkContextRules), or -1.
    int32_t context_slot = -1;
    // Slot among the indexes on a call field (MarkCallRules), or -1.
    int32_t call_slot = -1;
};

// Leaves of one field whose string patterns (literals and wildcards, or regexes) are matched
// together in one scan.
struct PatternGroup {
    event::FieldId field = event::kNoField;
    std::vector<uint32_t> leaves;
    hs_database* db = nullptr;
};

struct PlanNode {
    Node::Kind kind = Node::kTrue;
    uint32_t a = 0;  // and/or: first index in children; not: child node; leaf: leaf index
    uint32_t n = 0;  // and/or: number of children
};

struct PlanRule {
    uint32_t detection = 0;  // index into RuleSet::detections
    uint32_t root = 0;       // node index
    // The equality every match needs that files the rule in the index: a field path and its
    // lowered values; empty path: the rule runs on every event.
    std::string index_field;
    std::vector<std::string> index_values;
    // Slot of the rule among the context rules (MarkContextRules), or -1.
    int32_t context_slot = -1;
    // Slot of the rule among the call rules (MarkCallRules), or -1.
    int32_t call_slot = -1;
};

// Whether `path` is a field of an event's call: eventSource or eventName. Events of one call
// (the same single string value of each) get the same result from whatever reads only these.
[[nodiscard]] bool IsCallPath(std::string_view path);

// How many rules, indexes and leaves a plan marks to be kept per context, or per call (the
// number of slots of each; see Plan::MarkContextRules, Plan::MarkCallRules).
struct KeptCounts {
    size_t rules = 0;
    size_t indexes = 0;
    size_t leaves = 0;
    [[nodiscard]] bool any() const { return rules + indexes + leaves != 0; }
};

class Plan {
  public:
    Plan() = default;
    ~Plan();
    Plan(const Plan&) = delete;
    Plan& operator=(const Plan&) = delete;
    Plan(Plan&&) noexcept;
    Plan& operator=(Plan&&) noexcept;

    // Compiles every detection of `set`; interns each referenced field in `catalog`. A leaf
    // that cannot be compiled (bad regex, bad network) makes its rule fail: its message goes to
    // `errors` as "<rule title>: <what>" and the rule is left out.
    [[nodiscard]] static Plan Compile(const RuleSet& set, event::FieldCatalog& catalog,
                                      std::vector<std::string>* errors = nullptr);

    [[nodiscard]] const std::vector<PlanRule>& rules() const { return rules_; }
    [[nodiscard]] const std::vector<PlanLeaf>& leaves() const { return leaves_; }
    [[nodiscard]] const std::vector<PlanNode>& nodes() const { return nodes_; }
    [[nodiscard]] const std::vector<uint32_t>& children() const { return children_; }
    [[nodiscard]] const std::vector<PatternGroup>& groups() const { return groups_; }
    [[nodiscard]] bool has_keywords() const { return has_keywords_; }

    // Marks the rules that read only the fields of an event's context (event::IsContextPath).
    // Such a rule has one result per context, which an Evaluator given context ids computes
    // once per context. Also marks the indexes on a context field and the leaves that read only
    // the context, whose lookup and result an Evaluator then computes once per context. In
    // each and/or of the other rules, the children that read only the context go first (they
    // then cost a lookup per event; evaluated without context ids, or past the bound of the
    // context caches, they cost their own evaluation first). Returns how many rules were marked.
    size_t MarkContextRules();
    [[nodiscard]] const KeptCounts& kept_by_context() const { return by_context_; }

    // The same for the event's call (IsCallPath), after MarkContextRules: the rules that read
    // only the call (and are not context rules), the indexes on a call field, and the leaves
    // that read only the call in the other rules; an Evaluator given call ids computes them once
    // per call. In each and/or, what reads only the call then goes right after what reads only
    // the context. Returns how many rules were marked.
    size_t MarkCallRules();
    [[nodiscard]] const KeptCounts& kept_by_call() const { return by_call_; }

    // Canonical text of rule `r` (its index and program), for `rules explain` and tests.
    [[nodiscard]] std::string Explain(uint32_t r, const RuleSet& set) const;
    // Summary line: rules, leaves, groups, index sizes.
    [[nodiscard]] std::string Summary() const;

  private:
    // Puts the children that read only the context first in each and/or under `node`, then,
    // once calls are marked, those that read only the call.
    void CheapFirst(uint32_t node);
    friend class Evaluator;
    friend class PlanBuilder;
    std::vector<PlanRule> rules_;
    std::vector<PlanLeaf> leaves_;
    std::vector<PlanNode> nodes_;
    std::vector<uint32_t> children_;
    std::vector<PatternGroup> groups_;
    std::vector<uint32_t> keyword_leaves_;
    bool has_keywords_ = false;
    KeptCounts by_context_;
    bool call_marked_ = false;
    KeptCounts by_call_;
    // Prefilter index.
    std::vector<FieldIndex> indexes_;
    std::vector<uint32_t> always_;
};

}  // namespace tw::rules
