#include "rules/plan.h"

#include <hs/hs.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "core/strings.h"
#include "event/context.h"  // MixHash

namespace tw::rules {

// ---------------------------------------------------------------- FoldSet

namespace {

// A hash of s lowered, a word at a time.
uint64_t FoldHash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8)
        h = event::MixHash(h ^ AsciiLowerWord(WordAt(s, i, 8)), 0xa0761d6478bd642fULL);
    if (i < s.size()) {
        h = event::MixHash(h ^ AsciiLowerWord(WordAt(s, i, s.size() - i)), 0xe7037ed1a0b428dbULL);
    }
    return h ^ (h >> 29);
}

}  // namespace

void FoldSet::Rehash(size_t size) {
    table_.assign(size, 0);
    for (uint32_t i = 0; i < keys_.size(); ++i) {
        size_t p = FoldHash(keys_[i]) & (size - 1);
        while (table_[p] != 0) p = (p + 1) & (size - 1);
        table_[p] = i + 1;
    }
}

uint32_t FoldSet::Insert(std::string_view key) {
    if (int64_t f = Find(key); f >= 0) return static_cast<uint32_t>(f);
    keys_.push_back(AsciiLowerCopy(key));
    min_len_ = std::min(min_len_, key.size());
    max_len_ = std::max(max_len_, key.size());
    if (table_.size() < keys_.size() * 2 + 2) {
        size_t size = 8;
        while (size < keys_.size() * 4) size *= 2;
        Rehash(size);
    } else {
        size_t p = FoldHash(key) & (table_.size() - 1);
        while (table_[p] != 0) p = (p + 1) & (table_.size() - 1);
        table_[p] = static_cast<uint32_t>(keys_.size());
    }
    return static_cast<uint32_t>(keys_.size() - 1);
}

int64_t FoldSet::Find(std::string_view key) const {
    if (table_.empty() || key.size() < min_len_ || key.size() > max_len_) return -1;
    const size_t mask = table_.size() - 1;
    for (size_t p = FoldHash(key) & mask;; p = (p + 1) & mask) {
        const uint32_t slot = table_[p];
        if (slot == 0) return -1;
        if (EqualsFold(keys_[slot - 1], key)) return slot - 1;
    }
}

// ---------------------------------------------------------------- Plan

std::string RequiredLiteral(std::string_view pattern) {
    // Literal characters, escaped punctuation, `.`, anchors and quantifiers only: anything else
    // (classes, groups, alternation, escapes like \d) gives up.
    std::string best, run;
    auto end_run = [&] {
        if (run.size() > best.size()) best = run;
        run.clear();
    };
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (static_cast<unsigned char>(c) >= 0x80) return {};  // a quantifier may follow
        char literal = 0;
        if (c == '\\') {
            if (i + 1 >= pattern.size()) return {};
            const char e = pattern[++i];
            if (std::isalnum(static_cast<unsigned char>(e)) || e == '_') return {};
            literal = e;
        } else if (c == '.' || c == '^' || c == '$') {
            end_run();
            continue;
        } else if (c == '*' || c == '?' || c == '{') {
            // The previous atom may be absent: drop it from the run.
            if (c == '{') return {};
            if (!run.empty()) run.pop_back();
            end_run();
            continue;
        } else if (c == '+') {
            end_run();  // the previous atom occurs at least once
            continue;
        } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == '|' || c == '}') {
            return {};
        } else {
            literal = c;
        }
        run.push_back(literal);
    }
    end_run();
    return best;
}

Plan::~Plan() {
    for (PatternGroup& g : groups_) {
        if (g.db != nullptr) hs_free_database(g.db);
    }
}
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&& o) noexcept {
    if (this != &o) {
        for (PatternGroup& g : groups_) {
            if (g.db != nullptr) hs_free_database(g.db);
        }
        groups_.clear();
        rules_ = std::move(o.rules_);
        leaves_ = std::move(o.leaves_);
        nodes_ = std::move(o.nodes_);
        children_ = std::move(o.children_);
        groups_ = std::move(o.groups_);
        keyword_leaves_ = std::move(o.keyword_leaves_);
        has_keywords_ = o.has_keywords_;
        by_context_ = o.by_context_;
        call_marked_ = o.call_marked_;
        by_call_ = o.by_call_;
        indexes_ = std::move(o.indexes_);
        always_ = std::move(o.always_);
        o.groups_.clear();
    }
    return *this;
}

