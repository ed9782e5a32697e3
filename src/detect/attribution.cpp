#include "detect/attribution.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"
#include "identity/closure.h"

namespace tw::detect {

using findings::Finding;
using findings::Severity;
using identity::CredentialRef;
using identity::Graph;
using identity::NodeId;

namespace {

constexpr size_t kMaxEventsPerSeed = 20000;

// Pass 2: events made with a credential of the closure, by seed.
struct Selected {
    TimeMs time = 0;
    NodeId seed = identity::kNoNode;
    std::string event_id, event_name, account;
};

// Which seed's closure made an event: the first of the event's candidates (Candidates order)
// in the closure, else the closure node the event issued (Closure::IssuedBy); the seed is the
// first hop of the path to that node. Shared by the second reading and the in-memory events.
class SeedFinder {
  public:
    SeedFinder(const Graph& g, const identity::Closure& closure) : g_(g), closure_(closure) {
        for (const auto& [id, node] : closure.issued_by()) issued_.insert(EventId::Parse(id));
    }

    // `c`: the event's candidates (Graph::CandidatesOf); `id`: its event id.
    [[nodiscard]] NodeId Seed(const identity::Candidates& c, const EventId& id) {
        NodeId node = identity::kNoNode;
        for (NodeId n : {c.primary, c.console, c.source_identity, c.provisioning}) {
            if (n != identity::kNoNode && closure_.Contains(n)) {
                node = n;
                break;
            }
        }
        if (node == identity::kNoNode && issued_.contains(id)) {
            EventId::Buffer buf;
            node = closure_.IssuedBy(id.View(buf));
        }
        if (node == identity::kNoNode) return identity::kNoNode;
        auto [it, fresh] = seed_of_.try_emplace(node, identity::kNoNode);
        if (fresh) {
            const identity::Chain path = closure_.PathTo(node);
            if (!path.hops.empty()) it->second = path.hops.front().node;
        }
        return it->second;
    }

    // The same from the candidates shared by the events of one credential
    // (Graph::FixedCandidatesOf(cred)): the timed ones are looked up only when the primary
    // candidate is not in the closure.
    [[nodiscard]] NodeId Seed(const identity::FixedCandidates& fixed, const CredentialRef& cred,
                              TimeMs time, const EventId& id) {
        if (fixed.c.primary != identity::kNoNode && closure_.Contains(fixed.c.primary)) {
            return Seed(fixed.c, id);
        }
        identity::Candidates c = fixed.c;
        if (fixed.timed()) {
            CredentialRef at = cred;
            at.time = time;
            g_.AddTimedCandidates(fixed, at, c);
        }
        return Seed(c, id);
    }

  private:
    const Graph& g_;
    const identity::Closure& closure_;
    std::unordered_set<EventId, EventIdHash> issued_;  // views of closure_'s keys
    std::unordered_map<NodeId, NodeId> seed_of_;
};

// The second reading of the files that may hold events of the closure.
class SelectSink final : public ingest::Sink {
  public:
    SelectSink(const Graph& g, const identity::Closure& closure,
               const identity::IdentityFields& fields, std::vector<Selected>& out, std::mutex& mu)
        : g_(g), finder_(g, closure), fields_(fields), out_(out), mu_(mu) {}
    ~SelectSink() override {
        std::lock_guard<std::mutex> lock(mu_);
        out_.insert(out_.end(), std::make_move_iterator(mine_.begin()),
                    std::make_move_iterator(mine_.end()));
    }
    void OnEvent(const event::EventView& ev) override {
        const CredentialRef ref = identity::CredentialRefOf(ev, fields_);
        // The id and name as EventInfoExtractor reads them (the in-memory events' way).
        const std::string_view id_text = FirstText(ev, event::kEventId);
        const NodeId seed = finder_.Seed(g_.CandidatesOf(ref, scratch_), EventId::Parse(id_text));
        if (seed == identity::kNoNode) return;
        mine_.push_back({ref.time, seed, std::string(id_text),
                         std::string(FirstText(ev, event::kEventName)),
                         std::string(ref.event_account)});
    }

