// Policy validator: checks a policy document (JSON text) against the grammar AWS accepts for
// service control policies and IAM identity (inline) policies, and against trailwarden's own
// safety rules, before any policy is written to disk.
//
// Checked (see docs/contain.md for the sources):
//   - valid JSON, one object, no duplicate keys;
//   - Version "2012-10-17"; one Statement (object or non-empty array of objects);
//   - statement elements: Sid (letters and digits, unique), Effect Allow|Deny (Deny only when
//     `deny_only`), exactly one of Action/NotAction, exactly one of Resource/NotResource,
//     Condition; no Principal/NotPrincipal (neither SCPs nor identity policies accept them);
//   - actions "*" or "service:Action"; in SCPs a wildcard only alone or at the end of the
//     action name (the long-standing SCP rule, accepted by every partition);
//   - condition operators from the IAM list (String*, Numeric*, Date*, Bool, BinaryEquals,
//     IpAddress/NotIpAddress, Arn*, Null) with the ...IfExists suffix (not on Null) and the
//     ForAllValues:/ForAnyValue: prefixes; keys "prefix:name"; values typed per operator;
//   - size: SCPs count every character (limit 5,120 by default), identity policies count the
//     characters outside white space;
//   - in an SCP, every deny-all statement (Action "*" or NotAction) exempts at least one
//     break-glass principal with a negated ARN/String operator on aws:PrincipalArn, and no
//     exemption value is a catch-all such as "arn:aws:iam::*:role/*".
//
// Thread-safety: stateless; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tw::response {

enum class PolicyKind {
    kServiceControlPolicy,  // AWS Organizations SCP
    kIdentityPolicy,        // IAM inline policy of a role or user
};

inline constexpr size_t kScpMaxCharacters = 5120;
inline constexpr size_t kRoleInlineMaxCharacters = 10240;
inline constexpr size_t kUserInlineMaxCharacters = 2048;

struct ValidationOptions {
    PolicyKind kind = PolicyKind::kServiceControlPolicy;
    size_t max_characters = kScpMaxCharacters;  // 0: no limit
    bool deny_only = true;                      // every statement must be Effect Deny
    bool require_break_glass = true;            // SCP deny-all statements need an exemption
};

struct PolicyIssue {
    std::string where;    // "Statement[0].Condition.ArnNotLike", or "" for the document
    std::string message;  // what is wrong
};

// Every problem found in `text`; empty when the policy is valid.
[[nodiscard]] std::vector<PolicyIssue> ValidatePolicy(std::string_view text,
                                                      const ValidationOptions& options);

// "where: message" lines joined with "; ".
[[nodiscard]] std::string FormatIssues(const std::vector<PolicyIssue>& issues);

// True when `op` is an IAM condition operator (with its prefixes and suffix).
[[nodiscard]] bool IsConditionOperator(std::string_view op);

// Characters counted against the size limit of `kind` (see above).
[[nodiscard]] size_t CountedCharacters(std::string_view text, PolicyKind kind);

}  // namespace tw::response
