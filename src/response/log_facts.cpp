#include "response/log_facts.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "core/strings.h"
#include "event/field_catalog.h"
#include "ingest/discover.h"
#include "ingest/pipeline.h"

namespace tw::response {

namespace {

struct Match {
    uint32_t file = 0;
    uint64_t record = 0;
    std::string json;  // {"eventSource", "requestParameters", "responseElements"}
    std::string account;
    std::string event_name;
};

class MatchSink : public ingest::Sink {
  public:
    MatchSink(const std::unordered_set<std::string_view>& wanted, event::FieldId request,
              event::FieldId response)
        : wanted_(wanted), request_(request), response_(response) {}

    void OnEvent(const event::EventView& ev) override {
        ++events_;
        const std::string_view id = ev.Str(event::kEventId);
        if (id.empty() || !wanted_.contains(id) || ev.failed()) return;
        Match m;
        m.file = ev.file_index();
        m.record = ev.record_index();
        m.account = std::string(ev.account());
        m.event_name = std::string(ev.Str(event::kEventName));
        m.json = "{\"eventSource\":";
        AppendJsonString(m.json, ev.Str(event::kEventSource));
        for (auto [key, field] :
             {std::pair{"requestParameters", request_}, std::pair{"responseElements", response_}}) {
            const event::Value* v = ev.First(field);
            if (v == nullptr || v->type != event::ValueType::kObject) continue;
            m.json += ",\"";
            m.json += key;
            m.json += "\":";
            m.json += v->text;
        }
        m.json += '}';
        matches_.push_back(std::move(m));
    }

    std::vector<Match>& matches() { return matches_; }
    [[nodiscard]] uint64_t events() const { return events_; }

  private:
    const std::unordered_set<std::string_view>& wanted_;
    event::FieldId request_, response_;
    std::vector<Match> matches_;
    uint64_t events_ = 0;
};

}  // namespace

Result<LogFactsStats> AddFactsFromLogs(const std::vector<std::string>& paths, unsigned threads,
                                       IncidentFacts& facts, Diagnostics& diag) {
    std::vector<ingest::InputFile> files = ingest::DiscoverInputs(paths, diag);
    if (files.empty()) {
        return MakeError(ErrorCode::kNotFound, "--logs: no CloudTrail input found");
    }
    const std::unordered_set<std::string_view> wanted(facts.event_ids.begin(),
                                                      facts.event_ids.end());
    event::FieldCatalog catalog;
    catalog.RequestWellKnown();
    const event::FieldId request = catalog.Intern("requestParameters");
    const event::FieldId response = catalog.Intern("responseElements");
    std::mutex mu;
    std::vector<Match> matches;
    uint64_t events = 0;

    // Each worker's sink hands its matches over when the pipeline destroys it.
    class OwnedSink : public MatchSink {
      public:
        OwnedSink(const std::unordered_set<std::string_view>& w, event::FieldId rq,
                  event::FieldId rs, std::mutex& mu, std::vector<Match>& out, uint64_t& events)
            : MatchSink(w, rq, rs), mu_(mu), out_(out), total_(events) {}
        ~OwnedSink() override {
            std::lock_guard<std::mutex> lock(mu_);
            for (Match& m : matches()) out_.push_back(std::move(m));
            total_ += this->events();
        }

      private:
        std::mutex& mu_;
        std::vector<Match>& out_;
        uint64_t& total_;
    };
    ingest::IngestOptions opt;
    opt.threads = threads;
    (void)ingest::RunIngest(
        files, catalog, opt,
        [&](unsigned) -> std::unique_ptr<ingest::Sink> {
            return std::make_unique<OwnedSink>(wanted, request, response, mu, matches, events);
        },
        diag);
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
        return a.file != b.file ? a.file < b.file : a.record < b.record;
    });
    for (const Match& m : matches) AddEventFacts(m.json, m.account, m.event_name, facts);
    facts.log_events += matches.size();
    return LogFactsStats{events, matches.size()};
}

}  // namespace tw::response
