#include "sigma/condition.h"

#include "core/strings.h"
#include "rules/pattern.h"

namespace tw::sigma {

using rules::Node;

namespace {

struct Token {
    enum Kind { kWord, kLParen, kRParen, kPipe, kCmp, kEnd } kind = kEnd;
    std::string text;
    size_t offset = 0;
};

bool WordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '*' || c == '-' || c == '.' || c == '?';
}

class Parser {
  public:
    Parser(std::string_view text, const Selections& sel, Position pos, ProblemSink& sink)
        : text_(text), sel_(sel), pos_(pos), sink_(sink) {}

    std::optional<ParsedCondition> Run() {
        if (!Tokenize()) return std::nullopt;
        ParsedCondition out;
        auto e = Expr();
        if (!e) return std::nullopt;
        out.node = std::move(*e);
        if (Peek().kind == Token::kPipe) {
            Next();
            auto agg = Aggregate();
            if (!agg) return std::nullopt;
            out.aggregation = std::move(*agg);
        }
        if (Peek().kind != Token::kEnd) return Fail(Peek(), "unexpected '" + Peek().text + "'");
        return out;
    }

  private:
    bool Tokenize() {
        size_t i = 0;
        while (i < text_.size()) {
            const char c = text_[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++i;
            } else if (c == '(' || c == ')' || c == '|') {
                tokens_.push_back({c == '('   ? Token::kLParen
                                   : c == ')' ? Token::kRParen
                                              : Token::kPipe,
                                   std::string(1, c), i});
                ++i;
            } else if (c == '>' || c == '<' || c == '=') {
                size_t j = i + 1;
                if (j < text_.size() && text_[j] == '=') ++j;
                tokens_.push_back({Token::kCmp, std::string(text_.substr(i, j - i)), i});
                i = j;
            } else if (WordChar(c)) {
                size_t j = i;
                while (j < text_.size() && WordChar(text_[j])) ++j;
                tokens_.push_back({Token::kWord, std::string(text_.substr(i, j - i)), i});
                i = j;
            } else {
                Fail(i, std::string("unexpected character '") + c + "' in condition");
                return false;
            }
        }
        tokens_.push_back({Token::kEnd, "end of condition", text_.size()});
        return true;
    }

    const Token& Peek() const { return tokens_[at_]; }
    const Token& Next() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
    bool IsWord(const Token& t, std::string_view w) const {
        return t.kind == Token::kWord && EqualsFold(t.text, w);
    }

    std::nullopt_t Fail(size_t offset, std::string message) {
        Position p = pos_;
        if (p.line != 0) p.column += static_cast<int>(offset);
        sink_.Error(p, "condition: " + message);
        return std::nullopt;
    }
    std::nullopt_t Fail(const Token& t, std::string message) { return Fail(t.offset, message); }

    std::optional<Node> Expr() {
        std::vector<Node> parts;
        auto first = AndExpr();
        if (!first) return std::nullopt;
        parts.push_back(std::move(*first));
        while (IsWord(Peek(), "or")) {
            Next();
            auto n = AndExpr();
            if (!n) return std::nullopt;
            parts.push_back(std::move(*n));
        }
        return parts.size() == 1 ? std::move(parts[0]) : Node::Or(std::move(parts));
    }

    std::optional<Node> AndExpr() {
        std::vector<Node> parts;
        auto first = NotExpr();
        if (!first) return std::nullopt;
        parts.push_back(std::move(*first));
        while (IsWord(Peek(), "and")) {
            Next();
            auto n = NotExpr();
            if (!n) return std::nullopt;
            parts.push_back(std::move(*n));
        }
        return parts.size() == 1 ? std::move(parts[0]) : Node::And(std::move(parts));
    }

    std::optional<Node> NotExpr() {
        if (IsWord(Peek(), "not")) {
            Next();
            auto n = NotExpr();
            if (!n) return std::nullopt;
            return Node::Not(std::move(*n));
        }
        return Primary();
    }

    std::optional<Node> Primary() {
        const Token& t = Peek();
        if (t.kind == Token::kLParen) {
            Next();
            auto e = Expr();
            if (!e) return std::nullopt;
            if (Peek().kind != Token::kRParen) return Fail(Peek(), "expected ')'");
            Next();
            return e;
        }
        if (t.kind != Token::kWord) return Fail(t, "expected a search identifier");
        const bool quantifier = t.text == "1" || IsWord(t, "all") || IsWord(t, "any");
        if (quantifier && at_ + 1 < tokens_.size() && IsWord(tokens_[at_ + 1], "of")) {
            const bool all = IsWord(t, "all");
            Next();
            Next();
            const Token& target = Next();
            if (target.kind != Token::kWord) return Fail(target, "expected 'them' or a pattern");
            std::vector<Node> parts;
            const bool them = IsWord(target, "them");
            const auto pattern = rules::ParseGlob(target.text);
            for (const auto& [name, node] : sel_) {
                if (them ? name.starts_with('_')
                         : !rules::GlobMatch(pattern, name, /*fold=*/false)) {
                    continue;
                }
                parts.push_back(node);
            }
            if (parts.empty()) {
                return Fail(target, "no search identifier matches '" + target.text + "'");
            }
            return all ? Node::And(std::move(parts)) : Node::Or(std::move(parts));
        }
        for (std::string_view kw : {"and", "or", "not", "of", "them"}) {
            if (IsWord(t, kw)) return Fail(t, "expected a search identifier, got '" + t.text + "'");
        }
        Next();
        for (const auto& [name, node] : sel_) {
            if (name == t.text) return node;
        }
        return Fail(t, "unknown search identifier '" + t.text + "'");
    }

    std::optional<Aggregation> Aggregate() {
        Aggregation a;
        const Token& t = Next();
        if (IsWord(t, "near")) {
            a.kind = Aggregation::kNear;
            auto e = Expr();
            if (!e) return std::nullopt;
            a.near = std::move(*e);
            return a;
        }
        if (!IsWord(t, "count")) return Fail(t, "expected count() or near after '|'");
        if (Next().kind != Token::kLParen) return Fail(t, "expected '(' after count");
        if (Peek().kind == Token::kWord) a.count_field = Next().text;
        if (Next().kind != Token::kRParen) return Fail(t, "expected ')' in count()");
        if (IsWord(Peek(), "by")) {
            Next();
            const Token& f = Next();
            if (f.kind != Token::kWord) return Fail(f, "expected a field after 'by'");
            a.by_field = f.text;
        }
        const Token& cmp = Next();
        if (cmp.kind != Token::kCmp) return Fail(cmp, "expected a comparison after count()");
        if (cmp.text == ">")
            a.cmp = rules::Cmp::kGt;
        else if (cmp.text == ">=")
            a.cmp = rules::Cmp::kGte;
        else if (cmp.text == "<")
            a.cmp = rules::Cmp::kLt;
        else if (cmp.text == "<=")
            a.cmp = rules::Cmp::kLte;
        else
            a.cmp = rules::Cmp::kEq;
        const Token& num = Next();
        auto v = rules::ParseNumber(num.text);
        if (num.kind != Token::kWord || !v) return Fail(num, "expected a number");
        a.value = *v;
        return a;
    }

    std::string_view text_;
    const Selections& sel_;
    Position pos_;
    ProblemSink& sink_;
    std::vector<Token> tokens_;
    size_t at_ = 0;
};

}  // namespace

std::optional<ParsedCondition> ParseCondition(std::string_view text, const Selections& selections,
                                              Position pos, ProblemSink& sink) {
    return Parser(text, selections, pos, sink).Run();
}

}  // namespace tw::sigma
