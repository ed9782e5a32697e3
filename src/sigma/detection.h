// Sigma search identifiers -> rule IR: maps are AND, lists are OR, lists of maps are OR of
// ANDs, scalars and lists of scalars are keywords; `field|mod1|mod2: value(s)` goes through the
// value modifiers in the order written (see docs/sigma.md for each modifier).
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/ir.h"
#include "sigma/problems.h"

namespace tw::sigma {

// Placeholder values for the `expand` modifier: name (without %) -> values.
using Placeholders = std::map<std::string, std::vector<std::string>>;

// Position of a YAML node (1-based).
[[nodiscard]] Position PositionOf(const YAML::Node& n);

// Turns a Sigma string (its escapes: \* \? \\, a backslash before anything else is literal)
// into the canonical glob of rules/pattern.h.
[[nodiscard]] std::string SigmaToGlob(std::string_view value);

// Builds the IR of one search identifier. Problems go to `sink`; nullopt on error.
[[nodiscard]] std::optional<rules::Node> BuildSearch(const YAML::Node& search,
                                                     const Placeholders& placeholders,
                                                     ProblemSink& sink);

}  // namespace tw::sigma
