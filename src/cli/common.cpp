#include "cli/common.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/strings.h"
#include "core/time.h"

namespace tw::cli {

void AddInputOptions(CLI::App* cmd, InputOptions& in, bool time_range) {
    cmd->add_option("paths", in.paths,
                    "CloudTrail files, directories (read recursively), globs, or - for stdin; "
                    "plain or gzip, any of the supported formats")
        ->required()
        ->type_name("PATH...");
    cmd->add_option("--threads,-j", in.threads, "worker threads (default: all cores)")
        ->type_name("N");
    if (time_range) {
        cmd->add_option("--from", in.from,
                        "only events at or after T (ISO 8601, epoch seconds, now, or 7d/36h "
                        "before now)")
            ->type_name("T");
        cmd->add_option("--to", in.to, "only events before T (same forms as --from)")
            ->type_name("T");
    }
    cmd->add_flag("--quiet,-q", in.quiet, "no summary on stderr (problems are still printed)");
    cmd->add_flag("--no-progress", in.no_progress, "no progress line, even on a terminal");
}

Result<std::vector<ingest::InputFile>> PrepareInputs(const InputOptions& in,
                                                     ingest::IngestOptions& opt,
                                                     Diagnostics& diag) {
    if (Status s = PrepareIngestOptions(in, opt); !s) return std::unexpected(s.error());
    return ingest::DiscoverInputs(in.paths, diag);
}

Status PrepareIngestOptions(const InputOptions& in, ingest::IngestOptions& opt) {
    const TimeMs now = NowMs();
    if (!in.from.empty()) {
        opt.from = ParseTimeBound(in.from, now);
        if (!opt.from) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "--from '" + in.from +
                                 "': expected ISO 8601, epoch seconds, now, "
                                 "or a duration like 7d");
        }
    }
    if (!in.to.empty()) {
        opt.to = ParseTimeBound(in.to, now);
        if (!opt.to) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "--to '" + in.to +
                                 "': expected ISO 8601, epoch seconds, now, "
                                 "or a duration like 7d");
        }
    }
    opt.threads = in.threads;
    opt.progress = !in.no_progress && !in.quiet && StderrIsTty();
    return {};
}

void PrintSummary(std::string_view command, const ingest::IngestStats& s, const Diagnostics& diag,
                  const InputOptions& in) {
    if (in.quiet) return;
    std::string line = "trailwarden ";
    line.append(command);
    line += ": ";
    line += WithThousands(s.files_total) + (s.files_total == 1 ? " file" : " files");
    if (s.files_skipped != 0) {
        line += " (" + WithThousands(s.files_skipped) + " skipped:";
        bool first = true;
        for (const auto& [reason, n] : s.skipped_by_reason) {
            line += first ? " " : ", ";
            first = false;
            line += WithThousands(n) + " " + reason;
        }
        line += ")";
    }
    line += ", " + WithThousands(s.events) + " events";
    if (s.events_filtered != 0) {
        line += " (" + WithThousands(s.events_filtered) + " more outside --from/--to)";
    }
    char rate[128];
    const double mb = static_cast<double>(s.bytes) / 1e6;
    std::snprintf(rate, sizeof rate, ", %.1f MB in %.2f s (%.0f MB/s, %u thread%s)", mb, s.seconds,
                  s.seconds > 0 ? mb / s.seconds : 0.0, s.threads, s.threads == 1 ? "" : "s");
    line += rate;
    if (s.records_skipped != 0 || diag.records_lost() != 0) {
        line += "; " + WithThousands(std::max(s.records_skipped, diag.records_lost())) +
                " records skipped";
    }
    const auto reasons = diag.reasons();
    if (diag.errors() != 0 && !reasons.empty()) {
        line += " [problems:";
        bool first = true;
        for (const auto& [reason, n] : reasons) {
            line += first ? " " : ", ";
            first = false;
            line += reason + " " + WithThousands(n);
        }
        line += "]";
    }
    line += '\n';
    std::fputs(line.c_str(), stderr);
}

int InputExitCode(const Diagnostics& diag, int ok_code) {
    return diag.files_lost() != 0 || diag.records_lost() != 0 ? kExitInputLost : ok_code;
}

bool StdoutIsTty() { return ::isatty(STDOUT_FILENO) == 1; }
bool StderrIsTty() { return ::isatty(STDERR_FILENO) == 1; }

Result<std::FILE*> OpenOutput(const std::string& path) {
    if (path.empty() || path == "-") return stdout;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        return MakeError(ErrorCode::kIoError, "cannot write " + path + ": " + std::strerror(errno));
    }
    return f;
}

void CloseOutput(std::FILE* f) {
    if (f != nullptr && f != stdout)
        std::fclose(f);
    else
        std::fflush(stdout);
}

int UsageError(std::string_view command, std::string_view message) {
    std::fprintf(stderr, "trailwarden %.*s: %.*s\n", static_cast<int>(command.size()),
                 command.data(), static_cast<int>(message.size()), message.data());
    return kExitUsage;
}

}  // namespace tw::cli
