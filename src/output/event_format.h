// Rendering of event fields for query and timeline output: one field's values as JSON, as
// plain text (tables, CSV), and a whole record as one JSON line.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "event/event_view.h"

namespace tw::output {

// Appends the values of one field as JSON: null when missing; the value itself when the path
// reached one value; an array of values when the path crossed arrays.
void AppendFieldJson(std::string& out, std::span<const event::Value> values);

// Appends the values as plain text: "" when missing, several values joined with ",".
void AppendFieldText(std::string& out, std::span<const event::Value> values);

// Appends JSON text on one line (pretty-printed input is minified).
void AppendJsonOneLine(std::string& out, std::string_view json);

}  // namespace tw::output
