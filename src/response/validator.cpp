#include "response/validator.h"

#include <simdjson.h>

#include <array>
#include <set>

#include "core/strings.h"
#include "core/time.h"
#include "response/policy.h"

namespace tw::response {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::array<std::string_view, 27> kBaseOperators = {
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
};

struct ParsedOperator {
    bool valid = false;
    std::string_view set_prefix;  // "ForAllValues" / "ForAnyValue" / ""
    std::string_view base;
    bool if_exists = false;
};

ParsedOperator ParseOperator(std::string_view op) {
    ParsedOperator p;
    for (std::string_view prefix :
         {std::string_view("ForAllValues:"), std::string_view("ForAnyValue:")}) {
        if (op.starts_with(prefix)) {
            p.set_prefix = prefix.substr(0, prefix.size() - 1);
            op.remove_prefix(prefix.size());
            break;
        }
    }
    constexpr std::string_view kIfExists = "IfExists";
    if (op.ends_with(kIfExists)) {
        p.if_exists = true;
        op.remove_suffix(kIfExists.size());
    }
    for (std::string_view b : kBaseOperators) {
        if (op == b) {
            p.base = b;
            p.valid = !(b == "Null" && (p.if_exists || !p.set_prefix.empty()));
            return p;
        }
    }
    return p;
}

bool IsServicePrefix(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-')) {
            return false;
        }
    }
    return true;
}

bool IsActionName(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '*' || c == '?' || c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

bool IsDateValue(std::string_view s) {
    if (s.empty()) return false;
    bool digits = true;
    for (char c : s) digits = digits && c >= '0' && c <= '9';
    if (digits) return true;  // epoch seconds
    return ParseIsoTime(s).has_value();
}

bool IsNumberText(std::string_view s) {
    if (s.empty()) return false;
    size_t i = (s[0] == '-') ? 1 : 0;
    bool any = false, dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9') {
            any = true;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    return any;
}

bool IsIpValue(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
              c == ':' || c == '.' || c == '/')) {
            return false;
        }
    }
    return true;
}

// "arn:partition:service:region:account:resource" split in six; false when not an ARN.
bool SplitArn(std::string_view arn, std::array<std::string_view, 6>& parts) {
    size_t start = 0;
    for (size_t i = 0; i < 5; ++i) {
        size_t colon = arn.find(':', start);
        if (colon == std::string_view::npos) return false;
        parts[i] = arn.substr(start, colon - start);
        start = colon + 1;
    }
    parts[5] = arn.substr(start);
    return parts[0] == "arn" && !parts[1].empty() && !parts[5].empty();
}

// True when an exemption value would exempt every principal of its kind ("*", "role/*").
bool IsCatchAll(std::string_view resource) {
    size_t slash = resource.find('/');
    std::string_view name = slash == std::string_view::npos ? resource : resource.substr(slash + 1);
    for (char c : name) {
        if (c != '*' && c != '?' && c != '/') return false;
    }
    return true;
}

class Checker {
  public:
    Checker(const ValidationOptions& o, std::vector<PolicyIssue>& issues)
        : opt_(o), issues_(issues) {}

    void Document(element root) {
        if (root.type() != element_type::OBJECT) {
            Issue("", "a policy must be one JSON object");
            return;
        }
        bool version = false, statement = false;
        const simdjson::dom::object top = root.get_object().value_unsafe();
        for (auto field : top) {
            const std::string_view k = field.key;
            if (!seen_top_.insert(std::string(k)).second) {
                Issue("", "duplicate key \"" + std::string(k) + "\"");
                continue;
            }
            if (k == "Version") {
                version = true;
                std::string_view v;
                if (field.value.get_string().get(v) || v != "2012-10-17") {
                    Issue("Version", "must be \"2012-10-17\"");
                }
            } else if (k == "Statement") {
                statement = true;
                Statements(field.value);
            } else if (k == "Id" && opt_.kind == PolicyKind::kIdentityPolicy) {
                if (!field.value.is_string()) Issue("Id", "must be a string");
            } else {
                Issue("", "unsupported top-level element \"" + std::string(k) + "\"");
            }
        }
        if (!version) Issue("", "missing Version (must be \"2012-10-17\")");
        if (!statement) Issue("", "missing Statement");
    }

