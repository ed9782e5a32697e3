#include "identity/timeline.h"

#include <algorithm>
#include <mutex>

#include "core/strings.h"
#include "identity/closure.h"
#include "identity/graph.h"
#include "identity/timeline_rows.h"
#include "ingest/spool.h"

namespace tw::identity {

namespace {

// Pass 1 sink: feeds one FactCollector.
class FactSink final : public ingest::Sink {
  public:
    explicit FactSink(FactCollector* c) : c_(c) {}
    void BeginFile(uint32_t i) override { c_->BeginFile(i); }
    void OnEvent(const event::EventView& ev) override { c_->OnEvent(ev); }
    void EndFile(uint32_t i) override { c_->EndFile(i); }

  private:
    FactCollector* c_;
};

struct Pass2Fields {
    explicit Pass2Fields(event::FieldCatalog& c) : identity(c) { c.RequestWellKnown(); }
    IdentityFields identity;
};

// Pass 2 sink: keeps the events made with a credential of the closure.
class SelectSink final : public ingest::Sink {
  public:
    SelectSink(const Graph& g, const Closure& closure, const Pass2Fields& f, RowSet& out,
               uint16_t worker, bool full)
        : g_(g), closure_(closure), f_(f), out_(out), worker_(worker), full_(full) {}

    void OnEvent(const event::EventView& ev) override {
        const CredentialRef ref = CredentialRefOf(ev, f_.identity);
        const Candidates c = g_.CandidatesOf(ref, scratch_);
        NodeId node = kNoNode;
        if (c.primary != kNoNode && closure_.Contains(c.primary)) {
            node = c.primary;
        } else if (c.console != kNoNode && closure_.Contains(c.console)) {
            node = c.console;
        } else if (c.source_identity != kNoNode && closure_.Contains(c.source_identity)) {
            node = c.source_identity;
        } else if (c.provisioning != kNoNode && closure_.Contains(c.provisioning)) {
            node = c.provisioning;
        } else {
            node = closure_.IssuedBy(ev.Str(event::kEventId));
        }
        if (node == kNoNode) return;
        Row r;
        r.time = ref.time;
        r.node = node;
        r.worker = worker_;
        StringPool& p = out_.pool;
        r.f[Row::kEventId] = p.Intern(ev.Str(event::kEventId));
        r.f[Row::kEventName] = p.Intern(ev.Str(event::kEventName));
        r.f[Row::kEventSource] = p.Intern(ev.Str(event::kEventSource));
        r.f[Row::kAccount] = p.Intern(ev.account());
        r.f[Row::kRegion] = p.Intern(ev.Str(event::kAwsRegion));
        r.f[Row::kIp] = p.Intern(ref.ip);
        r.f[Row::kUserAgent] = p.Intern(ev.Str(event::kUserAgent));
        r.f[Row::kType] = p.Intern(ref.type);
        r.f[Row::kArn] = p.Intern(ev.actor_arn());
        r.f[Row::kKey] = p.Intern(ref.key);
        r.f[Row::kError] = p.Intern(ev.failed() ? ev.Text(event::kErrorCode) : std::string_view());
        if (const event::Value* ro = ev.First(event::kReadOnly)) {
            if (ro->type == event::ValueType::kBool) r.read_only = ro->number != 0 ? 1 : 0;
            if (ro->type == event::ValueType::kString) {
                r.read_only = EqualsFold(ro->text, "true") ? 1 : 0;
            }
        }
        if (full_) {
            r.raw = out_.raw.size();
            out_.raw.append(ev.raw());
            out_.raw.push_back('\n');
        }
        out_.rows.push_back(r);
    }

  private:
    const Graph& g_;
    const Closure& closure_;
    const Pass2Fields& f_;
    RowSet& out_;
    uint16_t worker_;
    bool full_;
    std::string scratch_;
};

}  // namespace

Result<TimelineStats> RunTimeline(std::vector<ingest::InputFile> files, const TimelineOptions& opt,
                                  const ingest::IngestOptions& ingest_options, std::FILE* out,
                                  std::FILE* log, Diagnostics& diag) {
    if (opt.actors.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "give at least one --actor");
    }
    TimelineStats stats;
    // Read twice: what cannot be (stdin, a pipe) is copied aside first.
    ingest::Spool spool;
    if (auto s = spool.Streams(files); !s) return std::unexpected(s.error());

