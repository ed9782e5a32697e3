#include "ingest/pipeline.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/strings.h"
#include "ingest/buffer.h"
#include "ingest/format.h"
#include "ingest/reader.h"
#include "ingest/record_parser.h"
#include "ingest/splitter.h"

namespace tw::ingest {

namespace {

using Clock = std::chrono::steady_clock;

// Shared progress counters.
struct Progress {
    std::atomic<uint64_t> files_done{0};
    std::atomic<uint64_t> bytes{0};
    std::atomic<uint64_t> events{0};
};

// Per-worker adapter: time filter, counts, time span, then the user's sink.
class FilterHandler final : public EventHandler {
  public:
    FilterHandler(Sink& sink, const IngestOptions& opt) : sink_(sink), opt_(opt) {}
    void OnEvent(const event::EventView& ev) override {
        const TimeMs t = ev.time();
        if ((opt_.from && t < *opt_.from) || (opt_.to && t >= *opt_.to)) {
            ++filtered;
            return;
        }
        ++events;
        if (t != 0) {
            if (first == 0 || t < first) first = t;
            if (t > last) last = t;
        }
        sink_.OnEvent(ev);
    }
    uint64_t events = 0, filtered = 0;
    TimeMs first = 0, last = 0;

  private:
    Sink& sink_;
    const IngestOptions& opt_;
};

// Reads one file after another for one worker; owns the reused buffers.
class FileProcessor {
  public:
    FileProcessor(const event::FieldCatalog& catalog, const IngestOptions& opt, Diagnostics& diag)
        : parser_(catalog), opt_(opt), diag_(diag) {}

    // Returns a skip reason ("" when the file's events were read, fully or partly).
    std::string Process(const InputFile& file, uint32_t index, EventHandler& handler,
                        FileCounts& counts, uint64_t& raw_bytes, uint64_t& bytes) {
        ParseContext ctx;
        ctx.path = &file.path;
        ctx.file_index = index;
        ctx.diag = &diag_;
        ctx.handler = &handler;
        ctx.counts = &counts;
        ctx.stop = opt_.stop;
        std::string reason = ProcessInner(file, ctx);
        raw_bytes = reader_.raw_bytes();
        bytes = bytes_;
        reader_.Close();
        buf_.Clear();
        buf_.ShrinkIfAbove(2 * opt_.whole_file_limit);
        parser_.ShrinkIfAbove(2 * opt_.whole_file_limit);
        return reason;
    }

  private:
    std::string Fail(const InputFile& f, std::string_view reason, const std::string& msg,
                     bool hard = true) {
        if (hard) {
            diag_.FileError(f.path, {}, reason, msg);
        } else {
            diag_.Report({Severity::kWarning, Loss::kNone, f.path, {}, msg, std::string(reason)});
        }
        return std::string(reason);
    }

    std::string ProcessInner(const InputFile& file, ParseContext& ctx) {
        bytes_ = 0;
        if (auto s = reader_.Open(file.read_from.empty() ? file.path : file.read_from); !s)
            return Fail(file, "unreadable", s.error().message);
        // Read up to the whole-file limit; a gzip trailer tells the size in advance.
        size_t want = opt_.whole_file_limit + 1;
        if (!reader_.gzip() && reader_.file_size() != 0) {
            want = std::min<uint64_t>(want, reader_.file_size() + 1);
        } else if (reader_.gzip() && reader_.size_hint() != 0) {
            want = std::min<uint64_t>(want, reader_.size_hint() + 1);
        }
        buf_.Clear();
        std::optional<Error> read_error;
        bool eof = false;
        while (buf_.size() <= opt_.whole_file_limit) {
            auto got =
                reader_.Read(buf_, std::max<size_t>(want - std::min(want, buf_.size()), 1 << 16));
            if (!got) {
                read_error = got.error();
                break;
            }
            if (*got == 0) {
                eof = true;
                break;
            }
        }
        bytes_ = buf_.size();
        const Format format = SniffFormat(buf_.view().substr(0, 1 << 20));

        if (read_error) {
            // Keep what decoded before the fault: recover whole records from it.
            std::string msg = read_error->message;
            if (buf_.size() > 0 && IsEventFormat(format)) {
                Split(format, 0, ctx, /*streaming=*/false);
                msg += "; " + std::to_string(ctx.counts->records) +
                       " records before it were read, the rest of the file is lost";
            } else {
                msg += "; file skipped";
            }
            diag_.FileError(file.path, {}, "corrupt input", msg);
            return ctx.counts->records > 0 ? "" : "corrupt input";
        }
        switch (format) {
            case Format::kEmpty:
                return Fail(file, "empty file", "empty file: no CloudTrail records");
            case Format::kUnknown:
                return Fail(file, "not CloudTrail",
                            "not CloudTrail: the content is not JSON (skipped)", file.named);
            case Format::kDigest:
                return "CloudTrail digest";
            case Format::kInsight:
                return "CloudTrail Insights";
            default:
                break;
        }
        if (!eof) {
            if (format == Format::kLookupEvents || format == Format::kLakeResults) {
                return Fail(file, "too large",
                            std::string(FormatName(format)) + " larger than " +
                                std::to_string(opt_.whole_file_limit >> 20) +
                                " MiB is not supported; split it into smaller files");
            }
            Split(format, 0, ctx, /*streaming=*/true);
        } else {
            const size_t resume = parser_.ParseDocument(format, buf_, ctx);
            if (resume != std::string_view::npos && !ctx.stopped()) {
                Split(format, resume, ctx, /*streaming=*/false);
            }
        }
        if (ctx.not_cloudtrail) {
            return Fail(file, "not CloudTrail",
                        std::string("not CloudTrail: its ") + FormatName(format) +
                            " records have no eventTime, eventName or eventSource (skipped)",
                        file.named);
        }
        if (ctx.counts->records == 0 && ctx.counts->records_skipped == 0) {
            return Fail(file, "empty file", "no records in the file", false);
        }
        return "";
    }

