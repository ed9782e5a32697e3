#include "response/policy.h"

#include "core/strings.h"

namespace tw::response {

namespace {

// Appends JSON with optional indentation; `depth` is the current nesting level.
class Writer {
  public:
    explicit Writer(Layout layout) : pretty_(layout == Layout::kPretty) {}

    void Newline(int depth) {
        if (!pretty_) return;
        out_ += '\n';
        out_.append(static_cast<size_t>(depth) * 2, ' ');
    }
    void Key(std::string_view k) {
        AppendJsonString(out_, k);
        out_ += pretty_ ? ": " : ":";
    }
    void StringArray(const std::vector<std::string>& v, int depth) {
        out_ += '[';
        if (v.size() == 1) {
            AppendJsonString(out_, v[0]);
        } else {
            for (size_t i = 0; i < v.size(); ++i) {
                if (i != 0) out_ += ',';
                Newline(depth + 1);
                AppendJsonString(out_, v[i]);
            }
            if (!v.empty()) Newline(depth);
        }
        out_ += ']';
    }
    void Raw(std::string_view s) { out_ += s; }
    void String(std::string_view s) { AppendJsonString(out_, s); }
    std::string Take() { return std::move(out_); }
    bool pretty() const { return pretty_; }

  private:
    bool pretty_;
    std::string out_;
};

void WriteConditions(Writer& w, const std::vector<Condition>& conditions, int depth) {
    // Operators in order of first appearance; keys within an operator in order.
    std::vector<std::string_view> ops;
    for (const Condition& c : conditions) {
        bool seen = false;
        for (std::string_view o : ops) seen = seen || o == c.op;
        if (!seen) ops.push_back(c.op);
    }
    w.Raw("{");
    for (size_t i = 0; i < ops.size(); ++i) {
        if (i != 0) w.Raw(",");
        w.Newline(depth + 1);
        w.Key(ops[i]);
        w.Raw("{");
        bool first = true;
        for (const Condition& c : conditions) {
            if (c.op != ops[i]) continue;
            if (!first) w.Raw(",");
            first = false;
            w.Newline(depth + 2);
            w.Key(c.key);
            w.StringArray(c.values, depth + 2);
        }
        w.Newline(depth + 1);
        w.Raw("}");
    }
    w.Newline(depth);
    w.Raw("}");
}

void WriteStatement(Writer& w, const Statement& s, int depth) {
    w.Raw("{");
    bool first = true;
    auto field = [&](std::string_view key) {
        if (!first) w.Raw(",");
        first = false;
        w.Newline(depth + 1);
        w.Key(key);
    };
    if (!s.sid.empty()) {
        field("Sid");
        w.String(s.sid);
    }
    field("Effect");
    w.String(s.effect);
    field(s.not_action ? "NotAction" : "Action");
    w.StringArray(s.actions, depth + 1);
    field("Resource");
    w.StringArray(s.resources, depth + 1);
    if (!s.conditions.empty()) {
        field("Condition");
        WriteConditions(w, s.conditions, depth + 1);
    }
    w.Newline(depth);
    w.Raw("}");
}

}  // namespace

std::string RenderPolicy(const Policy& policy, Layout layout) {
    Writer w(layout);
    w.Raw("{");
    w.Newline(1);
    w.Key("Version");
    w.String(kPolicyVersion);
    w.Raw(",");
    w.Newline(1);
    w.Key("Statement");
    w.Raw("[");
    for (size_t i = 0; i < policy.statements.size(); ++i) {
        if (i != 0) w.Raw(",");
        w.Newline(2);
        WriteStatement(w, policy.statements[i], 2);
    }
    w.Newline(1);
    w.Raw("]");
    w.Newline(0);
    w.Raw("}");
    std::string out = w.Take();
    if (layout == Layout::kPretty) out += '\n';
    return out;
}

size_t PolicyCharacters(std::string_view text) {
    size_t n = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++n;  // count lead bytes only
    }
    return n;
}

}  // namespace tw::response
