// What a Plan keeps per event context or per call: marking the rules, indexes and leaves that
// read only the context's fields (event::IsContextPath) or only the call's (IsCallPath), and
// ordering each And/Or so that what is known per context, then per call, is tested first.
#include <algorithm>
#include <string_view>
#include <vector>

#include "event/context.h"
#include "rules/plan.h"

namespace tw::rules {

namespace {

using PathTest = bool (*)(std::string_view);

// Whether the leaf reads only fields that `in` accepts.
bool LeafReadsOnly(const Leaf& l, PathTest in) {
    if (l.field.empty() || !in(l.field)) return false;  // keywords read all
    return l.op != Op::kFieldRef || (!l.values.empty() && in(l.values[0]));
}

// Whether every leaf under `node` reads only fields that `in` accepts.
bool ReadsOnly(const Plan& p, uint32_t node, PathTest in) {
    const PlanNode& n = p.nodes()[node];
    switch (n.kind) {
        case Node::kTrue:
        case Node::kFalse:
            return true;
        case Node::kLeaf:
            return LeafReadsOnly(p.leaves()[n.a].ir, in);
        case Node::kNot:
            return ReadsOnly(p, n.a, in);
        case Node::kAnd:
        case Node::kOr:
            for (uint32_t i = 0; i < n.n; ++i) {
                if (!ReadsOnly(p, p.children()[n.a + i], in)) return false;
            }
            return true;
    }
    return false;
}

bool ReadsOnlyContext(const Plan& p, uint32_t node) {
    return ReadsOnly(p, node, event::IsContextPath);
}

// Marks in `used` every leaf under `node`.
void MarkLeaves(const Plan& p, uint32_t node, std::vector<bool>& used) {
    const PlanNode& n = p.nodes()[node];
    switch (n.kind) {
        case Node::kLeaf:
            used[n.a] = true;
            return;
        case Node::kNot:
            MarkLeaves(p, n.a, used);
            return;
        case Node::kAnd:
        case Node::kOr:
            for (uint32_t i = 0; i < n.n; ++i) MarkLeaves(p, p.children()[n.a + i], used);
            return;
        case Node::kTrue:
        case Node::kFalse:
            return;
    }
}

}  // namespace

size_t Plan::MarkContextRules() {
    by_context_.rules = 0;
    for (PlanRule& r : rules_) {
        r.context_slot =
            ReadsOnlyContext(*this, r.root) ? static_cast<int32_t>(by_context_.rules++) : -1;
    }
    by_context_.indexes = 0;
    for (FieldIndex& index : indexes_) {
        index.context_slot =
            event::IsContextPath(index.path) ? static_cast<int32_t>(by_context_.indexes++) : -1;
    }
    // Leaves of the other rules (a context rule keeps its whole result already).
    std::vector<bool> used(leaves_.size(), false);
    for (const PlanRule& r : rules_) {
        if (r.context_slot < 0) MarkLeaves(*this, r.root, used);
    }
    by_context_.leaves = 0;
    for (size_t i = 0; i < leaves_.size(); ++i) {
        leaves_[i].context_slot = used[i] && LeafReadsOnly(leaves_[i].ir, event::IsContextPath)
                                      ? static_cast<int32_t>(by_context_.leaves++)
                                      : -1;
    }
    // In the other rules, what reads only the context goes first in each and/or: its leaves
    // are known per context, so the rule is often decided before a field of the event is read
    // (a SigmaHQ rule run on every event tests the caller's ARN after three equalities on the
    // event's call: 1.35 million events paid for the equalities).
    for (const PlanRule& r : rules_) {
        if (r.context_slot < 0) CheapFirst(r.root);
    }
    return by_context_.rules;
}

bool IsCallPath(std::string_view path) { return path == "eventSource" || path == "eventName"; }

size_t Plan::MarkCallRules() {
    call_marked_ = true;
    by_call_.rules = 0;
    for (PlanRule& r : rules_) {
        r.call_slot = r.context_slot < 0 && ReadsOnly(*this, r.root, IsCallPath)
                          ? static_cast<int32_t>(by_call_.rules++)
                          : -1;
    }
    by_call_.indexes = 0;
    for (FieldIndex& index : indexes_) {
        index.call_slot = IsCallPath(index.path) ? static_cast<int32_t>(by_call_.indexes++) : -1;
    }
    // Leaves of the rules kept neither per context nor per call.
    std::vector<bool> used(leaves_.size(), false);
    for (const PlanRule& r : rules_) {
        if (r.context_slot < 0 && r.call_slot < 0) MarkLeaves(*this, r.root, used);
    }
    by_call_.leaves = 0;
    for (size_t i = 0; i < leaves_.size(); ++i) {
        leaves_[i].call_slot =
            used[i] && leaves_[i].context_slot < 0 && LeafReadsOnly(leaves_[i].ir, IsCallPath)
                ? static_cast<int32_t>(by_call_.leaves++)
                : -1;
    }
    // What reads only the call goes next, after what reads only the context.
    for (const PlanRule& r : rules_) {
        if (r.context_slot < 0 && r.call_slot < 0) CheapFirst(r.root);
    }
    return by_call_.rules;
}

void Plan::CheapFirst(uint32_t node) {
    const PlanNode& n = nodes_[node];
    if (n.kind == Node::kNot) {
        CheapFirst(n.a);
    } else if (n.kind == Node::kAnd || n.kind == Node::kOr) {
        // 0: reads only the context, 1: only the call (when calls are marked), 2: the rest.
        const auto rank = [&](uint32_t c) {
            if (ReadsOnlyContext(*this, c)) return 0;
            return call_marked_ && ReadsOnly(*this, c, IsCallPath) ? 1 : 2;
        };
        const auto first = children_.begin() + n.a;
        std::stable_sort(first, first + n.n,
                         [&](uint32_t a, uint32_t b) { return rank(a) < rank(b); });
        for (uint32_t i = 0; i < n.n; ++i) CheapFirst(children_[n.a + i]);
    }
}

}  // namespace tw::rules
