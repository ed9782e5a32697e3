// Test support: temporary directories and simulated corpora read back through the ingest.
#include "simulate/test_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/diagnostics.h"
#include "event/field_catalog.h"
#include "ingest/discover.h"

namespace tw::simulate::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr ? tmp : "/tmp") + "/tw-sim-XXXXXX";
    char* made = mkdtemp(tmpl.data());
    path_ = made != nullptr ? std::string(made) : tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

const std::string& LabelLine::operator[](const std::string& k) const {
    static const std::string kEmpty;
    auto it = fields.find(k);
    return it == fields.end() ? kEmpty : it->second;
}

const Event* Corpus::Find(const std::string& event_id) const {
    auto it = by_id.find(event_id);
    return it == by_id.end() ? nullptr : &events[it->second];
}

std::string JsonAt(simdjson::dom::element doc, std::string_view dotted) {
    simdjson::dom::element cur = doc;
    size_t pos = 0;
    while (pos <= dotted.size()) {
        const size_t dot = dotted.find('.', pos);
        const std::string_view key =
            dotted.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
        simdjson::dom::object obj;
        if (cur.get_object().get(obj) != simdjson::SUCCESS) return "";
        if (obj[key].get(cur) != simdjson::SUCCESS) return "";
        if (dot == std::string_view::npos) break;
        pos = dot + 1;
    }
    std::string_view s;
    if (cur.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    return simdjson::minify(cur);
}

namespace {

class CollectSink : public ingest::Sink {
  public:
    CollectSink(std::mutex& mu, std::vector<Event>& out,
                const std::vector<ingest::InputFile>& files)
        : mu_(mu), out_(out), files_(files) {}
    void OnEvent(const event::EventView& ev) override {
        Event e;
        e.raw = std::string(ev.raw());
        e.path = files_[ev.file_index()].path;
        e.event_id = std::string(ev.Str(event::kEventId));
        e.name = std::string(ev.Str(event::kEventName));
        e.source = std::string(ev.Str(event::kEventSource));
        e.region = std::string(ev.Str(event::kAwsRegion));
        e.account = std::string(ev.Str(event::kRecipientAccountId));
        e.time = std::string(ev.Str(event::kEventTime));
        e.uid_type = std::string(ev.Str(event::kUidType));
        e.uid_arn = std::string(ev.Str(event::kUidArn));
        e.access_key = std::string(ev.Str(event::kUidAccessKeyId));
        e.error_code = std::string(ev.Str(event::kErrorCode));
        local_.push_back(std::move(e));
    }
    ~CollectSink() override {
        std::lock_guard lock(mu_);
        for (auto& e : local_) out_.push_back(std::move(e));
    }

  private:
    std::mutex& mu_;
    std::vector<Event>& out_;
    const std::vector<ingest::InputFile>& files_;
    std::vector<Event> local_;
};

}  // namespace

namespace {

// Reads `dir` (written by RunSimulate) back through the ingest.
Corpus Read(const SimulateStats& stats, const std::string& dir) {
    Corpus c;
    c.dir = dir;
    c.stats = stats;
    Diagnostics diag(nullptr);
    const auto files = ingest::DiscoverInputs({dir + "/AWSLogs"}, diag);
    event::FieldCatalog catalog;
    catalog.RequestWellKnown();
    ingest::IngestOptions opt;
    opt.threads = 2;
    std::mutex mu;
    c.ingest = ingest::RunIngest(
        files, catalog, opt,
        [&](unsigned) { return std::make_unique<CollectSink>(mu, c.events, files); }, diag);
    c.problems = diag.all().size();
    std::sort(c.events.begin(), c.events.end(), [](const Event& a, const Event& b) {
        return std::tie(a.time, a.event_id) < std::tie(b.time, b.event_id);
    });
    for (size_t i = 0; i < c.events.size(); ++i) c.by_id[c.events[i].event_id] = i;

    std::ifstream in(dir + "/labels.jsonl");
    std::string line;
    simdjson::dom::parser parser;
    while (std::getline(in, line)) {
        simdjson::dom::element doc;
        if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;
        simdjson::dom::object obj;
        if (doc.get_object().get(obj) != simdjson::SUCCESS) continue;
        LabelLine l;
        for (auto field : obj) {
            std::string_view v;
            if (field.value.get_string().get(v) == simdjson::SUCCESS) {
                l.fields[std::string(field.key)] = std::string(v);
            }
        }
        c.labels.push_back(std::move(l));
    }
    return c;
}

}  // namespace

Corpus SimulateAndRead(SimulateOptions options, const std::string& dir) {
    options.out_dir = dir;
    auto stats = RunSimulate(options);
    if (!stats) return Corpus{};
    return Read(*stats, dir);
}

const Corpus& SharedCorpus() {
    // Each test runs in its own process (gtest_discover_tests): the corpus is written once per
    // build of the test binary, next to it, and reused; concurrent writers produce the same
    // bytes and the first rename wins.
    static const Corpus corpus = [] {
        SimulateOptions o;
        o.accounts = 4;
        o.days = 2;
        o.events_per_day = 15000;
        o.seed = 7;
        o.threads = 2;
        o.regions = {"us-east-1", "eu-west-1"};
        o.scenarios = {"idp-takeover", "logging-tamper", "insider-return",
                       "social-engineering-change", "benign-admin"};
        std::error_code ec;
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        const auto stamp = fs::last_write_time(exe, ec).time_since_epoch().count();
        const std::string prefix = "simulate-test-corpus-";
        const fs::path dir =
            exe.parent_path() / (prefix + std::to_string(static_cast<uint64_t>(stamp)));
        const fs::path done = dir / "stats.txt";
        if (!fs::exists(done)) {
            for (const auto& entry : fs::directory_iterator(exe.parent_path(), ec)) {
                const std::string name = entry.path().filename().string();
                if (name.starts_with(prefix) && !name.starts_with(dir.filename().string())) {
                    fs::remove_all(entry.path(), ec);
                }
            }
            const fs::path tmp = dir.string() + ".tmp" + std::to_string(getpid());
            o.out_dir = tmp.string();
            auto stats = RunSimulate(o);
            if (!stats) return Corpus{};
            std::ofstream(tmp / "stats.txt")
                << stats->files << ' ' << stats->events << ' ' << stats->background << ' '
                << stats->labelled << ' ' << stats->bytes_json << ' ' << stats->bytes_written
                << '\n';
            fs::rename(tmp, dir, ec);
            if (ec) fs::remove_all(tmp, ec);
        }
        SimulateStats s;
        std::ifstream(done) >> s.files >> s.events >> s.background >> s.labelled >> s.bytes_json >>
            s.bytes_written;
        return Read(s, dir.string());
    }();
    return corpus;
}

std::map<std::string, std::string> ReadTree(const std::string& dir) {
    std::map<std::string, std::string> tree;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        tree[fs::relative(entry.path(), dir).string()] = ss.str();
    }
    return tree;
}

std::string SharedDir() {
    const std::string dir = TW_SHARED_DIR;
    return fs::exists(dir + "/corpus") ? dir : "";
}

}  // namespace tw::simulate::testing
