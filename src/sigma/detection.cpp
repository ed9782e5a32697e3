#include "sigma/detection.h"

#include <set>

#include "core/strings.h"
#include "rules/pattern.h"

namespace tw::sigma {

using rules::Leaf;
using rules::Node;
using rules::Op;

Position PositionOf(const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    if (m.line < 0) return {};
    return {m.line + 1, m.column + 1};
}

std::string SigmaToGlob(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '\\') {
            const char next = i + 1 < v.size() ? v[i + 1] : '\0';
            if (next == '*' || next == '?' || next == '\\') {
                out.push_back('\\');
                out.push_back(next);
                ++i;
            } else {
                out += "\\\\";  // a lone backslash is literal
            }
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

const std::set<std::string, std::less<>> kModifiers = {
    "contains", "startswith", "endswith",     "all",     "re",      "i",        "m",     "s",
    "cidr",     "base64",     "base64offset", "utf16le", "utf16be", "utf16",    "wide",  "windash",
    "exists",   "lt",         "lte",          "gt",      "gte",     "fieldref", "cased", "expand",
    "neq",      "minute",     "hour",         "day",     "week",    "month",    "year"};

std::string Base64(std::string_view in) {
    static const char* kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    while (i + 2 < in.size()) {
        const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                           (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
        i += 3;
    }
    if (i + 1 == in.size()) {
        const uint32_t v = static_cast<uint8_t>(in[i]) << 16;
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        const uint32_t v =
            (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

// UTF-8 -> code points (invalid bytes pass through as themselves).
std::vector<uint32_t> CodePoints(std::string_view s) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<uint8_t>(s[i]);
        size_t n = b < 0x80             ? 1
                   : (b & 0xE0) == 0xC0 ? 2
                   : (b & 0xF0) == 0xE0 ? 3
                   : (b & 0xF8) == 0xF0 ? 4
                                        : 1;
        if (i + n > s.size()) n = 1;
        uint32_t cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
        for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string Utf16(std::string_view s, bool big_endian) {
    std::string out;
    auto unit = [&](uint32_t u) {
        const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        if (big_endian) {
            out += hi;
            out += lo;
        } else {
            out += lo;
            out += hi;
        }
    };
    for (uint32_t cp : CodePoints(s)) {
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            unit(0xDC00 + (cp & 0x3FF));
        } else {
            unit(cp);
        }
    }
    return out;
}

constexpr size_t kMaxAlternatives = 4096;

// Every windash variant of a canonical glob: each '-', '/', en dash, em dash and horizontal
// bar outside escapes is replaced by each of the five.
std::vector<std::string> Windash(const std::string& glob) {
    static const std::vector<std::string> kDashes = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94",
                                                     "\xE2\x80\x95"};
    std::vector<std::string> out = {""};
    for (size_t i = 0; i < glob.size();) {
        size_t len = 0;
        if (glob[i] == '\\' && i + 1 < glob.size()) {
            for (std::string& o : out) o.append(glob, i, 2);
            i += 2;
            continue;
        }
        for (const std::string& d : kDashes) {
            if (glob.compare(i, d.size(), d) == 0) len = d.size();
        }
        if (len == 0) {
            for (std::string& o : out) o.push_back(glob[i]);
            ++i;
            continue;
        }
        std::vector<std::string> next;
        for (const std::string& o : out) {
            for (const std::string& d : kDashes) next.push_back(o + d);
        }
        out = std::move(next);
        if (out.size() > kMaxAlternatives) return {};
        i += len;
    }
    return out;
}

// Replaces %name% placeholders (\% is a plain percent) by each of their values.
std::optional<std::vector<std::string>> Expand(const std::string& raw,
                                               const Placeholders& placeholders,
                                               std::string& missing) {
    std::vector<std::string> out = {""};
    for (size_t i = 0; i < raw.size();) {
        if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '%') {
            for (std::string& o : out) o.push_back('%');
            i += 2;
            continue;
        }
        if (raw[i] == '%') {
            const size_t end = raw.find('%', i + 1);
            if (end != std::string::npos) {
                const std::string name = raw.substr(i + 1, end - i - 1);
                auto it = placeholders.find(name);
                if (it == placeholders.end() || it->second.empty()) {
                    missing = name;
                    return std::nullopt;
                }
                std::vector<std::string> next;
                for (const std::string& o : out) {
                    for (const std::string& v : it->second) next.push_back(o + v);
                }
                out = std::move(next);
                i = end + 1;
                continue;
            }
        }
        for (std::string& o : out) o.push_back(raw[i]);
        ++i;
    }
    return out;
}

bool IsNullScalar(const YAML::Node& n) { return n.IsNull(); }

class FieldBuilder {
  public:
    FieldBuilder(const Placeholders& ph, ProblemSink& sink) : ph_(ph), sink_(sink) {}

    std::optional<Node> Build(const std::string& key, const YAML::Node& key_node,
                              const YAML::Node& value) {
        const Position kpos = PositionOf(key_node);
        std::vector<std::string_view> parts = Split(key, '|');
        field_ = std::string(Trim(parts[0]));
        mods_.clear();
        bool ok = true;
        for (size_t i = 1; i < parts.size(); ++i) {
            std::string m = AsciiLowerCopy(Trim(parts[i]));
            if (!kModifiers.contains(m)) {
                sink_.Error(kpos, "unknown modifier '" + m + "' in '" + key + "'");
                ok = false;
            }
            mods_.push_back(std::move(m));
        }
        if (!ok) return std::nullopt;
        auto has = [&](std::string_view m) {
            for (const std::string& x : mods_) {
                if (x == m) return true;
            }
            return false;
        };
        all_ = has("all");
        cased_ = has("cased");
        // Values.
        std::vector<YAML::Node> values;
        if (value.IsSequence()) {
            for (const YAML::Node& v : value) values.push_back(v);
            if (values.empty()) {
                sink_.Error(PositionOf(value), "empty list of values for '" + key + "'");
                return std::nullopt;
            }
        } else if (value.IsScalar() || value.IsNull()) {
            values.push_back(value);
        } else {
            sink_.Error(PositionOf(value),
                        "expected a value or a list of values for '" + key + "'");
            return std::nullopt;
        }
        if (all_ && values.size() == 1) {
            sink_.Warning(kpos, "'all' on a single value has no effect");
        }
        std::vector<Node> nodes;
        for (const YAML::Node& v : values) {
            if (!v.IsScalar() && !v.IsNull()) {
                sink_.Error(PositionOf(v), "expected a scalar value for '" + key + "'");
                return std::nullopt;
            }
            auto n = OneValue(key, v, has);
            if (!n) return std::nullopt;
            nodes.push_back(std::move(*n));
        }
        Node combined = nodes.size() == 1 ? std::move(nodes[0])
                        : all_            ? Node::And(std::move(nodes))
                                          : Node::Or(std::move(nodes));
        if (has("neq")) {
            Leaf exists;
            exists.field = field_;
            exists.op = Op::kExists;
            exists.number = 1;
            return Node::And({Node::Of(std::move(exists)), Node::Not(std::move(combined))});
        }
        return combined;
    }

  private:
    template <typename Has>
    std::optional<Node> OneValue(const std::string& key, const YAML::Node& v, Has has) {
        const Position pos = PositionOf(v);
        Leaf base;
        base.field = field_;
        base.cased = cased_;
        if (IsNullScalar(v) && !has("exists")) {
            base.op = Op::kNull;
            return Node::Of(std::move(base));
        }
        const std::string raw = v.IsNull() ? "" : v.Scalar();
        if (has("exists")) {
            const std::string b = AsciiLowerCopy(raw);
            if (b != "true" && b != "false") {
                sink_.Error(pos, "'exists' expects true or false, got '" + raw + "'");
                return std::nullopt;
            }
            base.op = Op::kExists;
            base.number = b == "true" ? 1 : 0;
            return Node::Of(std::move(base));
        }
        rules::TimePart part = rules::TimePart::kNone;
        for (auto [name, p] : {std::pair{"minute", rules::TimePart::kMinute},
                               {"hour", rules::TimePart::kHour},
                               {"day", rules::TimePart::kDay},
                               {"week", rules::TimePart::kWeek},
                               {"month", rules::TimePart::kMonth},
                               {"year", rules::TimePart::kYear}}) {
            if (has(name)) part = p;
        }
        const bool numeric = has("lt") || has("lte") || has("gt") || has("gte");
        if (numeric || part != rules::TimePart::kNone) {
            auto num = rules::ParseNumber(Trim(raw));
            if (!num) {
                sink_.Error(pos, "'" + key + "' expects a number, got '" + raw + "'");
                return std::nullopt;
            }
            base.op = Op::kNumber;
            base.number = *num;
            base.time_part = part;
            base.cmp = has("lt")    ? rules::Cmp::kLt
                       : has("lte") ? rules::Cmp::kLte
                       : has("gt")  ? rules::Cmp::kGt
                       : has("gte") ? rules::Cmp::kGte
                                    : rules::Cmp::kEq;
            return Node::Of(std::move(base));
        }
        if (has("re")) {
            base.op = Op::kRegex;
            base.values = {raw};
            if (has("i")) base.regex_flags |= rules::kRegexIgnoreCase;
            if (has("m")) base.regex_flags |= rules::kRegexMultiLine;
            if (has("s")) base.regex_flags |= rules::kRegexDotAll;
            return Node::Of(std::move(base));
        }
        for (const char* sub : {"i", "m", "s"}) {
            if (has(sub)) {
                sink_.Error(pos, std::string("modifier '") + sub + "' is only valid after 're'");
                return std::nullopt;
            }
        }
        if (has("cidr")) {
            if (!rules::ParseCidr(Trim(raw))) {
                sink_.Error(pos, "'" + raw + "' is not an IPv4 or IPv6 network");
                return std::nullopt;
            }
            base.op = Op::kCidr;
            base.values = {std::string(Trim(raw))};
            return Node::Of(std::move(base));
        }
        if (has("fieldref")) {
            base.op = Op::kFieldRef;
            base.values = {raw};
            return Node::Of(std::move(base));
        }
        // String pipeline: placeholders first (on the raw text), then the modifiers in order.
        std::vector<std::string> alts;
        if (has("expand")) {
            std::string missing;
            auto expanded = Expand(raw, ph_, missing);
            if (!expanded) {
                sink_.Error(pos, "placeholder %" + missing +
                                     "% has no value (give it with --placeholder " + missing +
                                     "=VALUE)");
                return std::nullopt;
            }
            for (const std::string& e : *expanded) alts.push_back(SigmaToGlob(e));
        } else {
            alts.push_back(SigmaToGlob(raw));
        }
        for (const std::string& m : mods_) {
            std::vector<std::string> next;
            for (const std::string& g : alts) {
                if (m == "contains" || m == "startswith" || m == "endswith") {
                    std::string w = g;
                    if (m != "startswith" && !w.starts_with('*')) w.insert(w.begin(), '*');
                    if (m != "endswith" && !(w.ends_with('*') && !w.ends_with("\\*"))) {
                        w.push_back('*');
                    }
                    next.push_back(std::move(w));
                } else if (m == "windash") {
                    auto w = Windash(g);
                    if (w.empty()) {
                        sink_.Error(pos, "windash: too many variants of '" + raw + "'");
                        return std::nullopt;
                    }
                    next.insert(next.end(), w.begin(), w.end());
                } else if (m == "base64" || m == "base64offset" || m == "utf16le" ||
                           m == "utf16be" || m == "utf16" || m == "wide") {
                    auto lit = rules::GlobLiteral(g);
                    if (!lit) {
                        sink_.Error(pos, "'" + m + "' cannot encode a value with wildcards ('" +
                                             raw + "')");
                        return std::nullopt;
                    }
                    if (m == "base64") {
                        next.push_back(rules::EscapeGlob(Base64(*lit)));
                    } else if (m == "base64offset") {
                        static const int kStart[3] = {0, 2, 3};
                        static const int kEnd[3] = {0, -3, -2};
                        for (int i = 0; i < 3; ++i) {
                            const std::string enc = Base64(std::string(i, ' ') + *lit);
                            const int end_cut = kEnd[(lit->size() + i) % 3];
                            const int len = static_cast<int>(enc.size()) + end_cut - kStart[i];
                            if (len <= 0) continue;
                            next.push_back(rules::EscapeGlob(enc.substr(kStart[i], len)));
                        }
                    } else if (m == "utf16be") {
                        next.push_back(rules::EscapeGlob(Utf16(*lit, true)));
                    } else if (m == "utf16") {
                        next.push_back(rules::EscapeGlob("\xFF\xFE" + Utf16(*lit, false)));
                    } else {
                        next.push_back(rules::EscapeGlob(Utf16(*lit, false)));
                    }
                } else {
                    next.push_back(g);
                }
            }
            alts = std::move(next);
        }
        std::vector<Node> nodes;
        for (std::string& g : alts) {
            Leaf l = base;
            l.op = Op::kGlob;
            l.values = {std::move(g)};
            nodes.push_back(Node::Of(std::move(l)));
        }
        return nodes.size() == 1 ? std::move(nodes[0]) : Node::Or(std::move(nodes));
    }

    const Placeholders& ph_;
    ProblemSink& sink_;
    std::string field_;
    std::vector<std::string> mods_;
    bool all_ = false;
    bool cased_ = false;
};

std::optional<Node> BuildMap(const YAML::Node& map, const Placeholders& ph, ProblemSink& sink) {
    std::vector<Node> parts;
    bool ok = true;
    FieldBuilder fb(ph, sink);
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) {
            sink.Error(PositionOf(kv.first), "expected a field name");
            ok = false;
            continue;
        }
        auto n = fb.Build(kv.first.Scalar(), kv.first, kv.second);
        if (!n) {
            ok = false;
            continue;
        }
        parts.push_back(std::move(*n));
    }
    if (!ok) return std::nullopt;
    if (parts.empty()) {
        sink.Error(PositionOf(map), "empty selection");
        return std::nullopt;
    }
    return parts.size() == 1 ? std::move(parts[0]) : Node::And(std::move(parts));
}

}  // namespace

