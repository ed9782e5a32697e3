#include "response/fit.h"

namespace tw::response {

namespace {

size_t MinifiedSize(const std::vector<Statement>& statements) {
    Policy p{statements};
    return PolicyCharacters(RenderPolicy(p, Layout::kMinified));
}

// Splits `s` into statements that each fit alone; fails when one action cannot fit.
Result<std::vector<Statement>> SplitStatement(const Statement& s, size_t limit) {
    if (MinifiedSize({s}) <= limit) return std::vector<Statement>{s};
    const std::string name = s.sid.empty() ? std::string("a statement") : "statement " + s.sid;
    if (s.not_action || s.actions.size() < 2) {
        return MakeError(ErrorCode::kInvalidArgument,
                         name + " is " + std::to_string(MinifiedSize({s})) +
                             " characters minified and cannot be split without changing its "
                             "meaning (limit " +
                             std::to_string(limit) + "); use fewer or shorter break-glass roles");
    }
    std::vector<Statement> parts;
    Statement cur = s;
    cur.actions.clear();
    for (const std::string& a : s.actions) {
        cur.actions.push_back(a);
        if (MinifiedSize({cur}) > limit) {
            cur.actions.pop_back();
            if (cur.actions.empty()) {
                return MakeError(ErrorCode::kInvalidArgument,
                                 name + " does not fit in " + std::to_string(limit) +
                                     " characters even with the single action " + a);
            }
            parts.push_back(cur);
            cur.actions = {a};
        }
    }
    parts.push_back(cur);
    for (size_t i = 0; i < parts.size(); ++i) {
        if (!parts[i].sid.empty()) parts[i].sid += "Part" + std::to_string(i + 1);
    }
    return parts;
}

}  // namespace

Result<FittedScp> FitScp(const Policy& policy, size_t limit) {
    FittedScp out;
    std::string pretty = RenderPolicy(policy, Layout::kPretty);
    if (PolicyCharacters(pretty) <= limit) {
        out.documents.push_back(std::move(pretty));
        return out;
    }
    out.minified = true;
    std::string minified = RenderPolicy(policy, Layout::kMinified);
    if (PolicyCharacters(minified) <= limit) {
        out.documents.push_back(std::move(minified));
        return out;
    }
    std::vector<Statement> units;
    for (const Statement& s : policy.statements) {
        auto parts = SplitStatement(s, limit);
        if (!parts) return std::unexpected(parts.error());
        for (Statement& p : *parts) units.push_back(std::move(p));
    }
    std::vector<Policy> policies;
    for (Statement& u : units) {
        if (!policies.empty()) {
            std::vector<Statement> trial = policies.back().statements;
            trial.push_back(u);
            if (MinifiedSize(trial) <= limit) {
                policies.back().statements = std::move(trial);
                continue;
            }
        }
        policies.push_back(Policy{{std::move(u)}});
    }
    for (const Policy& p : policies) {
        std::string doc = RenderPolicy(p, Layout::kPretty);
        if (PolicyCharacters(doc) > limit) doc = RenderPolicy(p, Layout::kMinified);
        out.documents.push_back(std::move(doc));
    }
    out.split = out.documents.size() > 1;
    return out;
}

}  // namespace tw::response
