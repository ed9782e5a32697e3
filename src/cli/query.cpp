// `trailwarden query`: flag parsing only; the work is in src/query.
#include "query/query.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "core/strings.h"

namespace tw::cli {

namespace {

struct QueryArgs {
    InputOptions in;
    query::QueryOptions q;
    std::string format;
    std::string fields;
};

int RunQueryCommand(QueryArgs& a) {
    if (a.format.empty()) a.format = StdoutIsTty() ? "table" : "jsonl";
    if (a.format == "table")
        a.q.format = query::OutputFormat::kTable;
    else if (a.format == "jsonl")
        a.q.format = query::OutputFormat::kJsonl;
    else if (a.format == "csv")
        a.q.format = query::OutputFormat::kCsv;
    else
        return UsageError("query", "--format must be table, jsonl or csv");
    if (!a.fields.empty()) {
        for (std::string_view f : Split(a.fields, ',')) a.q.fields.emplace_back(Trim(f));
    }
    if (!a.q.count_by.empty() && !a.q.fields.empty()) {
        return UsageError("query", "--count-by and --fields cannot be combined");
    }
    Diagnostics diag;
    ingest::IngestOptions opt;
    auto files = PrepareInputs(a.in, opt, diag);
    if (!files) return UsageError("query", files.error().message);
    auto stats = query::RunQuery(*files, a.q, opt, stdout, diag);
    if (!stats) return UsageError("query", stats.error().message);
    PrintSummary("query", *stats, diag, a.in);
    return InputExitCode(diag);
}

void RegisterQuery(CLI::App& app, std::function<int()>& run) {
    // Shared with the CLI11 callback, which outlives this function.
    auto args = std::make_shared<QueryArgs>();
    CLI::App* cmd = app.add_subcommand(
        "query", "Filter, project and count CloudTrail events (like jq, CloudTrail-aware)");
    cmd->footer(
        "\nWHERE EXPRESSIONS (repeat --where to AND them):\n"
        "  field=value   field!=value   field~regex   field*=substring\n"
        "  field^=prefix field$=suffix  field?  (exists)  field in (a,b,c)\n"
        "  Fields are dotted paths (userIdentity.sessionContext.sessionIssuer.arn); a path\n"
        "  through an array matches when any element matches.\n"
        "\nEXAMPLES:\n"
        "  trailwarden query logs/ --where eventName=PutEventSelectors --format jsonl\n"
        "  trailwarden query logs/ --count-by eventName\n"
        "  trailwarden query logs/ --where 'eventSource=sso-directory.amazonaws.com' \\\n"
        "      --fields eventTime,eventName,requestParameters.identityStoreId\n"
        "  trailwarden query logs/ --where 'userIdentity.arn*=AWSReservedSSO' --from 2024-06-20 "
        "--count-by recipientAccountId\n");
    AddInputOptions(cmd, args->in);
    cmd->add_option("--where,-w", args->q.where, "condition on a field (repeatable, ANDed)")
        ->type_name("EXPR")
        ->allow_extra_args(false);
    cmd->add_flag("--ignore-case,-i", args->q.ignore_case,
                  "compare values ASCII case-insensitively");
    cmd->add_option("--fields,-f", args->fields, "comma-separated fields to print")
        ->type_name("a,b,c");
    cmd->add_option("--count-by,-c", args->q.count_by,
                    "print a histogram of FIELD (count descending, then value)")
        ->type_name("FIELD");
    cmd->add_option("--format", args->format,
                    "table, jsonl or csv (default: table on a terminal, else jsonl; jsonl "
                    "without --fields prints whole events)")
        ->type_name("FMT");
    cmd->add_option("--limit,-n", args->q.limit, "stop after N events")->type_name("N");
    cmd->callback([args, &run] { run = [args] { return RunQueryCommand(*args); }; });
}

}  // namespace

TW_REGISTER_COMMAND(query, 10, RegisterQuery);

}  // namespace tw::cli
