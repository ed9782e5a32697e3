// Small helpers over AWS ARNs and names, shared by the identity graph's files.
#pragma once

#include <string>
#include <string_view>

#include "core/strings.h"

namespace tw::identity {

// The text after the last '/' (the whole string when there is none).
[[nodiscard]] inline std::string_view AfterLastSlash(std::string_view s) {
    const size_t p = s.rfind('/');
    return p == std::string_view::npos ? s : s.substr(p + 1);
}

// Field `n` (0-based) of an ARN split on ':' ("arn:aws:iam::123:user/x", 4 -> "123").
[[nodiscard]] inline std::string_view ArnField(std::string_view arn, int n) {
    size_t start = 0;
    for (int i = 0; i < n; ++i) {
        const size_t p = arn.find(':', start);
        if (p == std::string_view::npos) return {};
        start = p + 1;
    }
    const size_t end = arn.find(':', start);
    return arn.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// The role name of "arn:aws:sts::1:assumed-role/ROLE/SESSION" ("" for other ARNs).
[[nodiscard]] inline std::string_view RoleOfSessionArn(std::string_view arn) {
    constexpr std::string_view kMarker = ":assumed-role/";
    const size_t p = arn.find(kMarker);
    if (p == std::string_view::npos) return {};
    std::string_view rest = arn.substr(p + kMarker.size());
    const size_t slash = rest.find('/');
    return slash == std::string_view::npos ? rest : rest.substr(0, slash);
}

inline void AppendLower(std::string& out, std::string_view s) {
    for (char c : s) out.push_back(AsciiLower(c));
}

}  // namespace tw::identity
