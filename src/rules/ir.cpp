#include "rules/ir.h"

#include <algorithm>
#include <cstdio>

#include "core/strings.h"
#include "rules/pattern.h"

namespace tw::rules {

namespace {

const char* OpName(const Leaf& l) {
    switch (l.op) {
        case Op::kEq:
            return l.values.size() == 1 ? "==" : "in";
        case Op::kPrefix:
            return "startswith";
        case Op::kSuffix:
            return "endswith";
        case Op::kContains:
            return "contains";
        case Op::kGlob:
            return "glob";
        case Op::kRegex:
            return "re";
        case Op::kCidr:
            return "cidr";
        case Op::kNumber:
            switch (l.cmp) {
                case Cmp::kEq:
                    return "=";
                case Cmp::kLt:
                    return "<";
                case Cmp::kLte:
                    return "<=";
                case Cmp::kGt:
                    return ">";
                case Cmp::kGte:
                    return ">=";
            }
            return "?";
        case Op::kFieldRef:
            return "==field";
        case Op::kExists:
            return l.number != 0 ? "exists" : "absent";
        case Op::kNull:
            return "is null";
    }
    return "?";
}

const char* TimePartName(TimePart p) {
    switch (p) {
        case TimePart::kMinute:
            return "minute";
        case TimePart::kHour:
            return "hour";
        case TimePart::kDay:
            return "day";
        case TimePart::kWeek:
            return "week";
        case TimePart::kMonth:
            return "month";
        case TimePart::kYear:
            return "year";
        case TimePart::kNone:
            break;
    }
    return "";
}

bool FoldsCase(const Leaf& l) {
    switch (l.op) {
        case Op::kEq:
        case Op::kPrefix:
        case Op::kSuffix:
        case Op::kContains:
        case Op::kGlob:
        case Op::kFieldRef:
            return !l.cased;
        default:
            return false;
    }
}

}  // namespace

std::string LeafText(const Leaf& l) {
    std::string out = l.field.empty() ? std::string("<keyword>") : l.field;
    if (l.time_part != TimePart::kNone) {
        out += '|';
        out += TimePartName(l.time_part);
    }
    out += ' ';
    out += OpName(l);
    if (FoldsCase(l)) out += '~';
    if (l.op == Op::kExists || l.op == Op::kNull) return out;
    out += ' ';
    if (l.op == Op::kNumber) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", l.number);
        return out + buf;
    }
    if (l.op == Op::kFieldRef) return out + l.values[0];
    const bool set = l.op == Op::kEq && l.values.size() != 1;
    if (set) out += '{';
    for (size_t i = 0; i < l.values.size(); ++i) {
        if (i != 0) out += ", ";
        AppendJsonString(out, l.values[i]);
    }
    if (set) out += '}';
    if (l.op == Op::kRegex && l.regex_flags != 0) {
        out += " /";
        if (l.regex_flags & kRegexIgnoreCase) out += 'i';
        if (l.regex_flags & kRegexMultiLine) out += 'm';
        if (l.regex_flags & kRegexDotAll) out += 's';
    }
    return out;
}

std::string NodeText(const Node& n, int indent) {
    std::string out(static_cast<size_t>(indent) * 2, ' ');
    switch (n.kind) {
        case Node::kTrue:
            return out + "true\n";
        case Node::kFalse:
            return out + "false\n";
        case Node::kLeaf:
            return out + LeafText(n.leaf) + "\n";
        case Node::kNot:
            out += "not\n";
            break;
        case Node::kAnd:
            out += "and\n";
            break;
        case Node::kOr:
            out += "or\n";
            break;
    }
    for (const Node& c : n.children) out += NodeText(c, indent + 1);
    return out;
}

