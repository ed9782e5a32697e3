// Where-expressions of `trailwarden query`: one condition on one field, parsed from the
// command line and evaluated against an EventView. Repeated --where are ANDed by the caller.
//
//   expr    := field op value | field "?" | field "in" "(" value { "," value } ")"
//   op      := "=" | "!=" | "~" (RE2 regex, partial match) | "*=" (contains)
//            | "^=" (starts with) | "$=" (ends with)
//   field   := dotted path, e.g. userIdentity.sessionContext.sessionIssuer.arn
//   value   := text to the end (quotes around it are removed)
//
// A field with several values (the path crossed an array) matches when any value matches;
// "!=" holds when no value equals. Numbers and booleans compare by their JSON text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "event/event_view.h"
#include "event/field_catalog.h"

namespace re2 {
class RE2;
}

namespace tw::query {

class Condition {
  public:
    enum class Op { kEq, kNe, kRegex, kContains, kPrefix, kSuffix, kExists, kIn };

    // Parses `expr`, interning its field in `catalog`. `fold_case`: compare ASCII
    // case-insensitively.
    [[nodiscard]] static Result<Condition> Parse(std::string_view expr,
                                                 event::FieldCatalog& catalog, bool fold_case);

    [[nodiscard]] bool Matches(const event::EventView& ev) const;

    [[nodiscard]] Op op() const { return op_; }
    [[nodiscard]] event::FieldId field() const { return field_; }
    [[nodiscard]] const std::vector<std::string>& values() const { return values_; }

  private:
    [[nodiscard]] bool MatchOne(std::string_view text) const;

    Op op_ = Op::kEq;
    event::FieldId field_ = event::kNoField;
    bool fold_ = false;
    std::vector<std::string> values_;  // lowered when fold_
    std::shared_ptr<re2::RE2> regex_;  // shared: Conditions are copied into each worker
};

}  // namespace tw::query