namespace {

constexpr size_t kMinGroupSize = 4;  // fewer patterns on a field are matched one by one

int LeafCost(const Leaf& l) {
    if (l.field.empty()) return 40;
    switch (l.op) {
        case Op::kEq:
        case Op::kExists:
        case Op::kNull:
            return 1;
        case Op::kNumber:
        case Op::kPrefix:
        case Op::kSuffix:
            return 2;
        case Op::kContains:
            return 4;
        case Op::kGlob:
        case Op::kCidr:
        case Op::kFieldRef:
            return 6;
        case Op::kRegex:
            return 20;
    }
    return 10;
}

// Lowered values of an equality on `field` that every match of `n` must satisfy, if any.
std::optional<std::vector<std::string>> RequiredValues(const Node& n, std::string_view field) {
    switch (n.kind) {
        case Node::kLeaf:
            if (n.leaf.field == field && n.leaf.op == Op::kEq &&
                n.leaf.time_part == TimePart::kNone) {
                std::vector<std::string> out;
                for (const std::string& v : n.leaf.values) out.push_back(AsciiLowerCopy(v));
                std::sort(out.begin(), out.end());
                out.erase(std::unique(out.begin(), out.end()), out.end());
                return out;
            }
            return std::nullopt;
        case Node::kAnd: {
            std::optional<std::vector<std::string>> best;
            for (const Node& c : n.children) {
                auto r = RequiredValues(c, field);
                if (r && (!best || r->size() < best->size())) best = std::move(r);
            }
            return best;
        }
        case Node::kOr: {
            std::vector<std::string> all;
            for (const Node& c : n.children) {
                auto r = RequiredValues(c, field);
                if (!r) return std::nullopt;
                all.insert(all.end(), r->begin(), r->end());
            }
            std::sort(all.begin(), all.end());
            all.erase(std::unique(all.begin(), all.end()), all.end());
            return all;
        }
        default:
            return std::nullopt;
    }
}

void CollectEqFields(const Node& n, std::vector<std::string>& out) {
    if (n.kind == Node::kLeaf) {
        if (n.leaf.op == Op::kEq && !n.leaf.field.empty() &&
            std::find(out.begin(), out.end(), n.leaf.field) == out.end()) {
            out.push_back(n.leaf.field);
        }
        return;
    }
    if (n.kind == Node::kNot) return;
    for (const Node& c : n.children) CollectEqFields(c, out);
}

// The field and values to file a rule under: eventName when every match needs one of a few
// names; else another required equality (fewest values); eventSource last (few sources cover
// most events). Values that read as numbers are never indexed: a number event value can equal
// them without being the same text.
std::optional<std::pair<std::string, std::vector<std::string>>> ChooseIndex(const Node& n) {
    std::vector<std::string> fields;
    CollectEqFields(n, fields);
    std::optional<std::pair<std::string, std::vector<std::string>>> best;
    auto rank = [](const std::string& f) {
        return f == "eventName" ? 0 : f == "eventSource" ? 2 : 1;
    };
    for (const std::string& f : fields) {
        auto values = RequiredValues(n, f);
        if (!values || values->empty()) continue;
        bool numeric = false;
        for (const std::string& v : *values) numeric = numeric || ParseNumber(v).has_value();
        if (numeric) continue;
        if (!best || rank(f) < rank(best->first) ||
            (rank(f) == rank(best->first) && values->size() < best->second.size())) {
            best = std::make_pair(f, std::move(*values));
        }
    }
    return best;
}

bool IsPatternOp(Op op) {
    return op == Op::kPrefix || op == Op::kSuffix || op == Op::kContains || op == Op::kGlob;
}

void AppendHsLiteral(std::string& out, std::string_view lit) {
    static const char* kHex = "0123456789abcdef";
    for (unsigned char c : lit) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
}

// `re` (RE2 syntax) rewritten for Hyperscan with the same meaning, or nullopt when that is not
// sure. Without HS_FLAG_UCP both engines read \d, \w and \b as ASCII and agree on '.' and
// classes in UTF-8; they differ on \s (RE2 leaves out the vertical tab) and \v (RE2: that
// character; Hyperscan: every vertical space), which are spelled out here. They also differ on
// Unicode properties (tables of other ages), and when folding case (`fold`), on \w, POSIX
// classes and characters outside ASCII (RE2 folds classes, Hyperscan does not): those, letters
// not listed after a backslash, \Q...\E quoting, \S inside a class and inline flags or other
// "(?" groups than "(?:" stay on RE2.
std::optional<std::string> HsRegex(std::string_view re, bool fold) {
    static constexpr std::string_view kSpace = "\\t\\n\\f\\r\\x20";  // RE2's \s
    static constexpr std::string_view kPassed = "dDwWbBAztnrfax01234567";
    std::string out;
    bool in_class = false;
    for (size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        if (fold && static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
        if (c == '\\') {
            if (i + 1 >= re.size()) return std::nullopt;
            const char e = re[++i];
            if (fold && (e == 'w' || e == 'W')) return std::nullopt;
            if (e == 's' || e == 'S') {
                if (in_class && e == 'S') return std::nullopt;
                if (in_class) {
                    out += kSpace;
                    // "[\s-a]" is \s, '-' and 'a' to RE2; after "\x20" a '-' would make a range.
                    if (i + 1 < re.size() && re[i + 1] == '-') {
                        out += "\\-";
                        ++i;
                    }
                } else {
                    out += e == 's' ? "[" : "[^";
                    out += kSpace;
                    out += ']';
                }
            } else if (e == 'v') {
                out += "\\x0b";
            } else if (std::isalnum(static_cast<unsigned char>(e)) &&
                       kPassed.find(e) == std::string_view::npos) {
                return std::nullopt;
            } else {
                out += c;
                out += e;
            }
            continue;
        }
        if (!in_class && c == '(' && i + 1 < re.size() && re[i + 1] == '?' &&
            (i + 2 >= re.size() || re[i + 2] != ':')) {
            return std::nullopt;
        }
        out += c;
        if (!in_class && c == '[') {
            in_class = true;
            // A ']' right after '[' or '[^' is a literal member.
            if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
            if (i + 1 < re.size() && re[i + 1] == ']') out += re[++i];
        } else if (in_class && c == '[' && i + 1 < re.size() && re[i + 1] == ':') {
            // A POSIX class such as [:space:]: both engines read it the same, unless folding.
            if (fold) return std::nullopt;
            const size_t end = re.find(":]", i + 2);
            if (end == std::string_view::npos) return std::nullopt;
            out.append(re.substr(i + 1, end + 2 - (i + 1)));
            i = end + 1;
        } else if (in_class && c == ']') {
            in_class = false;
        }
    }
    if (in_class) return std::nullopt;
    return out;
}

// A Hyperscan expression for a pattern leaf: literals and wildcards as bytes (not UTF-8
// aware, like the fallback); regexes rewritten by HsRegex (compiled as UTF-8).
std::string HsExpression(const PlanLeaf& l) {
    std::string e;
    switch (l.ir.op) {
        case Op::kRegex:
            return HsRegex(l.ir.values[0], (l.ir.regex_flags & kRegexIgnoreCase) != 0)
                .value_or(std::string());
        case Op::kPrefix:
            e = "\\A";
            AppendHsLiteral(e, l.needles[0]);
            break;
        case Op::kSuffix:
            AppendHsLiteral(e, l.needles[0]);
            e += "\\z";
            break;
        case Op::kContains:
            AppendHsLiteral(e, l.needles[0]);
            break;
        default:
            e = "\\A";
            for (const GlobPiece& p : l.glob) {
                if (p.kind == GlobPiece::kStar)
                    e += ".*";
                else if (p.kind == GlobPiece::kQuestion)
                    e += ".";
                else
                    AppendHsLiteral(e, p.text);
            }
            e += "\\z";
            break;
    }
    return e;
}

}  // namespace

unsigned HsFlags(const PlanLeaf& l) {
    if (l.ir.op != Op::kRegex) {
        return HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL | (l.fold ? HS_FLAG_CASELESS : 0u);
    }
    const uint8_t f = l.ir.regex_flags;
    return HS_FLAG_SINGLEMATCH | HS_FLAG_UTF8 | ((f & kRegexIgnoreCase) ? HS_FLAG_CASELESS : 0u) |
           ((f & kRegexDotAll) ? HS_FLAG_DOTALL : 0u) |
           ((f & kRegexMultiLine) ? HS_FLAG_MULTILINE : 0u);
}

// Whether a regex leaf may join a pattern database with the same meaning as RE2: it can be
// rewritten (HsRegex), and it has no '$' outside multi-line mode (Hyperscan's '$' also matches
// before a final newline, RE2's does not). Otherwise, or when Hyperscan refuses it while the
// database is compiled, the leaf stays on RE2.
bool HsMayTakeRegex(const Leaf& l) {
    const std::string& re = l.values[0];
    if (re.empty()) return false;
    if (!(l.regex_flags & kRegexMultiLine) && re.find('$') != std::string::npos) return false;
    return HsRegex(re, (l.regex_flags & kRegexIgnoreCase) != 0).has_value();
}

class PlanBuilder {
  public:
    PlanBuilder(Plan& plan, event::FieldCatalog& catalog) : p_(plan), catalog_(catalog) {}

