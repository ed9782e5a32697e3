#include "query/where.h"

#include <re2/re2.h>

#include "core/strings.h"

namespace tw::query {

using event::Value;
using event::ValueType;

namespace {

bool IsFieldChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == ':' || c == '@';
}

std::string Unquote(std::string_view v) {
    v = Trim(v);
    if (v.size() >= 2 &&
        ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
        v = v.substr(1, v.size() - 2);
    }
    return std::string(v);
}

}  // namespace

Result<Condition> Condition::Parse(std::string_view expr, event::FieldCatalog& catalog,
                                   bool fold_case) {
    expr = Trim(expr);
    size_t i = 0;
    while (i < expr.size() && IsFieldChar(expr[i])) ++i;
    // A field name may not end with the first character of an operator.
    std::string_view field = expr.substr(0, i);
    while (!field.empty() && (field.back() == '.' || field.back() == '-')) field.remove_suffix(1);
    i = field.size();
    if (field.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--where '" + std::string(expr) + "': expected a field name first");
    }
    Condition c;
    c.fold_ = fold_case;
    std::string_view rest = expr.substr(i);
    auto value_after = [&](size_t n) { return Unquote(rest.substr(n)); };
    std::string_view trimmed = Trim(rest);
    if (trimmed == "?") {
        c.op_ = Op::kExists;
    } else if (rest.starts_with("!=")) {
        c.op_ = Op::kNe;
        c.values_.push_back(value_after(2));
    } else if (rest.starts_with("*=")) {
        c.op_ = Op::kContains;
        c.values_.push_back(value_after(2));
    } else if (rest.starts_with("^=")) {
        c.op_ = Op::kPrefix;
        c.values_.push_back(value_after(2));
    } else if (rest.starts_with("$=")) {
        c.op_ = Op::kSuffix;
        c.values_.push_back(value_after(2));
    } else if (rest.starts_with("=")) {
        c.op_ = Op::kEq;
        c.values_.push_back(value_after(1));
    } else if (rest.starts_with("~")) {
        c.op_ = Op::kRegex;
        RE2::Options o;
        o.set_case_sensitive(!fold_case);
        o.set_log_errors(false);
        c.regex_ = std::make_shared<re2::RE2>(value_after(1), o);
        if (!c.regex_->ok()) {
            return MakeError(ErrorCode::kInvalidArgument, "--where '" + std::string(expr) +
                                                              "': bad regex: " + c.regex_->error());
        }
    } else if (trimmed.starts_with("in") && Trim(trimmed.substr(2)).starts_with("(") &&
               trimmed.ends_with(")")) {
        c.op_ = Op::kIn;
        std::string_view list = Trim(trimmed.substr(2));
        list = list.substr(1, list.size() - 2);
        for (std::string_view item : Split(list, ',')) c.values_.push_back(Unquote(item));
    } else {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--where '" + std::string(expr) +
                             "': expected one of = != ~ *= ^= $= ? or 'in (a,b)' after the "
                             "field name");
    }
    if (fold_case) {
        for (std::string& v : c.values_) v = AsciiLowerCopy(v);
    }
    c.field_ = catalog.Intern(field);
    return c;
}

bool Condition::MatchOne(std::string_view text) const {
    switch (op_) {
        case Op::kEq:
        case Op::kNe:
            return fold_ ? EqualsFold(text, values_[0]) : text == values_[0];
        case Op::kContains:
            return fold_ ? ContainsFold(text, values_[0])
                         : text.find(values_[0]) != std::string_view::npos;
        case Op::kPrefix:
            return fold_ ? StartsWithFold(text, values_[0]) : text.starts_with(values_[0]);
        case Op::kSuffix:
            return fold_ ? EndsWithFold(text, values_[0]) : text.ends_with(values_[0]);
        case Op::kRegex:
            return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex_);
        case Op::kIn:
            for (const std::string& v : values_) {
                if (fold_ ? EqualsFold(text, v) : text == v) return true;
            }
            return false;
        case Op::kExists:
            return true;
    }
    return false;
}

bool Condition::Matches(const event::EventView& ev) const {
    auto values = ev.Values(field_);
    if (op_ == Op::kExists) return !values.empty();
    bool any = false;
    for (const Value& v : values) {
        // Containers whose elements are listed after them are matched through the elements.
        if ((v.type == ValueType::kArray) && values.size() > 1) continue;
        if (MatchOne(v.text)) {
            any = true;
            break;
        }
    }
    return op_ == Op::kNe ? !any : any;
}

}  // namespace tw::query