    static bool IsEventFormat(Format f) {
        return f == Format::kRecords || f == Format::kArray || f == Format::kJsonLines ||
               f == Format::kConcatenated;
    }

    // Splits records out of buf_ from `pos` (a syntax-error recovery point, or the start) and
    // parses them one by one. When streaming, refills buf_ from the reader as it goes.
    void Split(Format format, size_t pos, ParseContext& ctx, bool streaming) {
        if (pos == 0) {
            if (format == Format::kRecords) {
                pos = FindRecordsArray(buf_.view().substr(0, 1 << 20));
            } else if (format == Format::kArray) {
                pos = buf_.view().find('[') + 1;
            }
        }
        splitter_.Reset();
        uint64_t base = 0;  // offset of buf_[0] in the decompressed input
        while (true) {
            size_t start = 0;
            size_t end;
            while ((end = splitter_.Next(buf_.view(), pos, &start)) != 0) {
                pos = end;
                if (ctx.recover_skip != 0) {
                    --ctx.recover_skip;
                    continue;
                }
                const std::string where = "record " + std::to_string(ctx.next_record + 1) +
                                          " at byte " + std::to_string(base + start);
                parser_.ParseOne(buf_.view().substr(start, end - start), where, ctx);
                if (ctx.stopped()) return;
            }
            if (splitter_.ended() || !streaming) break;
            // Drop what was consumed and read the next chunk.
            const size_t keep = splitter_.in_object() ? splitter_.object_start() : buf_.size();
            buf_.Consume(keep);
            splitter_.Rebase(keep);
            base += keep;
            pos = splitter_.resume();
            if (buf_.size() > opt_.max_record_size) {
                diag_.FileError(*ctx.path, "byte " + std::to_string(base), "record too large",
                                "a record is larger than " +
                                    std::to_string(opt_.max_record_size >> 20) +
                                    " MiB; the rest of the file is skipped");
                return;
            }
            auto got = reader_.Read(buf_, opt_.chunk_size);
            if (!got) {
                diag_.FileError(*ctx.path, {}, "corrupt input",
                                got.error().message + "; the rest of the file is lost");
                streaming = false;
                continue;  // split what was decoded before the fault
            }
            bytes_ += *got;
            if (*got == 0) break;
        }
        if (splitter_.in_object()) {
            ctx.counts->records_skipped++;
            diag_.RecordError(*ctx.path,
                              "record " + std::to_string(ctx.next_record + 1) + " at byte " +
                                  std::to_string(base + splitter_.object_start()),
                              "truncated record", "skipped: the input ends inside this record");
        }
    }