    // Compiles `n` into nodes; returns its node index or an error message.
    std::optional<uint32_t> Emit(const Node& n, std::string& error) {
        PlanNode pn;
        pn.kind = n.kind;
        if (n.kind == Node::kLeaf) {
            auto leaf = LeafIndex(n.leaf, error);
            if (!leaf) return std::nullopt;
            pn.a = *leaf;
        } else if (n.kind == Node::kNot) {
            auto c = Emit(n.children[0], error);
            if (!c) return std::nullopt;
            pn.a = *c;
        } else if (n.kind == Node::kAnd || n.kind == Node::kOr) {
            // Cheapest child first: short-circuit evaluation then rarely pays for the rest.
            std::vector<std::pair<int, const Node*>> order;
            for (const Node& c : n.children) order.emplace_back(Cost(c), &c);
            std::stable_sort(order.begin(), order.end(),
                             [](const auto& x, const auto& y) { return x.first < y.first; });
            std::vector<uint32_t> kids;
            for (const auto& [cost, c] : order) {
                auto k = Emit(*c, error);
                if (!k) return std::nullopt;
                kids.push_back(*k);
            }
            pn.a = static_cast<uint32_t>(p_.children_.size());
            pn.n = static_cast<uint32_t>(kids.size());
            p_.children_.insert(p_.children_.end(), kids.begin(), kids.end());
        }
        p_.nodes_.push_back(pn);
        return static_cast<uint32_t>(p_.nodes_.size() - 1);
    }

