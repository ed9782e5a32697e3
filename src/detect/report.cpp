#include "detect/report.h"

#include <array>

#include "core/strings.h"
#include "core/time.h"
#include "detect/summary.h"

namespace tw::detect {

using findings::Finding;
using findings::Severity;

namespace {

const char* Color(Severity s) {
    switch (s) {
        case Severity::kCritical:
            return "\033[1;37;41m";
        case Severity::kHigh:
            return "\033[1;31m";
        case Severity::kMedium:
            return "\033[1;33m";
        case Severity::kLow:
            return "\033[36m";
        case Severity::kInfo:
            return "\033[2m";
    }
    return "";
}

std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return out;
}

// "2024-06-18T01:25:00Z -> 01:59:10Z" (the date once when both ends share it).
std::string Span(TimeMs a, TimeMs b) {
    if (a == 0) return "(no time)";
    std::string from = FormatIsoTime(a), to = FormatIsoTime(b);
    if (a == b) return from;
    if (from.substr(0, 10) == to.substr(0, 10)) to = to.substr(11);
    return from + " -> " + to;
}

// Words of `text` wrapped at `width`, each line indented by `indent`.
void Wrap(std::string& out, std::string_view text, size_t indent, size_t width) {
    size_t col = indent;
    out.append(indent, ' ');
    bool first = true;
    for (std::string_view word : Split(text, ' ')) {
        if (word.empty()) continue;
        if (!first && col + 1 + word.size() > width) {
            out += '\n';
            out.append(indent, ' ');
            col = indent;
            first = true;
        }
        if (!first) {
            out += ' ';
            ++col;
        }
        out.append(word);
        col += word.size();
        first = false;
    }
    out += '\n';
}

std::string List(const std::vector<std::string>& v, size_t shown) {
    std::string out;
    for (size_t i = 0; i < v.size() && i < shown; ++i) {
        if (i != 0) out += ", ";
        out += v[i];
    }
    if (v.size() > shown) out += " (+" + std::to_string(v.size() - shown) + " more)";
    return out;
}

}  // namespace

std::string RenderTable(const ReportHeader& h, const std::vector<Finding>& findings,
                        const TableOptions& opt) {
    const char* bold = opt.color ? "\033[1m" : "";
    const char* reset = opt.color ? "\033[0m" : "";
    std::string out;
    const auto& s = h.stats;
    out += std::string(bold) + "trailwarden hunt" + reset + ": " + WithThousands(s.files_total) +
           (s.files_total == 1 ? " input file, " : " input files, ") + WithThousands(s.events) +
           " events";
    if (s.first_event != 0) out += ", " + Span(s.first_event, s.last_event);
    out += "\n  " + WithThousands(h.accounts) + (h.accounts == 1 ? " account, " : " accounts, ") +
           WithThousands(h.regions) + (h.regions == 1 ? " region; " : " regions; ") +
           std::to_string(h.rules) + " rules, " + std::to_string(h.correlations) +
           " correlations, " + std::to_string(h.detectors) + " behaviour detectors";
    if (h.learning_end != 0) out += " (learning until " + FormatIsoTime(h.learning_end) + ")";
    out += '\n';

    std::array<size_t, 5> counts{};
    for (const Finding& f : findings) ++counts[static_cast<int>(f.severity)];
    out += "  findings:";
    bool any = false;
    for (int sev = 4; sev >= 0; --sev) {
        if (counts[sev] == 0) continue;
        out += std::string(any ? ", " : " ") + std::to_string(counts[sev]) + " " +
               findings::SeverityName(static_cast<Severity>(sev));
        any = true;
    }
    out += any ? "\n" : " none\n";

    for (int sev = 4; sev >= 0; --sev) {
        const auto severity = static_cast<Severity>(sev);
        if (counts[sev] == 0) continue;
        const char* c = opt.color ? Color(severity) : "";
        out += "\n" + std::string(c) + Upper(findings::SeverityName(severity)) + reset + " (" +
               std::to_string(counts[sev]) + ")\n";
        if (severity == Severity::kInfo && !opt.list_info) {
            out += "  not listed: use --min-severity info to list them, or --format jsonl\n";
            continue;
        }
        for (const Finding& f : findings) {
            if (f.severity != severity) continue;
            out += "  " + Span(f.first_seen, f.last_seen) + "  " + bold + f.rule_id + reset + "  " +
                   std::to_string(f.event_ids.size()) +
                   (f.event_ids.size() == 1 ? " event\n" : " events\n");
            Wrap(out, f.summary.empty() ? f.title : f.summary, 4, opt.width);
            // The immediate actor, then the root of its chain when it is someone else
            // ("cloud-ops.support (PlatformRecovery in 1111)  root: sso-user/yuki").
            std::string who = ShortActor(f.actor.arn);
            if (!f.actor.root.empty() && f.actor.root != f.actor.arn) {
                const std::string_view root = f.actor.root;
                const std::string_view person = root.substr(root.find('/') + 1);
                if (who.empty()) {
                    who = f.actor.root;
                } else if (!std::string_view(who).starts_with(person)) {
                    who += "  root: " + f.actor.root;
                }
            }
            if (who.empty()) who = "-";
            out += "    actor: " + who;
            if (!f.accounts.empty()) out += "   accounts: " + List(f.accounts, 4);
            out += '\n';
        }
    }
    return out;
}

}  // namespace tw::detect
