// `trailwarden simulate`: flag parsing, progress and summary; the work is in src/simulate.
#include "simulate/simulate.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/strings.h"
#include "core/time.h"
#include "simulate/scenarios.h"

namespace tw::cli {

namespace {

struct SimulateArgs {
    simulate::SimulateOptions o;
    std::vector<std::string> scenarios;
    std::string start;
    std::string regions;
    bool no_gzip = false;
    bool list = false;
    bool force = false;
    bool quiet = false;
    bool no_progress = false;
};

std::string Megabytes(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

int ListScenarios() {
    for (const auto& s : simulate::Scenarios()) {
        std::printf("%-26s %-7s %.*s\n", std::string(s.name).c_str(), std::string(s.label).c_str(),
                    static_cast<int>(s.summary.size()), s.summary.data());
    }
    return kExitOk;
}

int RunSimulateCommand(SimulateArgs& a) {
    namespace fs = std::filesystem;
    if (a.list) return ListScenarios();
    if (a.o.out_dir.empty()) return UsageError("simulate", "--out DIR is required");
    if (!a.start.empty()) {
        const auto t = ParseIsoTime(a.start);
        if (!t) return UsageError("simulate", "--start '" + a.start + "': expected a date");
        a.o.start = *t;
    }
    if (!a.regions.empty()) {
        a.o.regions.clear();
        for (std::string_view r : Split(a.regions, ',')) a.o.regions.emplace_back(Trim(r));
    }
    a.o.gzip = !a.no_gzip;
    a.o.scenarios.clear();
    bool none = false;
    for (const auto& s : a.scenarios) {
        if (s == "none") {
            none = true;
        } else if (s == "all") {
            for (const auto& info : simulate::Scenarios()) a.o.scenarios.emplace_back(info.name);
        } else {
            a.o.scenarios.push_back(s);
        }
    }
    if (a.scenarios.empty()) {
        for (const auto& info : simulate::Scenarios()) a.o.scenarios.emplace_back(info.name);
    } else if (none && !a.o.scenarios.empty()) {
        return UsageError("simulate", "--scenario none cannot be combined with scenarios");
    }
    const fs::path logs = fs::path(a.o.out_dir) / "AWSLogs";
    std::error_code ec;
    if (fs::exists(logs, ec)) {
        if (!a.force) {
            return UsageError("simulate", logs.string() +
                                              " already exists; choose another --out or pass "
                                              "--force to replace it");
        }
        fs::remove_all(logs, ec);
        fs::remove(fs::path(a.o.out_dir) / "labels.jsonl", ec);
    }

    simulate::SimulateProgress progress;
    std::atomic<bool> done{false};
    std::thread printer;
    const bool show = !a.quiet && !a.no_progress && StderrIsTty();
    if (show) {
        printer = std::thread([&] {
            while (!done.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
                const uint64_t total = progress.tasks_total.load();
                if (total == 0) continue;
                std::fprintf(stderr, "\rsimulate: %3.0f%%  %s events  %s  ",
                             100.0 * static_cast<double>(progress.tasks_done.load()) /
                                 static_cast<double>(total),
                             WithThousands(progress.events.load()).c_str(),
                             Megabytes(progress.bytes.load()).c_str());
            }
            std::fprintf(stderr, "\r%60s\r", "");
        });
    }
    auto stats = simulate::RunSimulate(a.o, &progress);
    done = true;
    if (printer.joinable()) printer.join();
    if (!stats) {
        if (stats.error().code == ErrorCode::kInvalidArgument) {
            return UsageError("simulate", stats.error().message);
        }
        std::fprintf(stderr, "trailwarden simulate: %s\n", stats.error().message.c_str());
        return kExitInputLost;
    }
    if (!a.quiet) {
        const auto& s = *stats;
        const double secs = std::max(s.seconds, 1e-9);
        std::fprintf(
            stderr,
            "simulate: %s files, %s events (%s labelled in labels.jsonl), %s accounts, "
            "%s JSON -> %s written in %.2f s: %s events/s, %.0f MB/s JSON on %u "
            "thread%s -> %s\n",
            WithThousands(s.files).c_str(), WithThousands(s.events).c_str(),
            WithThousands(s.labelled).c_str(), WithThousands(s.accounts).c_str(),
            Megabytes(s.bytes_json).c_str(), Megabytes(s.bytes_written).c_str(), s.seconds,
            WithThousands(static_cast<uint64_t>(static_cast<double>(s.events) / secs)).c_str(),
            static_cast<double>(s.bytes_json) / 1e6 / secs, s.threads, s.threads == 1 ? "" : "s",
            a.o.out_dir.c_str());
    }
    return kExitOk;
}

void RegisterSimulate(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<SimulateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "simulate",
        "Write a realistic synthetic organization trail with labelled attack scenarios");
    cmd->footer(
        "\nOUTPUT: DIR/AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz as\n"
        "CloudTrail delivers to S3 (one file per account, region and ~5 minutes), and\n"
        "DIR/labels.jsonl with one line per injected event (eventID, scenario, step, technique,\n"
        "actor, label). The same --seed gives byte-identical output.\n"
        "\nEXAMPLES:\n"
        "  trailwarden simulate --out /tmp/org --accounts 20 --days 3 \\\n"
        "      --scenario idp-takeover --scenario benign-admin\n"
        "  trailwarden simulate --out /tmp/bench --accounts 50 --days 7 --events-per-day 2000000 "
        "--scenario none\n"
        "  trailwarden simulate --list-scenarios\n");
    cmd->add_option("--out,-o", args->o.out_dir, "output directory")->type_name("DIR");
    cmd->add_option("--accounts", args->o.accounts,
                    "member accounts besides the management account (default 5)")
        ->type_name("N");
    cmd->add_option("--days", args->o.days, "days of activity (default 1)")->type_name("D");
    cmd->add_option("--events-per-day", args->o.events_per_day,
                    "events per day for the whole organization (default 50000)")
        ->type_name("E");
    cmd->add_option("--scenario,-s", args->scenarios,
                    "scenario to inject (repeatable; 'all' or 'none'; default all)")
        ->type_name("NAME")
        ->allow_extra_args(false);
    cmd->add_option("--seed", args->o.seed, "random seed (default 1)")->type_name("S");
    cmd->add_option("--start", args->start, "first day, UTC (default 2024-06-17)")
        ->type_name("DATE");
    cmd->add_option("--regions", args->regions,
                    "comma-separated regions (default us-east-1,us-west-2,eu-west-1,"
                    "ap-southeast-2)")
        ->type_name("a,b,c");
    cmd->add_option("--threads,-j", args->o.threads, "worker threads (default: all cores)")
        ->type_name("N");
    cmd->add_flag("--no-gzip", args->no_gzip, "write .json instead of .json.gz");
    cmd->add_flag("--label-background", args->o.label_background,
                  "label background records too (\"benign\"), so that score.py counts findings "
                  "on them as false positives");
    cmd->add_flag("--list-scenarios", args->list, "list the scenarios and exit");
    cmd->add_flag("--force", args->force, "replace DIR/AWSLogs and DIR/labels.jsonl if present");
    cmd->add_flag("--quiet,-q", args->quiet, "no summary on stderr");
    cmd->add_flag("--no-progress", args->no_progress, "no progress line, even on a terminal");
    cmd->callback([args, &run] { run = [args] { return RunSimulateCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(simulate, 90, RegisterSimulate);

}  // namespace tw::cli
