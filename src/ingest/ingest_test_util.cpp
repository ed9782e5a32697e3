#include "ingest/ingest_test_util.h"

#include <algorithm>

namespace tw::ingest {

namespace {

class CollectSink final : public Sink {
  public:
    CollectSink(std::mutex& mu, std::vector<CollectedEvent>& out) : mu_(mu), out_(out) {}
    void OnEvent(const event::EventView& ev) override {
        std::lock_guard<std::mutex> lock(mu_);
        out_.push_back({ev.file_index(), ev.record_index(), std::string(ev.Str(event::kEventId)),
                        std::string(ev.Str(event::kEventName)), std::string(ev.raw())});
    }

  private:
    std::mutex& mu_;
    std::vector<CollectedEvent>& out_;
};

}  // namespace

IngestRun CollectEvents(const std::vector<std::string>& paths, IngestOptions options) {
    Diagnostics diag(nullptr);
    IngestRun run;
    const auto files = DiscoverInputs(paths, diag);
    event::FieldCatalog catalog;
    catalog.Request(event::kEventId);
    std::mutex mu;
    run.stats = RunIngest(
        files, catalog, options,
        [&](unsigned) { return std::make_unique<CollectSink>(mu, run.events); }, diag);
    std::sort(run.events.begin(), run.events.end(), [](const auto& a, const auto& b) {
        return a.file != b.file ? a.file < b.file : a.record < b.record;
    });
    run.problems = diag.all();
    return run;
}

}  // namespace tw::ingest
