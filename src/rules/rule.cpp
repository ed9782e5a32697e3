#include "rules/rule.h"

namespace tw::rules {

const char* CorrelationTypeName(CorrelationType t) {
    switch (t) {
        case CorrelationType::kEventCount:
            return "event_count";
        case CorrelationType::kValueCount:
            return "value_count";
        case CorrelationType::kTemporal:
            return "temporal";
        case CorrelationType::kTemporalOrdered:
            return "temporal_ordered";
    }
    return "?";
}

std::string GroupField(const CorrelationRule& c, const std::string& key,
                       const RuleMeta& referenced) {
    auto it = c.aliases.find(key);
    if (it == c.aliases.end()) return key;
    for (const std::string* k : {&referenced.name, &referenced.id}) {
        if (k->empty()) continue;
        if (auto f = it->second.find(*k); f != it->second.end()) return f->second;
    }
    return key;
}

bool ConditionHolds(const CorrelationRule& c, double count) {
    for (const CountCondition& k : c.condition) {
        bool ok = false;
        switch (k.cmp) {
            case Cmp::kEq:
                ok = count == k.value;
                break;
            case Cmp::kLt:
                ok = count < k.value;
                break;
            case Cmp::kLte:
                ok = count <= k.value;
                break;
            case Cmp::kGt:
                ok = count > k.value;
                break;
            case Cmp::kGte:
                ok = count >= k.value;
                break;
        }
        if (!ok) return false;
    }
    if (c.condition.empty()) {
        // Temporal types default to "every referenced rule"; counts default to "at least one".
        if (c.type == CorrelationType::kTemporal || c.type == CorrelationType::kTemporalOrdered) {
            return count >= static_cast<double>(c.rule_refs.size());
        }
        return count >= 1;
    }
    return true;
}

}  // namespace tw::rules