    // One database per field for its literal and wildcard patterns, another for its regexes:
    // Hyperscan compiles regexes mixed with case-insensitive literals many times slower than
    // apart (a field of the built-in pack: 16.7 ms together, 4.5 + 0.2 ms apart).
    void BuildGroups() {
        std::map<std::pair<event::FieldId, bool>, std::vector<uint32_t>> by_field;
        for (uint32_t i = 0; i < p_.leaves_.size(); ++i) {
            const PlanLeaf& l = p_.leaves_[i];
            if (l.field == event::kNoField || l.ir.time_part != TimePart::kNone) continue;
            if (l.ir.op == Op::kRegex) {
                if (HsMayTakeRegex(l.ir)) by_field[{l.field, true}].push_back(i);
                continue;
            }
            if (!IsPatternOp(l.ir.op)) continue;
            if (l.ir.op != Op::kGlob && l.needles[0].empty()) continue;  // HS rejects empty
            by_field[{l.field, false}].push_back(i);
        }
        for (auto& [key, leaves] : by_field) {
            const event::FieldId field = key.first;
            hs_database_t* db = nullptr;
            // A leaf Hyperscan refuses (compiled together, the error names it) leaves the
            // group and stays on the one-by-one path; results are the same, only slower.
            while (leaves.size() >= kMinGroupSize && db == nullptr) {
                std::vector<std::string> exprs;
                std::vector<const char*> ptrs;
                std::vector<unsigned> flags, ids;
                for (uint32_t i : leaves) {
                    exprs.push_back(HsExpression(p_.leaves_[i]));
                    flags.push_back(HsFlags(p_.leaves_[i]));
                    ids.push_back(i);
                }
                for (const std::string& e : exprs) ptrs.push_back(e.c_str());
                hs_compile_error_t* err = nullptr;
                if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(),
                                     static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK, nullptr,
                                     &db, &err) == HS_SUCCESS) {
                    break;
                }
                db = nullptr;
                const int refused = err != nullptr ? err->expression : -1;
                if (err != nullptr) hs_free_compile_error(err);
                if (refused < 0 || static_cast<size_t>(refused) >= leaves.size()) break;
                leaves.erase(leaves.begin() + refused);
            }
            if (db == nullptr) continue;
            PatternGroup g;
            g.field = field;
            g.leaves = leaves;
            g.db = db;
            const auto gi = static_cast<int32_t>(p_.groups_.size());
            for (uint32_t i : leaves) p_.leaves_[i].group = gi;
            p_.groups_.push_back(std::move(g));
        }
    }

  private:
  public:
    // Counts, before any rule is emitted, the distinct pattern leaves per field, so that leaves
    // which will share a pattern database are costed as the shared scan they become.
    void CountPatterns(const Node& n) {
        if (n.kind == Node::kLeaf) {
            const Leaf& l = n.leaf;
            if (!l.field.empty() && l.time_part == TimePart::kNone &&
                (IsPatternOp(l.op) || (l.op == Op::kRegex && HsMayTakeRegex(l))) &&
                seen_patterns_.insert(LeafText(l)).second) {
                ++patterns_per_field_[{l.field, l.op == Op::kRegex}];
            }
            return;
        }
        for (const Node& c : n.children) CountPatterns(c);
    }

  private:
    int Cost(const Node& n) {
        if (n.kind == Node::kLeaf) {
            const Leaf& l = n.leaf;
            auto it = patterns_per_field_.find({l.field, l.op == Op::kRegex});
            if ((IsPatternOp(l.op) || (l.op == Op::kRegex && HsMayTakeRegex(l))) &&
                it != patterns_per_field_.end() && it->second >= kMinGroupSize) {
                return 2;  // one scan of the field serves every pattern of the group
            }
            return LeafCost(l);
        }
        int c = 0;
        for (const Node& k : n.children) c += Cost(k);
        return c;
    }

    std::optional<uint32_t> LeafIndex(const Leaf& leaf, std::string& error) {
        const std::string key = LeafText(leaf);
        if (auto it = dedup_.find(key); it != dedup_.end()) return it->second;
        PlanLeaf l;
        l.ir = leaf;
        l.cost = LeafCost(leaf);
        if (!leaf.field.empty()) l.field = catalog_.Intern(leaf.field);
        l.fold = !leaf.cased;
        switch (leaf.op) {
            case Op::kEq:
                for (const std::string& v : leaf.values) {
                    l.needles.push_back(l.fold ? AsciiLowerCopy(v) : v);
                    if (auto num = ParseNumber(v)) l.numeric_needles.push_back(*num);
                }
                if (l.needles.size() > 4 && l.fold) {
                    l.use_set = true;
                    for (const std::string& v : l.needles) l.set.Insert(v);
                }
                break;
            case Op::kPrefix:
            case Op::kSuffix:
            case Op::kContains:
                l.needles.push_back(l.fold ? AsciiLowerCopy(leaf.values[0]) : leaf.values[0]);
                break;
            case Op::kGlob:
                l.glob = ParseGlob(l.fold ? AsciiLowerCopy(leaf.values[0]) : leaf.values[0]);
                break;
            case Op::kRegex: {
                RE2::Options opt;
                opt.set_log_errors(false);
                std::string flags;
                if (leaf.regex_flags & kRegexIgnoreCase) flags += 'i';
                if (leaf.regex_flags & kRegexMultiLine) flags += 'm';
                if (leaf.regex_flags & kRegexDotAll) flags += 's';
                const std::string& pattern = leaf.values[0];
                const std::string full = flags.empty() ? pattern : "(?" + flags + ")" + pattern;
                l.re = std::make_unique<RE2>(full, opt);
                if (!l.re->ok()) {
                    error = "invalid regular expression '" + pattern + "': " + l.re->error();
                    return std::nullopt;
                }
                if ((leaf.regex_flags & kRegexIgnoreCase) == 0)
                    l.re_literal = RequiredLiteral(pattern);
                break;
            }
            case Op::kCidr: {
                auto net = ParseCidr(leaf.values[0]);
                if (!net) {
                    error = "invalid network '" + leaf.values[0] + "' for cidr";
                    return std::nullopt;
                }
                l.cidr = *net;
                break;
            }
            case Op::kFieldRef:
                l.ref_field = catalog_.Intern(leaf.values[0]);
                break;
            case Op::kNumber:
            case Op::kExists:
            case Op::kNull:
                break;
        }
        if (l.field == event::kNoField) {
            p_.has_keywords_ = true;
            p_.keyword_leaves_.push_back(static_cast<uint32_t>(p_.leaves_.size()));
        }
        p_.leaves_.push_back(std::move(l));
        const auto index = static_cast<uint32_t>(p_.leaves_.size() - 1);
        dedup_.emplace(key, index);
        return index;
    }

    Plan& p_;
    event::FieldCatalog& catalog_;
    std::map<std::string, uint32_t> dedup_;
    std::set<std::string> seen_patterns_;
    std::map<std::pair<std::string, bool>, size_t> patterns_per_field_;  // (field, regexes)
};

