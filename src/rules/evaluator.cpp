#include "rules/evaluator.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstring>

#include "core/check.h"
#include "core/strings.h"
#include "core/time.h"

namespace tw::rules {

using event::Value;
using event::ValueType;

namespace {

// The values an index files rules under: not null, not a container's text.
bool IsScalar(const Value& v) {
    return v.type != ValueType::kNull && v.type != ValueType::kObject &&
           v.type != ValueType::kArray;
}

}  // namespace

Evaluator::Evaluator(const Plan& plan)
    : plan_(plan),
      leaf_gen_(plan.leaves().size(), 0),
      leaf_val_(plan.leaves().size(), 0),
      group_gen_(plan.groups().size(), 0),
      rule_gen_(plan.rules().size(), 0) {
    for (const PatternGroup& g : plan.groups()) {
        if (hs_alloc_scratch(g.db, &scratch_) != HS_SUCCESS) scratch_ = nullptr;
    }
    buf_.reserve(4096);
    container_buf_.reserve(4096);
}

Evaluator::~Evaluator() {
    if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

void Evaluator::Evaluate(const event::EventView& ev, std::vector<uint32_t>& hits) {
    Evaluate(ev, kNone, hits);
}

template <typename T>
T* Evaluator::Entry(const Kept& kept, std::vector<T>& cache, size_t slots, int32_t slot) {
    if (slot < 0 || kept.id == kNone) return nullptr;
    const size_t i = static_cast<size_t>(kept.id) * slots + static_cast<size_t>(slot);
    if (i >= cache.size()) {
        constexpr size_t kMaxEntries = kMaxKeptBytes / sizeof(T);
        if (i >= kMaxEntries) return nullptr;  // past the bound: event by event
        cache.resize(std::min(kMaxEntries, std::max(i + 1, cache.size() * 2)), 0);
    }
    return &cache[i];
}

template <typename T, typename Part>
T* Evaluator::KeptEntry(const Part& part, std::vector<T> Kept::*cache, size_t KeptCounts::*slots) {
    if (part.context_slot >= 0) {
        return Entry(context_, context_.*cache, plan_.kept_by_context().*slots, part.context_slot);
    }
    return Entry(call_, call_.*cache, plan_.kept_by_call().*slots, part.call_slot);
}

bool Evaluator::HasPlainCall(const event::EventView& ev) {
    for (const event::FieldId f : {event::kEventSource, event::kEventName}) {
        const auto v = ev.Values(f);
        if (v.size() != 1 || v[0].type != ValueType::kString || v[0].in_array) return false;
    }
    return true;
}

void Evaluator::Evaluate(const event::EventView& ev, uint32_t context,
                         std::vector<uint32_t>& hits) {
    Evaluate(ev, context, kNoCall, hits);
}

void Evaluator::Evaluate(const event::EventView& ev, uint32_t context, uint32_t call,
                         std::vector<uint32_t>& hits) {
    static_assert(kNoCall == kNone);
    TW_DCHECK(call == kNoCall || HasPlainCall(ev));
    context_.id = plan_.kept_by_context().any() ? context : kNone;
    call_.id = plan_.kept_by_call().any() ? call : kNone;
    hits.clear();
    ev_ = &ev;
    if (++gen_ == 0) {
        std::fill(leaf_gen_.begin(), leaf_gen_.end(), 0);
        std::fill(group_gen_.begin(), group_gen_.end(), 0);
        std::fill(rule_gen_.begin(), rule_gen_.end(), 0);
        keyword_gen_ = 0;
        gen_ = 1;
    }
    for (uint32_t r : plan_.always_) RunRule(r, hits);
    for (const FieldIndex& index : plan_.indexes_) {
        int32_t* entry = KeptEntry(index, &Kept::keys, &KeptCounts::indexes);
        if (entry == nullptr) {
            RunIndex(index, hits);
            continue;
        }
        int32_t& known = *entry;
        if (known == 0) {
            known = -1;
            size_t scalars = 0;
            for (const Value& v : ev.Values(index.field)) {
                if (!IsScalar(v)) continue;
                if (++scalars > 1) {
                    known = -2;
                    break;
                }
                const int64_t k = index.keys.Find(v.text);
                if (k >= 0) known = static_cast<int32_t>(k + 1);
            }
        }
        if (known > 0) {
            for (uint32_t r : index.rules[static_cast<size_t>(known - 1)]) RunRule(r, hits);
        } else if (known == -2) {
            RunIndex(index, hits);
        }
    }
    std::sort(hits.begin(), hits.end());
    ev_ = nullptr;
}

void Evaluator::RunIndex(const FieldIndex& index, std::vector<uint32_t>& hits) {
    for (const Value& v : ev_->Values(index.field)) {
        if (!IsScalar(v)) continue;
        if (int64_t k = index.keys.Find(v.text); k >= 0) {
            for (uint32_t r : index.rules[k]) RunRule(r, hits);
        }
    }
}

void Evaluator::RunRule(uint32_t r, std::vector<uint32_t>& hits) {
    if (rule_gen_[r] == gen_) return;  // filed under several keys
    rule_gen_[r] = gen_;
    ++rules_run_;
    const PlanRule& rule = plan_.rules_[r];
    uint8_t* known = KeptEntry(rule, &Kept::rules, &KeptCounts::rules);
    if (known != nullptr) {
        if (*known == 0) *known = EvalNode(rule.root) ? 2 : 1;
        if (*known == 2) hits.push_back(r);
        return;
    }
    if (EvalNode(rule.root)) hits.push_back(r);
}

bool Evaluator::EvalNode(uint32_t node) {
    const PlanNode& n = plan_.nodes_[node];
    switch (n.kind) {
        case Node::kTrue:
            return true;
        case Node::kFalse:
            return false;
        case Node::kLeaf:
            return EvalLeaf(n.a);
        case Node::kNot:
            return !EvalNode(n.a);
        case Node::kAnd:
            for (uint32_t i = 0; i < n.n; ++i) {
                if (!EvalNode(plan_.children_[n.a + i])) return false;
            }
            return true;
        case Node::kOr:
            for (uint32_t i = 0; i < n.n; ++i) {
                if (EvalNode(plan_.children_[n.a + i])) return true;
            }
            return false;
    }
    return false;
}

bool Evaluator::EvalLeaf(uint32_t leaf) {
    if (leaf_gen_[leaf] == gen_) return leaf_val_[leaf] != 0;
    const PlanLeaf& l = plan_.leaves_[leaf];
    uint8_t* known = KeptEntry(l, &Kept::leaves, &KeptCounts::leaves);
    if (known != nullptr && *known != 0) {
        leaf_val_[leaf] = *known == 2 ? 1 : 0;
        leaf_gen_[leaf] = gen_;
        return *known == 2;
    }
    if (l.group >= 0 && scratch_ != nullptr) {
        RunGroup(l.group);
        // One scan gave every leaf of the group (one field): keep those kept by context or
        // by call.
        if (known != nullptr) {
            for (uint32_t g : plan_.groups_[l.group].leaves) {
                uint8_t* entry = KeptEntry(plan_.leaves_[g], &Kept::leaves, &KeptCounts::leaves);
                if (entry != nullptr) *entry = leaf_val_[g] != 0 ? 2 : 1;
            }
        }
        return leaf_val_[leaf] != 0;
    }
    if (l.field == event::kNoField) {
        RunKeywords();
    } else {
        leaf_val_[leaf] = ComputeLeaf(l) ? 1 : 0;
        leaf_gen_[leaf] = gen_;
    }
    if (known != nullptr) *known = leaf_val_[leaf] != 0 ? 2 : 1;
    return leaf_val_[leaf] != 0;
}

namespace {

struct GroupCtx {
    uint8_t* vals;
};

int OnHsMatch(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
    static_cast<GroupCtx*>(ctx)->vals[id] = 1;
    return 0;
}

bool IsNullValue(const Value& v) { return v.type == ValueType::kNull; }

// Year, month, day, hour, minute of an epoch-ms time (UTC), and the ISO week number.
int TimePartOf(TimeMs t, TimePart part) {
    const int64_t secs = t >= 0 ? t / 1000 : (t - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int64_t rem = secs - days * 86400;
    if (part == TimePart::kHour) return static_cast<int>(rem / 3600);
    if (part == TimePart::kMinute) return static_cast<int>((rem % 3600) / 60);
    const int64_t weekday = (days + 3) % 7 < 0 ? (days + 3) % 7 + 7 : (days + 3) % 7;  // 0=Mon
    // Civil from days (H. Hinnant).
    int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    switch (part) {
        case TimePart::kDay:
            return static_cast<int>(d);
        case TimePart::kMonth:
            return static_cast<int>(m);
        case TimePart::kYear:
            return static_cast<int>(y);
        case TimePart::kWeek: {
            // ISO 8601 week: the week with the year's first Thursday is week 1.
            const int64_t thursday = days - weekday + 3;
            const int64_t jan1 = DaysFromCivil(y, 1, 1);
            int64_t ty = y;
            if (thursday < jan1) ty = y - 1;
            if (thursday >= DaysFromCivil(y + 1, 1, 1)) ty = y + 1;
            return static_cast<int>((thursday - DaysFromCivil(ty, 1, 1)) / 7 + 1);
        }
        default:
            return 0;
    }
}

bool Compare(double a, Cmp cmp, double b) {
    switch (cmp) {
        case Cmp::kEq:
            return a == b;
        case Cmp::kLt:
            return a < b;
        case Cmp::kLte:
            return a <= b;
        case Cmp::kGt:
            return a > b;
        case Cmp::kGte:
            return a >= b;
    }
    return false;
}

std::optional<double> NumberOf(const Value& v) {
    if (v.type == ValueType::kNumber) return v.number;
    if (v.type == ValueType::kString) return ParseNumber(Trim(v.text));
    return std::nullopt;
}

}  // namespace

void Evaluator::RunGroup(int32_t group) {
    const PatternGroup& g = plan_.groups_[group];
    if (group_gen_[group] == gen_) return;
    group_gen_[group] = gen_;
    for (uint32_t leaf : g.leaves) {
        leaf_val_[leaf] = 0;
        leaf_gen_[leaf] = gen_;
    }
    GroupCtx ctx{leaf_val_.data()};
    for (const Value& v : ev_->Values(g.field)) {
        if (IsNullValue(v)) continue;
        const std::string_view t = TextOf(v);
        hs_scan(g.db, t.data(), static_cast<unsigned>(t.size()), 0, scratch_, OnHsMatch, &ctx);
    }
}

bool Evaluator::ComputeLeaf(const PlanLeaf& l) {
    const auto values = ev_->Values(l.field);
    switch (l.ir.op) {
        case Op::kExists:
            return values.empty() == (l.ir.number == 0);
        case Op::kNull:
            if (values.empty()) return true;
            return std::any_of(values.begin(), values.end(), IsNullValue);
        case Op::kFieldRef: {
            const auto others = ev_->Values(l.ref_field);
            for (const Value& a : values) {
                if (IsNullValue(a)) continue;
                for (const Value& b : others) {
                    if (IsNullValue(b)) continue;
                    if (l.fold ? EqualsFold(a.text, b.text) : a.text == b.text) return true;
                }
            }
            return false;
        }
        default:
            break;
    }
    for (const Value& v : values) {
        if (MatchValue(l, v)) return true;
    }
    return false;
}

std::string_view Evaluator::TextOf(const Value& v) {
    if ((v.type != ValueType::kObject && v.type != ValueType::kArray) ||
        v.text.find('\\') == std::string_view::npos) {
        return v.text;
    }
    // A container is matched as its JSON text with string escapes decoded, so a JSON document
    // held in a string (an IAM policy) reads as it would in a SIEM.
    container_buf_.clear();
    (void)AppendJsonUnescaped(container_buf_, v.text);  // a malformed escape: read as it is
    return container_buf_;
}

bool Evaluator::MatchValue(const PlanLeaf& l, const Value& v) {
    if (IsNullValue(v)) return false;
    const std::string_view t = TextOf(v);
    switch (l.ir.op) {
        case Op::kEq:
            if (v.type == ValueType::kNumber) {
                for (double n : l.numeric_needles) {
                    if (n == v.number) return true;
                }
            }
            if (l.use_set) return l.set.Find(t) >= 0;
            for (const std::string& n : l.needles) {
                if (l.fold ? EqualsFold(t, n) : t == n) return true;
            }
            return false;
        case Op::kPrefix:
            return l.fold ? StartsWithFold(t, l.needles[0]) : t.starts_with(l.needles[0]);
        case Op::kSuffix:
            return l.fold ? EndsWithFold(t, l.needles[0]) : t.ends_with(l.needles[0]);
        case Op::kContains:
            return ContainsMaybeFold(t, l.needles[0], l.fold);
        case Op::kGlob:
            return GlobMatch(l.glob, t, l.fold);
        case Op::kRegex:
            if (!l.re_literal.empty() && t.find(l.re_literal) == std::string_view::npos) {
                return false;
            }
            return RE2::PartialMatch(t, *l.re);
        case Op::kCidr:
            return v.type == ValueType::kString && CidrContains(l.cidr, t);
        case Op::kNumber: {
            if (l.ir.time_part != TimePart::kNone) {
                if (v.type != ValueType::kString) return false;
                auto time = ParseIsoTime(t);
                if (!time) return false;
                return Compare(TimePartOf(*time, l.ir.time_part), l.ir.cmp, l.ir.number);
            }
            auto n = NumberOf(v);
            return n && Compare(*n, l.ir.cmp, l.ir.number);
        }
        default:
            return false;
    }
}

void Evaluator::RunKeywords() {
    // Keywords are searched in every string value of the record (keys excluded).
    if (keyword_gen_ == gen_) return;
    keyword_gen_ = gen_;
    for (uint32_t leaf : plan_.keyword_leaves_) {
        leaf_val_[leaf] = 0;
        leaf_gen_[leaf] = gen_;
    }
    const std::string_view raw = ev_->raw();
    size_t i = 0;
    while (i < raw.size()) {
        if (raw[i] != '"') {
            ++i;
            continue;
        }
        const size_t start = ++i;
        bool escaped = false;
        while (i < raw.size() && raw[i] != '"') {
            if (raw[i] == '\\') {
                escaped = true;
                ++i;
            }
            ++i;
        }
        const std::string_view body = raw.substr(start, std::min(i, raw.size()) - start);
        ++i;
        size_t j = i;
        while (j < raw.size() &&
               (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r')) {
            ++j;
        }
        if (j < raw.size() && raw[j] == ':') continue;  // a key
        std::string_view text = body;
        if (escaped) {
            buf_.clear();
            (void)AppendJsonUnescaped(buf_, body);
            text = buf_;
        }
        const Value v{ValueType::kString, false, text, 0};
        for (uint32_t leaf : plan_.keyword_leaves_) {
            if (leaf_val_[leaf] == 0 && MatchValue(plan_.leaves_[leaf], v)) leaf_val_[leaf] = 1;
        }
    }
}

}  // namespace tw::rules