namespace {

void NormalizeLeaf(Leaf& l) {
    if (l.op != Op::kGlob) return;
    const std::vector<GlobPiece> pieces = ParseGlob(l.values[0]);
    auto is = [&](size_t i, GlobPiece::Kind k) { return pieces[i].kind == k; };
    const size_t n = pieces.size();
    if (n == 0) {
        l.op = Op::kEq;
        l.values = {""};
    } else if (n == 1 && is(0, GlobPiece::kLiteral)) {
        l.op = Op::kEq;
        l.values = {pieces[0].text};
    } else if (n == 2 && is(0, GlobPiece::kLiteral) && is(1, GlobPiece::kStar)) {
        l.op = Op::kPrefix;
        l.values = {pieces[0].text};
    } else if (n == 2 && is(0, GlobPiece::kStar) && is(1, GlobPiece::kLiteral)) {
        l.op = Op::kSuffix;
        l.values = {pieces[1].text};
    } else if (n == 3 && is(0, GlobPiece::kStar) && is(1, GlobPiece::kLiteral) &&
               is(2, GlobPiece::kStar)) {
        l.op = Op::kContains;
        l.values = {pieces[1].text};
    }
}

bool SameKey(const std::string& a, const std::string& b, bool cased) {
    return cased ? a == b : EqualsFold(a, b);
}

// Merges Or-ed equality leaves of one field (same case rule) into the first of them.
void MergeEqualities(std::vector<Node>& children) {
    std::vector<Node> out;
    for (Node& c : children) {
        if (c.kind == Node::kLeaf && c.leaf.op == Op::kEq && c.leaf.time_part == TimePart::kNone) {
            auto it = std::find_if(out.begin(), out.end(), [&](const Node& o) {
                return o.kind == Node::kLeaf && o.leaf.op == Op::kEq &&
                       o.leaf.time_part == TimePart::kNone && o.leaf.field == c.leaf.field &&
                       o.leaf.cased == c.leaf.cased;
            });
            if (it != out.end()) {
                for (std::string& v : c.leaf.values) it->leaf.values.push_back(std::move(v));
                continue;
            }
        }
        out.push_back(std::move(c));
    }
    children = std::move(out);
}

void DedupValues(Leaf& l) {
    if (l.op != Op::kEq) return;
    std::vector<std::string> out;
    for (std::string& v : l.values) {
        bool seen = false;
        for (const std::string& o : out) seen = seen || SameKey(o, v, l.cased);
        if (!seen) out.push_back(std::move(v));
    }
    l.values = std::move(out);
}

}  // namespace

Node Optimize(Node n) {
    switch (n.kind) {
        case Node::kTrue:
        case Node::kFalse:
            return n;
        case Node::kLeaf:
            NormalizeLeaf(n.leaf);
            DedupValues(n.leaf);
            return n;
        case Node::kNot: {
            Node c = Optimize(std::move(n.children[0]));
            if (c.kind == Node::kTrue) return Node::Const(false);
            if (c.kind == Node::kFalse) return Node::Const(true);
            if (c.kind == Node::kNot) return std::move(c.children[0]);
            return Node::Not(std::move(c));
        }
        case Node::kAnd:
        case Node::kOr:
            break;
    }
    const bool is_and = n.kind == Node::kAnd;
    std::vector<Node> flat;
    for (Node& c : n.children) {
        Node o = Optimize(std::move(c));
        if (o.kind == n.kind) {
            for (Node& g : o.children) flat.push_back(std::move(g));
        } else if (o.kind == (is_and ? Node::kTrue : Node::kFalse)) {
            continue;  // identity element
        } else if (o.kind == (is_and ? Node::kFalse : Node::kTrue)) {
            return o;  // absorbing element
        } else {
            flat.push_back(std::move(o));
        }
    }
    if (!is_and) {
        MergeEqualities(flat);
        for (Node& c : flat) {
            if (c.kind == Node::kLeaf) DedupValues(c.leaf);
        }
    }
    if (flat.empty()) return Node::Const(is_and);
    if (flat.size() == 1) return std::move(flat[0]);
    return Node{n.kind, std::move(flat), {}};
}

}  // namespace tw::rules