Plan Plan::Compile(const RuleSet& set, event::FieldCatalog& catalog,
                   std::vector<std::string>* errors) {
    Plan plan;
    PlanBuilder b(plan, catalog);
    for (const DetectionRule& rule : set.detections) b.CountPatterns(rule.condition);
    for (uint32_t d = 0; d < set.detections.size(); ++d) {
        const DetectionRule& rule = set.detections[d];
        std::string error;
        const size_t nodes_before = plan.nodes_.size();
        const size_t children_before = plan.children_.size();
        auto root = b.Emit(rule.condition, error);
        if (!root) {
            plan.nodes_.resize(nodes_before);
            plan.children_.resize(children_before);
            if (errors != nullptr) errors->push_back(rule.meta.title + ": " + error);
            continue;
        }
        PlanRule pr;
        pr.detection = d;
        pr.root = *root;
        const auto r = static_cast<uint32_t>(plan.rules_.size());
        if (auto key = ChooseIndex(rule.condition)) {
            pr.index_field = key->first;
            pr.index_values = key->second;
            auto it = std::find_if(plan.indexes_.begin(), plan.indexes_.end(),
                                   [&](const FieldIndex& x) { return x.path == key->first; });
            if (it == plan.indexes_.end()) {
                FieldIndex fi;
                fi.path = key->first;
                fi.field = catalog.Intern(key->first);
                plan.indexes_.push_back(std::move(fi));
                it = plan.indexes_.end() - 1;
            }
            for (const std::string& v : key->second) {
                const uint32_t k = it->keys.Insert(v);
                if (k >= it->rules.size()) it->rules.resize(k + 1);
                it->rules[k].push_back(r);
            }
        } else {
            plan.always_.push_back(r);
        }
        plan.rules_.push_back(std::move(pr));
    }
    b.BuildGroups();
    return plan;
}

