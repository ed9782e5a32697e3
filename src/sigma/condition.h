// The Sigma condition language, parsed into rule IR over the rule's search identifiers.
//
//   condition   := expr [ '|' aggregation ]          (the pipe form is legacy Sigma 1)
//   expr        := and_expr { 'or' and_expr }
//   and_expr    := not_expr { 'and' not_expr }
//   not_expr    := 'not' not_expr | primary
//   primary     := '(' expr ')' | quantifier 'of' target | IDENTIFIER
//   quantifier  := '1' | 'all' | 'any'
//   target      := 'them' | PATTERN                  (PATTERN: identifier with '*' wildcards)
//   aggregation := 'count' '(' [FIELD] ')' [ 'by' FIELD ] CMP NUMBER
//                | 'near' expr
//   CMP         := '>' | '>=' | '<' | '<=' | '==' | '='
//
// Keywords are case-insensitive. `them` and patterns skip identifiers starting with '_'.
// Precedence, least to most binding: or, and, not, 'x of', parentheses.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/ir.h"
#include "sigma/problems.h"

namespace tw::sigma {

using Selections = std::vector<std::pair<std::string, rules::Node>>;

// A legacy `| count() ...` or `| near ...` suffix.
struct Aggregation {
    enum Kind { kCount, kNear } kind = kCount;
    std::string count_field;  // count(FIELD): distinct values (value_count)
    std::string by_field;     // by FIELD
    rules::Cmp cmp = rules::Cmp::kGt;
    double value = 0;
    rules::Node near;  // kNear: the expression that must occur near the main one
};

struct ParsedCondition {
    rules::Node node;
    std::optional<Aggregation> aggregation;
};

// Parses `text` (found at `pos`, the position of its first character). Every problem is
// reported to `sink` with the column of the offending token; returns nullopt on error.
[[nodiscard]] std::optional<ParsedCondition> ParseCondition(std::string_view text,
                                                            const Selections& selections,
                                                            Position pos, ProblemSink& sink);

}  // namespace tw::sigma
