// RunSimulate: plans the run, then writes every delivery file on a pool of workers (each
// file depends only on the plan and its own key, so the output is identical whatever the
// thread count) and writes labels.jsonl.
#include "simulate/simulate.h"

#include <libdeflate.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "simulate/api.h"
#include "simulate/background.h"
#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/scenarios.h"

namespace tw::simulate {

namespace fs = std::filesystem;

namespace {

bool ValidRegion(std::string_view r) {
    // "us-east-1", "ap-southeast-2", "us-gov-west-1": letters and dashes, then a digit.
    if (r.size() < 6 || r.size() > 20 || r.back() < '0' || r.back() > '9') return false;
    for (char ch : r) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
    }
    return r.find('-') != std::string_view::npos;
}

Status Validate(const SimulateOptions& o) {
    if (o.out_dir.empty()) return MakeError(ErrorCode::kInvalidArgument, "--out DIR is required");
    if (o.accounts < 1 || o.accounts > 2000) {
        return MakeError(ErrorCode::kInvalidArgument, "--accounts must be between 1 and 2000");
    }
    if (o.days < 1 || o.days > 366) {
        return MakeError(ErrorCode::kInvalidArgument, "--days must be between 1 and 366");
    }
    if (o.regions.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "--regions needs at least one region");
    }
    for (const auto& r : o.regions) {
        if (!ValidRegion(r)) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "--regions: '" + r + "' is not an AWS region name like us-east-1");
        }
    }
    for (const auto& s : o.scenarios) {
        if (FindScenario(s) == nullptr) {
            return MakeError(ErrorCode::kInvalidArgument,
                             "unknown scenario '" + s + "' (see --list-scenarios)");
        }
    }
    const auto chosen = [&](std::string_view name) {
        return std::find(o.scenarios.begin(), o.scenarios.end(), name) != o.scenarios.end();
    };
    if (chosen("idp-takeover") && chosen("idp-takeover-admin")) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "idp-takeover and idp-takeover-admin tell the same story; choose one");
    }
    if (o.gzip_level < 1 || o.gzip_level > 12) {
        return MakeError(ErrorCode::kInvalidArgument, "gzip level must be between 1 and 12");
    }
    return OkStatus();
}

void WriteLabels(const Plan& plan, JsonBuf& b) {
    b.Clear();
    for (const Label& l : plan.labels) {
        b.Add("{\"eventID\":");
        b.Esc(l.event_id);
        b.Add(",\"scenario\":");
        b.Esc(l.scenario);
        b.Add(",\"step\":");
        b.Esc(l.step);
        b.Add(",\"technique\":");
        b.Esc(l.technique);
        b.Add(",\"actor\":");
        b.Esc(l.actor);
        b.Add(",\"label\":");
        b.Esc(l.label);
        b.Add(",\"event\":");
        b.Esc(l.event);
        b.Add(",\"time\":");
        b.IsoTime(l.time);
        b.Add(",\"account\":");
        b.Esc(l.account);
        b.Add(",\"region\":");
        b.Esc(l.region);
        b.Add(",\"principal\":");
        b.Esc(l.principal);
        b.Add("}\n");
    }
}

Status WriteFile(const std::string& path, const char* data, size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        return MakeError(ErrorCode::kIoError, "cannot create " + path + ": " + strerror(errno));
    }
    const size_t written = size == 0 ? 0 : std::fwrite(data, 1, size, f);
    const bool ok = std::fclose(f) == 0 && written == size;
    if (!ok) return MakeError(ErrorCode::kIoError, "cannot write " + path);
    return OkStatus();
}

struct Shared {
    Shared(const Plan& p, const MixTable& m, const SimulateOptions& o, SimulateProgress* pr)
        : plan(p), mixes(m), options(o), progress(pr) {}
    const Plan& plan;
    const MixTable& mixes;
    const SimulateOptions& options;
    SimulateProgress* progress;
    std::atomic<uint64_t> next{0};
    uint64_t tasks = 0;
    std::mutex mu;
    SimulateStats totals;
    std::string error;  // first write error
    std::atomic<bool> failed{false};
    std::vector<std::string> background_labels;  // per task, when labelling the background
};