  private:
    const Graph& g_;
    SeedFinder finder_;
    const identity::IdentityFields& fields_;
    std::vector<Selected>& out_;
    std::mutex& mu_;
    std::vector<Selected> mine_;
    std::string scratch_;
};

// The same selection as a second reading, over the events of the first pass: of [from, to) of
// the matched events followed by the kept unmatched ones (one index space), those that lie in
// the files a second reading would read (`read`, by file number) and belong to the closure,
// into `out`. Events of one credential share its fixed candidates.
void SelectRange(const Graph& g, const identity::Closure& closure, const EventList& events,
                 const std::vector<std::deque<UnmatchedEvent>>& unmatched,
                 const std::vector<bool>& read, size_t from, size_t to,
                 std::vector<Selected>& out) {
    SeedFinder finder(g, closure);
    std::unordered_map<const CredentialRef*, identity::FixedCandidates> fixed_of;
    const CredentialRef* last = nullptr;
    const identity::FixedCandidates* last_fixed = nullptr;
    std::string scratch;
    // `call_of()`: the event's call, read only for an event selected (most are not).
    auto consider = [&](TimeMs time, const EventId& id, auto call_of, const CredentialRef* cred,
                        uint32_t file) {
        if (file >= read.size() || !read[file]) return;
        if (cred != last) {
            auto [it, fresh] = fixed_of.try_emplace(cred);
            if (fresh) it->second = g.FixedCandidatesOf(*cred, scratch);
            last = cred;
            last_fixed = &it->second;
        }
        const NodeId seed = finder.Seed(*last_fixed, *cred, time, id);
        if (seed == identity::kNoNode) return;
        out.push_back({time, seed, id.str(), std::string(call_of()->event_name),
                       std::string(cred->event_account)});
    };
    for (size_t i = from; i < std::min(to, events.size()); ++i) {
        const EventInfo& e = events[i];
        consider(
            e.time, e.event_id, [&e] { return e.call(); }, e.cred(), e.file);
    }
    size_t base = events.size();
    for (const auto& list : unmatched) {
        const size_t first = std::max(from, base), last_one = std::min(to, base + list.size());
        for (size_t i = first; i < last_one; ++i) {
            const UnmatchedEvent& u = list[i - base];
            consider(
                u.time, u.event_id, [&u] { return u.call; }, u.cred, u.file);
        }
        base += list.size();
    }
}

// SelectRange over every matched or kept unmatched event; with `two`, the events are shared
// by two threads (each with its own lookups), their selections joined in order.
void SelectInMemory(const Graph& g, const identity::Closure& closure, const EventList& events,
                    const std::vector<std::deque<UnmatchedEvent>>& unmatched,
                    const std::vector<bool>& read, bool two, std::vector<Selected>& out) {
    size_t total = events.size();
    for (const auto& list : unmatched) total += list.size();
    if (!two || total < 2) {
        SelectRange(g, closure, events, unmatched, read, 0, total, out);
        return;
    }
    std::vector<Selected> first;
    RunBoth(true, [&](size_t part) {
        SelectRange(g, closure, events, unmatched, read, part * (total / 2),
                    part == 0 ? total / 2 : total, part == 0 ? first : out);
    });
    first.insert(first.end(), std::make_move_iterator(out.begin()),
                 std::make_move_iterator(out.end()));
    out = std::move(first);
}

}  // namespace

struct HuntIdentity::State {
    explicit State(event::FieldCatalog& c) : catalog(c), builder(c, {}, /*fingerprints=*/true) {}
    event::FieldCatalog& catalog;  // the run's: a second reading parses records as the first
    identity::GraphBuilder builder;
    Graph graph;
    identity::FileFingerprints fingerprints;
    bool built = false;
};

HuntIdentity::HuntIdentity(event::FieldCatalog& catalog) : s_(std::make_unique<State>(catalog)) {}
HuntIdentity::~HuntIdentity() = default;

identity::FactCollector* HuntIdentity::NewCollector() { return s_->builder.NewCollector(); }
const identity::IdentityFields& HuntIdentity::fields() const { return s_->builder.fields(); }

void HuntIdentity::Build(size_t file_count) {
    s_->graph = s_->builder.Build();
    s_->fingerprints = s_->builder.TakeFingerprints(file_count);
    s_->built = true;
}

const CredentialRef* HuntIdentity::CopyCredential(const event::EventView& ev,
                                                  StringStore& store) const {
    const CredentialRef r = identity::CredentialRefOf(ev, fields());
    auto keep = [&](std::string_view v) { return store.Intern(v); };
    CredentialRef out;
    out.type = keep(r.type);
    out.arn = keep(r.arn);
    out.key = keep(r.key);
    out.principal_id = keep(r.principal_id);
    out.account_id = keep(r.account_id);
    out.user_name = keep(r.user_name);
    out.invoked_by = keep(r.invoked_by);
    out.source_identity = keep(r.source_identity);
    out.ic_user_id = keep(r.ic_user_id);
    out.ic_store = keep(r.ic_store);
    out.idp = keep(r.idp);
    out.ip = keep(r.ip);
    out.event_account = keep(r.event_account);
    out.role_name = keep(r.role_name);
    // The event time (which console or provisioning session covers it) comes from the
    // EventInfo when attributing: keeping it here would make every credential unique.
    out.time = 0;
    return store.KeepCredential(out);
}

namespace {

// The i-th event id of a finding: from its event indices, else from its ids.
EventId IdOf(const PendingFinding& p, size_t i, const EventList& events) {
    return p.events.empty() ? EventId::Parse(p.finding.event_ids[i]) : events[p.events[i]].event_id;
}

size_t IdCount(const PendingFinding& p) {
    return p.events.empty() ? p.finding.event_ids.size() : p.events.size();
}

// The first event (in sorted order) with each of `wanted` ids, found in one scan.
class EventsById {
  public:
    EventsById(const std::vector<EventId>& wanted, const EventList& events) {
        if (wanted.empty()) return;
        filter_.assign(kFilterBits / 64, 0);
        for (const EventId& id : wanted) {
            if (id.empty()) continue;
            found_.emplace(id, nullptr);
            const uint64_t b = Bit(id);
            filter_[b / 64] |= uint64_t{1} << (b % 64);
        }
        size_t left = found_.size();
        for (size_t i = 0; i < events.size(); ++i) {
            const EventInfo& e = events[i];
            if (e.event_id.empty()) continue;
            const uint64_t b = Bit(e.event_id);
            if ((filter_[b / 64] >> (b % 64) & 1) == 0) continue;
            auto it = found_.find(e.event_id);
            if (it == found_.end() || it->second != nullptr) continue;
            it->second = &e;
            if (--left == 0) break;
        }
    }
    [[nodiscard]] const EventInfo* Find(const EventId& id) const {
        auto it = found_.find(id);
        return it == found_.end() ? nullptr : it->second;
    }