std::optional<Node> BuildSearch(const YAML::Node& search, const Placeholders& ph,
                                ProblemSink& sink) {
    if (search.IsMap()) return BuildMap(search, ph, sink);
    if (search.IsSequence()) {
        std::vector<Node> alts;
        std::vector<YAML::Node> keywords;
        bool ok = true;
        for (const YAML::Node& item : search) {
            if (item.IsMap()) {
                auto n = BuildMap(item, ph, sink);
                if (n)
                    alts.push_back(std::move(*n));
                else
                    ok = false;
            } else if (item.IsScalar()) {
                keywords.push_back(item);
            } else {
                sink.Error(PositionOf(item), "expected a map or a keyword in the list");
                ok = false;
            }
        }
        if (!keywords.empty()) {
            FieldBuilder fb(ph, sink);
            YAML::Node list(YAML::NodeType::Sequence);
            for (const YAML::Node& k : keywords) list.push_back(k);
            auto n = fb.Build("", keywords[0], list);
            if (n)
                alts.push_back(std::move(*n));
            else
                ok = false;
        }
        if (!ok) return std::nullopt;
        if (alts.empty()) {
            sink.Error(PositionOf(search), "empty search identifier");
            return std::nullopt;
        }
        return alts.size() == 1 ? std::move(alts[0]) : Node::Or(std::move(alts));
    }
    if (search.IsScalar()) {
        FieldBuilder fb(ph, sink);
        return fb.Build("", search, search);
    }
    sink.Error(PositionOf(search), "expected a map, a list or a keyword");
    return std::nullopt;
}

}  // namespace tw::sigma