    RecordParser parser_;
    InputReader reader_;
    PaddedBuffer buf_;
    ObjectSplitter splitter_;
    const IngestOptions& opt_;
    Diagnostics& diag_;
    uint64_t bytes_ = 0;
};

void PrintProgress(const Progress& p, uint64_t total_files, Clock::time_point start) {
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const double mb = static_cast<double>(p.bytes.load()) / 1e6;
    const double ev = static_cast<double>(p.events.load());
    std::fprintf(stderr, "\r\033[K[%llu/%llu files] %.0f MB, %.0f MB/s, %.2fM events/s",
                 static_cast<unsigned long long>(p.files_done.load()),
                 static_cast<unsigned long long>(total_files), mb, secs > 0 ? mb / secs : 0.0,
                 secs > 0 ? ev / secs / 1e6 : 0.0);
    std::fflush(stderr);
}

}  // namespace

unsigned EffectiveThreads(unsigned requested, size_t files) {
    unsigned n = requested;
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    if (files < n) n = static_cast<unsigned>(std::max<size_t>(files, 1));
    return n;
}

IngestStats RunIngest(const std::vector<InputFile>& files, event::FieldCatalog& catalog,
                      const IngestOptions& options, const SinkFactory& make_sink,
                      Diagnostics& diag) {
    catalog.Freeze();
    const auto start = Clock::now();
    IngestStats total;
    total.files_total = files.size();
    total.threads = EffectiveThreads(options.threads, files.size());

    Progress progress;
    std::mutex mu;
    std::condition_variable cv;
    std::vector<bool> done(files.size(), false);
    size_t oldest_unfinished = 0;
    std::atomic<size_t> next{0};

    auto worker = [&](unsigned w) {
        std::unique_ptr<Sink> sink = make_sink(w);
        FileProcessor proc(catalog, options, diag);
        FilterHandler handler(*sink, options);
        IngestStats local;
        while (true) {
            const size_t i = next.fetch_add(1);
            if (i >= files.size()) break;
            if (options.max_files_ahead != 0) {
                std::unique_lock<std::mutex> lock(mu);
                cv.wait(lock, [&] { return i < oldest_unfinished + options.max_files_ahead; });
            }
            const bool stopped = options.stop != nullptr && options.stop->load();
            sink->BeginFile(static_cast<uint32_t>(i));
            FileCounts counts;
            uint64_t raw = 0, bytes = 0;
            std::string reason;
            const uint64_t events_before = handler.events;
            if (!stopped) {
                reason =
                    proc.Process(files[i], static_cast<uint32_t>(i), handler, counts, raw, bytes);
            }
            sink->EndFile(static_cast<uint32_t>(i));
            if (!stopped) {
                if (reason.empty()) {
                    ++local.files_read;
                } else {
                    ++local.files_skipped;
                    ++local.skipped_by_reason[reason];
                }
            }
            local.records_skipped += counts.records_skipped;
            local.bytes_raw += raw;
            local.bytes += bytes;
            progress.files_done.fetch_add(1, std::memory_order_relaxed);
            progress.bytes.fetch_add(bytes, std::memory_order_relaxed);
            progress.events.fetch_add(handler.events - events_before, std::memory_order_relaxed);
            std::lock_guard<std::mutex> lock(mu);
            done[i] = true;
            while (oldest_unfinished < done.size() && done[oldest_unfinished]) ++oldest_unfinished;
            cv.notify_all();
        }
        sink.reset();  // flush before the totals are read
        std::lock_guard<std::mutex> lock(mu);
        total.files_read += local.files_read;
        total.files_skipped += local.files_skipped;
        for (const auto& [k, v] : local.skipped_by_reason) total.skipped_by_reason[k] += v;
        total.records_skipped += local.records_skipped;
        total.bytes_raw += local.bytes_raw;
        total.bytes += local.bytes;
        total.events += handler.events;
        total.events_filtered += handler.filtered;
        if (handler.first != 0 && (total.first_event == 0 || handler.first < total.first_event)) {
            total.first_event = handler.first;
        }
        total.last_event = std::max(total.last_event, handler.last);
    };

    std::atomic<bool> finished{false};
    std::thread reporter;
    if (options.progress) {
        reporter = std::thread([&] {
            while (!finished.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
                if (!finished.load()) PrintProgress(progress, files.size(), start);
            }
        });
    }
    if (total.threads <= 1) {
        worker(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned w = 0; w < total.threads; ++w) pool.emplace_back(worker, w);
        for (auto& t : pool) t.join();
    }
    finished.store(true);
    if (reporter.joinable()) {
        reporter.join();
        std::fprintf(stderr, "\r\033[K");
    }
    total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return total;
}

}  // namespace tw::ingest