namespace {

void NodeLines(const Plan& p, uint32_t node, int depth, std::string& out) {
    const PlanNode& n = p.nodes()[node];
    out.append(static_cast<size_t>(depth) * 2, ' ');
    switch (n.kind) {
        case Node::kTrue:
            out += "true\n";
            return;
        case Node::kFalse:
            out += "false\n";
            return;
        case Node::kLeaf: {
            const PlanLeaf& l = p.leaves()[n.a];
            out += "L" + std::to_string(n.a) + " " + LeafText(l.ir);
            if (l.group >= 0) out += "  [group " + std::to_string(l.group) + "]";
            out += '\n';
            return;
        }
        case Node::kNot:
            out += "not\n";
            NodeLines(p, n.a, depth + 1, out);
            return;
        case Node::kAnd:
        case Node::kOr:
            out += n.kind == Node::kAnd ? "and\n" : "or\n";
            for (uint32_t i = 0; i < n.n; ++i) {
                NodeLines(p, p.children()[n.a + i], depth + 1, out);
            }
            return;
    }
}

std::string JoinQuoted(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i != 0) out += ", ";
        AppendJsonString(out, v[i]);
    }
    return out;
}

}  // namespace

std::string Plan::Explain(uint32_t r, const RuleSet& set) const {
    const PlanRule& pr = rules_[r];
    const RuleMeta& m = set.detections[pr.detection].meta;
    std::string out = "rule " + m.rule_id() + " \"" + m.title + "\"\n";
    if (!pr.index_field.empty()) {
        out += "  index: " + pr.index_field + " in {" + JoinQuoted(pr.index_values) + "}\n";
    } else {
        out += "  index: every event\n";
    }
    NodeLines(*this, pr.root, 1, out);
    return out;
}

std::string Plan::Summary() const {
    size_t indexed = 0;
    for (const PlanRule& r : rules_) {
        if (!r.index_field.empty()) ++indexed;
    }
    return std::to_string(rules_.size()) + " rules (" + std::to_string(indexed) +
           " indexed by a field value, " + std::to_string(always_.size()) +
           " checked on every event), " + std::to_string(leaves_.size()) + " distinct leaves, " +
           std::to_string(groups_.size()) + " pattern databases" +
           (by_context_.rules == 0
                ? std::string()
                : ", " + std::to_string(by_context_.rules) + " reading only the event context");
}

}  // namespace tw::rules