  private:
    void Issue(std::string where, std::string message) {
        issues_.push_back({std::move(where), std::move(message)});
    }

    void Statements(element v) {
        if (v.is_object()) {
            Statement(v, "Statement");
            return;
        }
        simdjson::dom::array arr;
        if (v.get_array().get(arr) || arr.size() == 0) {
            Issue("Statement", "must be an object or a non-empty array of objects");
            return;
        }
        size_t i = 0;
        for (element s : arr) {
            Statement(s, "Statement[" + std::to_string(i++) + "]");
        }
    }

    // Returns the strings of a string-or-array-of-strings element; reports other shapes.
    std::vector<std::string_view> StringList(element v, const std::string& where) {
        std::vector<std::string_view> out;
        std::string_view s;
        if (!v.get_string().get(s)) {
            out.push_back(s);
            return out;
        }
        simdjson::dom::array arr;
        if (v.get_array().get(arr) || arr.size() == 0) {
            Issue(where, "must be a string or a non-empty array of strings");
            return out;
        }
        for (element x : arr) {
            if (x.get_string().get(s)) {
                Issue(where, "every element must be a string");
                continue;
            }
            out.push_back(s);
        }
        return out;
    }

    void Statement(element st, const std::string& where) {
        if (!st.is_object()) {
            Issue(where, "a statement must be an object");
            return;
        }
        std::set<std::string> keys;
        std::string_view effect;
        bool has_action = false, has_not_action = false, has_resource = false,
             has_not_resource = false;
        std::vector<std::string_view> actions;
        element condition;
        bool has_condition = false;
        const simdjson::dom::object fields = st.get_object().value_unsafe();
        for (auto field : fields) {
            const std::string k(field.key);
            const std::string at = where + "." + k;
            if (!keys.insert(k).second) {
                Issue(where, "duplicate key \"" + k + "\"");
                continue;
            }
            if (k == "Sid") {
                std::string_view sid;
                if (field.value.get_string().get(sid)) {
                    Issue(at, "must be a string");
                    continue;
                }
                for (char c : sid) {
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9'))) {
                        Issue(at, "may contain only letters and digits");
                        break;
                    }
                }
                if (!sids_.insert(std::string(sid)).second) {
                    Issue(at, "duplicate Sid \"" + std::string(sid) + "\"");
                }
            } else if (k == "Effect") {
                if (field.value.get_string().get(effect) ||
                    (effect != "Allow" && effect != "Deny")) {
                    Issue(at, "must be \"Allow\" or \"Deny\"");
                } else if (opt_.deny_only && effect != "Deny") {
                    Issue(at, "must be \"Deny\" in a deny policy");
                }
            } else if (k == "Action" || k == "NotAction") {
                (k == "Action" ? has_action : has_not_action) = true;
                actions = StringList(field.value, at);
                for (std::string_view a : actions) Action(a, at);
            } else if (k == "Resource" || k == "NotResource") {
                (k == "Resource" ? has_resource : has_not_resource) = true;
                for (std::string_view r : StringList(field.value, at)) {
                    if (r != "*" && !r.starts_with("arn:")) {
                        Issue(at, "\"" + std::string(r) + "\" is neither \"*\" nor an ARN");
                    }
                }
            } else if (k == "Condition") {
                has_condition = true;
                condition = field.value;
                Conditions(field.value, at);
            } else if (k == "Principal" || k == "NotPrincipal") {
                Issue(at, opt_.kind == PolicyKind::kServiceControlPolicy
                              ? "not supported in a service control policy"
                              : "not supported in an identity-based policy");
            } else {
                Issue(at, "unknown statement element");
            }
        }
        if (effect.empty() && !keys.contains("Effect")) Issue(where, "missing Effect");
        if (has_action == has_not_action) Issue(where, "needs exactly one of Action or NotAction");
        if (has_resource && has_not_resource) {
            Issue(where, "cannot have both Resource and NotResource");
        } else if (!has_resource && !has_not_resource) {
            Issue(where, "missing Resource");
        }
        if (opt_.kind == PolicyKind::kServiceControlPolicy && opt_.require_break_glass &&
            effect == "Deny") {
            bool deny_all = has_not_action;
            for (std::string_view a : actions) deny_all = deny_all || a == "*";
            if (deny_all) BreakGlass(has_condition ? &condition : nullptr, where);
        }
    }

    void Action(std::string_view a, const std::string& at) {
        if (a == "*") return;
        const size_t colon = a.find(':');
        if (colon == std::string_view::npos || !IsServicePrefix(a.substr(0, colon)) ||
            !IsActionName(a.substr(colon + 1))) {
            Issue(at, "\"" + std::string(a) + "\" is not \"*\" or \"service:Action\"");
            return;
        }
        if (opt_.kind == PolicyKind::kServiceControlPolicy) {
            const std::string_view name = a.substr(colon + 1);
            const size_t wild = name.find_first_of("*?");
            if (wild != std::string_view::npos && wild != name.size() - 1) {
                Issue(at, "\"" + std::string(a) +
                              "\": in an SCP a wildcard may appear only alone or at the end");
            }
        }
    }

    void Conditions(element v, const std::string& at) {
        simdjson::dom::object ops;
        if (v.get_object().get(ops) || ops.size() == 0) {
            Issue(at, "must be a non-empty object of operators");
            return;
        }
        std::set<std::string> seen_ops;
        for (auto op_field : ops) {
            const std::string op(op_field.key);
            const std::string op_at = at + "." + op;
            if (!seen_ops.insert(op).second) Issue(at, "duplicate operator \"" + op + "\"");
            const ParsedOperator p = ParseOperator(op);
            if (!p.valid) Issue(op_at, "unknown condition operator \"" + op + "\"");
            simdjson::dom::object keys;
            if (op_field.value.get_object().get(keys) || keys.size() == 0) {
                Issue(op_at, "must be a non-empty object of condition keys");
                continue;
            }
            std::set<std::string> seen_keys;
            for (auto key_field : keys) {
                const std::string key(key_field.key);
                const std::string key_at = op_at + "." + key;
                if (!seen_keys.insert(AsciiLowerCopy(key)).second) {
                    Issue(op_at, "duplicate condition key \"" + key + "\"");
                }
                const size_t colon = key.find(':');
                if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) {
                    Issue(key_at, "a condition key has the form \"prefix:name\"");
                }
                if (p.valid) Values(key_field.value, p, key_at);
            }
        }
    }

    void Values(element v, const ParsedOperator& p, const std::string& at) {
        std::vector<element> values;
        simdjson::dom::array arr;
        if (!v.get_array().get(arr)) {
            if (arr.size() == 0) Issue(at, "needs at least one value");
            for (element x : arr) values.push_back(x);
        } else {
            values.push_back(v);
        }
        for (element x : values) {
            std::string text;
            std::string_view s;
            bool b;
            if (!x.get_string().get(s)) {
                text = std::string(s);
            } else if (!x.get_bool().get(b)) {
                text = b ? "true" : "false";
            } else if (x.is_number()) {
                text = simdjson::minify(x);
            } else {
                Issue(at, "values must be strings, numbers or booleans");
                continue;
            }
            const std::string_view base = p.base;
            if (base.starts_with("Date") && !IsDateValue(text)) {
                Issue(at, "\"" + text + "\" is not an ISO 8601 date-time or epoch seconds");
            } else if ((base == "Bool" || base == "Null") && text != "true" && text != "false") {
                Issue(at, "\"" + text + "\" must be \"true\" or \"false\"");
            } else if (base.starts_with("Numeric") && !IsNumberText(text)) {
                Issue(at, "\"" + text + "\" is not a number");
            } else if (base.ends_with("IpAddress") && !IsIpValue(text)) {
                Issue(at, "\"" + text + "\" is not an IP address or CIDR range");
            } else if (base.starts_with("Arn") && !text.starts_with("arn:") &&
                       text.find("${") == std::string::npos && text != "*") {
                Issue(at, "\"" + text + "\" is not an ARN");
            }
        }
    }

    void BreakGlass(const element* condition, const std::string& where) {
        const std::string msg =
            "a deny-all statement must exempt at least one break-glass principal "
            "(ArnNotLike on aws:PrincipalArn)";
        if (condition == nullptr) {
            Issue(where, msg);
            return;
        }
        simdjson::dom::object ops;
        if (condition->get_object().get(ops)) return;  // already reported
        bool found = false;
        for (auto op_field : ops) {
            const ParsedOperator p = ParseOperator(op_field.key);
            if (!p.valid || !p.set_prefix.empty()) continue;
            const std::string_view b = p.base;
            const bool negated = b == "ArnNotEquals" || b == "ArnNotLike" ||
                                 b == "StringNotEquals" || b == "StringNotLike" ||
                                 b == "StringNotEqualsIgnoreCase";
            if (!negated) continue;
            simdjson::dom::object keys;
            if (op_field.value.get_object().get(keys)) continue;
            for (auto key_field : keys) {
                if (!EqualsFold(key_field.key, "aws:PrincipalArn")) continue;
                const std::string at = where + ".Condition." + std::string(op_field.key) + "." +
                                       std::string(key_field.key);
                std::vector<std::string_view> values;
                std::string_view s;
                simdjson::dom::array arr;
                if (!key_field.value.get_string().get(s)) {
                    values.push_back(s);
                } else if (!key_field.value.get_array().get(arr)) {
                    for (element x : arr) {
                        if (!x.get_string().get(s)) values.push_back(s);
                    }
                }
                bool ok = !values.empty();
                for (std::string_view val : values) {
                    std::array<std::string_view, 6> parts;
                    if (!SplitArn(val, parts)) {
                        Issue(at, "break-glass exemption \"" + std::string(val) +
                                      "\" is not a principal ARN");
                        ok = false;
                    } else if (IsCatchAll(parts[5])) {
                        Issue(at, "break-glass exemption \"" + std::string(val) +
                                      "\" matches every principal and defeats the deny");
                        ok = false;
                    }
                }
                found = found || ok;
            }
        }
        if (!found) Issue(where, msg);
    }

    const ValidationOptions& opt_;
    std::vector<PolicyIssue>& issues_;
    std::set<std::string> seen_top_;
    std::set<std::string> sids_;
};

}  // namespace