void Worker(Shared& sh) {
    const Plan& plan = sh.plan;
    const Org& org = plan.org;
    FileGenerator gen(plan, sh.mixes);
    JsonBuf json, labels;
    const bool label = sh.options.label_background;
    std::vector<char> packed;
    libdeflate_compressor* compressor =
        sh.options.gzip ? libdeflate_alloc_compressor(sh.options.gzip_level) : nullptr;
    std::string last_dir;
    SimulateStats local;
    const uint32_t regions = static_cast<uint32_t>(org.regions.size());
    const uint64_t per_slot = plan.windows;
    constexpr uint64_t kChunk = 32;
    while (!sh.failed.load(std::memory_order_relaxed)) {
        const uint64_t begin = sh.next.fetch_add(kChunk);
        if (begin >= sh.tasks) break;
        const uint64_t end = std::min(sh.tasks, begin + kChunk);
        uint64_t chunk_events = 0, chunk_bytes = 0;
        for (uint64_t task = begin; task < end; ++task) {
            const uint32_t slot = static_cast<uint32_t>(task / per_slot);
            const uint32_t window = static_cast<uint32_t>(task % per_slot);
            const uint32_t account = slot / regions, region = slot % regions;
            labels.Clear();
            const FileGenerator::Counts counts =
                gen.Generate(account, region, window, json, label ? &labels : nullptr);
            if (counts.total() == 0) continue;
            if (label) sh.background_labels[task].assign(labels.view());
            // Delivered a little after the window closes; a random name like S3 keys have.
            Rng name(Mix(plan.options.seed, HashName("name"), slot, window));
            const TimeMs stamp =
                plan.WindowStart(window) + kWindowMs + static_cast<TimeMs>(name.Below(90000));
            const std::string rel =
                DeliveryPath(org.org_id, org.accounts[account].id, org.regions[region], stamp,
                             RandomString(name, kAlnum, 16), sh.options.gzip);
            const fs::path path = fs::path(sh.options.out_dir) / rel;
            const std::string dir = path.parent_path().string();
            if (dir != last_dir) {
                std::error_code ec;
                fs::create_directories(dir, ec);
                if (ec) {
                    std::lock_guard lock(sh.mu);
                    if (sh.error.empty()) sh.error = "cannot create " + dir + ": " + ec.message();
                    sh.failed = true;
                    break;
                }
                last_dir = dir;
            }
            const char* data = json.data();
            size_t size = json.size();
            if (compressor != nullptr) {
                const size_t bound = libdeflate_gzip_compress_bound(compressor, size);
                if (packed.size() < bound) packed.resize(bound);
                size = libdeflate_gzip_compress(compressor, json.data(), json.size(), packed.data(),
                                                packed.size());
                data = packed.data();
            }
            if (auto st = WriteFile(path.string(), data, size); !st) {
                std::lock_guard lock(sh.mu);
                if (sh.error.empty()) sh.error = st.error().message;
                sh.failed = true;
                break;
            }
            ++local.files;
            local.events += counts.total();
            local.background += counts.background;
            local.bytes_json += json.size();
            local.bytes_written += size;
            chunk_events += counts.total();
            chunk_bytes += size;
        }
        if (sh.progress != nullptr) {
            sh.progress->tasks_done += end - begin;
            sh.progress->events += chunk_events;
            sh.progress->bytes += chunk_bytes;
        }
    }
    if (compressor != nullptr) libdeflate_free_compressor(compressor);
    std::lock_guard lock(sh.mu);
    sh.totals.files += local.files;
    sh.totals.events += local.events;
    sh.totals.background += local.background;
    sh.totals.bytes_json += local.bytes_json;
    sh.totals.bytes_written += local.bytes_written;
}

}  // namespace

std::string DeliveryPath(std::string_view org_id, std::string_view account, std::string_view region,
                         TimeMs stamp, std::string_view random16, bool gzip) {
    const Civil c = ToCivil(stamp);
    char date[16];
    std::snprintf(date, sizeof date, "%04d/%02u/%02u", c.year, c.month, c.day);
    std::string p = "AWSLogs/";
    p += org_id;
    p += '/';
    p += account;
    p += "/CloudTrail/";
    p += region;
    p += '/';
    p += date;
    p += '/';
    p += account;
    p += "_CloudTrail_";
    p += region;
    p += '_';
    p += FileStamp(stamp);
    p += '_';
    p += random16;
    p += gzip ? ".json.gz" : ".json";
    return p;
}

Result<SimulateStats> RunSimulate(const SimulateOptions& options, SimulateProgress* progress) {
    if (auto st = Validate(options); !st) return std::unexpected(st.error());
    const auto t_begin = std::chrono::steady_clock::now();

    OrgOptions org_options;
    org_options.member_accounts = options.accounts;
    org_options.regions = options.regions;
    PlanOptions plan_options;
    plan_options.seed = options.seed;
    plan_options.start = options.start - options.start % kDayMs;
    plan_options.days = options.days;
    plan_options.events_per_day = options.events_per_day;
    plan_options.scenarios = options.scenarios;
    Plan plan = NewPlan(org_options, plan_options);
    PrepareScenarios(plan);
    PlanPeople(plan);
    EmitScenarios(plan);
    FinishPlan(plan);
    const MixTable mixes;
    const auto t_planned = std::chrono::steady_clock::now();

    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec) {
        return MakeError(ErrorCode::kIoError,
                         "cannot create " + options.out_dir + ": " + ec.message());
    }
    JsonBuf labels;
    WriteLabels(plan, labels);
    const std::string labels_path = (fs::path(options.out_dir) / "labels.jsonl").string();
    if (auto st = WriteFile(labels_path, labels.data(), labels.size()); !st) {
        return std::unexpected(st.error());
    }

    Shared sh(plan, mixes, options, progress);
    sh.tasks = static_cast<uint64_t>(plan.slots()) * plan.windows;
    if (options.label_background) sh.background_labels.resize(sh.tasks);
    if (progress != nullptr) progress->tasks_total = sh.tasks;
    unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
    threads = std::clamp(threads, 1u, 256u);
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&sh] { Worker(sh); });
    Worker(sh);
    for (auto& t : pool) t.join();
    if (sh.failed) return MakeError(ErrorCode::kIoError, sh.error);
    uint64_t background_labels = 0;
    if (options.label_background) {
        std::FILE* f = std::fopen(labels_path.c_str(), "ab");
        bool ok = f != nullptr;
        for (const auto& lines : sh.background_labels) {
            if (!ok) break;
            ok = lines.empty() || std::fwrite(lines.data(), 1, lines.size(), f) == lines.size();
            background_labels +=
                static_cast<uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
        }
        if (f != nullptr && std::fclose(f) != 0) ok = false;
        if (!ok) return MakeError(ErrorCode::kIoError, "cannot write " + labels_path);
    }

    SimulateStats stats = sh.totals;
    stats.labelled = plan.labels.size() + background_labels;
    stats.accounts = plan.org.accounts.size();
    stats.threads = threads;
    const auto t_end = std::chrono::steady_clock::now();
    stats.plan_seconds = std::chrono::duration<double>(t_planned - t_begin).count();
    stats.seconds = std::chrono::duration<double>(t_end - t_begin).count();
    return stats;
}

}  // namespace tw::simulate
