// `trailwarden simulate`: writes a realistic synthetic organization trail — background
// activity of an AWS organization plus labelled attack and benign scenarios — exactly as
// CloudTrail delivers it to S3:
//
//   DIR/AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/
//       <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alphanumerics>.json.gz
//
// one file per account, region and 5-minute window that has events, and DIR/labels.jsonl
// with one line per injected event. The output is a pure function of the options: the same
// --seed gives byte-identical files whatever the thread count.
//
// Usage:
//   SimulateOptions o;
//   o.out_dir = "/tmp/org";
//   o.scenarios = {"idp-takeover", "benign-admin"};
//   auto stats = RunSimulate(o);  // stats->events, stats->files, ...
//
// Thread-safety: RunSimulate may be called from any thread; it runs its own workers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tw::simulate {

struct SimulateOptions {
    std::string out_dir;
    uint32_t accounts = 5;  // member accounts (the management account comes on top)
    uint32_t days = 1;
    uint64_t events_per_day = 50000;  // for the whole organization
    std::vector<std::string> scenarios;
    uint64_t seed = 1;
    TimeMs start = 1718582400000;  // 2024-06-17T00:00:00Z, a Monday
    std::vector<std::string> regions = {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"};
    bool gzip = true;
    int gzip_level = 1;    // libdeflate level
    unsigned threads = 0;  // 0: all cores
    // Also label every background record ("background", "benign") in labels.jsonl, so that
    // score.py counts findings on the background as false positives. The lines are kept in
    // memory until the end (about 300 bytes per event): meant for corpora up to a few million
    // events.
    bool label_background = false;
};

struct SimulateStats {
    uint64_t files = 0;
    uint64_t events = 0;      // records written
    uint64_t background = 0;  // of which background
    uint64_t labelled = 0;    // lines of labels.jsonl
    uint64_t bytes_json = 0;  // uncompressed JSON
    uint64_t bytes_written = 0;
    uint64_t accounts = 0;
    double plan_seconds = 0;
    double seconds = 0;  // whole run
    unsigned threads = 0;
};

// Progress of a run, read by a progress printer on another thread.
struct SimulateProgress {
    std::atomic<uint64_t> tasks_total{0}, tasks_done{0}, events{0}, bytes{0};
};

// Writes the corpus described by `options`. Fails on bad options or when the output cannot
// be written (the message names the path).
[[nodiscard]] Result<SimulateStats> RunSimulate(const SimulateOptions& options,
                                                SimulateProgress* progress = nullptr);

// The S3 key of a delivery file, relative to the output directory.
[[nodiscard]] std::string DeliveryPath(std::string_view org_id, std::string_view account,
                                       std::string_view region, TimeMs stamp,
                                       std::string_view random16, bool gzip);

}  // namespace tw::simulate
