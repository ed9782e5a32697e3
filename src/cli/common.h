// Shared plumbing of the subcommands: the input options every reading command has, the
// end-of-run summary, terminal detection and exit codes (see DESIGN.md):
//   0 success, 1 findings at or above --fail-on, 2 usage error, 3 some input could not be read.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "ingest/pipeline.h"

namespace tw::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInputLost = 3;

// Options of every command that reads CloudTrail.
struct InputOptions {
    std::vector<std::string> paths;
    unsigned threads = 0;
    std::string from, to;
    bool quiet = false;
    bool no_progress = false;
};

// Adds PATH... --threads [--from --to] --quiet --no-progress to `cmd`.
void AddInputOptions(CLI::App* cmd, InputOptions& in, bool time_range = true);

// Discovers the inputs and fills ingest options. Fails (usage error) on a bad time bound or
// when no input was given.
[[nodiscard]] Result<std::vector<ingest::InputFile>> PrepareInputs(const InputOptions& in,
                                                                   ingest::IngestOptions& opt,
                                                                   Diagnostics& diag);
// The first half of PrepareInputs: fills ingest options (time bounds, threads, progress), with
// the same failures; ingest::DiscoverInputs(in.paths, diag) is then the second half.
[[nodiscard]] Status PrepareIngestOptions(const InputOptions& in, ingest::IngestOptions& opt);

// "read 12 files (...), 1,234 events, ..." on stderr, unless quiet.
void PrintSummary(std::string_view command, const ingest::IngestStats& stats,
                  const Diagnostics& diag, const InputOptions& in);

// 3 when any input or record was lost, else `ok_code`.
[[nodiscard]] int InputExitCode(const Diagnostics& diag, int ok_code = kExitOk);

[[nodiscard]] bool StdoutIsTty();
[[nodiscard]] bool StderrIsTty();

// Opens -o FILE (or stdout for "" or "-"). Fails with a message naming the file.
[[nodiscard]] Result<std::FILE*> OpenOutput(const std::string& path);
void CloseOutput(std::FILE* f);

// A usage error: prints "trailwarden <command>: <message>" and returns kExitUsage.
int UsageError(std::string_view command, std::string_view message);

}  // namespace tw::cli
