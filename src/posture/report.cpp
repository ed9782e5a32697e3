#include "posture/report.h"

#include <algorithm>

#include "core/strings.h"

namespace tw::posture {

namespace {

std::string Joined(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const std::string& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

}  // namespace

bool ParseReportFormat(std::string_view s, ReportFormat& out) {
    if (s == "table") {
        out = ReportFormat::kTable;
    } else if (s == "jsonl") {
        out = ReportFormat::kJsonl;
    } else if (s == "json") {
        out = ReportFormat::kJson;
    } else if (s == "csv") {
        out = ReportFormat::kCsv;
    } else {
        return false;
    }
    return true;
}

std::string RenderReport(const std::vector<findings::Finding>& fs, ReportFormat format) {
    std::string out;
    switch (format) {
        case ReportFormat::kJsonl:
            for (const auto& f : fs) out += findings::ToJsonLine(f);
            break;
        case ReportFormat::kJson:
            out = "[";
            for (size_t i = 0; i < fs.size(); ++i) {
                std::string line = findings::ToJsonLine(fs[i]);
                line.pop_back();
                out += (i == 0 ? "\n" : ",\n") + line;
            }
            out += fs.empty() ? "]\n" : "\n]\n";
            break;
        case ReportFormat::kCsv:
            out = "severity,rule_id,title,accounts,regions,actor_arn,summary,source\n";
            for (const auto& f : fs) {
                const std::vector<std::string> cells = {findings::SeverityName(f.severity),
                                                        f.rule_id,
                                                        f.title,
                                                        Joined(f.accounts, " "),
                                                        Joined(f.regions, " "),
                                                        f.actor.arn,
                                                        f.summary,
                                                        f.source};
                for (size_t i = 0; i < cells.size(); ++i) {
                    if (i != 0) out += ',';
                    AppendCsvField(out, cells[i]);
                }
                out += '\n';
            }
            break;
        case ReportFormat::kTable: {
            if (fs.empty()) {
                out = "no findings\n";
                break;
            }
            size_t w_sev = 8, w_rule = 7, w_acct = 7;
            for (const auto& f : fs) {
                w_sev =
                    std::max(w_sev, std::string_view(findings::SeverityName(f.severity)).size());
                w_rule = std::max(w_rule, f.rule_id.size());
                w_acct = std::max(w_acct, Joined(f.accounts, ",").size());
            }
            auto row = [&](std::string_view a, std::string_view b, std::string_view c,
                           std::string_view d) {
                out.append(a);
                out.append(w_sev + 2 - a.size(), ' ');
                out.append(b);
                out.append(w_rule + 2 - b.size(), ' ');
                out.append(c);
                out.append(w_acct + 2 - c.size(), ' ');
                out.append(d);
                out += '\n';
            };
            row("SEVERITY", "RULE_ID", "ACCOUNT", "SUMMARY");
            for (const auto& f : fs) {
                row(findings::SeverityName(f.severity), f.rule_id, Joined(f.accounts, ","),
                    f.summary);
            }
            break;
        }
    }
    return out;
}

}  // namespace tw::posture
