// Policy: the small model of an IAM/SCP policy document that trailwarden generates (Version
// 2012-10-17, a list of statements with Action/NotAction, Resource and Condition), and its
// JSON rendering, pretty for people or minified for the SCP size limit (AWS Organizations
// counts every character, white space included).
//
// Rendering is deterministic: statements, actions and condition operators keep the order in
// which they were added; every list is rendered as a JSON array.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tw::response {

inline constexpr std::string_view kPolicyVersion = "2012-10-17";

// One condition: operator (e.g. "ArnNotLike"), key (e.g. "aws:PrincipalArn"), values.
struct Condition {
    std::string op;
    std::string key;
    std::vector<std::string> values;
};

struct Statement {
    std::string sid;  // optional; letters and digits only
    std::string effect = "Deny";
    bool not_action = false;  // render the action list as NotAction
    std::vector<std::string> actions;
    std::vector<std::string> resources{"*"};
    std::vector<Condition> conditions;  // grouped by operator when rendered
};

struct Policy {
    std::vector<Statement> statements;
};

enum class Layout { kPretty, kMinified };

// The policy as JSON text (pretty: 2-space indent and a final newline; minified: no white
// space outside strings and no final newline).
[[nodiscard]] std::string RenderPolicy(const Policy& policy, Layout layout);

// Number of characters (Unicode code points) of `text`, the unit of the AWS size limits.
[[nodiscard]] size_t PolicyCharacters(std::string_view text);

}  // namespace tw::response
