#include "output/event_format.h"

#include <simdjson.h>

#include <cstring>

#include "core/strings.h"

namespace tw::output {

using event::Value;
using event::ValueType;

void AppendJsonOneLine(std::string& out, std::string_view json) {
    if (std::memchr(json.data(), '\n', json.size()) == nullptr &&
        std::memchr(json.data(), '\r', json.size()) == nullptr) {
        out.append(json);
        return;
    }
    const size_t at = out.size();
    out.resize(at + json.size() + simdjson::SIMDJSON_PADDING);
    size_t len = 0;
    if (simdjson::minify(json.data(), json.size(), out.data() + at, len) != simdjson::SUCCESS) {
        out.resize(at);
        for (char c : json) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
        return;
    }
    out.resize(at + len);
}

namespace {

void AppendOneJson(std::string& out, const Value& v) {
    switch (v.type) {
        case ValueType::kString:
            AppendJsonString(out, v.text);
            break;
        case ValueType::kNull:
            out.append("null");
            break;
        default:
            AppendJsonOneLine(out, v.text);
            break;
    }
}

// The values to show: the first alone unless the path crossed arrays.
std::span<const Value> Shown(std::span<const Value> values, bool& list) {
    list = false;
    if (values.empty() || !values[0].in_array) return values.first(values.empty() ? 0 : 1);
    list = true;
    return values;
}

}  // namespace

void AppendFieldJson(std::string& out, std::span<const Value> values) {
    bool list;
    auto shown = Shown(values, list);
    if (shown.empty()) {
        out.append("null");
        return;
    }
    if (!list) {
        AppendOneJson(out, shown[0]);
        return;
    }
    out.push_back('[');
    for (size_t i = 0; i < shown.size(); ++i) {
        if (i != 0) out.push_back(',');
        AppendOneJson(out, shown[i]);
    }
    out.push_back(']');
}

void AppendFieldText(std::string& out, std::span<const Value> values) {
    bool list;
    auto shown = Shown(values, list);
    for (size_t i = 0; i < shown.size(); ++i) {
        if (i != 0) out.push_back(',');
        if (shown[i].type == ValueType::kString) {
            out.append(shown[i].text);
        } else if (shown[i].type != ValueType::kNull) {
            AppendJsonOneLine(out, shown[i].text);
        }
    }
}

}  // namespace tw::output