    // Pass 1: the graph, from the whole input.
    std::vector<std::string> watch;
    for (const std::string& a : opt.actors) watch.emplace_back(Trim(a));
    event::FieldCatalog catalog1;
    catalog1.set_need_raw(false);
    GraphBuilder builder(catalog1, watch, opt.skip_files);
    ingest::IngestOptions opt1 = ingest_options;
    opt1.from.reset();
    opt1.to.reset();
    opt1.max_files_ahead = 0;
    stats.pass1 = ingest::RunIngest(
        files, catalog1, opt1,
        [&](unsigned) { return std::make_unique<FactSink>(builder.NewCollector()); }, diag);
    const Graph graph = builder.Build();
    stats.facts = builder.fact_count();
    stats.nodes = graph.node_count();
    stats.edges = graph.edge_count();
    stats.graph_bytes = graph.bytes();

    // The actor(s) and every credential derived from them.
    std::vector<NodeId> seeds;
    for (const ResolvedActor& r : ResolveActors(graph, opt.actors)) {
        if (!opt.quiet) {
            std::string line = "trailwarden timeline: actor '" + r.query + "'";
            if (r.nodes.empty()) {
                line += ": not found in the input\n";
            } else {
                line += " is";
                for (size_t i = 0; i < r.nodes.size() && i < 8; ++i) {
                    line += (i == 0 ? " " : ", ") + graph.Label(r.nodes[i]);
                }
                if (r.nodes.size() > 8) {
                    line += " and " + std::to_string(r.nodes.size() - 8) + " more";
                }
                line += "\n";
            }
            std::fputs(line.c_str(), log);
        }
        seeds.insert(seeds.end(), r.nodes.begin(), r.nodes.end());
    }
    stats.resolved = !seeds.empty();
    const Closure closure(graph, seeds, opt.depth);
    stats.closure = closure.nodes().size();

    // Pass 2: only the files that may hold an event of the closure.
    std::vector<ingest::InputFile> files2;
    if (stats.resolved) {
        if (opt.skip_files) {
            const std::vector<uint32_t> wanted = closure.Hashes();
            const FileFingerprints fps = builder.TakeFingerprints(files.size());
            for (size_t i = 0; i < files.size(); ++i) {
                if (fps.Meets(i, wanted)) files2.push_back(files[i]);
            }
        } else {
            files2 = files;
        }
    }
    std::vector<std::unique_ptr<RowSet>> sets;
    std::mutex mu;
    if (!files2.empty()) {
        event::FieldCatalog catalog2;
        catalog2.set_need_raw(opt.full);
        const Pass2Fields fields2(catalog2);
        ingest::IngestOptions opt2 = ingest_options;
        opt2.max_files_ahead = 0;
        Diagnostics quiet(nullptr);  // problems were reported by pass 1
        stats.pass2 = ingest::RunIngest(
            files2, catalog2, opt2,
            [&](unsigned) {
                std::lock_guard<std::mutex> lock(mu);
                sets.push_back(std::make_unique<RowSet>());
                return std::make_unique<SelectSink>(graph, closure, fields2, *sets.back(),
                                                    static_cast<uint16_t>(sets.size() - 1),
                                                    opt.full);
            },
            quiet);
    }

    // Time order, whatever the file order or thread count; the same event read twice (an
    // organization trail and an account trail) is printed once (same eventID and fields).
    std::vector<const Row*> rows;
    for (const auto& s : sets) {
        for (const Row& r : s->rows) rows.push_back(&r);
    }
    auto field = [&](const Row* r, Row::Field f) { return sets[r->worker]->pool.Get(r->f[f]); };
    std::sort(rows.begin(), rows.end(), [&](const Row* a, const Row* b) {
        if (a->time != b->time) return a->time < b->time;
        for (int f = 0; f < Row::kFieldCount; ++f) {
            const int c = field(a, Row::Field(f)).compare(field(b, Row::Field(f)));
            if (c != 0) return c < 0;
        }
        return a->node < b->node;
    });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [&](const Row* a, const Row* b) {
                               if (a->time != b->time || field(a, Row::kEventId).empty()) {
                                   return false;
                               }
                               for (int f = 0; f < Row::kFieldCount; ++f) {
                                   if (field(a, Row::Field(f)) != field(b, Row::Field(f))) {
                                       return false;
                                   }
                               }
                               return true;
                           }),
               rows.end());
    stats.events = rows.size();

    const TimelineView view{graph, closure, sets, rows, opt};
    RenderEvents(view, out);
    if (opt.format != TimelineFormat::kTable && !opt.quiet) RenderSummary(view, log);
    std::fflush(out);
    return stats;
}

}  // namespace tw::identity
