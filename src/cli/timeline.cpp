// `trailwarden timeline`: flag parsing only; the work is in src/identity.
#include "identity/timeline.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace tw::cli {

namespace {

struct TimelineArgs {
    InputOptions in;
    identity::TimelineOptions t;
    std::string format;
    std::string output;
    bool no_skip = false;
};

int RunTimelineCommand(TimelineArgs& a) {
    if (a.format.empty()) a.format = a.output.empty() && StdoutIsTty() ? "table" : "jsonl";
    if (a.format == "table")
        a.t.format = identity::TimelineFormat::kTable;
    else if (a.format == "jsonl")
        a.t.format = identity::TimelineFormat::kJsonl;
    else if (a.format == "csv")
        a.t.format = identity::TimelineFormat::kCsv;
    else if (a.format == "timesketch")
        a.t.format = identity::TimelineFormat::kTimesketch;
    else
        return UsageError("timeline", "--format must be table, jsonl, csv or timesketch");
    if (a.t.actors.empty()) return UsageError("timeline", "give at least one --actor");
    a.t.quiet = a.in.quiet;
    a.t.skip_files = !a.no_skip;
    Diagnostics diag;
    ingest::IngestOptions opt;
    auto files = PrepareInputs(a.in, opt, diag);
    if (!files) return UsageError("timeline", files.error().message);
    auto out = OpenOutput(a.output);
    if (!out) return UsageError("timeline", out.error().message);
    auto stats = identity::RunTimeline(std::move(*files), a.t, opt, *out, stderr, diag);
    CloseOutput(*out);
    if (!stats) return UsageError("timeline", stats.error().message);
    if (!a.in.quiet) {
        ingest::IngestStats s = stats->pass1;
        s.seconds += stats->pass2.seconds;
        PrintSummary("timeline", s, diag, a.in);
        std::fprintf(stderr,
                     "trailwarden timeline: graph of %llu credentials and %llu derivations "
                     "from %llu identity events; %llu derived from the actor; second pass read "
                     "%llu of %llu files; %llu events printed\n",
                     static_cast<unsigned long long>(stats->nodes),
                     static_cast<unsigned long long>(stats->edges),
                     static_cast<unsigned long long>(stats->facts),
                     static_cast<unsigned long long>(stats->closure),
                     static_cast<unsigned long long>(stats->pass2.files_total),
                     static_cast<unsigned long long>(stats->pass1.files_total),
                     static_cast<unsigned long long>(stats->events));
    }
    return InputExitCode(diag);
}

void RegisterTimeline(CLI::App& app, std::function<int()>& run) {
    // Shared with the CLI11 callback, which outlives this function.
    auto args = std::make_shared<TimelineArgs>();
    CLI::App* cmd = app.add_subcommand(
        "timeline",
        "Follow an actor through every credential it derived, across accounts, and print its "
        "events in time order");
    cmd->footer(
        "\nACTOR (repeat --actor to follow several):\n"
        "  an ARN (user, role, assumed-role session, federated user, root, identity provider),\n"
        "  an IAM user name, an access key id, an Identity Center user id or user name, a\n"
        "  federated user name, a role session name, a source identity, or a source IP.\n"
        "\nEXAMPLES:\n"
        "  trailwarden timeline logs/ --actor j.doe@example.com\n"
        "  trailwarden timeline logs/ --actor AKIAIOSFODNN7EXAMPLE --depth 2 --format table\n"
        "  trailwarden timeline logs/ --actor 203.0.113.7 --from 2024-06-20 -o actor.jsonl\n"
        "  trailwarden timeline logs/ --actor alice --format timesketch -o alice.jsonl\n");
    AddInputOptions(cmd, args->in);
    cmd->add_option("--actor,-a", args->t.actors, "who to follow (repeatable)")
        ->type_name("X")
        ->allow_extra_args(false);
    cmd->add_option("--depth", args->t.depth,
                    "follow at most N derivation steps from the actor (default: all)")
        ->type_name("N");
    cmd->add_option("--format", args->format,
                    "table, jsonl, csv or timesketch (default: table on a terminal, else jsonl)")
        ->type_name("FMT");
    cmd->add_option("--output,-o", args->output, "write the timeline to FILE")->type_name("FILE");
    cmd->add_flag("--full", args->t.full,
                  "jsonl: add each whole CloudTrail record as \"event\" (kept in memory)");
    cmd->add_flag("--no-skip", args->no_skip,
                  "read every file in the second pass (default: only files that may hold an "
                  "event of the actor)");
    cmd->callback([args, &run] { run = [args] { return RunTimelineCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(timeline, 30, RegisterTimeline);

}  // namespace tw::cli