bool IsConditionOperator(std::string_view op) { return ParseOperator(op).valid; }

size_t CountedCharacters(std::string_view text, PolicyKind kind) {
    if (kind == PolicyKind::kServiceControlPolicy) return PolicyCharacters(text);
    size_t n = 0;
    bool in_string = false, escape = false;
    for (unsigned char c : text) {
        if ((c & 0xC0) == 0x80) continue;
        if (in_string) {
            ++n;
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
            ++n;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            ++n;
        }
    }
    return n;
}

std::vector<PolicyIssue> ValidatePolicy(std::string_view text, const ValidationOptions& options) {
    std::vector<PolicyIssue> issues;
    simdjson::dom::parser parser;
    element root;
    if (auto e = parser.parse(text.data(), text.size()).get(root)) {
        issues.push_back({"", std::string("invalid JSON: ") + simdjson::error_message(e)});
        return issues;
    }
    Checker(options, issues).Document(root);
    const size_t chars = CountedCharacters(text, options.kind);
    if (options.max_characters != 0 && chars > options.max_characters) {
        issues.push_back({"", std::to_string(chars) + " characters, over the limit of " +
                                  std::to_string(options.max_characters)});
    }
    return issues;
}

std::string FormatIssues(const std::vector<PolicyIssue>& issues) {
    std::string out;
    for (const PolicyIssue& i : issues) {
        if (!out.empty()) out += "; ";
        if (!i.where.empty()) out += i.where + ": ";
        out += i.message;
    }
    return out;
}

}  // namespace tw::response