  private:
    static constexpr uint64_t kFilterBits = uint64_t{1} << 20;
    static uint64_t Bit(const EventId& id) {
        const uint64_t h = id.Hash();
        return (h ^ (h >> 29) ^ (h >> 43)) & (kFilterBits - 1);
    }
    std::vector<uint64_t> filter_;
    std::unordered_map<EventId, const EventInfo*, EventIdHash> found_;
};

}  // namespace

void HuntIdentity::NameRoots(std::vector<PendingFinding>& findings, const EventList& events) const {
    if (!s_->built) return;
    std::vector<EventId> wanted;
    for (const PendingFinding& p : findings) {
        if (IdCount(p) != 0 && p.finding.actor.root.empty()) wanted.push_back(IdOf(p, 0, events));
    }
    const EventsById by_id(wanted, events);
    for (PendingFinding& p : findings) {
        Finding& f = p.finding;
        if (IdCount(p) == 0 || !f.actor.root.empty()) continue;
        const EventInfo* e = by_id.Find(IdOf(p, 0, events));
        if (e == nullptr) continue;
        CredentialRef ref = *e->cred();
        ref.time = e->time;
        const auto att = s_->graph.Attribute(ref);
        if (att && att->chain.hops.size() > 1) f.actor.root = att->root;
    }
}

std::vector<Finding> HuntIdentity::DerivedActivity(
    const std::vector<PendingFinding>& flagged, const EventList& events,
    const std::vector<std::deque<UnmatchedEvent>>* unmatched,
    const std::vector<ingest::InputFile>& files, const ingest::IngestOptions& ingest_opt) {
    std::vector<Finding> out;
    if (!s_->built) return out;
    std::vector<EventId> wanted;
    for (const PendingFinding& p : flagged) {
        if (p.finding.severity < Severity::kMedium) continue;
        for (size_t i = 0; i < IdCount(p); ++i) wanted.push_back(IdOf(p, i, events));
    }
    const EventsById by_id(wanted, events);
    // The credentials behind the flagged findings (AWS services and their roles excluded).
    std::set<NodeId> seed_set;
    std::map<NodeId, std::set<std::string>> flagged_by;  // seed -> rule ids
    // Events of one credential mostly share its attribution: reuse the last one.
    const CredentialRef* last_cred = nullptr;
    TimeMs last_time = 0;
    std::optional<identity::Attribution> last_att;
    for (const PendingFinding& p : flagged) {
        const Finding& f = p.finding;
        if (f.severity < Severity::kMedium) continue;
        for (size_t i = 0; i < IdCount(p); ++i) {
            const EventInfo* e = by_id.Find(IdOf(p, i, events));
            if (e == nullptr || !e->cred()->invoked_by.empty() || e->cred()->type == "AWSService") {
                continue;
            }
            if (e->cred() != last_cred || e->time != last_time) {
                CredentialRef ref = *e->cred();
                ref.time = e->time;
                last_att = s_->graph.Attribute(ref);
                last_cred = e->cred();
                last_time = e->time;
            }
            if (!last_att) continue;
            seed_set.insert(last_att->node);
            flagged_by[last_att->node].insert(f.rule_id);
        }
    }
    if (seed_set.empty()) return out;
    const std::vector<NodeId> seeds(seed_set.begin(), seed_set.end());
    const identity::Closure closure(s_->graph, seeds, 0);
    // The files that may hold events of the closure (by their fingerprints). Both ways look
    // only at these, so that they select the same events.
    const std::vector<uint32_t> hashes = closure.Hashes();
    std::vector<bool> read(files.size());
    std::vector<ingest::InputFile> files2;
    for (size_t i = 0; i < files.size(); ++i) {
        read[i] = s_->fingerprints.Meets(i, hashes);
        if (read[i]) files2.push_back(files[i]);
    }
    std::vector<Selected> selected;
    if (unmatched != nullptr) {
        // Every event of the first pass is at hand: matched, or kept unmatched.
        if (std::getenv("TW_HUNT_TIMING") != nullptr) {
            size_t kept = 0;
            for (const auto& list : *unmatched) kept += list.size();
            std::fprintf(stderr,
                         "timing: derived activity of %zu seeds in %zu files, over %zu matched "
                         "and %zu unmatched events\n",
                         seeds.size(), files2.size(), events.size(), kept);
        }
        SelectInMemory(s_->graph, closure, events, *unmatched, read,
                       ingest::EffectiveThreads(ingest_opt.threads, files.size()) > 1, selected);
    } else {
        if (std::getenv("TW_HUNT_TIMING") != nullptr) {
            std::fprintf(stderr, "timing: derived activity of %zu seeds reads %zu files again\n",
                         seeds.size(), files2.size());
        }
        std::mutex mu;
        ingest::IngestOptions opt = ingest_opt;
        opt.max_files_ahead = 0;
        opt.progress = false;
        Diagnostics quiet(nullptr);  // problems were reported by the first pass
        ingest::RunIngest(
            files2, s_->catalog, opt,
            [&](unsigned) {
                return std::make_unique<SelectSink>(s_->graph, closure, fields(), selected, mu);
            },
            quiet);
    }
    // A total order (the ways and the workers deliver events in different orders): the first
    // of events sharing an id is the same whichever way.
    std::sort(selected.begin(), selected.end(), [](const Selected& a, const Selected& b) {
        return std::tie(a.seed, a.time, a.event_id, a.event_name, a.account) <
               std::tie(b.seed, b.time, b.event_id, b.event_name, b.account);
    });
    selected.erase(std::unique(selected.begin(), selected.end(),
                               [](const Selected& a, const Selected& b) {
                                   return a.seed == b.seed && a.event_id == b.event_id &&
                                          !a.event_id.empty();
                               }),
                   selected.end());
    for (size_t i = 0; i < selected.size();) {
        size_t j = i;
        while (j < selected.size() && selected[j].seed == selected[i].seed) ++j;
        const NodeId seed = selected[i].seed;
        Finding f;
        f.rule_id = "tw.actor.derived-activity";
        f.title = "Activity of a flagged credential and of the credentials derived from it";
        f.severity = Severity::kLow;
        f.source = "builtin";
        f.tactic = "initial-access";
        f.mitre = {"T1078.004"};
        f.first_seen = selected[i].time;
        f.last_seen = selected[j - 1].time;
        std::set<std::string> names, accounts;
        size_t kept = 0;
        for (size_t k = i; k < j; ++k) {
            names.insert(selected[k].event_name);
            if (!selected[k].account.empty()) accounts.insert(selected[k].account);
            if (kept < kMaxEventsPerSeed && !selected[k].event_id.empty()) {
                f.event_ids.push_back(selected[k].event_id);
                ++kept;
            }
        }
        f.event_names.assign(names.begin(), names.end());
        f.accounts.assign(accounts.begin(), accounts.end());
        const std::string label = s_->graph.Label(seed);
        f.actor.arn = label;
        const identity::Chain root = s_->graph.RootChain(seed);
        if (root.hops.size() > 1) f.actor.root = s_->graph.Label(root.root());
        std::set<NodeId> derived;
        for (NodeId n : closure.nodes()) {
            const identity::Chain p = closure.PathTo(n);
            if (!p.hops.empty() && p.hops.front().node == seed && n != seed) derived.insert(n);
        }
        const auto& rules = flagged_by[seed];
        f.summary = std::to_string(j - i) + " calls in " + std::to_string(accounts.size()) +
                    (accounts.size() == 1 ? " account" : " accounts") + " made with " + label +
                    (derived.empty() ? ""
                                     : " and " + std::to_string(derived.size()) +
                                           " credentials derived from it") +
                    ", flagged by " + *rules.begin() +
                    (rules.size() > 1 ? " and " + std::to_string(rules.size() - 1) + " more" : "");
        std::string ev = "{\"flagged_by\":[";
        bool first = true;
        for (const auto& r : rules) {
            if (!first) ev += ',';
            first = false;
            AppendJsonString(ev, r);
        }
        ev += "],\"derived_credentials\":[";
        first = true;
        for (NodeId n : derived) {
            if (!first) ev += ',';
            first = false;
            AppendJsonString(ev, s_->graph.Label(n));
        }
        ev += "],\"events\":" + std::to_string(j - i) +
              ",\"events_listed\":" + std::to_string(kept) + "}";
        f.evidence_json = std::move(ev);
        out.push_back(std::move(f));
        i = j;
    }
    return out;
}

}  // namespace tw::detect
