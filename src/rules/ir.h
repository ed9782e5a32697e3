// The rule IR: what a detection means, independent of Sigma's YAML and of how it is evaluated.
// A condition is a tree of And / Or / Not over leaves; a leaf compares the values of one field
// path (or, for keywords, every string value of the event) with one matcher.
//
// Field semantics shared by every leaf (see docs/sigma.md): a path may hold several values
// (it crosses an array, or ends at one); a leaf matches when ANY value matches. A field that
// holds an object or an array also offers its JSON text (so `contains` can search inside it).
// A missing field matches nothing except `null` and `exists: false`.
//
// Thread-safety: plain values; immutable once built.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tw::rules {

enum class Op : uint8_t {
    kEq,        // equal to one of `values` (a set)
    kPrefix,    // starts with values[0]
    kSuffix,    // ends with values[0]
    kContains,  // contains values[0]
    kGlob,      // canonical glob values[0] (see pattern.h)
    kRegex,     // RE2 regex values[0] with regex_flags
    kCidr,      // IP inside network values[0]
    kNumber,    // numeric comparison `cmp` with `number` (of a time part when time_part set)
    kFieldRef,  // equal to a value of field values[0]
    kExists,    // field present (any value, null included); `number` 0 means "absent"
    kNull,      // field missing or null
};

enum class Cmp : uint8_t { kEq, kLt, kLte, kGt, kGte };
enum class TimePart : uint8_t { kNone, kMinute, kHour, kDay, kWeek, kMonth, kYear };

inline constexpr uint8_t kRegexIgnoreCase = 1;
inline constexpr uint8_t kRegexMultiLine = 2;
inline constexpr uint8_t kRegexDotAll = 4;

struct Leaf {
    std::string field;  // dotted path; empty for a keyword leaf (any string value of the event)
    Op op = Op::kEq;
    bool cased = false;               // string compares are ASCII case-insensitive unless set
    std::vector<std::string> values;  // see Op; as written (not lowered)
    Cmp cmp = Cmp::kEq;
    TimePart time_part = TimePart::kNone;
    double number = 0;
    uint8_t regex_flags = 0;
};

struct Node {
    enum Kind : uint8_t { kAnd, kOr, kNot, kLeaf, kTrue, kFalse };
    Kind kind = kTrue;
    std::vector<Node> children;
    Leaf leaf;

    [[nodiscard]] static Node And(std::vector<Node> c) { return {kAnd, std::move(c), {}}; }
    [[nodiscard]] static Node Or(std::vector<Node> c) { return {kOr, std::move(c), {}}; }
    [[nodiscard]] static Node Not(Node c) { return {kNot, {std::move(c)}, {}}; }
    [[nodiscard]] static Node Of(Leaf l) { return {kLeaf, {}, std::move(l)}; }
    [[nodiscard]] static Node Const(bool v) { return {v ? kTrue : kFalse, {}, {}}; }
};

// Canonical one-line text of a leaf, e.g. `eventName in~ {"a", "b"}`; `~` marks folded case.
[[nodiscard]] std::string LeafText(const Leaf& leaf);

// Canonical indented text of a tree (two spaces per level), one node per line.
[[nodiscard]] std::string NodeText(const Node& node, int indent = 0);

// Simplifies a tree without changing its meaning: flattens nested And/Or, folds constants,
// removes double negation, merges Or-ed equality leaves of one field into one set and turns
// globs without wildcards (or with only a leading/trailing star) into Eq/Prefix/Suffix/Contains.
[[nodiscard]] Node Optimize(Node node);

}  // namespace tw::rules
